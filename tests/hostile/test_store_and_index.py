"""Fault injection for data at rest: full disk, read-only folders, a locked or corrupt index.

Tests may run as root in CI, where chmod does not stop writes, so faults are also injected by
patching the writer (os.replace, the file write, fsync, mkstemp) and SQLite's connection.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachsim import locations
from coachsim.errors import CoachsimError, ExitCode, SaveError
from coachsim.progress import index as index_module
from coachsim.progress.index import IndexBusy, IndexUnavailable, ProgressIndex
from coachsim.transcript import store
from coachsim.transcript.model import Transcript
from coachsim.transcript.store import load_transcript, save_transcript, write_atomic
from tests.factories import session_dict as session

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_permissions = pytest.mark.skipif(AS_ROOT, reason="root ignores file permissions")


def save(name: str, data: dict[str, Any] | None = None) -> Path:
    path = locations.transcripts_dir() / name
    save_transcript(Transcript.from_dict(data or session()), path)
    return path


def open_index(timeout: float = 0.2) -> ProgressIndex:
    return ProgressIndex(locations.progress_db_path(), locations.transcripts_dir(), busy_timeout=timeout)


def names(index: ProgressIndex) -> list[str]:
    return [Path(s.path).name for s in index.sessions()]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def os_error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


# -- writing a transcript -------------------------------------------------------------------------


class HalfWriter:
    """A file whose write stores half the bytes and then finds the disk full."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise os_error(errno.ENOSPC)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return int(self.stream.fileno())


def disk_full_mid_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(store.os, "fdopen", lambda *args, **kwargs: HalfWriter(real_fdopen(*args, **kwargs)))


def fail(monkeypatch: pytest.MonkeyPatch, target: Any, name: str, code: int) -> None:
    def raising(*args: object, **kwargs: object) -> None:
        raise os_error(code)

    monkeypatch.setattr(target, name, raising)


