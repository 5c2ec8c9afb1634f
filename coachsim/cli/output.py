"""The one place that owns stdout, stderr and exit codes.

stdout carries data (reports, JSON lines); people-facing messages and errors go
to stderr, each error as one line: ``coachsim: error: what, where, what to do``.
Nothing from a user or a file reaches the terminal raw: messages have their control
characters shown as escapes (:mod:`coachsim.safetext`) and JSON lines escape every
character a terminal could act on.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from rich.console import Console

from coachsim.errors import ExitCode
from coachsim.safetext import visible

#: Characters json.dumps(ensure_ascii=False) leaves raw that a terminal acts on or UTF-8 cannot
#: encode: DEL, C1 controls, line/paragraph separators, bidi controls, lone surrogates. In JSON
#: text they can only stand inside strings, where ``\\uXXXX`` means the same character.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: Control characters in plain-text data for stdout; newlines, tabs and CRLF line ends stay.
_TEXT_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)


def stdout_console() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def one_line(message: str) -> str:
    """``message`` as one terminal-safe line: control characters and newlines shown as escapes."""
    return visible(message, one_line=True)


def error(message: str) -> None:
    """Print one error line to stderr."""
    print(f"coachsim: error: {one_line(message)}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    print(f"coachsim: {one_line(message)}", file=sys.stderr, flush=True)


def json_safe(text: str) -> str:
    """JSON text with every terminal-active or unencodable character written as a ``\\uXXXX``
    escape: the same data, safe to print and always valid UTF-8."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_line(value: Any) -> str:
    """``value`` as one JSON line for stdout (non-ASCII kept readable, see :func:`json_safe`)."""
    return json_safe(json.dumps(value, ensure_ascii=False))


def text_safe(text: str) -> str:
    """Plain-text data (Markdown, CSV, HTML) with control characters shown as escapes."""
    return _TEXT_UNSAFE.sub(lambda m: visible(m.group(), one_line=True), text)


def write_line(text: str) -> None:
    """Write one line of data to stdout and flush it (for streaming JSON lines)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


__all__ = [
    "ExitCode",
    "error",
    "json_line",
    "json_safe",
    "one_line",
    "stderr_console",
    "stdout_console",
    "text_safe",
    "warn",
    "write_line",
]
