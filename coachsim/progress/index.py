"""SQLite index of practice sessions and reviewed meetings (stdlib ``sqlite3``, WAL, busy timeout).

The transcripts (and, for reviewed real meetings, the records under ``<data home>/reviews/``, see
:mod:`coachsim.progress.reviews`) are the source of truth; the index only makes the picker, "best
result" and ``coachsim progress`` fast. It is rebuilt from those files, in one transaction, when it is
missing, of another schema version or really corrupt (not a database, malformed, failing its
integrity check), never because another coachsim holds a lock: that waits up to the busy timeout,
then raises :class:`IndexBusy`. A transcript that cannot be read is skipped, with a line in
``warnings``. The database and its ``-wal``/``-shm`` files are private to the user (0600).
"""

from __future__ import annotations

import errno
import json
import sqlite3
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coachsim.classify.moves import is_regression
from coachsim.errors import CoachsimError, DataFileError, ExitCode
from coachsim.locations import (
    create_private_file,
    display_path,
    ensure_private_dir,
    make_private,
)
from coachsim.progress.reviews import FOLDER_NAME, MeetingRecord, load_meetings, meeting_record, save_meeting
from coachsim.sqlite_files import BUSY, CORRUPT, connect, result_code, transaction
from coachsim.transcript.model import Transcript
from coachsim.transcript.store import load_transcript, os_reason

if TYPE_CHECKING:
    from coachsim.review.sidecar import Review

#: 2: the meetings table; unfinished sessions store no goal verdict. 3: sessions' pressure_s.
SCHEMA_VERSION = 3
#: Seconds a call waits for another coachsim's write lock before raising IndexBusy.
BUSY_TIMEOUT_S = 10.0
_CREATE = (
    """CREATE TABLE sessions (
        path TEXT PRIMARY KEY,
        scenario TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL,
        ending TEXT,
        replies INTEGER NOT NULL,
        coaching INTEGER NOT NULL,
        feedback INTEGER NOT NULL,
        mentoring INTEGER NOT NULL,
        telling INTEGER NOT NULL,
        regressions INTEGER NOT NULL,
        turns_to_first_telling INTEGER,
        goal_met INTEGER,
        summary TEXT NOT NULL,
        pressure_s INTEGER
    )""",
    "CREATE INDEX sessions_scenario ON sessions (scenario, started_at)",
    """CREATE TABLE meetings (
        source TEXT PRIMARY KEY,
        manager TEXT,
        reviewed_at TEXT NOT NULL,
        labels TEXT NOT NULL,
        telling_ok TEXT NOT NULL,
        relabelled INTEGER NOT NULL
    )""",
)
_INSERT_MEETING = "INSERT OR REPLACE INTO meetings VALUES (?, ?, ?, ?, ?, ?)"
_SELECT_MEETINGS = "SELECT source, manager, reviewed_at, labels, telling_ok, relabelled FROM meetings"
_INSERT = f"INSERT OR REPLACE INTO sessions VALUES ({','.join('?' * 16)})"
_SELECT = (
    "SELECT path, scenario, started_at, ended_at, status, ending, replies, coaching, feedback,"
    " mentoring, telling, regressions, turns_to_first_telling, goal_met, pressure_s FROM sessions"
)
_SIDE_FILES = ("-wal", "-shm", "-journal")
# SQLite primary result codes (https://sqlite.org/rescode.html)
_FULL = 13  # SQLITE_FULL
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class IndexUnavailable(CoachsimError):
    """The progress index cannot be read or written (read-only, full disk, busy). Transcripts are
    unaffected: the index can be rebuilt from them with ``coachsim progress --rebuild``."""

    exit_code = ExitCode.FAILURE
    #: The system's or SQLite's reason, e.g. "attempt to write a readonly database".
    reason: str = ""


class IndexBusy(IndexUnavailable):
    """Another coachsim held the index's write lock for longer than the busy timeout."""


class _Corrupt(Exception):
    """Internal: the database file is damaged and has to be recreated."""


@dataclass(frozen=True)
class SessionRecord:
    """One practice session. ``goal_met`` is None when the goal was not judged: the scenario has
    none, or the session is unfinished (a session stopped after two coaching replies met nothing)."""

    path: str
    scenario: str | None
    started_at: str
    ended_at: str | None
    status: str
    ending: str | None
    replies: int
    counts: dict[str, int]
    regressions: int
    turns_to_first_telling: int | None
    goal_met: bool | None
    #: Seconds per reply when played in pressure mode, else None.
    pressure_s: int | None = None

    @property
    def coaching_share(self) -> float:
        return self.counts["coaching"] / self.replies if self.replies else 0.0


