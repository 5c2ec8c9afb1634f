"""A Zoom meeting chat saved as text. Three shapes: the older one-line form
"00:01:23\\t From  Alex Morgan : text", the newer "10:02:13 From Alex Morgan to Everyone: text" (or
with the text on the tab-indented lines after it), and the cloud recording's
"00:01:23\\tAlex Morgan:\\ttext". The stamp is kept as ``at`` and ``start_s`` (a saved chat's stamp is
the time of day, a recording's the time into it); there is no end. Reactions are not messages."""

from __future__ import annotations

import re

from coachsim.errors import DataFileError
from coachsim.transcript.formats.base import CLOCK, Format, Utterance, clock_seconds

_FROM = re.compile(
    rf"^(?P<clock>{CLOCK})\s+From\s+(?P<name>[^\t]+?)(?:\s+to\s+(?P<to>[^:\t]+?))?\s*:(?:\s+(?P<text>.*))?$"
)
_RECORDING = re.compile(rf"^(?P<clock>{CLOCK})\t(?P<name>[^\t:]{{1,60}}):\t(?P<text>.*)$")
_REACTION = re.compile(r'^Reacted to ".*" with \S+\s*$')


def _header(line: str) -> re.Match[str] | None:
    return _FROM.match(line) or _RECORDING.match(line)


def detect(text: str) -> bool:
    return any(_header(line) for line in text.lstrip().splitlines()[:50])


def parse(text: str, source: str) -> list[Utterance]:
    messages: list[Utterance] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        header = _header(line)
        if header is not None:
            stamp = header.group("clock")
            said = (header.group("text") or "").strip()
            messages.append(Utterance(header.group("name").strip(), said, stamp, clock_seconds(stamp)))
        elif messages:
            messages[-1].text = f"{messages[-1].text} {line.strip()}".lstrip()
        else:
            raise DataFileError(f"{source}:{number}: expected '10:02:13 From Name to Everyone: text' first")
    said = [m for m in messages if m.text and not _REACTION.match(m.text)]
    if not said:
        raise DataFileError(f"{source}: no chat messages found")
    return said


FORMAT = Format("zoom-chat", "a Zoom chat", detect, parse)
