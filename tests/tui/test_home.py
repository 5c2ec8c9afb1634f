"""The home screen: a readable scenario list at any width and a preview that follows the cursor."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from coachsim.practice import PracticeRun
from coachsim.tui.screens.demo_picker import DemoPicker

from .conftest import ready, screen_text, wait_until


def highlighted(app) -> str:
    table = app.screen.query_one("#scenarios", DataTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def test_the_preview_follows_the_cursor(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        seen: list[str] = []
        for _ in range(3):
            name = app.catalog.get(highlighted(app)).scenario.persona.name
            await wait_until(pilot, lambda n=name: n in screen_text(app), f"{name} in the preview")
            shown = screen_text(app)
            assert "Goal" in shown and "not played yet" in shown
            assert not any(earlier in shown for earlier in seen)  # only the highlighted one
            seen.append(name)
            await pilot.press("down")
        assert len(set(seen)) == 3


async def test_the_list_is_readable_at_80_columns_with_the_preview_below(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        shown = screen_text(app)
        assert "Your best" in shown and "The endpoint that blocked Mobile" in shown
        table, box = app.screen.query_one("#scenarios"), app.screen.query_one("#preview-box")
        assert box.region.y >= table.region.bottom and box.region.width >= 78


async def test_your_best_result_is_listed_and_previewed(make_app, classifier) -> None:
    loaded_scenario = None
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        loaded_scenario = app.catalog.get("specific-praise").scenario
    run = PracticeRun(loaded_scenario, seed=1, classifier=classifier)
    run.opening()
    for reply in loaded_scenario.examples["coach"].replies:
        run.reply(reply)
    assert run.session.ended and run.session.goal.met
    share = f"{run.session.scores.share('coaching'):.0%}"

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert highlighted(app) == "specific-praise"  # the easiest scenario comes first
        await wait_until(pilot, lambda: f"met, {share} coaching" in screen_text(app), "the best in the list")
        assert f"goal met, {share} coaching," in screen_text(app)  # the preview


async def test_d_asks_which_run_of_the_highlighted_scenario_to_demo(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("down")
        chosen = highlighted(app)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DemoPicker), "the demo picker")
        options = app.screen.query_one("#picker-scenarios", OptionList)
        assert options.get_option_at_index(options.highlighted).id == chosen


async def test_the_key_bar_joins_the_home_screen_right_after_the_first_frame(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "Quit" in screen_text(app), "the key bar")
        assert "Start" in screen_text(app) and "Demo" in screen_text(app)


async def test_the_header_shows_drills_due_today_and_the_streak(make_app) -> None:
    from datetime import datetime, timedelta

    from coachsim.drill.deck import Deck

    deck = Deck.open()
    yesterday = datetime.now().astimezone() - timedelta(days=1)
    deck.record("a-moment", "telling", at=yesterday)  # a slip: due again today
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: "1 drill due" in screen_text(app), "the drills due in the header")
        assert "1-day streak" in screen_text(app)
