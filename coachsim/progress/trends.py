"""Practice trends from the progress index: per-session scores, reviewed meetings, a timeline of
coaching share and regressions, lift per scenario, streak."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from coachsim.progress.index import SessionRecord
from coachsim.progress.reviews import MeetingRecord

Kind = Literal["practice", "meeting"]


@dataclass(frozen=True)
class TimelinePoint:
    """One conversation on the chart: a practice session (``label`` is the scenario id) or a reviewed
    meeting (``label`` is the file name), at its start or review time."""

    kind: Kind
    at: str
    label: str
    coaching_share: float
    regressions: int
    unfinished: bool = False


@dataclass(frozen=True)
class ScenarioLift:
    scenario: str
    sessions: int
    first_coaching_share: float
    best_coaching_share: float

    @property
    def lift(self) -> float:
        return round(self.best_coaching_share - self.first_coaching_share, 3)


def _day(record: SessionRecord) -> date | None:
    try:
        return datetime.fromisoformat(record.started_at).date()
    except ValueError:
        return None


def streak_days(records: list[SessionRecord], today: date, also: Iterable[date] = ()) -> int:
    """Consecutive days with practice (sessions, and the days in ``also``, e.g. drill answers),
    ending today (or yesterday, if not yet today)."""
    days = {d for r in records if (d := _day(r)) is not None} | set(also)
    current = today if today in days else today - timedelta(days=1)
    count = 0
    while current in days:
        count += 1
        current -= timedelta(days=1)
    return count


def lifts(records: list[SessionRecord]) -> list[ScenarioLift]:
    """First versus best coaching share for each scenario practised (finished sessions)."""
    by_scenario: dict[str, list[SessionRecord]] = {}
    for record in records:
        if record.scenario and record.replies and record.status == "finished":
            by_scenario.setdefault(record.scenario, []).append(record)
    return [
        ScenarioLift(
            name, len(rs), round(rs[0].coaching_share, 3), round(max(r.coaching_share for r in rs), 3)
        )
        for name, rs in sorted(by_scenario.items())
    ]


def _instant(stamp: str) -> datetime:
    """``stamp`` as an aware time for ordering (naive means UTC; unreadable sorts first)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def timeline(records: list[SessionRecord], meetings: list[MeetingRecord]) -> list[TimelinePoint]:
    """Practice sessions with replies and reviewed meetings, in date order."""
    points = [
        TimelinePoint(
            "practice",
            r.started_at,
            r.scenario or "imported",
            round(r.coaching_share, 3),
            r.regressions,
            r.status != "finished",
        )
        for r in records
        if r.replies
    ] + [
        TimelinePoint(
            "meeting", m.reviewed_at, Path(m.source).name, round(m.coaching_share, 3), len(m.regressions)
        )
        for m in meetings
        if m.replies
    ]
    return sorted(points, key=lambda p: (_instant(p.at), p.kind, p.label))


def session_entry(record: SessionRecord) -> dict[str, Any]:
    """A session for JSON: an unfinished one has ``goal_met`` null whatever its summary says."""
    return {
        **asdict(record),
        "kind": "practice",
        "goal_met": record.goal_met if record.status == "finished" else None,
        "coaching_share": round(record.coaching_share, 3),
    }


def meeting_entry(record: MeetingRecord) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "source": record.source,
        "manager": record.manager,
        "reviewed_at": record.reviewed_at,
        "replies": record.replies,
        "relabelled": record.relabelled,
        "counts": record.counts,
        "coaching_share": round(record.coaching_share, 3),
        "regressions": len(record.regressions),
        "regression_replies": record.regressions,
    }


def trends(
    records: list[SessionRecord], today: date, meetings: Sequence[MeetingRecord] = ()
) -> dict[str, Any]:
    """Everything ``coachsim progress`` shows, JSON-ready."""
    return {
        "sessions": [session_entry(r) for r in records],
        "meetings": [meeting_entry(m) for m in meetings],
        "timeline": [asdict(p) for p in timeline(records, list(meetings))],
        "streak_days": streak_days(records, today),
        "lift": [{**asdict(lift), "lift": lift.lift} for lift in lifts(records)],
    }
