"""Where a command's ``-o`` goes: stdout for ``-``, else a regular file replaced in one step.

An output never destroys an input or a special file: the input itself (compared by device and
inode, so symlinks and hard links count), devices, FIFOs, sockets and folders are refused with
one clear line before anything is written. A file is written to a temp file in the same folder
and renamed over the target, so a failed write (a full disk, Ctrl+C) leaves the old file whole.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from coachsim.errors import CoachsimError, ExitCode
from coachsim.transcript.store import replace_atomically

#: ``-o -`` means standard output.
STDOUT = "-"
#: Paths under these folders name devices or another process's files, never a report file.
_SPECIAL_ROOTS = ("/dev/", "/proc/", "/sys/")
_KINDS = {
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def is_stdout(target: Path | str) -> bool:
    return str(target) == STDOUT


def safe_output_path(target: Path, inputs: Iterable[Path] = (), what: str = "output") -> Path | None:
    """The regular file that ``-o target`` may replace (symlinks resolved), or None for stdout.
    Raises CoachsimError if writing there would destroy an input or a special file."""
    if is_stdout(target):
        return None
    hint = f"give a file name for the {what}, or '-o -' for stdout"
    real = Path(os.path.realpath(target))
    spelled = {f"{os.path.abspath(target)}/", f"{real}/"}  # /dev/stdout may resolve to a plain file
    if any(name.startswith(root) for name in spelled for root in _SPECIAL_ROOTS):
        raise CoachsimError(f"{target}: is a system device path, not a file; {hint}")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        if not real.parent.is_dir():
            raise CoachsimError(
                f"{target}: the folder {real.parent} does not exist; create it first"
            ) from None
        return real
    except OSError as error:
        raise CoachsimError(f"{target}: cannot write the {what}: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise CoachsimError(f"{target}: is a folder; {hint}")
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise CoachsimError(f"{target}: is {kind}, not a regular file; {hint}")
    for source in inputs:
        try:
            same = os.path.samefile(source, real)
        except OSError:
            continue
        if same:
            raise CoachsimError(
                f"{target}: is the input file {source}; writing the {what} there would destroy it;"
                " choose another name"
            )
    return real


def write_output(
    target: Path, text: str, *, inputs: Iterable[Path] = (), what: str = "output"
) -> Path | None:
    """Write ``text`` where ``-o target`` says: to stdout for ``-`` as given (returns None), else
    atomically to the regular file checked by :func:`safe_output_path` (returns it)."""
    path = safe_output_path(target, inputs, what)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    try:
        replace_file(path, text)
    except OSError as error:  # a full disk or a read-only folder: not the user's input at fault
        raise CoachsimError(
            f"{target}: cannot write the {what}: {error.strerror}", ExitCode.FAILURE
        ) from None
    return path


def replace_file(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step, keeping an existing file's permissions;
    a new file gets the usual permissions (0666 less the umask). Unencodable lone surrogates are
    written as ``\\udXXX`` escapes. Raises OSError."""
    replace_atomically(path, text.encode("utf-8", errors="backslashreplace"), private=False)
