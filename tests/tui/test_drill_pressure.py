"""``coachsim drill --pressure``: each moment's countdown, the speaker pushing at zero (the push is
context for the reply's label), and a reply typed by zero sent and scored."""

from __future__ import annotations

import pytest

from coachsim.drill.deck import Deck
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.countdown import Countdown

from .conftest import fixed_app, flat, screen_text, type_keys, wait_until
from .test_drill import drilling
from .test_pressure import HandClock

SECONDS = 15


def left(app) -> int | None:
    countdown = app.screen.query_one(Countdown)
    return countdown.left if countdown.display else None


async def test_a_drill_moment_on_the_clock_pushes_then_takes_what_was_typed(make_app) -> None:
    clock = HandClock()
    app = make_app(start="drill", drill_count=2, clock=clock, pressure=SECONDS)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await drilling(app, pilot)
        await wait_until(pilot, lambda: left(app) == SECONDS, "the countdown")
        assert f"{SECONDS} s left" in screen_text(app)
        first = screen.moments[0]

        clock.advance(SECONDS + 0.5)
        await wait_until(pilot, lambda: screen.query(ReportLine).filter(".pressed"), "the speaker pushes")
        assert screen.pushes and flat(screen.pushes[0])[:30] in flat(screen_text(app))
        await wait_until(pilot, lambda: left(app) == SECONDS, "the clock restarts")

        box = screen.query_one("#reply")
        type_keys(app, "What do you think")
        await wait_until(pilot, lambda: box.text == "What do you think", "typed, not sent")
        clock.advance(SECONDS + 0.5)
        await wait_until(
            pilot, lambda: any(i.analysis for i in screen.query(ReplyItem)), "sent by the clock, labelled"
        )
        item = screen.query_one(ReplyItem)
        assert item.timed_out and item.text == "What do you think"
        await wait_until(
            pilot, lambda: "back in" in screen_text(app) or "back tomorrow" in screen_text(app), "the verdict"
        )
        card = {c.id: c for c in Deck.open().cards()}[first.id]
        assert card.history[-1].move == item.analysis.move
        assert left(app) is None  # no clock while the verdict is up


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_drill_under_pressure(snap_compare, make_app, fixed_home, size) -> None:
    clock = HandClock()

    async def play(pilot) -> None:
        app = pilot.app
        screen = await drilling(app, pilot)
        await wait_until(pilot, lambda: left(app) == SECONDS, "the countdown")
        clock.advance(SECONDS + 0.5)
        await wait_until(pilot, lambda: screen.query(ReportLine).filter(".pressed"), "a push")
        clock.advance(SECONDS - 4)
        await wait_until(pilot, lambda: left(app) == 4, "4 s left")

    app = fixed_app(make_app, start="drill", drill_count=3, clock=clock, pressure=SECONDS)
    assert snap_compare(app, terminal_size=size, run_before=play)
