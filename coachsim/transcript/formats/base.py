"""What every import format shares: the utterance it yields, the registry entry it is, and the
clock stamps and "Name: text" prefixes several formats use."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachsim.transcript.model import Transcript


@dataclass
class Utterance:
    """One speaker's words; ``start_s``/``end_s`` are seconds from the start of the recording (None
    when the format does not say: an end is never guessed)."""

    speaker: str
    text: str
    at: str | None = None
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class Format:
    """One import format: its ``--format-in`` name, what it is called in messages, whether ``text``
    looks like it, and how to read it. A format that stores labels (a coachsim transcript) also gives
    the labelled ``transcript``."""

    name: str
    description: str
    detect: Callable[[str], bool]
    parse: Callable[[str, str], list[Utterance]]
    transcript: Callable[[str, str], Transcript] | None = None


#: A clock stamp as exports write it: "1:23", "01:23", "1:02:03", "01:02:03.500", "00:00:01,000".
CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")
#: "Name: text", optionally after a "[stamp]" or a bare clock stamp ("[00:01:23] Name: text").
SPEAKER_LINE = re.compile(
    rf"^\s*(?:\[(?P<bracket>[^\]]*)\]\s*|(?P<clock>{CLOCK})\s+)?"
    r"(?P<name>[A-Z][\w .'’-]{0,40}?)\s*:\s+(?P<text>.+)$"
)


def clock_seconds(stamp: str) -> float | None:
    """ "01:02:03.500", "02:03,5" or "2:03" as seconds (3723.5, 123.5, 123.0); None if not a clock."""
    match = _CLOCK.match(stamp.strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return round(int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", ".")), 3)


def split_speaker(line: str) -> tuple[str | None, str, str | None]:
    """("Name", "text", stamp or None) for a "Name: text" line, else (None, the line, None)."""
    match = SPEAKER_LINE.match(line)
    if match is None:
        return None, line.strip(), None
    stamp = match.group("clock") or match.group("bracket")
    return match.group("name").strip(), match.group("text").strip(), stamp
