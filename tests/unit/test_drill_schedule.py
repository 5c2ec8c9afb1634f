"""Leitner scheduling of drill cards, on a fixed clock: pass, slip and hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from coachsim.drill.schedule import (
    INTERVALS,
    Answer,
    Card,
    new_card,
    outcome,
    passes,
    review,
    session_summary,
    verdict,
)
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
    assert slipped.history == (Answer("2026-03-02T09:30:00+00:00", "telling"),)
    assert slipped.history[0].outcome == "slip" and not slipped.history[0].uncertain
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


@pytest.mark.parametrize(
    ("move", "uncertain", "expected"),
    [
        ("coaching", False, "pass"),
        ("telling", False, "slip"),
        ("mentoring", False, "slip"),
        ("feedback", False, "hold"),
        ("coaching", True, "hold"),
        ("telling", True, "hold"),
        ("feedback", True, "hold"),
    ],
)
def test_coaching_passes_telling_and_mentoring_slip_feedback_and_unsure_labels_hold(
    move: str, uncertain: bool, expected: str
) -> None:
    assert outcome(move, uncertain) == expected


def test_a_feedback_reply_keeps_the_box_and_comes_back_tomorrow() -> None:
    card = Card("abc", box=3, due=MONDAY.date())
    held = review(card, "feedback", MONDAY)
    assert (held.box, held.due) == (3, date(2026, 3, 3))
    assert held.history == (Answer("2026-03-02T09:30:00+00:00", "feedback"),)
    new = review(new_card("abc", MONDAY.date()), "feedback", MONDAY)
    assert (new.box, new.due) == (1, date(2026, 3, 3))


def test_an_uncertain_label_neither_promotes_nor_demotes() -> None:
    card = Card("abc", box=3, due=MONDAY.date())
    unsure_pass = review(card, "coaching", MONDAY, uncertain=True)
    unsure_slip = review(card, "telling", MONDAY, uncertain=True)
    assert (unsure_pass.box, unsure_pass.due) == (3, date(2026, 3, 3))
    assert (unsure_slip.box, unsure_slip.due) == (3, date(2026, 3, 3))
    assert unsure_slip.history[-1] == Answer("2026-03-02T09:30:00+00:00", "telling", True)


def test_the_verdict_says_what_happened_and_when_the_moment_comes_back() -> None:
    def said(move: str, uncertain: bool = False, box: int = 1) -> str:
        card = review(Card("abc", box=box, due=MONDAY.date()), move, MONDAY, uncertain)
        head, rest = verdict(card.history[-1], card, MONDAY.date())
        return f"{head} — {rest}"

    assert said("coaching") == "pass — back in 3 days"
    assert said("mentoring", box=4) == "slip — back tomorrow"
    assert said("feedback", box=4) == "hold — not a slip, but not a coaching question; back tomorrow"
    assert said("coaching", uncertain=True) == "unsure of the label — back tomorrow"


def test_the_session_summary_leaves_out_zero_counts() -> None:
    assert session_summary(2, 5) == "2 of 5 passed"
    assert session_summary(1, 5, held=2, skipped=1) == "1 of 5 passed · 2 held · 1 skipped"
