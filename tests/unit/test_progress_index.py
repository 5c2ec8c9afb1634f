"""The progress index: rebuilt in one transaction, bad transcripts skipped with a warning, private, WAL."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from coachsim import locations
from coachsim.progress.index import SCHEMA_VERSION, IndexUnavailable, ProgressIndex
from coachsim.transcript.model import Transcript
from tests.factories import session_dict as session


def write(name: str, data: Any) -> Path:
    folder = locations.transcripts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def open_index() -> ProgressIndex:
    return ProgressIndex(locations.progress_db_path(), locations.transcripts_dir(), busy_timeout=0.2)


def user_version(db: Path) -> int:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("PRAGMA user_version").fetchone()[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_transcript_with_no_start_time_is_skipped_with_a_warning() -> None:
    write("a.json", session())
    bad = write("b.json", session(started_at=None))
    write("c.json", session("2026-03-02T10:00:00+00:00", move="telling"))
    index = open_index()
    assert index.rebuilt and [Path(s.path).name for s in index.sessions()] == ["a.json", "c.json"]
    assert len(index.warnings) == 1
    warning = index.warnings[0]
    assert warning.startswith(f"skipped {bad}: started_at") and "not null" in warning
    assert "coachsim progress --rebuild" in warning and "\n" not in warning
    assert index.rebuild() == 2 and len(index.warnings) == 1  # warnings are the last rebuild's, not piled up
    assert user_version(locations.progress_db_path()) == SCHEMA_VERSION


def test_unreadable_files_of_every_kind_are_skipped_not_fatal() -> None:
    write("good.json", session())
    write("truncated.json", session())
    (locations.transcripts_dir() / "truncated.json").write_text('{"schema": "coachsim.tr', encoding="utf-8")
    (locations.transcripts_dir() / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (locations.transcripts_dir() / "folder.json").mkdir()
    write("foreign.json", {"hello": "world"})
    write("list.json", [1, 2, 3])
    index = open_index()
    assert [Path(s.path).name for s in index.sessions()] == ["good.json"]
    assert len(index.warnings) == 5 and all(w.startswith("skipped ") for w in index.warnings)


def test_a_failed_rebuild_keeps_the_old_index(monkeypatch: pytest.MonkeyPatch) -> None:
    write("a.json", session())
    index = open_index()
    assert len(index.sessions()) == 1
    write("b.json", session("2026-03-02T10:00:00+00:00"))

    def scan_with_a_bad_row(self: ProgressIndex) -> tuple[list[tuple], list[str]]:
        rows, warnings = real_scan(self)
        return [*rows, (rows[0][0] + "x", None, None, *rows[0][3:])], warnings  # NOT NULL fails mid-insert

    real_scan = ProgressIndex._scan
    monkeypatch.setattr(ProgressIndex, "_scan", scan_with_a_bad_row)
    with pytest.raises(IndexUnavailable, match="cannot rebuild the progress index"):
        index.rebuild()
    monkeypatch.setattr(ProgressIndex, "_scan", real_scan)
    assert [Path(s.path).name for s in open_index().sessions()] == ["a.json"]  # rolled back, not emptied


def test_a_failed_first_build_is_not_marked_healthy(monkeypatch: pytest.MonkeyPatch) -> None:
    write("a.json", session())
    real_scan = ProgressIndex._scan
    monkeypatch.setattr(ProgressIndex, "_scan", lambda self: ([("p", None, None) + (0,) * 12], []))
    index = open_index()
    assert isinstance(index.problem, IndexUnavailable) and not index.rebuilt
    assert user_version(locations.progress_db_path()) == 0
    monkeypatch.setattr(ProgressIndex, "_scan", real_scan)  # (not undo(): that drops the private home too)
    again = open_index()
    assert again.rebuilt and len(again.sessions()) == 1


def test_another_schema_version_is_rebuilt_in_place() -> None:
    write("a.json", session())
    db = locations.progress_db_path()
    open_index()
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA user_version = 99")
        connection.commit()
    index = open_index()
    assert index.rebuilt and len(index.sessions()) == 1 and user_version(db) == SCHEMA_VERSION


def test_the_index_uses_a_write_ahead_log() -> None:
    open_index()
    with closing(sqlite3.connect(locations.progress_db_path())) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_database_and_its_wal_files_are_private(umask: int) -> None:
    index = open_index()
    write("a.json", session())
    db = locations.progress_db_path()
    with closing(sqlite3.connect(db)) as reader:  # keeps -wal and -shm in place
        reader.execute("SELECT count(*) FROM sessions").fetchone()
        index.record(Transcript.from_dict(session()), locations.transcripts_dir() / "a.json")
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert [mode(p) for p in files] == [0o600] * 3
    assert mode(db.parent) == 0o700


def test_an_existing_world_readable_index_is_made_private_never_writable() -> None:
    db = locations.progress_db_path()
    open_index()
    os.chmod(db, 0o644)
    open_index()
    assert mode(db) == 0o600
    os.chmod(db, 0o444)
    open_index()
    assert mode(db) == 0o400  # group/other access removed, no write access added
