"""The room's shared state: who is practising, their move mix and their slips, in one SQLite file.

Each participant's app process writes its own rows and ``coachsim room`` reads them, concurrently:
WAL mode, a busy timeout, and every write one short ``BEGIN IMMEDIATE`` transaction. A participant may
practise several conversations (Retry, another scenario): each is a session, whose counts and slips
are recomputed from its whole transcript on each write (so a write is idempotent), and the
participant's row adds up all their sessions.
A missing file is an empty room; the file and its ``-wal``/``-shm`` are private to the user (0600).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachsim import locations
from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError, ExitCode
from coachsim.locations import create_private_file, display_path, ensure_private_dir, make_private
from coachsim.sqlite_files import BUSY, CORRUPT, connect, result_code, transaction
from coachsim.transcript.store import os_reason

if TYPE_CHECKING:
    from coachsim.scenario.model import Scenario
    from coachsim.transcript.model import Transcript

FILE_NAME = "room.sqlite3"
#: Seconds a call waits for another participant's write before raising RosterUnavailable.
BUSY_TIMEOUT_S = 10.0
SCHEMA_VERSION = 2
#: Slip kinds, in the order they are listed when equally common.
SLIP_KINDS = ("advice_question", "telling_after_pull", "regression")
STATUSES = ("practising", "finished", "left")

_SESSIONS = """CREATE TABLE IF NOT EXISTS sessions (
        room TEXT NOT NULL,
        participant_id TEXT NOT NULL,
        session TEXT NOT NULL,
        turns INTEGER NOT NULL,
        coaching INTEGER NOT NULL,
        feedback INTEGER NOT NULL,
        mentoring INTEGER NOT NULL,
        telling INTEGER NOT NULL,
        regressions INTEGER NOT NULL,
        PRIMARY KEY (room, participant_id, session)
    )"""
_SLIPS = """CREATE TABLE IF NOT EXISTS slips (
        room TEXT NOT NULL,
        participant_id TEXT NOT NULL,
        session TEXT NOT NULL DEFAULT '',
        reply INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        prompt TEXT,
        move TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (room, participant_id, session, reply, kind)
    )"""
_CREATE = (
    """CREATE TABLE IF NOT EXISTS participants (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        show_name INTEGER NOT NULL,
        scenario TEXT,
        turns INTEGER NOT NULL,
        coaching INTEGER NOT NULL,
        feedback INTEGER NOT NULL,
        mentoring INTEGER NOT NULL,
        telling INTEGER NOT NULL,
        regressions INTEGER NOT NULL,
        last_alert TEXT,
        status TEXT NOT NULL,
        joined_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (room, id)
    )""",
    _SESSIONS,
    _SLIPS,
    "CREATE INDEX IF NOT EXISTS participants_updated ON participants (updated_at)",
)
_COLUMNS = "id, name, show_name, scenario, turns, coaching, feedback, mentoring, telling, regressions"
_JOIN = f"""INSERT INTO participants (room, {_COLUMNS}, last_alert, status, joined_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, NULL, 'practising', ?, ?)
    ON CONFLICT (room, id) DO UPDATE SET name = excluded.name, show_name = excluded.show_name,
        scenario = COALESCE(excluded.scenario, scenario), status = 'practising',
        updated_at = excluded.updated_at"""
_RECORD = f"""INSERT INTO participants (room, {_COLUMNS}, last_alert, status, joined_at, updated_at)
    VALUES (?, ?, '', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (room, id) DO UPDATE SET scenario = COALESCE(excluded.scenario, scenario),
        turns = excluded.turns, coaching = excluded.coaching, feedback = excluded.feedback,
        mentoring = excluded.mentoring, telling = excluded.telling,
        regressions = excluded.regressions, last_alert = COALESCE(excluded.last_alert, last_alert),
        status = excluded.status, updated_at = excluded.updated_at"""
_MOVE_COLUMNS = ", ".join(MOVES)
_SESSION = f"""INSERT OR REPLACE INTO sessions
    (room, participant_id, session, turns, {_MOVE_COLUMNS}, regressions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_TOTALS = f"""SELECT COALESCE(SUM(turns), 0), {", ".join(f"COALESCE(SUM({m}), 0)" for m in MOVES)},
    COALESCE(SUM(regressions), 0) FROM sessions WHERE room = ? AND participant_id = ?"""
#: From schema 1 (one conversation per participant): its rows become each participant's first session.
_FROM_SCHEMA_1 = (
    _SESSIONS,
    "ALTER TABLE slips RENAME TO slips_1",
    _SLIPS,
    """INSERT INTO slips (room, participant_id, session, reply, kind, text, prompt, move, at)
        SELECT room, participant_id, '', reply, kind, text, prompt, move, at FROM slips_1""",
    "DROP TABLE slips_1",
    f"""INSERT OR IGNORE INTO sessions (room, participant_id, session, turns, {_MOVE_COLUMNS}, regressions)
        SELECT room, id, '', turns, {_MOVE_COLUMNS}, regressions FROM participants""",
)
_SELECT = f"SELECT {_COLUMNS}, last_alert, status, joined_at, updated_at FROM participants"
_SELECT_SLIPS = """SELECT s.participant_id, s.reply, s.kind, s.text, s.prompt, s.move, s.at
    FROM slips s JOIN participants p ON p.room = s.room AND p.id = s.participant_id
    WHERE s.room = ? ORDER BY s.at, p.seq, s.reply,
        CASE s.kind WHEN 'advice_question' THEN 0 WHEN 'telling_after_pull' THEN 1 ELSE 2 END"""
# SQLite primary result codes (https://sqlite.org/rescode.html)


class RosterUnavailable(CoachsimError):
    """The room's shared file cannot be read or written (damaged, read-only, busy too long)."""

    exit_code = ExitCode.FAILURE


def roster_path() -> Path:
    """Where the room's state lives: ``room.sqlite3`` in the (shared) data home."""
    return locations.user_home() / FILE_NAME


@dataclass(frozen=True)
class Participant:
    """One person in the room and where their conversation is."""

    id: str
    name: str
    show_name: bool
    scenario: str | None
    turns: int
    counts: dict[str, int]
    regressions: int
    last_alert: str | None
    status: str
    joined_at: str
    updated_at: str

    def listed_name(self, number: int) -> str:
        """The name they typed (the facilitator's table and JSON), else ``Participant <number>``."""
        return self.name.strip() or f"Participant {number}"

    def shown_name(self, number: int) -> str:
        """What the debrief shows the room: the name if they allowed it, else ``Participant <number>``
        (1-based join order)."""
        return self.name if self.show_name and self.name.strip() else f"Participant {number}"


@dataclass(frozen=True)
class Slip:
    """A reply worth debriefing: ``kind`` is one of SLIP_KINDS, ``prompt`` the line before it."""

    participant_id: str
    reply: int
    kind: str
    text: str
    prompt: str | None
    move: str
    at: str


@dataclass(frozen=True)
class RoomState:
    """The room as the facilitator sees it: participants in join order, slips oldest first."""

    room: str
    participants: list[Participant]
    slips: list[Slip]

    @property
    def counts(self) -> dict[str, int]:
        """The room's move mix: every participant's counts added up."""
        return {move: sum(p.counts.get(move, 0) for p in self.participants) for move in MOVES}

    def common_slips(self) -> list[tuple[str, int]]:
        """``(kind, count)`` for each kind of slip seen, most common first."""
        seen = Counter(slip.kind for slip in self.slips)
        return sorted(seen.items(), key=lambda item: (-item[1], SLIP_KINDS.index(item[0])))

    def shown_name(self, participant_id: str) -> str:
        """How the room shows a participant (their name, or ``Participant N``)."""
        for number, participant in enumerate(self.participants, start=1):
            if participant.id == participant_id:
                return participant.shown_name(number)
        return "a participant"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the facilitator's scripts: ``name`` is the name typed (``show_name`` says
        whether the debrief may show it to the room)."""
        seen = dict(self.common_slips())
        return {
            "room": self.room,
            "participants": [
                {
                    "name": p.listed_name(number),
                    "show_name": p.show_name,
                    "scenario": p.scenario,
                    "turns": p.turns,
                    "counts": {move: p.counts.get(move, 0) for move in MOVES},
                    "regressions": p.regressions,
                    "status": p.status,
                    "last_alert": p.last_alert,
                }
                for number, p in enumerate(self.participants, start=1)
            ],
            "counts": self.counts,
            "slips": {kind: seen.get(kind, 0) for kind in SLIP_KINDS},
        }


def find_slips(participant_id: str, transcript: Transcript, scenario: Scenario | None) -> list[Slip]:
    """Every labelled manager reply that asked advice as a question, told after the other person
    pulled for an answer, or regressed; one Slip per kind (``reply`` counts manager turns from 1)."""
    slips: list[Slip] = []
    prompt: str | None = None
    reply = 0
    for turn in transcript.turns:
        if turn.speaker == "report":
            prompt = turn.text
            continue
        reply += 1
        if turn.move is None:
            continue
        beat = scenario.beats.get(turn.beat) if scenario is not None and turn.beat else None
        kinds = [
            kind
            for kind, happened in (
                ("advice_question", bool((turn.cues or {}).get("advice_question"))),
                ("telling_after_pull", turn.move == "telling" and beat is not None and beat.pull),
                ("regression", bool(turn.regression)),
            )
            if happened
        ]
        slips.extend(
            Slip(participant_id, reply, kind, turn.text, prompt, turn.move, turn.at) for kind in kinds
        )
    return slips


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Roster:
    """The roster file at ``db_path`` (default :func:`roster_path`); every call opens and closes
    its own connection, so one Roster may be used from any thread."""

    def __init__(self, db_path: Path | None = None, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.db_path = db_path or roster_path()
        self.busy_timeout = busy_timeout
        self._ready = False

    # -- connections and errors -----------------------------------------------------------------

    def _connection(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.db_path, self.busy_timeout)

    def _unavailable(self, error: sqlite3.Error | OSError, doing: str) -> RosterUnavailable:
        where = display_path(self.db_path)
        if isinstance(error, sqlite3.Error) and result_code(error) in BUSY:
            return RosterUnavailable(
                f"the room roster {where} stayed busy for {self.busy_timeout:g} s (participants are"
                " writing); try again"
            )
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        if isinstance(error, sqlite3.Error) and result_code(error) in CORRUPT:
            return RosterUnavailable(
                f"the room roster {where} is damaged ({reason}); move it aside and each participant's"
                " next reply fills a new one"
            )
        return RosterUnavailable(
            f"cannot {doing} the room roster {where}: {reason}; check that you may write to it and its folder"
        )

    def _prepare(self) -> None:
        """The private folder and file, WAL mode and the tables (once per Roster)."""
        if self._ready:
            return
        try:
            ensure_private_dir(self.db_path.parent)
            create_private_file(self.db_path)
        except OSError as error:
            raise self._unavailable(error, "create") from None
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(f"{self.db_path}{suffix}"))
        try:
            with self._connection() as db:
                try:
                    db.execute("PRAGMA journal_mode = WAL")
                except sqlite3.OperationalError as error:
                    if result_code(error) not in BUSY:  # busy: another participant is switching it
                        raise
                with transaction(db):
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    has_slips = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'slips'")
                    if version == 1 and has_slips.fetchone()[0]:
                        for statement in _FROM_SCHEMA_1:
                            db.execute(statement)
                    for statement in _CREATE:
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as error:
            raise self._unavailable(error, "create") from None
        self._ready = True

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> None:
        self._prepare()
        try:
            with self._connection() as db, transaction(db):
                work(db)
        except sqlite3.Error as error:
            raise self._unavailable(error, "update") from None

    def _read(self, work: Callable[[sqlite3.Connection], Any], empty: Any) -> Any:
        """``work(db)`` in one read transaction; ``empty`` when there is no roster yet."""
        if not self.db_path.exists():
            return empty
        try:
            with self._connection() as db, transaction(db, "BEGIN"):
                tables = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'participants'")
                return work(db) if tables.fetchone()[0] else empty
        except sqlite3.Error as error:
            raise self._unavailable(error, "read") from None

    # -- the participant's side -----------------------------------------------------------------

    def join(
        self, room: str, participant_id: str, name: str, show_name: bool, scenario: str | None = None
    ) -> None:
        """Add the participant to ``room`` (or rejoin: name and choice updated, counts kept)."""
        now = _now()
        row = (room, participant_id, name.strip(), int(show_name), scenario, now, now)
        self._write(lambda db: db.execute(_JOIN, row))

    def record(
        self,
        room: str,
        participant_id: str,
        transcript: Transcript,
        scenario: Scenario | None,
        alert: str | None,
    ) -> None:
        """Recompute this session's counts and slips from its whole transcript, and the participant's
        row from all their sessions, in one transaction. The session is the transcript's start.
        ``alert`` is the latest reply's alert; None keeps the last one shown."""
        labelled = [t for t in transcript.manager_turns if t.move is not None]
        counts = Counter(t.move for t in labelled)
        session = transcript.started_at
        scenario_id = transcript.scenario or (scenario.id if scenario is not None else None)
        status = "finished" if transcript.status == "finished" else "practising"
        session_row = (
            room,
            participant_id,
            session,
            len(labelled),
            *(counts.get(move, 0) for move in MOVES),
            sum(1 for t in labelled if t.regression),
        )
        slips = [
            (room, s.participant_id, session, s.reply, s.kind, s.text, s.prompt, s.move, s.at)
            for s in find_slips(participant_id, transcript, scenario)
        ]
        mine = (room, participant_id)

        def write(db: sqlite3.Connection) -> None:
            db.execute(_SESSION, session_row)
            db.execute(
                "DELETE FROM slips WHERE room = ? AND participant_id = ? AND session = ?", (*mine, session)
            )
            db.executemany("INSERT OR REPLACE INTO slips VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", slips)
            totals = db.execute(_TOTALS, mine).fetchone()
            db.execute(_RECORD, (room, participant_id, scenario_id, *totals, alert, status, _now(), _now()))

        self._write(write)

    def leave(self, room: str, participant_id: str, status: str = "left") -> None:
        """Mark the participant "finished" or "left" (they stay in the room's list)."""
        if status not in ("finished", "left"):
            raise ValueError(f"status should be 'finished' or 'left', not {status!r}")
        row = (status, _now(), room, participant_id)
        self._write(
            lambda db: db.execute(
                "UPDATE participants SET status = ?, updated_at = ? WHERE room = ? AND id = ?", row
            )
        )

    # -- the facilitator's side -----------------------------------------------------------------

    def state(self, room: str) -> RoomState:
        """The room now: participants in join order, slips oldest first (empty if unknown)."""

        def read(db: sqlite3.Connection) -> RoomState:
            rows = db.execute(_SELECT + " WHERE room = ? ORDER BY seq", (room,)).fetchall()
            slips = [Slip(*r) for r in db.execute(_SELECT_SLIPS, (room,)).fetchall()]
            return RoomState(room, [_participant(r) for r in rows], slips)

        state: RoomState = self._read(read, RoomState(room, [], []))
        return state

    def latest_room(self) -> str | None:
        """The room updated most recently, or None when there is none."""

        def read(db: sqlite3.Connection) -> str | None:
            row = db.execute("SELECT room FROM participants ORDER BY updated_at DESC, seq DESC LIMIT 1")
            found = row.fetchone()
            return found[0] if found else None

        room: str | None = self._read(read, None)
        return room


def _participant(r: tuple) -> Participant:
    counts = dict(zip(MOVES, r[5:9], strict=True))
    return Participant(r[0], r[1], bool(r[2]), r[3], r[4], counts, r[9], r[10], r[11], r[12], r[13])
