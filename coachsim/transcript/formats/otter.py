"""Otter.ai's plain-text export: a "Speaker Name  0:03" line (two spaces before the start time), then
what they said on the following lines, blocks separated by blank lines. Only starts are given, so
``end_s`` stays None. The closing "Transcribed by https://otter.ai" line is not part of the talk."""

from __future__ import annotations

import re

from coachsim.errors import DataFileError
from coachsim.transcript.formats.base import CLOCK, Format, Utterance, clock_seconds

_HEADER = re.compile(rf"^(?P<name>\S.{{0,60}}?) {{2,}}(?P<clock>{CLOCK})\s*$")
_CREDIT = re.compile(r"^\s*transcribed by\s+\S*otter\.ai\S*\s*$", re.IGNORECASE)


def detect(text: str) -> bool:
    lines = text.lstrip().splitlines()[:50]
    return any(
        _HEADER.match(line) and index + 1 < len(lines) and lines[index + 1].strip()
        for index, line in enumerate(lines)
    )


def parse(text: str, source: str) -> list[Utterance]:
    utterances: list[Utterance] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or _CREDIT.match(line):
            continue
        header = _HEADER.match(line)
        if header is not None:
            stamp = header.group("clock")
            utterances.append(Utterance(header.group("name").strip(), "", stamp, clock_seconds(stamp)))
        elif utterances:
            utterances[-1].text = f"{utterances[-1].text} {line.strip()}".lstrip()
        else:
            raise DataFileError(f"{source}:{number}: expected 'Speaker Name  0:00' before what they said")
    said = [u for u in utterances if u.text]
    if not said:
        raise DataFileError(f"{source}: no speaker said anything (expected 'Speaker Name  0:00' then text)")
    return said


FORMAT = Format("otter", "an Otter text export", detect, parse)
