"""Pressure mode in the practice app: the countdown, the report pushing at zero, nothing lost.

The reply clock reads a clock the test moves by hand, so no test waits on real time: each moves
the clock, then waits until the screen shows what follows.
"""

from __future__ import annotations

import json

import pytest

from coachsim import locations
from coachsim.tui.screens.dialogs import ConfirmEnd
from coachsim.tui.screens.practice import PracticeScreen
from coachsim.tui.screens.scorecard import ScorecardScreen
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.countdown import Countdown
from coachsim.tui.widgets.reply_input import ReplyInput

from .conftest import fixed_app, flat, practising, screen_text, send, type_keys, wait_until

SECONDS = 20


class HandClock:
    """Stands still until the test moves it."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def saved() -> dict:
    (path,) = sorted(locations.transcripts_dir().glob("*.json"))
    return json.loads(path.read_text())


def countdown(app) -> Countdown:
    return app.screen.query_one(Countdown)


def shows_left(app, seconds: int) -> bool:
    return countdown(app).left == seconds and f"{seconds} s left" in screen_text(app)


async def test_the_countdown_runs_from_the_reports_line(make_app) -> None:
    clock = HandClock()
    async with practising(make_app, "just-tell-me", clock=clock, pressure=SECONDS) as (app, pilot):
        await wait_until(pilot, lambda: shows_left(app, SECONDS), "a full countdown on screen")
        clock.advance(15.2)
        await wait_until(pilot, lambda: shows_left(app, 5), "5 s left")
        assert countdown(app).has_class("-low")  # red from 5 s
        assert saved()["pressure_s"] == SECONDS


async def test_default_seconds_come_from_the_difficulty(make_app) -> None:
    from coachsim.scenario.pressure import seconds_for

    async with practising(make_app, "just-tell-me", clock=HandClock(), pressure=0) as (app, pilot):
        scenario = app.catalog.get("just-tell-me").scenario
        expected = seconds_for(scenario)
        await wait_until(pilot, lambda: shows_left(app, expected), f"{expected} s, the scenario's default")


async def test_at_zero_with_nothing_typed_the_report_pushes_and_the_clock_restarts(make_app) -> None:
    clock = HandClock()
    async with practising(make_app, "just-tell-me", clock=clock, pressure=SECONDS) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        opening = screen.run.session.transcript_data.turns[0].text
        clock.advance(SECONDS + 0.5)
        await wait_until(pilot, lambda: screen.query(ReportLine).filter(".pressed"), "the report pushes")
        push = saved()["turns"][-1]
        assert push["speaker"] == "report" and push["pressed"] is True
        assert push["text"].endswith(opening)  # a pull beat: the first push repeats the pull
        assert flat(push["text"][:20]) in flat(screen_text(app))
        await wait_until(pilot, lambda: shows_left(app, SECONDS), "the clock started again")

        clock.advance(SECONDS + 0.5)  # still nothing: a harder push, not the same line
        await wait_until(pilot, lambda: len(screen.query(ReportLine).filter(".pressed")) == 2, "pushed again")
        second = saved()["turns"][-1]
        assert second["pressed"] is True and second["text"] != push["text"]
        assert not screen.query(ReplyItem)  # no reply was made up

        reply = await send(app, pilot, "What's on your mind?")  # the reply answers the same beat
        assert reply.analysis.move == "coaching" and not reply.timed_out


async def test_what_is_typed_at_zero_is_sent_and_labelled(make_app) -> None:
    clock = HandClock()
    text = "Just go with version B"
    async with practising(make_app, "just-tell-me", clock=clock, pressure=SECONDS) as (app, pilot):
        screen = app.screen
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box has focus")
        box = app.focused
        type_keys(app, text)
        await wait_until(pilot, lambda: box.text == text, "the reply typed, not sent")
        clock.advance(SECONDS + 0.5)

        def labelled() -> bool:
            items = list(screen.query(ReplyItem))
            return len(items) == 1 and items[0].analysis is not None

        def saved_labelled() -> bool:
            return any(t["speaker"] == "manager" and "move" in t for t in saved()["turns"])

        await wait_until(pilot, labelled, "the typed reply sent by the clock and labelled")
        # the chip is drawn first, and the turn saved once its frame is out
        await wait_until(pilot, saved_labelled, "the labelled turn saved")
        item = screen.query_one(ReplyItem)
        assert item.text == text and item.timed_out and item.analysis.move == "telling"
        assert box.text == ""
        assert "sent by the clock at 0 s" in flat(screen_text(app)) and "TELLING" in screen_text(app)
        manager = [t for t in saved()["turns"] if t["speaker"] == "manager"]
        assert len(manager) == 1  # sent once, and the held copy replaced by the labelled turn
        assert manager[0]["text"] == text and manager[0]["timed_out"] is True
        assert manager[0]["move"] == "telling"
        assert not screen.query(ReportLine).filter(".pressed")  # a reply was sent: no push
        await wait_until(pilot, lambda: shows_left(app, SECONDS), "a fresh countdown for the next reply")


async def test_the_clock_pauses_behind_a_dialog(make_app) -> None:
    clock = HandClock()
    async with practising(make_app, "just-tell-me", clock=clock, pressure=SECONDS) as (app, pilot):
        screen = app.screen
        clock.advance(5)
        await wait_until(pilot, lambda: shows_left(app, SECONDS - 5), "15 s left")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "are you sure?")
        await wait_until(pilot, lambda: screen.reply_clock.paused_at is not None, "the clock paused")
        clock.advance(60)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen, "back to the conversation")
        await wait_until(pilot, lambda: shows_left(app, SECONDS - 5), "still 15 s left")
        assert not screen.query(ReportLine).filter(".pressed")


async def test_the_scorecard_compares_pressure_with_your_history(make_app) -> None:
    async with practising(make_app, "just-tell-me", clock=HandClock()) as (app, pilot):  # no pressure
        await send(app, pilot, "What's on your mind?")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "are you sure?")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
        assert "Under pressure" not in screen_text(app)  # nothing to compare yet
    clock = HandClock()
    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me", clock=clock, pressure=SECONDS)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: shows_left(app, SECONDS), "the countdown")
        await send(app, pilot, "Just go with version B.")
        clock.advance(SECONDS + 0.5)
        await wait_until(pilot, lambda: app.screen.query(ReportLine).filter(".pressed"), "a push")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "are you sure?")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
        body = flat(screen_text(app))
        assert f"Pressure {SECONDS} s a reply · 0 sent by the clock · pushed 1 time" in body
        assert "Under pressure: coaching 0%, telling 100% (1 replies, 1 session)" in body
        assert "without: coaching 100%, telling 0% (1 replies, 1 session)" in body


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_under_pressure(snap_compare, make_app, fixed_home, size) -> None:
    """A reply, a push after the clock ran out, and the countdown low, at both sizes."""
    clock = HandClock()

    async def play(pilot) -> None:
        app = pilot.app
        await wait_until(pilot, lambda: app.load_state.settled and shows_left(app, SECONDS), "the countdown")
        await send(app, pilot, "What's on your mind?")
        clock.advance(SECONDS + 0.5)
        await wait_until(pilot, lambda: app.screen.query(ReportLine).filter(".pressed"), "a push")
        clock.advance(SECONDS - 3)
        await wait_until(pilot, lambda: shows_left(app, 3), "3 s left")

    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me", clock=clock, pressure=SECONDS)
    assert snap_compare(app, terminal_size=size, run_before=play)
