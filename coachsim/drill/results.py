"""What the drill log says about the habit: the pass rate per week, and the moments that keep
coming back (slipped on more than once). Read from the cards' answer histories.

The pass rate is the share of answers with a sure label that were coaching replies. A feedback hold
counts in it (you answered, and not with the coaching question the moment pulls for); an uncertain
label does not (nobody knows what it was), and is counted apart as ``unsure``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from coachsim.drill.schedule import Card

#: Slips on one moment before it counts as one that keeps coming back.
RECURRING_SLIPS = 2


@dataclass(frozen=True)
class Week:
    """One ISO week of drill answers (``week`` like ``2026-W48``): ``answered`` with a sure label
    (the pass rate's denominator), ``passed`` of those, and ``unsure`` answers left out of both."""

    week: str
    answered: int
    passed: int
    unsure: int = 0

    @property
    def pass_rate(self) -> float:
        return self.passed / self.answered if self.answered else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "week": self.week,
            "answered": self.answered,
            "passed": self.passed,
            "unsure": self.unsure,
            "pass_rate": round(self.pass_rate, 3),
        }


def _week_of(at: str) -> str:
    year, week, _ = datetime.fromisoformat(at).isocalendar()
    return f"{year}-W{week:02d}"


def weekly_pass_rates(cards: Iterable[Card]) -> list[Week]:
    """Every week with a drill answer, oldest first: answers with a sure label, how many of those
    passed, and how many labels were unsure."""
    answered: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    unsure: Counter[str] = Counter()
    for card in cards:
        for answer in card.history:
            week = _week_of(answer.at)
            if answer.uncertain:
                unsure[week] += 1
                continue
            answered[week] += 1
            passed[week] += answer.outcome == "pass"
    weeks = sorted({*answered, *unsure})
    return [Week(week, answered[week], passed[week], unsure[week]) for week in weeks]


def slip_count(card: Card) -> int:
    """How many of ``card``'s answers slipped (holds are not slips)."""
    return sum(answer.outcome == "slip" for answer in card.history)


def recurring_moments(cards: Iterable[Card], limit: int = 5) -> list[tuple[Card, int]]:
    """The moments slipped on at least ``RECURRING_SLIPS`` times, most slips first, each with its
    slip count."""
    slipped = [(card, slip_count(card)) for card in cards]
    keep = [(card, slips) for card, slips in slipped if slips >= RECURRING_SLIPS]
    keep.sort(key=lambda pair: -pair[1])
    return keep[:limit]


def answer_days(cards: Iterable[Card]) -> set[date]:
    """The days with at least one drill answer, whatever its outcome (for the practice streak)."""
    return {datetime.fromisoformat(answer.at).date() for card in cards for answer in card.history}


def drill_progress(cards: list[Card], prompts: dict[str, str | None]) -> dict[str, object]:
    """``coachsim progress``'s drill part: ``{"weeks": [...], "recurring": [{"id", "prompt",
    "slips"}]}``; ``prompts`` maps a card id to its moment's line (None once its source is gone)."""
    return {
        "weeks": [week.to_dict() for week in weekly_pass_rates(cards)],
        "recurring": [
            {"id": card.id, "prompt": prompts.get(card.id), "slips": slips}
            for card, slips in recurring_moments(cards)
        ],
    }
