"""Practise one scenario: the report talks, you reply, each reply is labelled as it happens."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from coachsim.errors import CoachsimError
from coachsim.practice import PracticeRun
from coachsim.safetext import visible
from coachsim.scenario.alternatives import suggest
from coachsim.scenario.loader import LoadedScenario
from coachsim.scenario.session import Turn
from coachsim.tui.messages import ReplyFailed, ReplyLabelled
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.help import HelpDrawer
from coachsim.tui.widgets.reply_input import ReplyInput
from coachsim.tui.widgets.stats import StatsPanel


@dataclass
class Pending:
    item: ReplyItem
    typed_after_s: float | None
    sent_after_s: float | None


def scenario_card(loaded: LoadedScenario) -> Text:
    scenario = loaded.scenario
    persona = scenario.persona
    return Text.assemble(
        (visible(scenario.title, one_line=True), "bold"),
        visible(f"  ·  {persona.name}, {persona.role}", one_line=True),
        (visible(f" ({persona.mood})", one_line=True) if persona.mood else "", "italic"),
        "\n",
        (visible(scenario.brief.strip()), ""),
    )


class PracticeScreen(Screen):
    """The practice conversation; see the module docstring."""

    BINDINGS = [
        Binding("ctrl+e", "end_session", "End session", priority=True),
        Binding("f1,question_mark", "app.toggle_help", "Help", show=True),
    ]

    def __init__(self, loaded: LoadedScenario, seed: int) -> None:
        super().__init__()
        self.loaded = loaded
        self.seed = seed
        self.run: PracticeRun | None = None
        self.queue: deque[Pending] = deque()
        self.in_flight: Pending | None = None
        self.line_shown_at = 0.0
        self.typed_at: float | None = None
        self.last_pause: tuple[float | None, float | None] = (None, None)
        #: Why the last save failed (None once a save works again).
        self.save_problem: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="practice"):
            with Vertical(id="main"):
                yield Static(scenario_card(self.loaded), id="card")
                yield VerticalScroll(id="log")
                yield Static("", id="alert")
                yield ReplyInput(id="reply", cursor_blink=self.app.cursor_blink)
                yield Static("", id="status")
            with Vertical(id="side"):
                yield Static(
                    Text.assemble(("Goal\n", "bold"), visible(self.loaded.scenario.goal.text)), id="goal"
                )
                yield StatsPanel(id="stats")
        yield HelpDrawer(id="help")
        yield Footer()

    def on_mount(self) -> None:
        self.run = PracticeRun(self.loaded.scenario, self.seed, started=self.app.started())
        line = self.run.opening(save=False)
        self.save_now()
        self.query_one("#log", VerticalScroll).mount(ReportLine(self.loaded.scenario.persona.name, line))
        self.line_shown_at = self.app.clock()
        self.query_one(StatsPanel).show(self.run.session.scores)
        self.query_one("#alert", Static).display = False
        self.show_status()
        self.query_one(ReplyInput).focus()

    def show_status(self) -> None:
        app = self.app
        status = self.query_one("#status", Static)
        if self.save_problem:
            status.update(Text(f"Not saved: {visible(self.save_problem)}", style="bold red"))
        elif getattr(app, "classifier_error", None):
            status.update(Text(f"Classifier failed: {visible(app.classifier_error)}", style="bold red"))
        elif getattr(app, "classifier", None) is None:
            status.update(Text("Loading the classifier… you can start typing.", style="italic"))
        else:
            turns = self.run.session.turns_taken if self.run else 0
            saved = self.run.path.name if self.run else ""
            text = Text(f"Turn {turns}/{self.loaded.scenario.max_turns} · saved as {saved}", style="dim")
            if self.run and self.run.index_problem:
                text.append(f" · progress not updated: {visible(self.run.index_problem)}", style="yellow")
            status.update(text)

    def save_now(self, save: Callable[[], object] | None = None) -> None:
        """Save (the transcript by default); a failure is shown in the status line, and what
        was typed stays on screen and in memory, to be saved by the next save that works."""
        if self.run is None:
            return
        try:
            (save or self.run.save)()
        except (CoachsimError, OSError, sqlite3.Error) as error:
            self.save_problem = error.message if isinstance(error, CoachsimError) else str(error)
        else:
            self.save_problem = None
        self.show_status()

    def classifier_ready(self) -> None:
        self.show_status()
        self.label_next()

    def classifier_failed(self) -> None:
        self.show_status()
        while self.queue:
            self.queue.popleft().item.fail("the classifier could not load")

    def on_reply_input_started(self, _: ReplyInput.Started) -> None:
        self.typed_at = self.app.clock()

    def on_reply_input_submitted(self, message: ReplyInput.Submitted) -> None:
        if self.run is None or self.run.session.ended:
            return
        now = self.app.clock()
        typed = None if self.typed_at is None else round(self.typed_at - self.line_shown_at, 2)
        sent = round(now - self.line_shown_at, 2)
        self.typed_at = None
        number = self.run.session.turns_taken + len(self.queue) + (1 if self.in_flight else 0) + 1
        item = ReplyItem(message.text, number)
        log = self.query_one("#log", VerticalScroll)
        log.mount(item)
        log.scroll_end(animate=False)
        self.save_now(lambda: self.run.hold(message.text, typed, sent) if self.run else None)
        if getattr(self.app, "classifier_error", None):
            item.fail("the classifier could not load")
            return
        self.queue.append(Pending(item, typed, sent))
        self.label_next()

    def label_next(self) -> None:
        if self.in_flight is not None or not self.queue or getattr(self.app, "classifier", None) is None:
            return
        self.in_flight = self.queue.popleft()
        context = self.run.session.context() if self.run else None
        self.classify(self.in_flight, context)

    @work(thread=True, group="label")
    def classify(self, pending: Pending, context: list[dict[str, str]] | None) -> None:
        try:
            analysis = self.app.classifier.classify(pending.item.text, context=context)
        except Exception as error:  # a failure must leave the app usable
            self.post_message(ReplyFailed(pending.item.text, str(error)))
            return
        self.post_message(
            ReplyLabelled(pending.item.text, analysis, pending.typed_after_s, pending.sent_after_s)
        )

    def on_reply_failed(self, message: ReplyFailed) -> None:
        if self.in_flight is not None:
            self.in_flight.item.fail(message.error)
        self.in_flight = None
        self.label_next()

    def on_reply_labelled(self, message: ReplyLabelled) -> None:
        pending, self.in_flight = self.in_flight, None
        assert pending is not None and self.run is not None
        if self.run.session.ended:
            pending.item.fail("the conversation had already ended")
            return
        turn = self.run.reply(
            message.text, message.analysis, message.typed_after_s, message.sent_after_s, save=False
        )
        pending.item.label(message.analysis, turn.regression)
        self.call_after_refresh(self.save_now)  # show the chip first, then write to disk
        self.show_alert(turn)
        log = self.query_one("#log", VerticalScroll)
        if turn.report_line:
            log.mount(ReportLine(self.loaded.scenario.persona.name, turn.report_line))
        log.scroll_end(animate=False)
        self.line_shown_at = self.app.clock()
        self.last_pause = (message.typed_after_s, message.sent_after_s)
        self.query_one(StatsPanel).show(self.run.session.scores, self.last_pause)
        self.show_status()
        if turn.ended:
            self.finish()
        else:
            self.label_next()

    def show_alert(self, turn: Turn) -> None:
        alert = self.query_one("#alert", Static)
        analysis = turn.reply
        if analysis.uncertain or (not turn.regression and not analysis.cues.get("advice_question")):
            alert.display = False
            return
        alternative = suggest(analysis, pull=turn.pull, used=self.run.asked if self.run else ())
        headline = "Advice dressed as a question." if analysis.cues.get("advice_question") else "Regression."
        alert.update(
            Text.assemble(
                ("⚠ ", "bold"),
                (headline + " ", "bold"),
                visible(alternative.message),
                "\n  Try: ",
                (f"“{visible(alternative.suggestion)}”", "bold"),
            )
        )
        alert.display = True

    def finish(self) -> None:
        from coachsim.tui.screens.scorecard import ScorecardScreen

        assert self.run is not None
        self.app.push_screen(ScorecardScreen.from_run(self.run, self.loaded))

    def action_end_session(self) -> None:
        if self.run is None:
            return
        if self.run.session.ended:
            self.finish()
            return
        self.save_now(self.run.stop)
        self.finish()

    def on_unmount(self) -> None:
        if self.run is not None and not self.run.session.ended:
            with contextlib.suppress(CoachsimError, OSError, sqlite3.Error):
                self.run.stop()  # the app is closing: nothing left to show a failure on
