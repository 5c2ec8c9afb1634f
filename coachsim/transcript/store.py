"""Saving transcripts so nothing is lost: write a private temp file, fsync, then rename over the target.

A save that fails (full disk, read-only folder, no permission) raises :class:`SaveError` naming the
file and the system's reason, and leaves the previous file as it was and no temp file behind.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path

from coachsim.errors import DataFileError, SaveError
from coachsim.locations import HOME_ENV, display_path, ensure_private_dir, user_home
from coachsim.transcript.model import Transcript

_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_NOT_ALLOWED = (errno.EACCES, errno.EPERM)


def os_reason(error: OSError) -> str:
    """The system's reason for ``error`` as it reads mid-sentence ("no space left on device")."""
    reason = error.strerror or (os.strerror(error.errno) if error.errno else str(error)) or "unknown error"
    return reason[:1].lower() + reason[1:]


def save_error(path: Path, error: OSError) -> SaveError:
    """One line for a failed write: which file, why, and what to do."""
    in_home = path.is_relative_to(user_home())
    if error.errno in _FULL:
        hint = "free some space and try again"
    elif error.errno == errno.EROFS:
        hint = f"set {HOME_ENV} to a folder on a writable disk" if in_home else "save it on a writable disk"
    elif error.errno in _NOT_ALLOWED:
        hint = f"make {display_path(path.parent)} writable" + (
            f" or set {HOME_ENV} to a writable folder" if in_home else ""
        )
    else:
        hint = "check the disk and try again"
    return SaveError(
        f"cannot save {display_path(path)}: {os_reason(error)}; {hint}", path=str(path), errno=error.errno
    )


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort, the data is already on disk."""
    if os.name != "posix":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: readers see the old or the new file, never half.

    The file is private (0600) and missing folders are created private (0700). Any failure raises
    SaveError and removes the temp file, so the target is untouched and nothing stray is left."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise SaveError(
            f"cannot save {display_path(path)}: the text has a character that is not valid Unicode"
            f" (at position {error.start}); remove it and try again",
            path=str(path),
        ) from None
    try:
        ensure_private_dir(path.parent)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise save_error(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException as error:
        with suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise save_error(path, error) from None
        raise
    _sync_folder(path.parent)


def save_transcript(transcript: Transcript, path: Path) -> None:
    """Write ``transcript`` to ``path`` atomically; raises SaveError if it cannot be written."""
    write_atomic(path, json_text(transcript.to_dict()))


def json_text(data: object) -> str:
    """Readable JSON (UTF-8 as is); text with a lone surrogate (which UTF-8 cannot hold, e.g.
    from an imported file) is kept as a ``\\udXXX`` escape instead of failing the save."""
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, indent=1) + "\n"
    return text


def load_transcript(path: Path) -> Transcript:
    """Read and validate a transcript file; an unreadable, truncated, foreign or malformed file raises
    a one-line DataFileError naming the file (and the turn and field at fault)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {os_reason(error)}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); the file may be truncated"
        ) from None
    except RecursionError:
        raise DataFileError(f"{path}: JSON nested too deeply to be a transcript") from None
    return Transcript.from_dict(data, source=str(path))
