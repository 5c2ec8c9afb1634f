"""``coachsim classify``: label replies, as a readable view or as JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from coachsim.classify.classifier import Classifier, InvalidReplyError, check_reply
from coachsim.classify.context import InvalidContextError, parse_context
from coachsim.cli import output
from coachsim.errors import ExitCode
from coachsim.render.analysis import reply_view

#: Lines classified together in --jsonl mode: large enough for nlp.pipe, small enough to stream.
JSONL_CHUNK = 256


@dataclass
class JsonlLine:
    """One input line of ``--jsonl`` mode and what became of it."""

    number: int
    record: dict[str, Any] | None = None
    problem: str | None = None  # a line-level problem reported on stderr (no output line)
    item_error: str | None = None  # an item-level problem written as the record's "error"


def read_lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """Numbered lines of a byte stream, decoded as UTF-8 with bad bytes replaced."""
    for number, raw in enumerate(stream, start=1):
        yield number, raw.decode("utf-8", errors="replace").rstrip("\r\n")


def parse_jsonl_line(number: int, line: str) -> JsonlLine | None:
    """Parse one input line; None for a blank line."""
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return JsonlLine(number, problem=f"line {number}: not valid JSON")
    if not isinstance(record, dict):
        return JsonlLine(number, problem=f"line {number}: not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return JsonlLine(number, record, item_error="field 'text' is missing or not a string")
    try:
        check_reply(text)
        parse_context(record.get("context"))
    except (InvalidReplyError, InvalidContextError) as invalid:
        return JsonlLine(number, record, item_error=invalid.message)
    return JsonlLine(number, record)


def _chunks(lines: Iterable[JsonlLine], size: int) -> Iterator[list[JsonlLine]]:
    chunk: list[JsonlLine] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def classify_jsonl(classifier: Classifier, stream: BinaryIO) -> ExitCode:
    """Read JSON objects with ``text`` (and optional ``context``, the turns before it); write
    each back with ``move``, ``confidence``, ``uncertain``, ``sentences`` and ``cues`` added, in
    input order. Bad lines are reported at the end."""
    parsed = (p for n, line in read_lines(stream) if (p := parse_jsonl_line(n, line)) is not None)
    problems: list[str] = []
    for chunk in _chunks(parsed, JSONL_CHUNK):
        good = [line for line in chunk if line.record is not None and line.item_error is None]
        replies = [{"text": line.record["text"], "context": line.record.get("context")} for line in good]  # type: ignore[index]
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
            output.write_line(json.dumps(out, ensure_ascii=False))
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


def stdin_replies() -> list[str]:
    """One reply per line of stdin (blank lines skipped)."""
    return [line for _, line in read_lines(sys.stdin.buffer) if line.strip()]
