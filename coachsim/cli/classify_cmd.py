"""``coachsim classify``: label replies, as a readable view or as JSON lines."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from coachsim import jsonl
from coachsim.classify.classifier import MAX_REPLY_CHARS, Classifier, InvalidReplyError, check_reply
from coachsim.classify.context import InvalidContextError, parse_context
from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode
from coachsim.jsonl import JsonLineError, Line
from coachsim.render.analysis import reply_view

#: Lines classified together in --jsonl mode: large enough for nlp.pipe, small enough to stream.
JSONL_CHUNK = 256
#: ...and at most this much line text held at once, however long the lines.
JSONL_CHUNK_CHARS = 16_000_000
#: ``classify -`` reads one reply per line: a line may hold a reply at the character limit.
MAX_STDIN_LINE_BYTES = 4 * MAX_REPLY_CHARS
#: ...and at most this much in all (``--jsonl`` streams any amount).
MAX_STDIN_BYTES = 50_000_000


@dataclass
class JsonlLine:
    """One input line of ``--jsonl`` mode and what became of it."""

    number: int
    record: dict[str, Any] | None = None
    problem: str | None = None  # a line-level problem reported on stderr (no output line)
    item_error: str | None = None  # an item-level problem written as the record's "error"
    size: int = 0  # characters of the line, to bound a chunk's memory


def parse_jsonl_line(line: Line) -> JsonlLine | None:
    """Parse one input line; None for a blank line."""
    number = line.number
    if line.text is None:
        problem = f"line {number}: {jsonl.too_long()}"
        if not line.ended:
            problem += f"; no line end within {jsonl.MAX_SKIP_BYTES:,} bytes, so reading stopped there"
        return JsonlLine(number, problem=problem)
    if not line.text.strip():
        return None
    try:
        record = jsonl.loads(line.text)
    except JsonLineError as invalid:
        return JsonlLine(number, problem=f"line {number}: {invalid.message}")
    if not isinstance(record, dict):
        return JsonlLine(number, problem=f"line {number}: not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        missing = "field 'text' is missing or not a string"
        return JsonlLine(number, record, item_error=missing, size=len(line.text))
    try:
        check_reply(text)
        parse_context(record.get("context"))
    except (InvalidReplyError, InvalidContextError) as invalid:
        return JsonlLine(number, record, item_error=invalid.message, size=len(line.text))
    return JsonlLine(number, record, size=len(line.text))


def _chunks(lines: Iterable[JsonlLine], size: int, max_chars: int) -> Iterator[list[JsonlLine]]:
    """Lines in groups of ``size``, or fewer when their text adds up to ``max_chars``."""
    chunk: list[JsonlLine] = []
    chars = 0
    for line in lines:
        chunk.append(line)
        chars += line.size
        if len(chunk) >= size or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def classify_jsonl(classifier: Classifier, stream: BinaryIO) -> ExitCode:
    """Read JSON objects with ``text`` (and optional ``context``, the turns before it); write
    each back with ``move``, ``confidence``, ``uncertain``, ``sentences`` and ``cues`` added, in
    input order. Bad lines are reported at the end."""
    parsed = (p for line in jsonl.read_lines(stream) if (p := parse_jsonl_line(line)) is not None)
    problems: list[str] = []
    for chunk in _chunks(parsed, JSONL_CHUNK, JSONL_CHUNK_CHARS):
        good = [line.record for line in chunk if line.record is not None and line.item_error is None]
        replies = [{"text": record["text"], "context": record.get("context")} for record in good]
        analyses = iter(classifier.classify_many(replies))
        for line in chunk:
            if line.problem:
                problems.append(line.problem)
                continue
            assert line.record is not None
            if line.item_error:
                out = {**line.record, "error": line.item_error}
            else:
                out = {**line.record, **next(analyses).to_dict()}
            output.write_line(output.json_line(out))
    for problem in problems:
        output.error(problem)
    return ExitCode.BAD_INPUT if problems else ExitCode.OK


def classify_texts(classifier: Classifier, texts: list[str]) -> ExitCode:
    """Show a readable breakdown of each reply; empty replies get an error line and are skipped."""
    console = output.stdout_console()
    status = ExitCode.OK
    valid: list[tuple[int, str]] = []
    for index, text in enumerate(texts, start=1):
        try:
            check_reply(text)
            valid.append((index, text))
        except InvalidReplyError as invalid:
            output.error(f"reply {index}: {invalid.message}")
            status = ExitCode.BAD_INPUT
    analyses = classifier.classify_many([text for _, text in valid])
    for (index, _), analysis in zip(valid, analyses, strict=True):
        console.print(reply_view(analysis, title=f"reply {index}"))
    return status


def stdin_replies(stream: BinaryIO | None = None) -> list[str]:
    """One reply per line of stdin (blank lines skipped); refuses an over-long line or input."""
    replies: list[str] = []
    total = 0
    for line in jsonl.read_lines(stream or sys.stdin.buffer, MAX_STDIN_LINE_BYTES, skip=False):
        if line.text is None:
            raise CoachsimError(f"stdin line {line.number}: {jsonl.too_long(MAX_STDIN_LINE_BYTES)}")
        total += len(line.text)
        if total > MAX_STDIN_BYTES:
            raise CoachsimError(
                f"stdin: more than {MAX_STDIN_BYTES:,} characters of replies; use --jsonl to stream them"
            )
        if line.text.strip():
            replies.append(line.text)
    return replies
