"""The drill screen (`coachsim drill`): a new user's home drills pack moments, each answer shows its
chip, evidence and verdict and moves its card; a saved slip comes first; no moments, one line."""

from __future__ import annotations

import pytest

from coachsim.drill.deck import Deck
from coachsim.tui.screens.drill import DrillScreen
from coachsim.tui.widgets.reply_input import ReplyInput
from tests.unit.test_drill_cmd import save_slip

from .conftest import flat, ready, screen_text, send, wait_until


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
        assert cards[second.id].box == 1 and cards[second.id].history[-1][1] == "telling"

        await pilot.press("n")
        await wait_until(pilot, lambda: "1 of 2 passed" in screen_text(app), "the summary")
        await pilot.press("escape")
    assert len(Deck.open().cards()) == 2


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
    assert card.id == slip and card.history[0][1] == "coaching"


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
