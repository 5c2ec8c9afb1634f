"""A person practising: pick a scenario, type replies, see labels and alerts, finish, find the transcript."""

from __future__ import annotations

import json
import threading

from coachsim import locations
from coachsim.practice import open_index
from coachsim.tui.screens.demo import DemoScreen
from coachsim.tui.screens.dialogs import ConfirmEnd
from coachsim.tui.screens.home import HomeScreen
from coachsim.tui.screens.practice import PracticeScreen
from coachsim.tui.screens.review import ReviewScreen
from coachsim.tui.screens.scorecard import ScorecardScreen
from coachsim.tui.state import Load
from coachsim.tui.widgets.chat import EndNotice, ReplyItem, ReportLine
from coachsim.tui.widgets.reply_input import ReplyInput

from .conftest import flat, ready, scenario_ready, screen_text, send, type_keys, wait_until


def transcripts() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(locations.transcripts_dir().glob("*.json"))]


async def test_pick_reply_regress_and_finish(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#scenarios")
        row = next(i for i, key in enumerate(table.rows) if key.value == "just-tell-me")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "the practice screen")
        await wait_until(pilot, lambda: "Priya" in screen_text(app), "Priya's opening line on screen")

        await send(app, pilot, "What's on your mind?")
        await send(app, pilot, "Just go with version B.")
        items = list(app.screen.query(ReplyItem))
        assert [i.analysis.move for i in items] == ["coaching", "telling"]
        assert "COACHING" in str(items[0].render()) and "TELLING" in str(items[1].render())
        alert = app.screen.query_one("#alert")
        assert alert.display and "Regression" in str(alert.render()) and "Try:" in str(alert.render())
        shown = screen_text(app)
        assert "COACHING" in shown and "TELLING" in shown and "Regression" in shown

        await pilot.press("shift+tab", "shift+tab")  # from the box, back past the last reply to the first
        await wait_until(pilot, lambda: app.focused is items[0], "the first reply has focus")
        await pilot.press("enter")
        await wait_until(pilot, lambda: items[0].expanded, "the reply's breakdown is open")
        assert "coaching." in screen_text(app)  # the evidence of the first, coaching reply

        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "are you sure?")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
        body = screen_text(app)
        assert "Timeline" in body and "Transcript saved to" in body and "Try:" in body

    saved = transcripts()
    assert len(saved) == 1
    manager = [t for t in saved[0]["turns"] if t["speaker"] == "manager"]
    assert [t["move"] for t in manager] == ["coaching", "telling"]
    assert manager[1]["regression"] is True
    assert manager[0]["typed_after_s"] is not None and manager[0]["sent_after_s"] is not None
    assert saved[0]["status"] == "unfinished"
    assert [s.scenario for s in open_index().sessions()] == ["just-tell-me"]


async def test_a_full_run_shows_the_closing_line_then_the_scorecard_on_enter(make_app) -> None:
    app = make_app(start="practice", scenario_id="just-tell-me")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        for reply in app.catalog.get("just-tell-me").scenario.examples["coach"].replies:
            await send(app, pilot, reply)
        ended = "The conversation has ended — press Enter for your scorecard"
        await wait_until(pilot, lambda: ended in screen_text(app), "the end said in the log")
        assert screen.run is not None and screen.run.session.ended
        closing = screen.run.session.transcript_data.turns[-1]
        *_, last_line, notice = screen.query_one("#log").children
        assert closing.speaker == "report" and closing.text in str(last_line.render())
        assert isinstance(last_line, ReportLine) and isinstance(notice, EndNotice)
        assert "I'm off to email the cafés" in screen_text(app)  # the closing line is on screen
        assert screen.query_one(ReplyInput).disabled
        assert "ended after" in screen_text(app)
        assert app.screen is screen  # the scorecard waits for Enter
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
        body = screen_text(app)
        assert "Goal met" in body and "Ending:" in body
    saved = transcripts()[0]
    assert saved["status"] == "finished" and saved["outcome"]
    assert saved["summary"]["goal_met"] is True


async def test_quitting_mid_session_keeps_an_unfinished_transcript(make_app) -> None:
    app = make_app(start="practice", scenario_id="overwhelmed")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await send(app, pilot, "That sounds like a lot.")
        await pilot.press("ctrl+q")
    saved = transcripts()
    assert len(saved) == 1 and saved[0]["status"] == "unfinished"
    assert [t["speaker"] for t in saved[0]["turns"]] == ["report", "manager", "report"]


