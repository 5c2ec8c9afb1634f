"""Reading JSON lines from untrusted streams with bounded memory and bounded nesting.

A line is read only up to a byte limit (the rest of an over-long line is skipped, never held),
a UTF-8 byte order mark before the first line is ignored (as the transcript importers do), and a
line nested deeper than :data:`MAX_DEPTH` is refused before ``json.loads`` could overflow the
stack. Every problem is a :class:`JsonLineError` for that line alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from coachsim.classify.classifier import MAX_REPLY_CHARS
from coachsim.errors import CoachsimError

#: Room for a reply at the character limit written with JSON escapes, plus its context.
MAX_LINE_BYTES = 10 * MAX_REPLY_CHARS
#: How far a line may nest arrays and objects (a reply with context needs 3).
MAX_DEPTH = 100
#: How much of one over-long line is skipped looking for its end before reading stops.
MAX_SKIP_BYTES = 64 * MAX_LINE_BYTES
_SKIP_CHUNK = 1 << 20
_BOM = b"\xef\xbb\xbf"
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonLineError(CoachsimError):
    """One line that cannot be read as JSON; the message says why, without the line number."""


@dataclass(frozen=True)
class Line:
    """One numbered line: its text, or None when it was longer than the limit (and skipped)."""

    number: int
    text: str | None
    #: False when an over-long line had no end within MAX_SKIP_BYTES: reading stopped there.
    ended: bool = True


def read_lines(stream: BinaryIO, max_bytes: int = MAX_LINE_BYTES, skip: bool = True) -> Iterator[Line]:
    """Numbered lines of a byte stream, decoded as UTF-8 with bad bytes replaced; never holds more
    than ``max_bytes`` (+1) of one line. An over-long line comes as ``text=None``; with ``skip``
    reading goes on after its end, else it stops there."""
    number = 0
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        number += 1
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            ended = skip and _skip_rest(stream)
            yield Line(number, None, ended)
            if not ended:
                return
            continue
        yield Line(number, raw.decode("utf-8", errors="replace").rstrip("\r\n"))


def _skip_rest(stream: BinaryIO) -> bool:
    """Read past the end of the current line; False if it did not end within MAX_SKIP_BYTES."""
    skipped = 0
    while skipped <= MAX_SKIP_BYTES:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return True
        skipped += len(chunk)
    return False


def too_long(max_bytes: int = MAX_LINE_BYTES) -> str:
    return f"line is over {max_bytes:,} bytes; a reply may have at most {MAX_REPLY_CHARS:,} characters"


def too_deep(line: str, limit: int = MAX_DEPTH) -> bool:
    """Whether ``line`` nests arrays and objects more than ``limit`` levels (brackets inside
    strings do not count)."""
    if line.count("[") + line.count("{") <= limit:  # cannot be deeper: no need to scan
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", line)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def loads(line: str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` of one line; JsonLineError if it is not JSON or nests too deeply."""
    if too_deep(line, max_depth):
        raise JsonLineError(f"JSON nested more than {max_depth} levels deep")
    try:
        return json.loads(line)
    except RecursionError:
        raise JsonLineError(f"JSON nested more than {max_depth} levels deep") from None
    except ValueError:  # JSONDecodeError, and integers past Python's digit limit
        raise JsonLineError("not valid JSON") from None
