"""A facilitator running a room: pick a demo, step through it, try replies, reach the summary."""

from __future__ import annotations

import threading

from textual.widgets import OptionList

from coachsim.tui.screens.demo import DemoScreen
from coachsim.tui.screens.demo_picker import DemoPicker
from coachsim.tui.screens.home import HomeScreen
from coachsim.tui.widgets.chat import ReplyItem

from .conftest import flat, ready, screen_text, type_keys, wait_until


async def open_demo(app, pilot) -> DemoScreen:
    """Wait until the demo screen is up with its run replayed."""
    await ready(app, pilot)
    await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen), "the demo screen")
    screen = app.screen
    assert isinstance(screen, DemoScreen)
    await wait_until(pilot, lambda: "reply 0 of" in screen_text(app), "the run replayed")
    return screen


async def step(app, pilot, times: int = 1) -> None:
    screen = app.screen
    target = screen.shown + times
    for _ in range(times):
        await pilot.press("space")
    await wait_until(pilot, lambda: f"reply {target} of" in screen_text(app), f"reply {target} shown")


async def highlight(pilot, option_list: OptionList, option_id: str) -> None:
    """Move an option list's highlight to ``option_id`` with the arrow keys."""
    wanted = option_list.get_option_index(option_id)
    while option_list.highlighted != wanted:
        await pilot.press("down" if (option_list.highlighted or 0) < wanted else "up")


async def test_demo_without_an_id_opens_the_picker_and_then_the_chosen_run(make_app) -> None:
    app = make_app(start="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, DemoPicker), "the demo picker")
        picker = app.screen
        assert "Pick a demo" in screen_text(app) and "You talked over the client" in screen_text(app)
        await highlight(pilot, picker.query_one("#picker-scenarios", OptionList), "feedback-then-coach")
        await wait_until(pilot, lambda: "coach-first" in screen_text(app), "this scenario's runs listed")
        await pilot.press("enter")
        runs = picker.query_one("#picker-runs", OptionList)
        await wait_until(pilot, lambda: app.focused is runs, "the runs list has focus")
        await highlight(pilot, runs, "regress")
        await wait_until(pilot, lambda: "box-ticked" in screen_text(app), "the run's ending described")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen), "the demo screen")
        await wait_until(pilot, lambda: "reply 0 of 4" in screen_text(app), "the run replayed")
        shown = screen_text(app)
        assert "You talked over the client" in shown and "run regress" in shown
        assert "Derek Lawson:" in shown  # his opening line


async def test_escape_in_the_picker_stays_home(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DemoPicker), "the demo picker")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")


async def test_stepping_the_regress_run_shows_each_chip_and_the_alert(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="regress")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_demo(app, pilot)
        await step(app, pilot, 2)
        shown = screen_text(app)
        assert "FEEDBACK" in shown and "COACHING" in shown
        assert not screen.query_one("#alert").display
        alert = screen.demo.steps[2].alert
        assert alert is not None and alert.suggestion
        await pilot.press("right")
        await wait_until(pilot, lambda: f"⚠ {alert.headline}." in screen_text(app), "the alert")
        shown = screen_text(app)
        assert f"Try: “{alert.suggestion}”" in shown  # the alternative, worded as practice words it
        assert "reply 3 of 4" in shown and "TELLING" in shown and "regression" in shown
        await pilot.press("left")
        await wait_until(pilot, lambda: "reply 2 of 4" in screen_text(app), "one step back")
        assert "TELLING" not in screen_text(app) and not screen.query_one("#alert").display


async def test_the_end_of_the_run_shows_how_it_went(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="regress")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_demo(app, pilot)
        await step(app, pilot, 4)

        def summary_shown() -> bool:
            shown = screen_text(app)
            return "End of the run" in shown and "Derek Lawson's last line:" in shown

        await wait_until(pilot, summary_shown, "the whole summary on screen")
        shown = screen_text(app)
        assert "Ending: box-ticked" in shown and "Goal not met" in shown
        assert "coaching 1" in shown and "feedback 1" in shown and "telling 2" in shown
        assert "Regressions: 2 (reply 3, 4)" in shown
        assert "Derek Lawson's last line:" in shown and "send her something today" in shown
        await pilot.press("space")  # past the end: nothing more
        await pilot.pause()
        assert screen.shown == 4 and len(screen.query(ReplyItem)) == 4


