"""Saving files so nothing is lost: write a temp file, fsync, then rename over the target. The one
atomic writer (:func:`replace_atomically`) serves transcripts, sidecars and ``-o`` outputs alike.

A save that fails (full disk, read-only folder, no permission) raises :class:`SaveError` naming the
file and the system's reason, and leaves the previous file as it was and no temp file behind.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
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


def _temp_file(path: Path, mode: int) -> tuple[int, Path]:
    """A new temp file beside ``path`` (created with ``mode`` less the umask), open for writing."""
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), temp
        except FileExistsError:
            continue


def replace_atomically(path: Path, data: bytes, *, private: bool) -> None:
    """The one atomic replace: write a temp file in the same folder, fsync, rename it over ``path``.
    Readers see the old or the new file, never half of one.

    ``private``: the file is 0600 (user data). Otherwise an existing file keeps its permissions and a
    new one gets 0666 less the umask (a report the user asked for). Raises OSError; the target is then
    untouched and no temp file is left, whatever the failure (Ctrl+C included)."""
    keep: int | None = None
    if not private:
        with suppress(FileNotFoundError):
            keep = stat.S_IMODE(os.stat(path).st_mode)
    handle, temp = _temp_file(path, 0o600 if private else 0o666)
    try:
        if keep is not None:
            os.fchmod(handle, keep)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (:func:`replace_atomically`), as private user data:
    the file is 0600 and missing folders are created 0700. Any failure raises SaveError (one line:
    which file, why, what to do) and leaves the target untouched and nothing stray."""
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
        replace_atomically(path, data, private=True)
    except OSError as error:
        raise save_error(path, error) from None


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