def _row(transcript: Transcript, path: Path) -> tuple:
    summary = transcript.summary or {}
    counts = summary.get("counts") or {}
    if not counts:  # imported or old transcripts: count the labelled manager turns
        counts = {
            m: sum(1 for t in transcript.manager_turns if t.move == m)
            for m in ("coaching", "feedback", "mentoring", "telling")
        }
    replies = sum(counts.values())
    goal = summary.get("goal_met") if transcript.status == "finished" else None
    regressions, first_telling = summary.get("regressions"), summary.get("turns_to_first_telling")
    if regressions is None:  # no stored summary: recompute what the turns say
        regressions, first_telling = _from_turns(transcript)
    return (
        str(path),
        transcript.scenario,
        transcript.started_at,
        transcript.ended_at,
        transcript.status,
        transcript.ending,
        replies,
        counts.get("coaching", 0),
        counts.get("feedback", 0),
        counts.get("mentoring", 0),
        counts.get("telling", 0),
        len(regressions),
        first_telling,
        None if goal is None else int(bool(goal)),
        json.dumps(summary),
        transcript.pressure_s,
    )


def _from_turns(transcript: Transcript) -> tuple[list[int], int | None]:
    """Regressions (reply numbers) and the first telling reply, from the labelled manager turns."""
    moves = [t for t in transcript.manager_turns if t.move]
    regressions, coached = [], False
    for number, turn in enumerate(moves, start=1):
        if is_regression(turn.move or "", coached, bool(turn.telling_ok)):
            regressions.append(number)
        coached = coached or turn.move == "coaching"
    first = next((n for n, t in enumerate(moves, start=1) if t.move == "telling"), None)
    return regressions, first


def _record(r: tuple) -> SessionRecord:
    """A session from a row of ``_SELECT`` (a stored row without its summary)."""
    return SessionRecord(
        path=r[0],
        scenario=r[1],
        started_at=r[2],
        ended_at=r[3],
        status=r[4],
        ending=r[5],
        replies=r[6],
        counts={"coaching": r[7], "feedback": r[8], "mentoring": r[9], "telling": r[10]},
        regressions=r[11],
        turns_to_first_telling=r[12],
        goal_met=None if r[13] is None else bool(r[13]),
        pressure_s=r[14],
    )


def _meeting_row(record: MeetingRecord) -> tuple:
    return (
        record.source,
        record.manager,
        record.reviewed_at,
        json.dumps(record.labels),
        json.dumps(record.telling_ok),
        record.relabelled,
    )


def _meeting(r: tuple) -> MeetingRecord:
    return MeetingRecord(r[0], r[1], r[2], tuple(json.loads(r[3])), tuple(json.loads(r[4])), r[5])