async def test_a_tried_reply_is_labelled_and_answered_and_left_returns_to_the_script(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="coach")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_demo(app, pilot)
        await step(app, pilot)
        scripted_answer = screen.demo.steps[1].turn.report_line
        await pilot.press("slash")
        box = screen.query_one("#try")
        await wait_until(pilot, lambda: app.focused is box, "the try box has focus")
        type_keys(app, "Have you tried apologising to Dana?")
        await wait_until(pilot, lambda: box.value == "Have you tried apologising to Dana?", "the reply typed")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "1 tried" in screen_text(app), "the tried reply answered")
        tried = screen.tried[0]
        answer = tried.turn.report_line
        assert answer and answer != scripted_answer
        shown = flat(screen_text(app))
        assert "Have you tried apologising to Dana?" in shown and "TELLING" in shown
        assert tried.alert is not None and tried.alert.situation == "advice_question"
        assert f"⚠ {tried.alert.headline}." in shown and "Try: “" in shown
        assert f"Derek Lawson: {flat(answer)}" in shown  # the persona answers it

        await pilot.press("escape")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#log"), "the log has focus")
        await pilot.press("space")  # a branch has no script to follow
        await pilot.pause()
        assert "reply 1 of 5 + 1 tried" in screen_text(app)

        await pilot.press("left")
        await wait_until(pilot, lambda: "tried" not in screen_text(app), "back on the script")
        shown = screen_text(app)
        assert "reply 1 of 5" in shown and "apologising" not in shown and "TELLING" not in shown
        await step(app, pilot)
        assert "What was going on for you in that moment?" in screen_text(app)


async def test_escape_in_the_try_box_returns_to_the_log_and_then_leaves(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="coach")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_demo(app, pilot)
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#try"), "the try box has focus")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#log"), "the log has focus")
        assert app.screen is screen
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")


async def test_space_pressed_while_the_classifier_loads_is_kept(make_app, classifier) -> None:
    release = threading.Event()

    def slow_loader():
        release.wait(timeout=300)
        return classifier

    app = make_app(start="demo", scenario_id="feedback-then-coach", run="coach", loader=slow_loader)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen), "the demo screen")
            await wait_until(pilot, lambda: "Loading the classifier" in screen_text(app), "the loading note")
            await pilot.press("space", "space", "space", "left")
            await wait_until(pilot, lambda: "2 steps queued" in screen_text(app), "the presses queued")
            release.set()
            await wait_until(pilot, lambda: "reply 2 of 5" in screen_text(app), "the queued steps applied")
            assert [i.analysis.move for i in app.screen.query(ReplyItem)] == ["feedback", "coaching"]
    finally:
        release.set()


async def test_projector_mode_gives_the_conversation_the_whole_width(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="coach")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_demo(app, pilot)
        log = screen.query_one("#log")
        assert screen.query_one("#try-panel").display and log.size.width < 100
        await pilot.press("f2")
        await wait_until(pilot, lambda: screen.has_class("projector"), "the projector layout")
        await wait_until(pilot, lambda: log.outer_size.width == 120, "the log across the whole width")
        assert not screen.query_one("#try-panel").display


async def test_projector_mode_draws_each_chip_three_rows_tall(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="coach")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_demo(app, pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: len(screen.query(ReplyItem)) == 1, "the first step")
        item = screen.query_one(ReplyItem)
        await wait_until(pilot, lambda: item.analysis is not None, "its chip")
        height = item.outer_size.height
        assert " FEEDBACK " in screen_text(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: item.outer_size.height >= height + 3, "the chip on its own rows")
        rows = [line for line in screen_text(app).splitlines() if "FEEDBACK" in line]
        assert rows and "You:" not in rows[0]  # the label stands alone, padded, under the reply
        await pilot.press("f2")
        await wait_until(pilot, lambda: item.outer_size.height == height, "back to the inline chip")
