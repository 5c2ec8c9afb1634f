"""Drill results for progress: pass rate per ISO week, and the moments that keep coming back."""

from __future__ import annotations

from datetime import date

from coachsim.drill.results import answer_days, recurring_moments, weekly_pass_rates
from coachsim.drill.schedule import Answer, Card


def card(card_id: str, *answers: tuple[str, str] | tuple[str, str, bool]) -> Card:
    return Card(card_id, 1, date(2026, 3, 10), tuple(Answer(*a) for a in answers))


def test_pass_rate_per_iso_week_counts_every_answer() -> None:
    cards = [
        card("a", ("2026-03-02T09:00:00+00:00", "telling"), ("2026-03-03T09:00:00+00:00", "coaching")),
        card("b", ("2026-03-08T21:00:00+00:00", "coaching"), ("2026-03-09T09:00:00+00:00", "mentoring")),
    ]
    weeks = [w.to_dict() for w in weekly_pass_rates(cards)]
    # 2 March 2026 is a Monday: the 2nd, 3rd and 8th are week 10, the 9th starts week 11.
    assert weeks == [
        {"week": "2026-W10", "answered": 3, "passed": 2, "unsure": 0, "pass_rate": 0.667},
        {"week": "2026-W11", "answered": 1, "passed": 0, "unsure": 0, "pass_rate": 0.0},
    ]
    assert weekly_pass_rates([]) == []


def test_moments_slipped_twice_or_more_keep_coming_back_most_slips_first() -> None:
    once = card("once", ("2026-03-02T09:00:00+00:00", "telling"), ("2026-03-03T09:00:00+00:00", "coaching"))
    twice = card(
        "twice", ("2026-03-02T09:00:00+00:00", "telling"), ("2026-03-03T09:00:00+00:00", "mentoring")
    )
    thrice = card(
        "thrice",
        ("2026-03-02T09:00:00+00:00", "telling"),
        ("2026-03-03T09:00:00+00:00", "mentoring"),
        ("2026-03-04T09:00:00+00:00", "telling"),
    )
    assert [(c.id, n) for c, n in recurring_moments([once, twice, thrice])] == [("thrice", 3), ("twice", 2)]
    assert recurring_moments([once]) == []


def test_a_feedback_hold_counts_as_an_answer_that_did_not_pass_and_an_unsure_label_is_left_out() -> None:
    cards = [
        card(
            "a",
            ("2026-03-02T09:00:00+00:00", "coaching"),
            ("2026-03-03T09:00:00+00:00", "feedback"),
            ("2026-03-04T09:00:00+00:00", "coaching", True),
            ("2026-03-05T09:00:00+00:00", "telling", True),
        ),
        card("b", ("2026-03-10T09:00:00+00:00", "telling", True)),
    ]
    weeks = [w.to_dict() for w in weekly_pass_rates(cards)]
    assert weeks == [
        {"week": "2026-W10", "answered": 2, "passed": 1, "unsure": 2, "pass_rate": 0.5},
        {"week": "2026-W11", "answered": 0, "passed": 0, "unsure": 1, "pass_rate": 0.0},
    ]
    assert len(answer_days(cards)) == 5  # every answer is a day of practice, whatever its outcome


def test_holds_are_not_slips_for_the_moments_that_keep_coming_back() -> None:
    held = card(
        "held",
        ("2026-03-02T09:00:00+00:00", "telling"),
        ("2026-03-03T09:00:00+00:00", "feedback"),
        ("2026-03-04T09:00:00+00:00", "mentoring", True),
    )
    assert recurring_moments([held]) == []
