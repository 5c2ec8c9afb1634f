"""Reading conversations from files: the registry of import formats, one module each under
``formats/`` (coachsim transcripts, WebVTT, SRT, Zoom chats, Otter exports, "Name: text" notes).
The format is detected from the content unless forced; this module only parses (labelling is
``coachsim/labelling.py``).

Each format yields utterances (speaker, text, optional start and end); consecutive utterances of
one speaker are merged into one turn, as a person would read them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coachsim.errors import DataFileError
from coachsim.transcript.formats import otter, srt, text, transcript_json, vtt, zoom_chat
from coachsim.transcript.formats.base import Format, Utterance, clock_seconds
from coachsim.transcript.model import Transcript

__all__ = ["FORMATS", "REGISTRY", "Conversation", "Utterance", "clock_seconds", "detect_format"]

#: Every import format, in the order detection tries them (the most specific first: a Zoom chat line
#: or an Otter header would also pass for "Name: text").
REGISTRY: tuple[Format, ...] = (
    vtt.FORMAT,
    transcript_json.FORMAT,
    srt.FORMAT,
    zoom_chat.FORMAT,
    otter.FORMAT,
    text.FORMAT,
)
#: The ``--format-in`` names.
FORMATS = tuple(f.name for f in REGISTRY)
_BY_NAME = {f.name: f for f in REGISTRY}
MAX_IMPORT_BYTES = 50_000_000


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
    return next((f.name for f in REGISTRY if f.detect(text)), None)


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
    if format_in is not None and format_in not in _BY_NAME:
        raise DataFileError(f"unknown --format-in '{format_in}'; one of {', '.join(FORMATS)}")
    content = _decode(path)
    if not content.strip():
        raise DataFileError(f"{path}: the file is empty")
    kind = format_in or detect_format(content)
    if kind is None:
        known = [f.description for f in REGISTRY]
        raise DataFileError(
            f"{path}: unknown format; expected {', '.join(known[:-1])} or {known[-1]} (or pass --format-in)"
        )
    chosen = _BY_NAME[kind]
    if chosen.transcript is not None:
        labelled = chosen.transcript(content, str(path))
        return Conversation(str(path), kind, transcript_json.utterances_of(labelled), labelled)
    return Conversation(str(path), kind, merge(chosen.parse(content, str(path))))
