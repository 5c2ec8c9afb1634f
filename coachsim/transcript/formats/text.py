"""Plain notes: "Name: what they said" lines; a line without a name continues the previous speaker.
A line may start with a clock stamp, bare or in brackets ("[00:01:23] Name: …", "00:01:23 Name: …",
as timestamped text exports write it), which becomes the turn's ``start_s``."""

from __future__ import annotations

from coachsim.errors import DataFileError
from coachsim.transcript.formats.base import SPEAKER_LINE, Format, Utterance, clock_seconds, split_speaker


def detect(text: str) -> bool:
    return any(SPEAKER_LINE.match(line) for line in text.lstrip().splitlines()[:50])


def parse(text: str, source: str) -> list[Utterance]:
    utterances: list[Utterance] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        speaker, said, stamp = split_speaker(line)
        if speaker is not None:
            start = clock_seconds(stamp) if stamp else None
            utterances.append(Utterance(speaker, said, stamp if start is not None else None, start))
        elif utterances:
            utterances[-1].text += " " + said
        else:
            raise DataFileError(f"{source}:{number}: expected 'Name: what they said' before any other line")
    return utterances


FORMAT = Format("text", "'Name: text' lines", detect, parse)
