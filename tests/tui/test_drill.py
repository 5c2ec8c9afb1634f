"""The drill screen (`coachsim drill`): a new user's home drills pack moments, each answer shows its
chip, evidence and verdict (pass, slip, hold, unsure) and moves its card; F4 skips a moment without
recording it; a saved slip comes first; no moments, one line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coachsim.drill.deck import Deck, drills_log_path
from coachsim.drill.schedule import Card, review
from coachsim.tui.screens.drill import DrillScreen, verdict_text
from coachsim.tui.widgets.reply_input import ReplyInput
from tests.unit.test_drill_cmd import save_slip

from .conftest import flat, ready, screen_text, send, type_keys, wait_until


async def drilling(app, pilot) -> DrillScreen:
    await ready(app, pilot)
    await wait_until(pilot, lambda: isinstance(app.screen, DrillScreen), "the drill screen")
    screen = app.screen
    assert isinstance(screen, DrillScreen)
    await wait_until(pilot, lambda: screen.moments is not None, "the session built")
    return screen


async def next_moment(app, pilot, number: int, total: int) -> None:
    await pilot.press("enter")
    await wait_until(pilot, lambda: f"Moment {number} of {total}" in screen_text(app), f"moment {number}")


async def test_a_new_user_drills_pack_moments_and_each_card_moves(make_app) -> None:
    app = make_app(start="drill", drill_count=2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await drilling(app, pilot)
        assert screen.moments is not None and all(m.from_pack for m in screen.moments)
        first = screen.moments[0]
        shown = flat(screen_text(app))
        assert "Moment 1 of 2" in shown and first.persona in shown
        assert flat(first.prompt)[:40] in shown

        item = await send(app, pilot, "What's the real challenge here for you?")
        assert item.analysis is not None and item.analysis.move == "coaching" and item.expanded
        await wait_until(pilot, lambda: "pass — back in 3 days" in screen_text(app), "the verdict")
        assert "COACHING" in screen_text(app)
        cards = {c.id: c for c in Deck.open().cards()}
        assert cards[first.id].box == 2

        await next_moment(app, pilot, 2, 2)
        second = screen.moments[1]
        assert "pass —" not in screen_text(app)
        item = await send(app, pilot, "Just go with version B and send it today.")
        assert item.analysis is not None and item.analysis.move == "telling"
        await wait_until(pilot, lambda: "slip — back tomorrow" in screen_text(app), "the slip")
        assert "TELLING" in screen_text(app)
        cards = {c.id: c for c in Deck.open().cards()}
        assert cards[second.id].box == 1 and cards[second.id].history[-1].move == "telling"

        await pilot.press("n")
        await wait_until(pilot, lambda: "1 of 2 passed" in screen_text(app), "the summary")
        await pilot.press("escape")
    assert len(Deck.open().cards()) == 2


async def test_f4_skips_a_moment_without_recording_it_and_the_summary_counts_it(make_app) -> None:
    app = make_app(start="drill", drill_count=2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await drilling(app, pilot)
        assert screen.moments is not None
        first, second = screen.moments
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box focused")
        assert "f4 Skip" in screen_text(app)  # the footer names the key
        box = screen.query_one(ReplyInput)
        type_keys(app, "What")
        await wait_until(pilot, lambda: box.text == "What", "a draft typed")
        await pilot.press("f4")
        await wait_until(pilot, lambda: "Moment 2 of 2" in screen_text(app), "the second moment")
        shown = flat(screen_text(app))
        assert flat(second.prompt)[:40] in shown and flat(first.prompt)[:40] not in shown
        assert box.text == ""  # the draft was for the skipped moment
        assert Deck.open().cards() == [] and not drills_log_path().exists()

        await send(app, pilot, "What's the real challenge here for you?")
        await wait_until(pilot, lambda: "pass — back in 3 days" in screen_text(app), "the verdict")
        assert "f4 Skip" not in screen_text(app)  # an answered moment is not skipped
        await pilot.press("f4")  # does nothing once answered
        await pilot.pause()
        assert "Moment 2 of 2" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "skipped" in screen_text(app), "the summary")
        assert "1 of 2 passed · 1 skipped" in screen_text(app) and box.disabled
    [card] = Deck.open().cards()
    assert card.id == second.id
    assert first.id not in drills_log_path().read_text(encoding="utf-8")


async def test_skipping_the_last_moment_ends_the_drill_with_nothing_recorded(make_app) -> None:
    app = make_app(start="drill", drill_count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await drilling(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box focused")
        await pilot.press("f4")
        await wait_until(pilot, lambda: "0 of 1 passed · 1 skipped" in screen_text(app), "the summary")
        assert screen.query_one(ReplyInput).disabled and "f4 Skip" not in screen_text(app)
    assert Deck.open().cards() == []


@pytest.mark.parametrize(
    ("move", "uncertain", "said"),
    [
        ("feedback", False, "hold — not a slip, but not a coaching question; back tomorrow"),
        ("coaching", True, "unsure of the label — back tomorrow"),
        ("telling", False, "slip — back tomorrow"),
    ],
)
def test_the_verdict_on_screen_says_hold_and_unsure_as_the_plain_drill_does(
    move: str, uncertain: bool, said: str
) -> None:
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    card = review(Card("m1", box=3, due=at.date()), move, at, uncertain)
    assert verdict_text(card, at.date()).plain == said + "   Enter: next"


async def test_a_saved_slip_is_the_first_moment(make_app) -> None:
    slip = save_slip()
    app = make_app(start="drill", drill_count=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await drilling(app, pilot)
        assert screen.moments is not None and screen.moments[0].id == slip
        await wait_until(pilot, lambda: "Just tell me." in screen_text(app), "the slip's line")
        assert "Moment 1 of 3" in screen_text(app)
        await send(app, pilot, "What would you like to do?")
        await wait_until(pilot, lambda: "pass — back" in screen_text(app), "the verdict")
        await pilot.press("escape")  # quit part way: the answer is already recorded
    [card] = Deck.open().cards()
    assert card.id == slip and card.history[0].move == "coaching"


async def test_quitting_before_answering_records_nothing(make_app) -> None:
    app = make_app(start="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await drilling(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box focused")
        await pilot.press("ctrl+q")
    assert Deck.open().cards() == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_no_moments_is_one_clear_line(make_app, monkeypatch, size) -> None:
    from coachsim.drill import moments

    monkeypatch.setattr(moments, "known_moments", lambda *_: [])
    app = make_app(start="drill")
    async with app.run_test(size=size) as pilot:
        screen = await drilling(app, pilot)
        assert screen.moments == []
        assert "Nothing to drill today" in screen_text(app)
        assert screen.query_one(ReplyInput).disabled