async def test_a_reply_sent_before_the_classifier_is_ready_is_labelled_later(make_app, classifier) -> None:
    import threading

    gate = threading.Event()

    def slow_loader():
        gate.wait()  # released by the test below, whatever happens
        return classifier

    app = make_app(start="practice", scenario_id="overwhelmed", loader=slow_loader)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await scenario_ready(app, pilot)
            assert "Loading the classifier" in str(app.screen.query_one("#status").render())
            await pilot.press(*"What's on your mind?")
            await pilot.press("enter")
            await wait_until(pilot, lambda: bool(app.screen.query(ReplyItem)), "the reply in the log")
            item = app.screen.query_one(ReplyItem)
            assert item.analysis is None and "labelling" in str(item.render())
            assert app.load_state.classifier == Load.LOADING
        finally:
            gate.set()  # before the app exits: it waits for the loader thread
        await wait_until(pilot, lambda: item.settled, "the queued reply labelled")
        assert item.analysis is not None and item.analysis.move == "coaching"


async def test_a_classifier_failure_is_shown_and_the_app_stays_usable(make_app) -> None:
    from coachsim.errors import ModelNotFoundError

    def broken_loader():
        raise ModelNotFoundError("spaCy model 'x' is not installed")

    app = make_app(start="practice", scenario_id="overwhelmed", loader=broken_loader)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert "Classifier failed" in str(app.screen.query_one("#status").render())
        assert app.load_state.classifier == Load.FAILED
        await send(app, pilot, "Hello there")
        assert "not labelled" in screen_text(app)
        await pilot.press("f1")
        await wait_until(pilot, lambda: app.screen.has_class("show-help"), "the help drawer")


async def test_help_drawer_and_projector_toggle(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: app.screen.has_class("show-help"), "the help drawer")
        assert "What's on your mind?" in screen_text(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.screen.has_class("projector"), "the projector layout")


async def test_facilitator_demo_steps_forward_and_back_and_tries_a_reply(make_app) -> None:
    app = make_app(start="demo", scenario_id="feedback-then-coach", run="coach")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert isinstance(app.screen, DemoScreen)
        screen = app.screen
        assert len(screen.query(ReplyItem)) == 0
        await pilot.press("space")
        await pilot.press("right")
        await wait_until(pilot, lambda: len(screen.query(ReplyItem)) == 2, "two steps shown")
        items = list(screen.query(ReplyItem))
        assert [i.analysis.move for i in items] == ["feedback", "coaching"]
        await pilot.press("left")
        await wait_until(pilot, lambda: len(screen.query(ReplyItem)) == 1, "back to one step")
        await pilot.press("slash")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#try"), "the try box has focus")
        await pilot.press(*"Have you tried apologising to Dana?")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "TELLING" in screen_text(app), "the tried reply labelled")


async def test_review_a_past_session_from_home(make_app) -> None:
    app = make_app(start="practice", scenario_id="overwhelmed")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await send(app, pilot, "Just drop the graduate scheme.")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmEnd), "are you sure?")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ScorecardScreen), "the scorecard")
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen")
        recent = app.screen.query_one("#recent")
        await wait_until(pilot, lambda: recent.row_count == 1, "the session listed under recent")
        recent.focus()
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the past session's review")
        await wait_until(pilot, lambda: "Just drop the graduate" in screen_text(app), "its turns")
        assert "TELLING" in screen_text(app)


async def test_a_corrupt_progress_index_is_rebuilt_from_the_transcripts(make_app) -> None:
    app = make_app(start="practice", scenario_id="overwhelmed")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await send(app, pilot, "That sounds like a lot.")
    db = locations.progress_db_path()
    assert [s.scenario for s in open_index().sessions()] == ["overwhelmed"]
    db.write_bytes(b"this is not sqlite")
    rebuilt = open_index()
    assert rebuilt.rebuilt
    assert [s.scenario for s in rebuilt.sessions()] == ["overwhelmed"]
    assert rebuilt.db_path == db and db.read_bytes().startswith(b"SQLite format 3")


async def test_an_uncertain_label_reads_as_a_guess_and_raises_no_alert(make_app) -> None:
    app = make_app(start="practice", scenario_id="just-tell-me")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await send(app, pilot, "What's on your mind?")
        item = await send(app, pilot, "The forecast meeting is on Thursday.")
        assert item.analysis is not None and item.analysis.uncertain
        assert "telling?" in screen_text(app)
        assert not app.screen.query_one("#alert").display
        assert not item.has_class("regression") and "regression" not in str(item.render())


async def test_the_status_line_counts_replies_against_the_scenarios_limit(make_app) -> None:
    app = make_app(start="practice", scenario_id="just-tell-me")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        status = app.screen.query_one("#status")
        assert "reply 1 · up to 10" in str(status.render())
        await send(app, pilot, "What's on your mind?")
        await send(app, pilot, "And what else?")
        assert "reply 3 · up to 10" in str(status.render())


