"""One flat row per labelled manager turn, written as JSON lines or Parquet for DuckDB or pandas.

Only the manager's labelled turns are rows; ``turn`` is the turn's number in its conversation
(1-based, counting both speakers), so the other person's turns show as gaps and stay in the file.
A file target is written to a temp file beside it and renamed into place when complete, so an
interrupted run leaves any earlier file whole.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from coachsim.classify.analysis import cue_names
from coachsim.errors import CoachsimError, ExitCode
from coachsim.transcript.model import Transcript

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

#: The row's fields in order (the Parquet columns and the JSON keys).
FIELDS = (
    "conversation",
    "turn",
    "speaker",
    "text",
    "move",
    "confidence",
    "uncertain",
    "cues",
    "regression",
    "start_s",
    "end_s",
)
#: Rows per Parquet row group: bounded memory on any archive, few groups on a small one.
ROW_GROUP = 5_000


def turn_rows(transcript: Transcript, conversation: str) -> Iterator[dict[str, Any]]:
    """The labelled manager turns of ``transcript`` as rows; ``conversation`` is its source path."""
    for number, turn in enumerate(transcript.turns, start=1):
        if turn.speaker != "manager" or turn.move is None:
            continue
        yield {
            "conversation": conversation,
            "turn": number,
            "speaker": turn.name or turn.speaker,
            "text": turn.text,
            "move": turn.move,
            "confidence": turn.confidence,
            "uncertain": bool(turn.uncertain),
            "cues": cue_names(turn.cues),
            "regression": bool(turn.regression),
            "start_s": turn.start_s,
            "end_s": turn.end_s,
        }


#: Turns a row into one line of JSON text (without the newline).
JsonEncoder = Callable[[dict[str, Any]], str]


def _json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


class JsonlRows:
    """Writes rows as JSON lines to a text stream (stdout), flushing after each conversation."""

    def __init__(self, stream: IO[str], encode: JsonEncoder = _json) -> None:
        self._stream = stream
        self._encode = encode

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        count = 0
        for row in rows:
            self._stream.write(self._encode(row) + "\n")
            count += 1
        self._stream.flush()
        return count

    def close(self) -> None:
        self._stream.flush()

    def abort(self) -> None:
        self._stream.flush()


class _ReplacedFile:
    """A temp file beside ``target`` that replaces it on :meth:`commit` and vanishes on :meth:`drop`."""

    def __init__(self, target: Path) -> None:
        self.target = target
        while True:
            self.temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                os.close(os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                break
            except FileExistsError:
                continue
            except OSError as error:
                raise _cannot_write(target, error) from None

    def commit(self) -> None:
        try:
            if self.target.exists():
                os.chmod(self.temp, self.target.stat().st_mode & 0o7777)
            os.replace(self.temp, self.target)
        except OSError as error:
            self.drop()
            raise _cannot_write(self.target, error) from None

    def drop(self) -> None:
        self.temp.unlink(missing_ok=True)


def _cannot_write(target: Path, error: OSError) -> CoachsimError:
    return CoachsimError(f"{target}: cannot write the rows: {error.strerror}", ExitCode.FAILURE)


class JsonlFileRows(JsonlRows):
    """JSON lines into a file, complete or not at all."""

    def __init__(self, target: Path, encode: JsonEncoder = _json) -> None:
        self._file = _ReplacedFile(target)
        stream = open(self._file.temp, "w", encoding="utf-8", errors="backslashreplace", newline="")  # noqa: SIM115
        super().__init__(stream, encode)

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        try:
            return super().write(rows)
        except OSError as error:
            self.abort()
            raise _cannot_write(self._file.target, error) from None

    def close(self) -> None:
        try:
            self._stream.flush()
            os.fsync(self._stream.fileno())
        except OSError as error:
            self.abort()
            raise _cannot_write(self._file.target, error) from None
        self._stream.close()
        self._file.commit()

    def abort(self) -> None:
        self._stream.close()
        self._file.drop()


def parquet_schema() -> pa.Schema:
    import pyarrow as pa  # deferred: pyarrow takes a moment to import and only Parquet needs it

    return pa.schema(
        [
            ("conversation", pa.string()),
            ("turn", pa.int32()),
            ("speaker", pa.string()),
            ("text", pa.string()),
            ("move", pa.string()),
            ("confidence", pa.float64()),
            ("uncertain", pa.bool_()),
            ("cues", pa.list_(pa.string())),
            ("regression", pa.bool_()),
            ("start_s", pa.float64()),
            ("end_s", pa.float64()),
        ]
    )


def _utf8(text: str) -> str:
    """``text`` as Arrow can store it: a lone surrogate (from a JSON ``\\udXXX`` escape) becomes
    that escape written out."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


class ParquetRows:
    """Rows into a Parquet file in row groups of :data:`ROW_GROUP`, complete or not at all."""

    def __init__(self, target: Path) -> None:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        self._schema = parquet_schema()
        self._file = _ReplacedFile(target)
        self._buffer: list[dict[str, Any]] = []
        try:
            self._writer = pq.ParquetWriter(self._file.temp, self._schema)
        except OSError as error:
            self._file.drop()
            raise _cannot_write(target, error) from None

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        count = 0
        for row in rows:
            for key in ("conversation", "speaker", "text"):
                row[key] = _utf8(row[key])
            row["cues"] = [_utf8(cue) for cue in row["cues"]]
            self._buffer.append(row)
            count += 1
            if len(self._buffer) >= ROW_GROUP:
                self._flush()
        return count

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._buffer:
            return
        try:
            self._writer.write_table(pa.Table.from_pylist(self._buffer, schema=self._schema))
        except OSError as error:
            self.abort()
            raise _cannot_write(self._file.target, error) from None
        self._buffer.clear()

    def close(self) -> None:
        self._flush()
        try:
            self._writer.close()
        except OSError as error:
            self._file.drop()
            raise _cannot_write(self._file.target, error) from None
        self._file.commit()

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self._file.drop()
