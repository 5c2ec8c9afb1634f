"""WebVTT captions, as Zoom, Teams and Meet save them (``<v Name>`` voice tags or "Name: " prefixes)."""

from __future__ import annotations

import io

from coachsim.errors import DataFileError
from coachsim.transcript.formats import captions
from coachsim.transcript.formats.base import Format, Utterance


def detect(text: str) -> bool:
    return text.lstrip().startswith("WEBVTT")


def parse(text: str, source: str) -> list[Utterance]:
    import webvtt  # deferred: only imports of this format need it

    try:
        return captions.utterances(webvtt.from_buffer(io.StringIO(text)).captions, source)
    except webvtt.errors.MalformedFileError as error:
        raise DataFileError(f"{source}: not a valid WebVTT file ({error})") from None


FORMAT = Format("vtt", "WebVTT", detect, parse)