async def test_an_80_by_24_terminal_shows_the_brief_goal_and_move_mix(make_app) -> None:
    app = make_app(start="practice", scenario_id="just-tell-me")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: "Priya" in screen_text(app), "the opening line")
        shown = flat(screen_text(app).replace("▊", ""))  # without the brief's left border
        brief = flat(app.catalog.get("just-tell-me").scenario.brief)
        assert brief in shown  # the whole brief, as paragraphs: ends "You probably could. Resist it."
        assert "Goal 60%+ coaching · at most 1 telling" in shown
        assert "coaching 0 · feedback 0 · mentoring 0 · telling 0" in shown
        await send(app, pilot, "What's on your mind?")
        shown = flat(screen_text(app))
        assert "COACHING" in shown and "coaching 1 · feedback 0" in shown


class GatedClassifier:
    """The real classifier, but each reply waits until the test opens the gate."""

    def __init__(self, classifier) -> None:
        self.classifier = classifier
        self.nlp = classifier.nlp
        self.model_name = classifier.model_name
        self.gate = threading.Event()
        self.gate.set()

    def classify(self, text, context=None):
        self.gate.wait()
        return self.classifier.classify(text, context=context)


async def test_a_reply_labelled_out_of_view_still_gets_its_answer(make_app, classifier) -> None:
    """Scrolled back through the log while a reply is labelled: the chip is not drawn (it is
    out of view), and the report still answers."""
    gated = GatedClassifier(classifier)
    app = make_app(start="practice", scenario_id="just-tell-me", loader=lambda: gated)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        screen = app.screen
        log = screen.query_one("#log")
        for text in ("What's on your mind?", "And what else?"):
            await send(app, pilot, text)
        await wait_until(pilot, lambda: log.max_scroll_y > 0, "the log longer than its box")
        gated.gate.clear()
        try:
            lines = len(screen.query(ReportLine))
            box = app.focused
            type_keys(app, "What else?")
            await wait_until(pilot, lambda: box.text == "What else?", "the reply typed")
            await pilot.press("enter")
            await wait_until(pilot, lambda: len(screen.query(ReplyItem)) == 3, "the reply in the log")
            item = screen.query(ReplyItem).last()
            log.scroll_home(animate=False)
            await wait_until(pilot, lambda: not log.region.overlaps(item.region), "the reply out of view")
        finally:
            gated.gate.set()
        await wait_until(pilot, lambda: item.settled, "the reply labelled")
        await wait_until(pilot, lambda: len(screen.query(ReportLine)) == lines + 1, "the report's answer")


async def test_a_reply_whose_label_is_slow_shows_at_once_as_labelling(make_app, classifier) -> None:
    gated = GatedClassifier(classifier)
    app = make_app(start="practice", scenario_id="overwhelmed", loader=lambda: gated)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        gated.gate.clear()
        try:
            await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box has focus")
            await pilot.press(*"What's on your mind?")
            await pilot.press("enter")
            # Held back for its label only briefly: a classifier that is slow, or stuck, never
            # hides what was sent.
            await wait_until(pilot, lambda: "labelling" in screen_text(app), "the reply shown as labelling")
            item = app.screen.query_one(ReplyItem)
            assert item.analysis is None and "What's on your mind?" in screen_text(app)
        finally:
            gated.gate.set()  # before the app exits: it waits for the label's thread
        await wait_until(pilot, lambda: item.settled, "the reply labelled")
        await wait_until(pilot, lambda: "COACHING" in screen_text(app), "the chip on screen")


async def test_a_reply_labelled_in_time_is_first_drawn_with_its_chip(make_app, monkeypatch) -> None:
    """Not as "labelling…" and then again with the chip: one layout of the screen before the chip,
    not two. The report's answer comes in a later frame."""
    from coachsim.tui.screens import practice

    monkeypatch.setattr(practice, "LABEL_GRACE_S", 600.0)  # the label comes first, however busy the machine
    first_drawn: list[tuple[str | None, int]] = []
    render = ReplyItem.render

    def recording_render(item: ReplyItem):
        if not first_drawn:  # what the reply's first frame holds
            first_drawn.append((item.analysis and item.analysis.move, len(item.screen.query(ReportLine))))
        return render(item)

    monkeypatch.setattr(ReplyItem, "render", recording_render)
    app = make_app(start="practice", scenario_id="overwhelmed")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await send(app, pilot, "What's on your mind?")
        await wait_until(pilot, lambda: len(app.screen.query(ReportLine)) == 2, "the report's answer")
    assert first_drawn == [("coaching", 1)]  # the chip; of the report, only its opening line