FAULTS = {
    "disk full mid-write": (disk_full_mid_write, "no space left on device; free some space and try again"),
    "disk full at fsync": (
        lambda mp: fail(mp, store.os, "fsync", errno.ENOSPC),
        "no space left on device; free some space",
    ),
    "read-only disk at rename": (
        lambda mp: fail(mp, store.os, "replace", errno.EROFS),
        "read-only file system; set COACHSIM_HOME to a folder on a writable disk",
    ),
    "no permission for the temp file": (
        lambda mp: fail(mp, store.os, "open", errno.EACCES),
        "permission denied; make ",
    ),
    "read-only disk for the folder": (
        lambda mp: fail(mp, os, "mkdir", errno.EROFS),
        "read-only file system",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_save_is_one_line_and_leaves_the_old_file_whole(
    fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if fault == "read-only disk for the folder":
        path = locations.transcripts_dir() / "new" / "t.json"  # its folder has to be made
        before = None
    else:
        path = save("t.json", session(text="The first version."))
        before = path.read_bytes()
    inject, reason = FAULTS[fault]
    inject(monkeypatch)
    with pytest.raises(SaveError) as caught:
        save_transcript(Transcript.from_dict(session(text="A longer second version " * 50)), path)
    error = caught.value
    assert (
        error.message.startswith(f"cannot save {locations.display_path(path)}: ") and reason in error.message
    )
    assert "\n" not in error.message and error.exit_code == ExitCode.FAILURE and error.path == str(path)
    if before is None:
        assert not path.exists()
    else:
        assert path.read_bytes() == before and load_transcript(path).turns[0].text == "The first version."
        assert leftovers(path.parent) == []


def test_an_interrupt_mid_save_leaves_no_temp_file(monkeypatch: pytest.MonkeyPatch) -> None:
    path = save("t.json")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "{}")
    assert leftovers(path.parent) == [] and load_transcript(path).scenario == "just-tell-me"


@needs_permissions
def test_a_read_only_transcripts_folder_is_a_save_error() -> None:
    path = save("t.json")
    os.chmod(path.parent, 0o500)
    try:
        with pytest.raises(SaveError, match=r"permission denied; make .* writable or set COACHSIM_HOME"):
            save_transcript(Transcript.from_dict(session()), path)
    finally:
        os.chmod(path.parent, 0o700)


@needs_permissions
def test_a_read_only_data_home_still_shows_progress_from_the_transcripts() -> None:
    save("t.json")
    home = locations.user_home()
    os.chmod(home, 0o500)
    try:
        index = open_index()
        assert isinstance(index.problem, IndexUnavailable)
        assert (
            names(index) == ["t.json"]
            and "showing the sessions read from the transcripts" in index.warnings[-1]
        )
        with pytest.raises(IndexUnavailable, match="your transcripts are safe"):
            index.record(load_transcript(home / "transcripts" / "t.json"), home / "transcripts" / "t.json")
    finally:
        os.chmod(home, 0o700)


def test_a_data_home_where_the_index_cannot_be_created_still_shows_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same as the read-only data home above, by patching: root ignores the chmod."""
    path = save("t.json")
    fail(monkeypatch, os, "open", errno.EACCES)  # creating progress.sqlite3 is refused
    index = open_index()
    assert isinstance(index.problem, IndexUnavailable) and "permission denied" in index.problem.message
    assert names(index) == ["t.json"]
    assert index.warnings[-1].endswith(
        "cannot be used (permission denied); showing the sessions read from the transcripts"
    )
    assert index.best("just-tell-me") is not None
    with pytest.raises(IndexUnavailable, match=r"cannot create the progress index .*: permission denied"):
        index.record(load_transcript(path), path)
    assert not locations.progress_db_path().exists()


# -- writing the index ----------------------------------------------------------------------------


class FailingConnection:
    """A connection whose writes fail as SQLite reports a full disk."""

    def __init__(self, connection: sqlite3.Connection, code: int, message: str) -> None:
        self.connection, self.code, self.message = connection, code, message

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(("INSERT", "DROP", "CREATE")):
            error = sqlite3.OperationalError(self.message)
            error.sqlite_errorcode = self.code  # type: ignore[attr-defined]
            raise error
        return self.connection.execute(sql, *args)

    def close(self) -> None:
        self.connection.close()


def break_writes(monkeypatch: pytest.MonkeyPatch, code: int, message: str) -> None:
    @contextmanager
    def connection(self: ProgressIndex) -> Iterator[Any]:
        db = FailingConnection(sqlite3.connect(self.db_path, isolation_level=None), code, message)
        try:
            yield db
        finally:
            db.close()

    monkeypatch.setattr(ProgressIndex, "_connection", connection)


def read_only_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def connection(self: ProgressIndex) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    monkeypatch.setattr(ProgressIndex, "_connection", connection)


def test_a_full_disk_for_the_index_does_not_lose_the_transcript(monkeypatch: pytest.MonkeyPatch) -> None:
    index = open_index()
    break_writes(monkeypatch, 13, "database or disk is full")
    path = save("t.json")  # the source of truth is saved first ...
    with pytest.raises(IndexUnavailable) as caught:
        index.record(load_transcript(path), path)  # ... and the index failing is reported, separately
    message = caught.value.message
    assert (
        "cannot update the progress index" in message
        and "database or disk is full; free some space" in message
    )
    assert "coachsim progress --rebuild" in message and "\n" not in message
    assert not isinstance(caught.value, IndexBusy) and isinstance(caught.value, CoachsimError)
    assert load_transcript(path).scenario == "just-tell-me"


def test_a_read_only_index_is_reported_and_never_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    save("a.json")
    open_index()
    db = locations.progress_db_path()
    inode = db.stat().st_ino
    read_only_connection(monkeypatch)
    index = open_index()
    assert index.problem is None and names(index) == ["a.json"]  # reading is fine
    path = save("b.json")
    with pytest.raises(IndexUnavailable, match="attempt to write a readonly database"):
        index.record(load_transcript(path), path)
    with pytest.raises(IndexUnavailable, match="cannot rebuild"):
        index.rebuild()
    assert db.stat().st_ino == inode


@needs_permissions
def test_a_read_only_index_file(monkeypatch: pytest.MonkeyPatch) -> None:
    index = open_index()
    os.chmod(locations.progress_db_path(), 0o400)
    path = save("t.json")
    with pytest.raises(IndexUnavailable, match="readonly"):
        index.record(load_transcript(path), path)


# -- a locked index -------------------------------------------------------------------------------


@contextmanager
def held_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Another coachsim in the middle of a long write: BEGIN EXCLUSIVE, held."""
    with closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE sessions SET replies = replies")
        try:
            yield holder
        finally:
            holder.execute("ROLLBACK")


def test_a_locked_index_is_busy_never_deleted() -> None:
    save("a.json")
    open_index()
    db = locations.progress_db_path()
    inode = db.stat().st_ino
    path = save("b.json")
    with held_lock(db):
        index = open_index()  # opening while locked: no rebuild, no deletion
        assert index.problem is None and not index.rebuilt and names(index) == ["a.json"]  # WAL: reads go on
        with pytest.raises(IndexBusy) as caught:
            index.record(load_transcript(path), path)
        assert caught.value.message == "the progress index is busy (another coachsim is writing); try again"
        assert isinstance(caught.value, IndexUnavailable) and caught.value.exit_code == ExitCode.FAILURE
        with pytest.raises(IndexBusy):
            index.rebuild()
        assert db.stat().st_ino == inode
    assert db.stat().st_ino == inode and names(open_index()) == ["a.json"]


def test_a_writer_waits_for_a_short_lock() -> None:
    save("a.json")
    index = open_index(timeout=10)
    path = save("b.json")
    db = locations.progress_db_path()
    with closing(sqlite3.connect(db, isolation_level=None, check_same_thread=False)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
        release.start()
        index.record(load_transcript(path), path)  # waits for the commit instead of failing
        release.join()
    assert names(index) == ["a.json", "b.json"]


def test_a_locked_index_from_before_wal_is_busy_not_rebuilt() -> None:
    save("a.json")
    open_index()
    db = locations.progress_db_path()
    with closing(sqlite3.connect(db, isolation_level=None)) as connection:
        assert connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    inode = db.stat().st_ino
    with held_lock(db):
        index = open_index()
        assert isinstance(index.problem, IndexBusy) and not index.rebuilt
        with pytest.raises(IndexBusy):
            index.sessions()
    assert db.stat().st_ino == inode
    assert names(index) == ["a.json"]  # free again: the same index object works


# -- a corrupt index ------------------------------------------------------------------------------


def test_garbage_in_the_index_is_rebuilt_from_the_transcripts() -> None:
    save("a.json")
    save("b.json")
    db = locations.progress_db_path()
    db.write_bytes(b"this is not a database, just bytes \x00\xff" * 200)
    index = open_index()
    assert index.rebuilt and names(index) == ["a.json", "b.json"]


def test_a_truncated_index_is_rebuilt() -> None:
    for n in range(30):
        save(f"{n:02}.json", session(text="A longer reply to fill some pages. " * 20))
    open_index()
    db = locations.progress_db_path()
    data = db.read_bytes()
    assert len(data) > 8192
    db.write_bytes(data[: len(data) // 2])
    index = open_index()
    assert len(index.sessions()) == 30


def test_an_index_damaged_while_open_is_rebuilt_on_the_next_write() -> None:
    save("a.json")
    index = open_index()
    locations.progress_db_path().write_bytes(b"\x00garbage" * 512)
    path = save("b.json")
    index.record(load_transcript(path), path)
    assert index.rebuilt and names(index) == ["a.json", "b.json"]


@settings(max_examples=25)
@given(st.binary(min_size=1, max_size=3000))
def test_any_bytes_in_the_index_file_never_stop_progress(garbage: bytes) -> None:
    db = locations.progress_db_path()
    if not (locations.transcripts_dir() / "a.json").exists():
        save("a.json")
    db.write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    assert names(open_index()) == ["a.json"]


@settings(max_examples=40)
@given(st.integers(min_value=100, max_value=12000), st.binary(min_size=1, max_size=64))
def test_damage_anywhere_in_a_real_index_never_stops_progress(offset: int, damage: bytes) -> None:
    db = locations.progress_db_path()
    if not (locations.transcripts_dir() / "a.json").exists():
        for n in range(3):
            save(f"{'abc'[n]}.json", session(text="Another reply. " * 30))
    ProgressIndex(db, locations.transcripts_dir()).rebuild()
    data = bytearray(db.read_bytes())
    data[offset : offset + len(damage)] = damage
    db.write_bytes(bytes(data))
    index = open_index()
    records = index.sessions()
    assert all(isinstance(r.path, str) and isinstance(r.started_at, str) for r in records)
    assert set(names(index)) <= {"a.json", "b.json", "c.json"}


# -- bad transcripts ------------------------------------------------------------------------------


def test_a_transcript_with_a_null_start_is_skipped_by_the_cli_rebuild(cli) -> None:
    save("a.json")
    (locations.transcripts_dir() / "b.json").write_text(
        json.dumps(session(started_at=None)), encoding="utf-8"
    )
    result = cli("progress", "--rebuild", "--json")
    assert result.code == 0 and "rebuilt from 1 transcript" in result.err
    assert [Path(s["path"]).name for s in json.loads(result.out)["sessions"]] == ["a.json"]
    again = cli("progress", "--json")
    assert again.code == 0 and len(json.loads(again.out)["sessions"]) == 1
    index = open_index()
    assert index.rebuild() == 1 and len(index.warnings) == 1 and "b.json: started_at" in index.warnings[0]


def test_bad_transcripts_never_stop_progress(cli) -> None:
    save("a.json")
    folder = locations.transcripts_dir()
    bad = {"move": "advising", "text": 5, "speaker": "boss"}
    for n, (key, value) in enumerate(bad.items()):
        data = session()
        data["turns"][0][key] = value
        (folder / f"bad{n}.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "empty.json").write_text("", encoding="utf-8")
    result = cli("progress")
    assert result.code == 0 and "Practice streak" in result.out
    index = open_index()
    index.rebuild()
    assert len(index.warnings) == 4 and names(index) == ["a.json"]


def test_index_module_reads_transcripts_only_through_the_validating_loader() -> None:
    assert index_module.load_transcript is load_transcript
