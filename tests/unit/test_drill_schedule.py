"""Leitner scheduling of drill cards, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from coachsim.drill.schedule import INTERVALS, Card, new_card, passes, review
from coachsim.errors import CoachsimError

MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_a_new_card_is_in_box_one_and_due_the_day_it_is_made() -> None:
    card = new_card("abc", MONDAY.date())
    assert (card.box, card.due, card.history) == (1, date(2026, 3, 2), ())
    assert card.is_due(MONDAY.date())


def test_a_slip_comes_back_tomorrow_in_box_one() -> None:
    card = Card("abc", box=4, due=MONDAY.date())
    slipped = review(card, "telling", MONDAY)
    assert (slipped.box, slipped.due) == (1, date(2026, 3, 3))
    assert slipped.history == (("2026-03-02T09:30:00+00:00", "telling"),)
    assert not slipped.is_due(MONDAY.date()) and slipped.is_due(date(2026, 3, 3))


def test_passes_climb_the_boxes_days_then_weeks_and_stop_at_box_five() -> None:
    card, at, seen = new_card("abc", MONDAY.date()), MONDAY, []
    for _ in range(6):
        card = review(card, "coaching", at)
        seen.append((card.box, (card.due - at.date()).days))
        at = datetime.combine(card.due, at.timetz())
    assert seen == [(2, 3), (3, 7), (4, 14), (5, 30), (5, 30), (5, 30)]
    assert INTERVALS == (1, 3, 7, 14, 30)
    assert len(card.history) == 6


def test_a_slip_after_passes_starts_again_and_a_pass_then_climbs_again() -> None:
    card = review(review(new_card("abc", MONDAY.date()), "coaching", MONDAY), "coaching", MONDAY)
    assert card.box == 3
    card = review(card, "mentoring", MONDAY + timedelta(days=7))
    assert (card.box, card.due) == (1, date(2026, 3, 10))
    card = review(card, "coaching", MONDAY + timedelta(days=8))
    assert (card.box, card.due) == (2, date(2026, 3, 13))


@pytest.mark.parametrize(
    ("move", "passed"), [("coaching", True), ("feedback", False), ("mentoring", False), ("telling", False)]
)
def test_only_a_coaching_reply_passes(move: str, passed: bool) -> None:
    assert passes(move) is passed


def test_an_unknown_move_is_one_line_error() -> None:
    with pytest.raises(CoachsimError, match="'shouting' is not a move"):
        review(new_card("abc", MONDAY.date()), "shouting", MONDAY)
