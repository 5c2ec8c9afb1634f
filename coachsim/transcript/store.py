"""Saving transcripts so nothing is lost: write a temp file, fsync, then rename over the target."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from coachsim.errors import DataFileError
from coachsim.transcript.model import Transcript


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def save_transcript(transcript: Transcript, path: Path) -> None:
    write_atomic(path, json.dumps(transcript.to_dict(), ensure_ascii=False, indent=1) + "\n")


def load_transcript(path: Path) -> Transcript:
    """Read a transcript file; unreadable, truncated or foreign files raise a one-line DataFileError."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {error.strerror}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); the file may be truncated"
        ) from None
    return Transcript.from_dict(data, source=str(path))
