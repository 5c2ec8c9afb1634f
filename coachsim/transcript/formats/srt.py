"""SRT subtitles: numbered cues with a start and an end, the speaker as a "Name: " prefix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coachsim.errors import DataFileError
from coachsim.transcript.formats import captions
from coachsim.transcript.formats.base import Format, Utterance

_TIMING = re.compile(r"^\d+\s*\n\d\d:\d\d:\d\d[,.]\d{3}\s*-->", re.MULTILINE)


@dataclass
class _Cue:
    text: str
    start: str
    end: str


def detect(text: str) -> bool:
    return bool(_TIMING.search(text.lstrip()[:2000]))


def parse(text: str, source: str) -> list[Utterance]:
    import srt  # deferred: only imports of this format need it

    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        raise DataFileError(f"{source}: not a valid SRT file ({error})") from None
    return captions.utterances((_Cue(s.content, str(s.start), str(s.end)) for s in subtitles), source)


FORMAT = Format("srt", "SRT", detect, parse)