class ProgressIndex:
    """The index at ``db_path`` for ``transcripts_dir``, created or rebuilt as needed.

    Opening never raises: if the index cannot be opened (read-only folder, busy, full disk) the
    problem is kept in ``problem`` and raised by ``record``; ``sessions`` then reads the transcripts
    directly. ``warnings`` holds one line per transcript the last rebuild skipped (and per fallback).
    """

    def __init__(
        self,
        db_path: Path,
        transcripts_dir: Path,
        busy_timeout: float = BUSY_TIMEOUT_S,
        reviews_dir: Path | None = None,
    ) -> None:
        self.db_path = db_path
        self.transcripts_dir = transcripts_dir
        #: Where reviewed meetings are recorded (default: ``reviews/`` beside the database).
        self.reviews_dir = reviews_dir or db_path.parent / FOLDER_NAME
        self.busy_timeout = busy_timeout
        self.rebuilt = False
        self.warnings: list[str] = []
        self.problem: IndexUnavailable | None = None
        self._ready = False
        try:
            self._open()
        except IndexUnavailable as error:
            self.problem = error

    # -- opening and checking -------------------------------------------------------------------

    def _connection(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.db_path, self.busy_timeout)

    def _unavailable(self, error: sqlite3.Error | OSError, doing: str) -> IndexUnavailable:
        if isinstance(error, sqlite3.Error) and result_code(error) in BUSY:
            return IndexBusy("the progress index is busy (another coachsim is writing); try again")
        if isinstance(error, OSError):
            reason, full = os_reason(error), error.errno in _DISK_FULL
        else:
            reason, full = str(error), result_code(error) == _FULL
        fix = "free some space" if full else "check that you may write to it and its folder"
        problem = IndexUnavailable(
            f"cannot {doing} the progress index {display_path(self.db_path)}: {reason}; {fix}, then run"
            " `coachsim progress --rebuild` (your transcripts are safe)"
        )
        problem.reason = reason
        return problem

    def _prepare_file(self) -> None:
        """The folder (0700) and an empty database file (0600: SQLite gives -wal and -shm the same)."""
        try:
            ensure_private_dir(self.db_path.parent)
            create_private_file(self.db_path)
        except OSError as error:
            raise self._unavailable(error, "create") from None
        for suffix in ("", *_SIDE_FILES):
            make_private(Path(f"{self.db_path}{suffix}"))

    def _state(self) -> str:
        """The index's health: "ok", "stale" (empty, another schema version) or "corrupt"."""
        try:
            with self._connection() as db:
                if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    return "corrupt"
                version = db.execute("PRAGMA user_version").fetchone()[0]
                tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
                has_table = {"sessions", "meetings"} <= {name for (name,) in tables}
        except sqlite3.Error as error:
            if result_code(error) in CORRUPT:
                return "corrupt"
            raise self._unavailable(error, "open") from None
        return "ok" if has_table and version == SCHEMA_VERSION else "stale"

    def _discard(self) -> None:
        """Delete a corrupt database (only ever called for corruption, never for a busy one)."""
        try:
            for suffix in ("", *_SIDE_FILES):
                Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
        except OSError as error:
            raise self._unavailable(error, "replace the damaged") from None

    def _open(self) -> None:
        self._prepare_file()
        state = self._state()
        if state != "ok":
            self._recreate(corrupt=state == "corrupt")
        else:
            with suppress(sqlite3.Error), self._connection() as db:
                db.execute("PRAGMA journal_mode = WAL")  # an index made before WAL: switch when free
        self._ready = True
        self.problem = None

    def _ensure_open(self) -> None:
        if not self._ready:
            self._open()

    # -- rebuilding -----------------------------------------------------------------------------

    def _scan(self) -> tuple[list[tuple], list[str]]:
        """A row for every readable transcript, and one warning line per file skipped."""
        rows: list[tuple] = []
        warnings: list[str] = []
        try:
            paths = (
                sorted(p for p in self.transcripts_dir.glob("*.json") if not p.name.endswith(".review.json"))
                if self.transcripts_dir.is_dir()
                else []
            )  # a review sidecar beside a transcript is not a session
        except OSError as error:
            warnings.append(f"cannot list {display_path(self.transcripts_dir)}: {os_reason(error)}")
            paths = []
        for path in paths:
            try:
                rows.append(_row(load_transcript(path), path))
            except DataFileError as error:
                warnings.append(
                    f"skipped {error.message}; fix or move the file aside, then `coachsim progress --rebuild`"
                )
        return rows, warnings

    def _rebuild(self) -> int:
        try:
            with self._connection() as db:
                with suppress(sqlite3.OperationalError):
                    db.execute("PRAGMA journal_mode = WAL")
                with transaction(db):
                    # scanned under the write lock: a session another coachsim records meanwhile
                    # waits for this commit instead of being dropped with the old table
                    rows, warnings = self._scan()
                    meetings, skipped = load_meetings(self.reviews_dir)
                    db.execute("DROP TABLE IF EXISTS sessions")
                    db.execute("DROP TABLE IF EXISTS meetings")
                    for statement in _CREATE:
                        db.execute(statement)
                    db.executemany(_INSERT, rows)
                    db.executemany(_INSERT_MEETING, [_meeting_row(m) for m in meetings])
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # marks it healthy, same commit
        except sqlite3.Error as error:
            if result_code(error) in CORRUPT:
                raise _Corrupt from None
            raise self._unavailable(error, "rebuild") from None
        self.warnings = [*warnings, *skipped]
        self.rebuilt = True
        return len(rows)

    def rebuild(self) -> int:
        """Recreate the index from every transcript file (and meeting record) in one transaction;
        returns how many transcripts were indexed. Files that cannot be read are skipped, one line
        each in ``warnings``. Raises IndexUnavailable (IndexBusy) if it cannot be written; the old
        index is then left as it was."""
        self._prepare_file()
        count = self._recreate(corrupt=self._state() == "corrupt")
        self._ready = True
        self.problem = None
        return count

    def _recreate(self, corrupt: bool) -> int:
        if corrupt:
            self._discard()
            self._prepare_file()
        try:
            return self._rebuild()
        except _Corrupt:  # damage the integrity check did not see
            self._discard()
            self._prepare_file()
        try:
            return self._rebuild()
        except _Corrupt:
            raise IndexUnavailable(
                f"the progress index {display_path(self.db_path)} is damaged again as soon as it is rebuilt;"
                " check the disk (your transcripts are safe)"
            ) from None

    # -- reading and writing --------------------------------------------------------------------

    def record(self, transcript: Transcript, path: Path) -> None:
        """Insert or update the row for one transcript file.

        Raises IndexUnavailable (IndexBusy when another coachsim holds the lock too long) if the index
        cannot be written. Save the transcript first: it is the source of truth and a later rebuild
        catches the index up."""
        self._write(_INSERT, _row(transcript, path))

    def record_review(
        self, source: Path, transcript: Transcript, review: Review, at: datetime | None = None
    ) -> None:
        """Record (or update) a reviewed real meeting: its record file under ``reviews_dir`` first
        (the source of truth), then its row. The effective label of a reply is the coach's label if
        set, else the classifier's move; ``at`` is when it was reviewed (default: now).

        Raises SaveError if the record cannot be written, IndexUnavailable (IndexBusy) if the index
        cannot; both are CoachsimError with a one-line message, and the sidecar is unaffected."""
        record = meeting_record(source, transcript, review, at)
        save_meeting(record, self.reviews_dir)
        self._write(_INSERT_MEETING, _meeting_row(record))

    def _write(self, statement: str, row: tuple) -> None:
        self._ensure_open()
        try:
            with self._connection() as db:
                db.execute(statement, row)
            return
        except sqlite3.Error as error:
            if result_code(error) not in CORRUPT:
                raise self._unavailable(error, "update") from None
        self.rebuild()  # damaged: from the files (this one too, once saved), then the row again
        try:
            with self._connection() as db:
                db.execute(statement, row)
        except sqlite3.Error as error:
            raise self._unavailable(error, "update") from None

    def meetings(self) -> list[MeetingRecord]:
        """Reviewed meetings, oldest review first. Like ``sessions``, falls back to reading the record
        files (with a line in ``warnings``) when the index cannot be used at all."""
        try:
            self._ensure_open()
            rows = self._query(_SELECT_MEETINGS + " ORDER BY reviewed_at, source", ())
        except IndexBusy:
            raise
        except IndexUnavailable as error:
            records, skipped = load_meetings(self.reviews_dir)
            note = (
                f"the progress index {display_path(self.db_path)} cannot be used ({error.reason});"
                " showing the meetings read from their review records"
            )
            self.warnings = [*self.warnings, *skipped, *([] if note in self.warnings else [note])]
            return sorted(records, key=lambda m: (m.reviewed_at, m.source))
        return [_meeting(r) for r in rows]

    def sessions(self, scenario: str | None = None) -> list[SessionRecord]:
        """Sessions, oldest first (optionally for one scenario).

        Raises IndexBusy if another coachsim holds the lock too long. If the index cannot be used at
        all (e.g. a read-only data home), the sessions are read from the transcripts instead and a
        line is added to ``warnings``."""
        query, params = _SELECT, tuple[str, ...]()
        if scenario is not None:
            query, params = _SELECT + " WHERE scenario = ?", (scenario,)
        try:
            self._ensure_open()
            rows = self._query(query + " ORDER BY started_at, path", params)
        except IndexBusy:
            raise
        except IndexUnavailable as error:
            scanned, skipped = self._scan()
            self.warnings = [
                *skipped,
                f"the progress index {display_path(self.db_path)} cannot be used ({error.reason});"
                " showing the sessions read from the transcripts",
            ]
            rows = sorted(
                ((*r[:14], r[15]) for r in scanned if scenario is None or r[1] == scenario),
                key=lambda r: (r[2], r[0]),
            )
        return [_record(r) for r in rows]

    def _query(self, query: str, params: tuple[str, ...]) -> list[tuple]:
        try:
            with self._connection() as db:
                return db.execute(query, params).fetchall()
        except sqlite3.Error as error:
            if result_code(error) not in CORRUPT:
                raise self._unavailable(error, "read") from None
        self.rebuild()
        try:
            with self._connection() as db:
                return db.execute(query, params).fetchall()
        except sqlite3.Error as error:
            raise self._unavailable(error, "read") from None

    def best(self, scenario: str) -> SessionRecord | None:
        """Best finished session of a scenario: goal met, then coaching share, then fewest regressions."""
        finished = [s for s in self.sessions(scenario) if s.status == "finished" and s.replies]
        if not finished:
            return None
        return max(finished, key=lambda s: (bool(s.goal_met), s.coaching_share, -s.regressions))
