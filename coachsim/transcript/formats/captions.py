"""What WebVTT and SRT share: captions with a start and an end, a speaker from a voice tag or a
"Name: " prefix; a caption without one continues the previous speaker."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from coachsim.errors import DataFileError
from coachsim.transcript.formats.base import Utterance, clock_seconds, split_speaker


class Caption(Protocol):
    """A cue as webvtt and srt give it (read only)."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> str: ...
    @property
    def end(self) -> str: ...


def utterances(captions: Iterable[Caption], source: str) -> list[Utterance]:
    found: list[Utterance] = []
    for caption in captions:
        text = " ".join(caption.text.split())
        speaker = getattr(caption, "voice", None)
        if not speaker:
            speaker, text, _ = split_speaker(text)
        if speaker is None:
            if found:
                found[-1].text += " " + text
            continue
        start, end = str(caption.start), str(caption.end)
        found.append(Utterance(speaker.strip(), text, start, clock_seconds(start), clock_seconds(end)))
    if not found:
        raise DataFileError(f"{source}: no speakers found (need <v Name> voice tags or 'Name: ' prefixes)")
    return found
