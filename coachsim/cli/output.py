"""The one place that owns stdout, stderr and exit codes.

stdout carries data (reports, JSON lines); people-facing messages and errors go
to stderr, each error as one line: ``coachsim: error: what, where, what to do``.
"""

from __future__ import annotations

import sys

from rich.console import Console

from coachsim.errors import ExitCode


def stdout_console() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """Print one error line to stderr."""
    print(f"coachsim: error: {message}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    print(f"coachsim: {message}", file=sys.stderr, flush=True)


def write_line(text: str) -> None:
    """Write one line of data to stdout and flush it (for streaming JSON lines)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


__all__ = ["ExitCode", "error", "stderr_console", "stdout_console", "warn", "write_line"]
