"""The drill cards: a ``drill_cards`` table in the progress database, rebuilt from a log.

``<data home>/drills.jsonl`` is the source of truth: one line per drill answer,
``{"moment": ID, "at": ISO time, "move": MOVE}``, with ``"uncertain": true`` when the label was a
guess (a line without it is a sure label), only ever appended (``coachsim drill --reset ID`` appends
``"move": "reset"``, which forgets the card). The ``drill_cards`` table (and the ``drill_meta`` table
counting the log lines it holds and the scheduling rules it was built with) only makes reading fast;
when it is missing, behind the log or built by older rules, it is replayed from the log in one
transaction. The tables share ``progress.sqlite3`` with the progress index but none of its tables
or its schema version.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from coachsim import locations
from coachsim.classify.moves import MOVES
from coachsim.drill.moments import Moment
from coachsim.drill.schedule import Answer, Card, new_card, review
from coachsim.errors import CoachsimError, ExitCode
from coachsim.locations import (
    PRIVATE_FILE_MODE,
    create_private_file,
    display_path,
    ensure_private_dir,
    make_private,
)
from coachsim.sqlite_files import BUSY, CORRUPT, connect, result_code, transaction
from coachsim.transcript.store import os_reason, save_error

#: Seconds a call waits for another coachsim's write lock (as the progress index does).
BUSY_TIMEOUT_S = 10.0
LOG_NAME = "drills.jsonl"
#: The log entry that forgets a card.
RESET = "reset"
#: How many moments a drill session has unless told otherwise.
SESSION_SIZE = 5
#: The scheduling rules the table was replayed with; 2: feedback and uncertain labels hold.
RULES = 2
_CREATE = (
    """CREATE TABLE IF NOT EXISTS drill_cards (
        id TEXT PRIMARY KEY,
        box INTEGER NOT NULL,
        due TEXT NOT NULL,
        history TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS drill_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)
_UPSERT = "INSERT OR REPLACE INTO drill_cards VALUES (?, ?, ?, ?)"
_SET_LINES = "INSERT OR REPLACE INTO drill_meta VALUES ('log_lines', ?)"
_SET_RULES = "INSERT OR REPLACE INTO drill_meta VALUES ('rules', ?)"


class DeckUnavailable(CoachsimError):
    """The drill cards cannot be read or written (busy, read-only, damaged). The log is unaffected."""

    exit_code = ExitCode.FAILURE


@dataclass(frozen=True)
class LogEntry:
    """One line of the drill log: an answer to a moment (``uncertain`` if its label was a guess),
    or a reset."""

    moment: str
    at: datetime
    move: str
    uncertain: bool = False

    def to_line(self) -> str:
        at = self.at.isoformat(timespec="seconds")
        data: dict[str, object] = {"moment": self.moment, "at": at, "move": self.move}
        if self.uncertain:
            data["uncertain"] = True
        return json.dumps(data, ensure_ascii=False)


def drills_log_path() -> Path:
    return locations.user_home() / LOG_NAME


def parse_line(line: str) -> LogEntry | None:
    """The entry on one log line, or None if it is not one (e.g. a line cut short by a crash)."""
    try:
        data = json.loads(line)
        moment, at, move = data["moment"], data["at"], data["move"]
        uncertain = data.get("uncertain", False)
        if not isinstance(moment, str) or not isinstance(at, str) or move not in (*MOVES, RESET):
            return None
        if not isinstance(uncertain, bool):
            return None
        return LogEntry(moment, datetime.fromisoformat(at), move, uncertain)
    except (ValueError, TypeError, KeyError):
        return None


def replay(entries: Iterable[LogEntry]) -> dict[str, Card]:
    """The cards a log describes: each answer reviews its card (made on the day of its first
    answer; an uncertain one holds it), each reset forgets it."""
    cards: dict[str, Card] = {}
    for entry in entries:
        if entry.move == RESET:
            cards.pop(entry.moment, None)
            continue
        card = cards.get(entry.moment) or new_card(entry.moment, entry.at.date())
        cards[entry.moment] = review(card, entry.move, entry.at, entry.uncertain)
    return cards


def _row(card: Card) -> tuple[str, int, str, str]:
    return (card.id, card.box, card.due.isoformat(), json.dumps([list(h) for h in card.history]))


def _card(row: tuple[str, int, str, str]) -> Card:
    history = tuple(Answer(str(h[0]), str(h[1]), len(h) > 2 and h[2] is True) for h in json.loads(row[3]))
    return Card(id=row[0], box=int(row[1]), due=date.fromisoformat(row[2]), history=history)


def _local_now() -> datetime:
    return datetime.now().astimezone()


