"""Practice trends from the progress index: per-session scores, lift per scenario, streak."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coachsim.progress.index import SessionRecord


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


def streak_days(records: list[SessionRecord], today: date) -> int:
    """Consecutive days with practice, ending today (or yesterday, if not yet today)."""
    days = {d for r in records if (d := _day(r)) is not None}
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


def trends(records: list[SessionRecord], today: date) -> dict[str, Any]:
    """Everything ``coachsim progress`` shows, JSON-ready."""
    return {
        "sessions": [{**asdict(r), "coaching_share": round(r.coaching_share, 3)} for r in records],
        "streak_days": streak_days(records, today),
        "lift": [{**asdict(lift), "lift": lift.lift} for lift in lifts(records)],
    }
