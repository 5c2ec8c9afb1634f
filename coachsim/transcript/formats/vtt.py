"""WebVTT captions, as Zoom, Teams and Meet save them (``<v Name>`` voice tags or "Name: " prefixes)."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachsim.errors import DataFileError
from coachsim.transcript.formats import captions
from coachsim.transcript.formats.base import Format, Utterance

if TYPE_CHECKING:
    import webvtt


def detect(text: str) -> bool:
    return text.lstrip().startswith("WEBVTT")


def parse(text: str, source: str) -> list[Utterance]:
    import webvtt  # deferred: only imports of this format need it

    try:
        cues = webvtt.from_buffer(io.StringIO(text)).captions
        return captions.utterances((_Decoded.of(cue) for cue in cues), source)
    except webvtt.errors.MalformedFileError as error:
        raise DataFileError(f"{source}: not a valid WebVTT file ({error})") from None


@dataclass(frozen=True)
class _Decoded:
    """A cue with its character references read (webvtt strips the tags, not ``&lt;``/``&amp;``)."""

    text: str
    start: str
    end: str
    voice: str | None

    @classmethod
    def of(cls, cue: webvtt.Caption) -> _Decoded:
        voice = getattr(cue, "voice", None)
        return cls(
            html.unescape(cue.text), str(cue.start), str(cue.end), html.unescape(voice) if voice else None
        )


FORMAT = Format("vtt", "WebVTT", detect, parse)
