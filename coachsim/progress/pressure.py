"""Your move mix with and without pressure mode, over every saved practice session.

People regress to telling when the pressure is on; this is the number that shows whether they do.
Sessions with no labelled reply count for neither side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from coachsim.classify.moves import MOVES
from coachsim.progress.index import IndexUnavailable, ProgressIndex, SessionRecord


@dataclass(frozen=True)
class Mix:
    """The summed move counts of some sessions."""

    sessions: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MOVES, 0))

    @property
    def replies(self) -> int:
        return sum(self.counts.values())

    def share(self, move: str) -> float:
        return self.counts.get(move, 0) / self.replies if self.replies else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "replies": self.replies,
            "counts": dict(self.counts),
            "coaching_share": round(self.share("coaching"), 3),
            "telling_share": round(self.share("telling"), 3),
        }


@dataclass(frozen=True)
class PressureComparison:
    pressed: Mix
    unpressed: Mix

    @property
    def comparable(self) -> bool:
        """Both sides have replies: there is something to compare."""
        return self.pressed.replies > 0 and self.unpressed.replies > 0

    def to_dict(self) -> dict[str, Any]:
        return {"with_pressure": self.pressed.to_dict(), "without_pressure": self.unpressed.to_dict()}


def _add(mix: Mix, record: SessionRecord) -> Mix:
    counts: dict[str, int] = {move: mix.counts.get(move, 0) + record.counts.get(move, 0) for move in MOVES}
    return Mix(sessions=mix.sessions + 1, counts=counts)


def compare_pressure(records: Iterable[SessionRecord]) -> PressureComparison:
    """Sum the sessions played under pressure and those played without."""
    pressed, unpressed = Mix(), Mix()
    for record in records:
        if record.replies == 0:
            continue
        if record.pressure_s:
            pressed = _add(pressed, record)
        else:
            unpressed = _add(unpressed, record)
    return PressureComparison(pressed, unpressed)


def comparison_line(comparison: PressureComparison) -> str | None:
    """One sentence for the scorecard and ``coachsim progress``, or None with nothing to compare."""
    pressed, unpressed = comparison.pressed, comparison.unpressed
    if not comparison.comparable:
        return None

    def side(mix: Mix) -> str:
        sessions = f"{mix.sessions} session{'s' if mix.sessions != 1 else ''}"
        return (
            f"coaching {mix.share('coaching'):.0%}, telling {mix.share('telling'):.0%}"
            f" ({mix.replies} replies, {sessions})"
        )

    return f"Under pressure: {side(pressed)} · without: {side(unpressed)}"


def history_comparison(index: ProgressIndex | None = None) -> PressureComparison | None:
    """The comparison over every session in the progress index (default: the user's), or None
    when the index cannot be read: the scorecard then simply leaves the line out."""
    from coachsim.practice import open_index  # deferred: the index opens a database

    try:
        return compare_pressure((index or open_index()).sessions())
    except IndexUnavailable:
        return None
