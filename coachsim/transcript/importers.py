"""Reading conversations from files: coachsim transcripts, plain "Name: text" notes, WebVTT
(Zoom, Teams, Meet) and SRT subtitles. Format is detected from content unless forced.

Each importer returns utterances (speaker name, text, optional start time); consecutive
utterances of one speaker are merged into one turn, as a person would read them.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachsim.errors import DataFileError
from coachsim.transcript.model import SCHEMA, Transcript

FORMATS = ("transcript", "text", "vtt", "srt")
_SPEAKER_LINE = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?([A-Z][\w .'’-]{0,40}?)\s*:\s+(.+)$")
_SRT_TIMING = re.compile(r"^\d+\s*\n\d\d:\d\d:\d\d[,.]\d{3}\s*-->", re.MULTILINE)
MAX_IMPORT_BYTES = 50_000_000


@dataclass
class Utterance:
    """One speaker's words; ``start_s``/``end_s`` are seconds from the start of the recording."""

    speaker: str
    text: str
    at: str | None = None
    start_s: float | None = None
    end_s: float | None = None


_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def clock_seconds(stamp: str) -> float | None:
    """ "01:02:03.500", "02:03,5" or "2:03" as seconds (3723.5, 123.5, 123.0); None if not a clock."""
    match = _CLOCK.match(stamp.strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return round(int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", ".")), 3)


def _decode(path: Path) -> str:
    """The file's text, reading at most the import limit (plus one byte to notice more)."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_IMPORT_BYTES:  # a regular file says how big it is: refuse unread
                raise DataFileError(
                    f"{path}: file is {size:,} bytes, over the {MAX_IMPORT_BYTES:,}-byte import limit;"
                    " split it into conversations"
                )
            raw = stream.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {error.strerror}") from None
    if len(raw) > MAX_IMPORT_BYTES:  # a device or a pipe: stopped at the limit
        raise DataFileError(
            f"{path}: more than {MAX_IMPORT_BYTES:,} bytes, over the import limit;"
            " give a transcript or meeting export file"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path}: not UTF-8 text (byte {error.start}); export it as UTF-8") from None


def detect_format(text: str) -> str | None:
    """The format of ``text`` by its content, or None if it looks like none of them."""
    stripped = text.lstrip()
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if stripped.startswith("{"):
        return "transcript"
    if _SRT_TIMING.search(stripped[:2000]):
        return "srt"
    if any(_SPEAKER_LINE.match(line) for line in stripped.splitlines()[:50]):
        return "text"
    return None


def _split_speaker(text: str) -> tuple[str | None, str]:
    match = _SPEAKER_LINE.match(text)
    return (match.group(1).strip(), match.group(2).strip()) if match else (None, text.strip())


def parse_text(text: str, source: str) -> list[Utterance]:
    """``Name: utterance`` lines; lines without a name continue the previous speaker."""
    utterances: list[Utterance] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        speaker, said = _split_speaker(line)
        if speaker is not None:
            utterances.append(Utterance(speaker, said))
        elif utterances:
            utterances[-1].text += " " + said
        else:
            raise DataFileError(f"{source}:{number}: expected 'Name: what they said' before any other line")
    return utterances


def _captions(captions: Iterable[Any] | Any, source: str) -> list[Utterance]:
    utterances: list[Utterance] = []
    for caption in captions:
        text = " ".join(caption.text.split())
        speaker = getattr(caption, "voice", None)
        if not speaker:
            speaker, text = _split_speaker(text)
        if speaker is None:
            if utterances:
                utterances[-1].text += " " + text
                continue
            continue
        start, end = str(caption.start), str(caption.end)
        utterances.append(Utterance(speaker.strip(), text, start, clock_seconds(start), clock_seconds(end)))
    if not utterances:
        raise DataFileError(f"{source}: no speakers found (need <v Name> voice tags or 'Name: ' prefixes)")
    return utterances


def parse_vtt(text: str, source: str) -> list[Utterance]:
    import webvtt

    try:
        return _captions(webvtt.from_buffer(io.StringIO(text)), source)
    except webvtt.errors.MalformedFileError as error:
        raise DataFileError(f"{source}: not a valid WebVTT file ({error})") from None


def parse_srt(text: str, source: str) -> list[Utterance]:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        raise DataFileError(f"{source}: not a valid SRT file ({error})") from None

    @dataclass
    class _Caption:
        text: str
        start: str
        end: str

    return _captions((_Caption(s.content, str(s.start), str(s.end)) for s in subtitles), source)


def merge(utterances: list[Utterance]) -> list[Utterance]:
    """Join consecutive utterances of the same speaker into one turn."""
    merged: list[Utterance] = []
    for utterance in utterances:
        if merged and merged[-1].speaker == utterance.speaker:
            merged[-1].text += " " + utterance.text
            if utterance.end_s is not None:
                merged[-1].end_s = max(utterance.end_s, merged[-1].end_s or utterance.end_s)
        else:
            merged.append(
                Utterance(utterance.speaker, utterance.text, utterance.at, utterance.start_s, utterance.end_s)
            )
    return merged


@dataclass
class Conversation:
    """An imported conversation before labelling: who spoke, in order."""

    source: str
    format: str
    utterances: list[Utterance]
    transcript: Transcript | None = None  # set when the file was a coachsim transcript

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(u.speaker for u in self.utterances))


def read_conversation(path: Path, format_in: str | None = None) -> Conversation:
    """Read ``path`` in the given format (or the detected one)."""
    text = _decode(path)
    if not text.strip():
        raise DataFileError(f"{path}: the file is empty")
    kind = format_in or detect_format(text)
    if kind is None:
        raise DataFileError(
            f"{path}: unknown format; expected a coachsim transcript, WebVTT, SRT or 'Name: text' lines"
            " (or pass --format-in)"
        )
    if kind not in FORMATS:
        raise DataFileError(f"unknown --format-in '{kind}'; one of {', '.join(FORMATS)}")
    if kind == "transcript":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:  # located like load_transcript, without reading it again
            raise DataFileError(
                f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg});"
                " the file may be truncated"
            ) from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise DataFileError(f"{path}: JSON but not a {SCHEMA} transcript")
        transcript = Transcript.from_dict(data, source=str(path))
        names = [t.name or t.speaker for t in transcript.turns]
        utterances = [
            Utterance(n, t.text, t.at, t.start_s, t.end_s)
            for n, t in zip(names, transcript.turns, strict=True)
        ]
        return Conversation(str(path), kind, utterances, transcript)
    parser = {"text": parse_text, "vtt": parse_vtt, "srt": parse_srt}[kind]
    return Conversation(str(path), kind, merge(parser(text, str(path))))
