"""The one exception type users may see: a one-line message and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes used by every command."""

    OK = 0
    FAILURE = 1
    BAD_INPUT = 2
    INTERRUPTED = 130


class CoachsimError(Exception):
    """An error shown to the user as one line (what, where, what to do), never a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0])


class ModelNotFoundError(CoachsimError):
    """No usable spaCy pipeline is installed."""

    exit_code = ExitCode.FAILURE


class DataFileError(CoachsimError):
    """A data file (rules, scenario, transcript) is malformed; the message names file and line."""


class SaveError(CoachsimError):
    """A file could not be written (full disk, read-only folder, no permission). The message names
    the path and the system's reason; nothing half-written is left behind."""

    exit_code = ExitCode.FAILURE

    def __init__(self, message: str, path: str | None = None, errno: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.errno = errno
