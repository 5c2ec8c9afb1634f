"""The keys a newcomer presses: Ctrl+C, Tab, Escape, Ctrl+E, d on a reply, and typing before
anything has loaded. Every key does what it says, and nothing typed is lost."""

from __future__ import annotations

import json

from textual.widgets import Input

from coachsim import locations
from coachsim.tui.screens.dialogs import ConfirmEnd, DisputeDialog
from coachsim.tui.screens.practice import PracticeScreen
from coachsim.tui.screens.scorecard import ScorecardScreen
from coachsim.tui.state import Load
from coachsim.tui.widgets.chat import ReplyItem
from coachsim.tui.widgets.reply_input import ReplyInput

from .conftest import practising, screen_text, send, type_keys, wait_until


def transcripts() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(locations.transcripts_dir().glob("*.json"))]


async def test_ctrl_c_quits_at_once_and_keeps_the_session_unfinished(make_app) -> None:
    async with practising(make_app, "overwhelmed", (80, 24)) as (app, pilot):
        await send(app, pilot, "That sounds like a lot.")
        assert isinstance(app.focused, ReplyInput)  # where Ctrl+C would otherwise copy
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: app.return_code is not None, "the app quitting")
    [saved] = transcripts()
    assert saved["status"] == "unfinished"
    assert [t["speaker"] for t in saved["turns"]] == ["report", "manager", "report"]


async def test_one_tab_reaches_the_last_reply_and_escape_comes_back(make_app) -> None:
    async with practising(make_app, "just-tell-me", (120, 40)) as (app, pilot):
        await send(app, pilot, "What's on your mind?")
        last = await send(app, pilot, "Just go with version B.")
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is last, "the last reply has focus")
        await pilot.press("enter")
        await wait_until(pilot, lambda: last.expanded, "its breakdown open")
        assert "telling." in screen_text(app)  # the rule evidence behind TELLING
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "back in the reply box")
        assert not last.expanded


async def test_escape_closes_the_help_and_returns_to_the_reply_box(make_app) -> None:
    async with practising(make_app, "just-tell-me", (80, 24)) as (app, pilot):
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box has focus")
        await pilot.press("f1")
        await wait_until(pilot, lambda: app.screen.has_class("show-help"), "the help open")
        assert "What's on your mind?" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.has_class("show-help"), "the help closed")
        assert isinstance(app.focused, ReplyInput)


async def test_typing_with_the_help_over_a_narrow_screen_closes_it_and_types(make_app) -> None:
    async with practising(make_app, "just-tell-me", (80, 24)) as (app, pilot):
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box has focus")
        await pilot.press("f1")
        await wait_until(pilot, lambda: app.screen.has_class("show-help"), "the help open")
        type_keys(app, "What")
        box = app.screen.query_one(ReplyInput)
        await wait_until(pilot, lambda: box.text == "What", "the keys in the reply box")
        assert not app.screen.has_class("show-help") and app.focused is box


async def test_typing_on_a_reply_in_the_log_goes_to_the_reply_box(make_app) -> None:
    async with practising(make_app, "overwhelmed", (120, 40)) as (app, pilot):
        last = await send(app, pilot, "That sounds like a lot.")
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is last, "the reply has focus")
        type_keys(app, "What else?")
        box = app.screen.query_one(ReplyInput)
        await wait_until(pilot, lambda: box.text == "What else?", "the keys in the reply box")


async def test_a_reply_typed_while_the_scenarios_load_is_kept_and_played(make_app, held_catalog) -> None:
    loader, gate = held_catalog
    app = make_app(start="practice", scenario_id="overwhelmed", catalog_loader=loader)
    async with app.run_test(size=(120, 40)) as pilot:
        type_keys(app, "What's on your mind?")  # at once: nothing has loaded yet
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "the practice screen")
        box = app.screen.query_one(ReplyInput)
        await wait_until(pilot, lambda: box.text == "What's on your mind?", "every key kept")
        assert app.load_state.catalog == Load.LOADING
        assert "Loading scenarios" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.screen.query(ReplyItem)), "the reply in the log")
        item = app.screen.query_one(ReplyItem)
        assert "waiting for the scenario" in str(item.render())
        gate.set()
        await wait_until(pilot, lambda: item.settled, "the reply played once the scenario loaded")
        assert item.analysis is not None and item.analysis.move == "coaching"
        assert "Thirty open roles" in screen_text(app)
    [saved] = transcripts()
    assert [t["speaker"] for t in saved["turns"]] == ["report", "manager", "report"]
    assert saved["turns"][1]["text"] == "What's on your mind?" and saved["turns"][1]["move"] == "coaching"


async def test_ctrl_e_asks_first_and_n_keeps_the_session_going(make_app) -> None:
    async with practising(make_app, "overwhelmed", (80, 24)) as (app, pilot):
        await send(app, pilot, "That sounds like a lot.")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "the question")
        assert "End the session now? y/n" in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "back to the conversation")
        await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box has focus")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "the question again")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
        assert "unfinished" in screen_text(app)
    [saved] = transcripts()
    assert saved["status"] == "unfinished"


async def test_d_on_a_reply_records_the_move_the_manager_meant(make_app) -> None:
    async with practising(make_app, "just-tell-me", (80, 24)) as (app, pilot):
        last = await send(app, pilot, "Just go with version B.")
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is last, "the reply has focus")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DisputeDialog), "the dispute dialog")
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.focused, Input), "the comment box")
        type_keys(app, "I meant what I saw")
        box = app.focused
        await wait_until(pilot, lambda: box.value == "I meant what I saw", "the comment typed")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "back to the conversation")
        await wait_until(pilot, lambda: "you: feedback" in screen_text(app), "the dispute beside the chip")
        assert "TELLING" in screen_text(app)  # the classifier's label stays
    [saved] = transcripts()
    [manager] = [t for t in saved["turns"] if t["speaker"] == "manager"]
    assert manager["move"] == "telling"
    assert manager["dispute"]["move"] == "feedback" and manager["dispute"]["comment"] == "I meant what I saw"


async def test_a_reply_sent_while_the_scenarios_load_survives_quitting_at_once(
    make_app, held_catalog
) -> None:
    loader, gate = held_catalog
    app = make_app(start="practice", scenario_id="overwhelmed", catalog_loader=loader)
    async with app.run_test(size=(80, 24)) as pilot:
        type_keys(app, "What's on your mind?")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "the practice screen")
        box = app.screen.query_one(ReplyInput)
        await wait_until(pilot, lambda: box.text == "What's on your mind?", "every key kept")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.screen.query(ReplyItem)), "the reply in the log")
        assert app.load_state.catalog == Load.LOADING
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: app.return_code is not None, "the app quitting")
        gate.set()
    [saved] = transcripts()
    assert saved["status"] == "unfinished" and saved["scenario"] == "overwhelmed"
    assert [(t["speaker"], t["text"]) for t in saved["turns"]] == [("manager", "What's on your mind?")]
    assert "move" not in saved["turns"][0]


async def test_the_footer_offers_the_scorecard_once_the_conversation_ends(make_app) -> None:
    async with practising(make_app, "just-tell-me", (120, 40)) as (app, pilot):
        assert "End session" in screen_text(app)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        while not screen.over:
            await send(app, pilot, "What's the real challenge here for you?")
        await wait_until(pilot, lambda: "⏎ Scorecard" in screen_text(app), "the footer offers the scorecard")
        assert "End session" not in screen_text(app)
        assert screen_text(app).count("Scorecard") == 1
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
