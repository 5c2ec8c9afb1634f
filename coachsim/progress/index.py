"""SQLite index of practice sessions (stdlib ``sqlite3``).

The transcripts are the source of truth; the index only makes the picker, "best
result" and ``coachsim progress`` fast. A missing or corrupt index is rebuilt from
the transcript files.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from coachsim.errors import DataFileError
from coachsim.transcript.model import Transcript
from coachsim.transcript.store import load_transcript

SCHEMA_VERSION = 1
_CREATE = """
CREATE TABLE IF NOT EXISTS sessions (
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
    summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_scenario ON sessions (scenario, started_at);
"""


@dataclass(frozen=True)
class SessionRecord:
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
    goal = summary.get("goal_met")
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
        len(summary.get("regressions", [])),
        summary.get("turns_to_first_telling"),
        None if goal is None else int(bool(goal)),
        json.dumps(summary),
    )


def _record(r: tuple) -> SessionRecord:
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
    )


class ProgressIndex:
    """Open (creating or rebuilding as needed) the index at ``db_path`` for ``transcripts_dir``."""

    def __init__(self, db_path: Path, transcripts_dir: Path) -> None:
        self.db_path = db_path
        self.transcripts_dir = transcripts_dir
        self.rebuilt = False
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if not self._healthy():
            self.rebuild()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=5)

    def _healthy(self) -> bool:
        if not self.db_path.exists():
            return False
        try:
            with closing(self._connect()) as db:
                ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                version = db.execute("PRAGMA user_version").fetchone()[0]
                db.execute("SELECT count(*) FROM sessions").fetchone()
                return ok and version == SCHEMA_VERSION
        except sqlite3.DatabaseError:
            return False

    def rebuild(self) -> int:
        """Recreate the index from every transcript file; returns how many were indexed."""
        for suffix in ("", "-journal", "-wal"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
        rows = []
        for path in sorted(self.transcripts_dir.glob("*.json")) if self.transcripts_dir.is_dir() else []:
            try:
                rows.append(_row(load_transcript(path), path))
            except DataFileError:
                continue  # a damaged transcript is skipped, not fatal
        with closing(self._connect()) as db, db:
            db.executescript(_CREATE)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.executemany(f"INSERT OR REPLACE INTO sessions VALUES ({','.join('?' * 15)})", rows)
        self.rebuilt = True
        return len(rows)

    def record(self, transcript: Transcript, path: Path) -> None:
        """Insert or update the row for one transcript file."""
        try:
            with closing(self._connect()) as db, db:
                db.execute(
                    f"INSERT OR REPLACE INTO sessions VALUES ({','.join('?' * 15)})", _row(transcript, path)
                )
        except sqlite3.DatabaseError:
            self.rebuild()

    def sessions(self, scenario: str | None = None) -> list[SessionRecord]:
        """Sessions, oldest first (optionally for one scenario)."""
        query = (
            "SELECT path, scenario, started_at, ended_at, status, ending, replies, coaching, feedback,"
            " mentoring, telling, regressions, turns_to_first_telling, goal_met FROM sessions"
        )
        params: Iterable = ()
        if scenario is not None:
            query += " WHERE scenario = ?"
            params = (scenario,)
        try:
            with closing(self._connect()) as db:
                rows = db.execute(query + " ORDER BY started_at, path", tuple(params)).fetchall()
        except sqlite3.DatabaseError:
            self.rebuild()
            return self.sessions(scenario)
        return [_record(r) for r in rows]

    def best(self, scenario: str) -> SessionRecord | None:
        """Best finished session of a scenario: goal met, then coaching share, then fewest regressions."""
        finished = [s for s in self.sessions(scenario) if s.status == "finished" and s.replies]
        if not finished:
            return None
        return max(finished, key=lambda s: (bool(s.goal_met), s.coaching_share, -s.regressions))
