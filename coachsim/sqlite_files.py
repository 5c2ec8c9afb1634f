"""What coachsim's SQLite files share: the progress index, the drill cards and the room roster.

Each call opens its own autocommit connection that waits out other writers for the busy timeout,
and writes in explicit transactions; failures are told apart by SQLite's primary result code.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# SQLite primary result codes (https://sqlite.org/rescode.html)
BUSY = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
CORRUPT = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


def result_code(error: sqlite3.Error) -> int:
    """SQLite's primary result code for ``error`` (extended codes folded)."""
    return (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF


@contextmanager
def connect(path: Path, timeout: float) -> Iterator[sqlite3.Connection]:
    """An autocommit connection to ``path`` (transactions are explicit), closed afterwards."""
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def transaction(db: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
    """Commit what the block does, or roll it all back if it raises (the error goes on)."""
    db.execute(begin)
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