class Deck:
    """The drill cards at ``db_path``, kept in step with the log at ``log_path``."""

    def __init__(self, db_path: Path, log_path: Path, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self.busy_timeout = busy_timeout
        self._prepare_file()
        with self._transaction() as db:
            self._sync(db)

    @classmethod
    def open(cls) -> Deck:
        """The user's deck (in ``$COACHSIM_HOME``). Raises DeckUnavailable or SaveError (one line)."""
        return cls(locations.progress_db_path(), drills_log_path())

    # -- the database ---------------------------------------------------------------------------

    def _unavailable(self, error: sqlite3.Error, doing: str) -> DeckUnavailable:
        code = result_code(error)
        if code in BUSY:
            return DeckUnavailable("the drill cards are busy (another coachsim is writing); try again")
        if code in CORRUPT:  # the progress index replaces the file
            return DeckUnavailable(
                f"{display_path(self.db_path)} is damaged; run `coachsim progress --rebuild` to replace it"
                f" (your drill answers are safe in {display_path(self.log_path)})"
            )
        return DeckUnavailable(
            f"cannot {doing} the drill cards in {display_path(self.db_path)}: {error}; your answers are"
            f" safe in {display_path(self.log_path)}"
        )

    def _prepare_file(self) -> None:
        """The folder (0700) and the database file (0600), as the progress index makes them."""
        try:
            ensure_private_dir(self.db_path.parent)
            create_private_file(self.db_path)
        except OSError as error:
            raise DeckUnavailable(
                f"cannot create {display_path(self.db_path)}: {os_reason(error)}; check that you may write"
                " to its folder"
            ) from None
        make_private(self.db_path)

    @contextmanager
    def _transaction(self, doing: str = "update") -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): one coachsim at a time syncs or records."""
        try:
            with connect(self.db_path, self.busy_timeout) as db:
                with suppress(sqlite3.OperationalError):
                    db.execute("PRAGMA journal_mode = WAL")
                with transaction(db):
                    yield db
        except sqlite3.Error as error:
            raise self._unavailable(error, doing) from None

    def _sync(self, db: sqlite3.Connection) -> None:
        """Replay the log into the table if the table does not hold every line of it, or was
        replayed by other scheduling rules."""
        for statement in _CREATE:
            db.execute(statement)
        lines = self._log_lines()
        stored = dict(db.execute("SELECT key, value FROM drill_meta").fetchall())
        if stored.get("log_lines") == len(lines) and stored.get("rules") == RULES:
            return
        cards = replay(entry for entry in map(parse_line, lines) if entry is not None)
        db.execute("DELETE FROM drill_cards")
        db.executemany(_UPSERT, [_row(card) for card in cards.values()])
        db.execute(_SET_LINES, (len(lines),))
        db.execute(_SET_RULES, (RULES,))

    # -- the log --------------------------------------------------------------------------------

    def _log_lines(self) -> list[str]:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise DeckUnavailable(f"cannot read {display_path(self.log_path)}: {os_reason(error)}") from None
        return [line for line in text.splitlines() if line.strip()]

    def _append(self, entry: LogEntry) -> None:
        """Add one line to the log and flush it to disk (a line cut short before is closed first)."""
        try:
            ensure_private_dir(self.log_path.parent)
            handle = os.open(self.log_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, PRIVATE_FILE_MODE)
            try:
                size = os.fstat(handle).st_size
                unfinished = size > 0 and os.pread(handle, 1, size - 1) != b"\n"
                os.write(handle, (("\n" if unfinished else "") + entry.to_line() + "\n").encode("utf-8"))
                os.fsync(handle)
            finally:
                os.close(handle)
        except OSError as error:
            raise save_error(self.log_path, error) from None

    def _log(self, entry: LogEntry, card: Card | None) -> None:
        """Append ``entry`` (the truth) then update the table to match, under one write lock."""
        with self._transaction() as db:
            self._sync(db)
            self._append(entry)
            if card is None:
                db.execute("DELETE FROM drill_cards WHERE id = ?", (entry.moment,))
            else:
                db.execute(_UPSERT, _row(card))
            count = db.execute("SELECT value FROM drill_meta WHERE key = 'log_lines'").fetchone()[0]
            db.execute(_SET_LINES, (count + 1,))

    # -- the API --------------------------------------------------------------------------------

    def cards(self) -> list[Card]:
        """Every card, soonest due first."""
        try:
            with connect(self.db_path, self.busy_timeout) as db:
                rows = db.execute("SELECT id, box, due, history FROM drill_cards").fetchall()
        except sqlite3.Error as error:
            raise self._unavailable(error, "read") from None
        return sorted((_card(r) for r in rows), key=lambda c: (c.due, c.id))

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards() if c.id == card_id), None)

    def record(self, moment_id: str, move: str, at: datetime | None = None, uncertain: bool = False) -> Card:
        """Schedule ``moment_id`` after a reply labelled ``move`` (``uncertain``: a guess, which
        holds the card) at ``at`` (default: now); returns the card as it now is. Raises
        CoachsimError for an unknown move, SaveError if the log cannot be written (nothing is
        recorded), DeckUnavailable if the table cannot (the log has it)."""
        when = at or _local_now()
        existing = self.card(moment_id) or new_card(moment_id, when.date())
        card = review(existing, move, when, uncertain)  # checks the move before anything is written
        self._log(LogEntry(moment_id, when, move, uncertain), card)
        return card

    def reset(self, card_id: str, at: datetime | None = None) -> None:
        """Forget one card (it comes back as new). Raises CoachsimError for an unknown id."""
        if self.card(card_id) is None:
            raise CoachsimError(f"no drill card '{card_id}'; `coachsim drill --list` shows the cards")
        self._log(LogEntry(card_id, at or _local_now(), RESET), None)

    def due_count(self, today: date | None = None) -> int:
        """How many cards are due on ``today`` (default: the local date) or before."""
        day = today or _local_now().date()
        return sum(1 for card in self.cards() if card.is_due(day))

    def session(
        self, moments: Sequence[Moment], n: int = SESSION_SIZE, today: date | None = None
    ) -> list[Moment]:
        """Up to ``n`` moments for today's drill: the due ones first (longest overdue first), then
        slips never drilled (in the order given: practice, then meetings), then pack moments never
        drilled. Cards not yet due are left out."""
        day = today or _local_now().date()
        cards = {card.id: card for card in self.cards()}
        unique = list({m.id: m for m in reversed(moments)}.values())[::-1]  # first of each id, in order
        due = sorted(
            (m for m in unique if m.id in cards and cards[m.id].is_due(day)),
            key=lambda m: (cards[m.id].due, m.id),
        )
        fresh = [m for m in unique if m.id not in cards]
        slips = [m for m in fresh if not m.from_pack]
        pack = [m for m in fresh if m.from_pack]
        return [*due, *slips, *pack][: max(n, 0)]
