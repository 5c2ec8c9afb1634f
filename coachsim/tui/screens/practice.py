"""Practise one scenario: the report talks, you reply, each reply is labelled as it happens.

The screen opens at once, before the scenarios or the classifier have loaded, with the reply box
focused: what is typed meanwhile is kept, a reply sent before the scenario is ready is played as
soon as it is, and one sent before the classifier is ready is labelled once it is. A reply sent
once all has loaded goes into the log with its chip (held back up to ``LABEL_GRACE_S`` for its
label), and the report answers in the next frame. When a reply ends the conversation, the
report's closing line is shown and Enter opens the scorecard.

In pressure mode a countdown runs from each of the report's lines until a reply is sent. At zero,
what is in the reply box is sent as it is (and labelled like any reply); an empty box makes the
report push harder (:meth:`Session.press`) and the clock starts again. It pauses while a dialog
covers the screen.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from coachsim.errors import CoachsimError
from coachsim.safetext import visible
from coachsim.tui.screens.dialogs import ConfirmEnd, DisputeChoice, DisputeDialog
from coachsim.tui.screens.timed import TimedReplyScreen
from coachsim.tui.services import Services, failure_text
from coachsim.tui.text import alert_text, goal_short, reflow
from coachsim.tui.widgets.chat import BriefItem, EndNotice, ReplyItem, ReportLine
from coachsim.tui.widgets.countdown import Countdown
from coachsim.tui.widgets.footer import SteadyFooter
from coachsim.tui.widgets.help import HelpDrawer
from coachsim.tui.widgets.reply_input import ReplyInput
from coachsim.tui.widgets.stats import MixStrip, StatsPanel

if TYPE_CHECKING:  # pydantic and the engine: imported once the catalog has loaded, not before
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.practice import PracticeRun
    from coachsim.scenario.loader import LoadedScenario
    from coachsim.scenario.session import Turn
    from coachsim.transcript.model import Transcript


#: How long a sent reply waits for its label before it goes into the log without one. A label
#: that comes sooner (the rule) is drawn with the reply in one layout of the screen, rather than
#: the reply first and its chip a frame later: a pass of layout less before the chip, where thirty
#: participants share two cores.
LABEL_GRACE_S = 0.15


@dataclass
class Pending:
    """A sent reply waiting for the scenario or the classifier."""

    item: ReplyItem
    typed_after_s: float | None
    sent_after_s: float | None
    timed_out: bool = False


@dataclass(frozen=True)
class PracticeResult:
    """What the screen hands back for the scorecard."""

    transcript: Transcript
    path: Path
    loaded: LoadedScenario | None


def card_text(loaded: LoadedScenario) -> Text:
    """The scenario's title and who the report is, in a line."""
    scenario = loaded.scenario
    persona = scenario.persona
    return Text.assemble(
        (visible(scenario.title, one_line=True), "bold"),
        visible(f"  ·  {persona.name}, {persona.role}", one_line=True),
        (visible(f" ({persona.mood})", one_line=True) if persona.mood else "", "italic"),
    )


class PracticeScreen(TimedReplyScreen[PracticeResult | None]):
    """The practice conversation; see the module docstring. Dismissed with the finished (or
    ended) run for the scorecard, or None when there was nothing to practise."""

    AUTO_FOCUS = "#reply"
    BINDINGS = [
        Binding("ctrl+e", "end_session", "End session", priority=True),
        Binding("ctrl+e", "show_scorecard", "Scorecard", priority=True, show=False),  # Enter says it
        Binding("f1,question_mark", "toggle_help", "Help"),
        Binding("d", "dispute", "I meant…"),
        Binding("escape", "close", "Close", show=False),
        Binding("tab", "next_focus", "Next", show=False),
    ]

    def __init__(self, services: Services, scenario_id: str, seed: int, pressure: int | None = None) -> None:
        """``pressure``: None for no clock, 0 for the scenario's default, else seconds per reply."""
        super().__init__()
        self.services = services
        self.scenario_id = scenario_id
        self.seed = seed
        self.pressure = pressure
        self.loaded: LoadedScenario | None = None
        self.run: PracticeRun | None = None
        #: Replies sent before the scenario had loaded, oldest first.
        self.waiting: list[Pending] = []
        #: Replies waiting for the classifier, oldest first, and the one being labelled.
        self.queue: deque[Pending] = deque()
        self.in_flight: Pending | None = None
        self.line_shown_at = 0.0
        self.typed_at: float | None = None
        self.last_pause: tuple[float | None, float | None] = (None, None)
        #: Why the last save failed (None once a save works again).
        self.save_problem: str | None = None
        #: The conversation ended, or the manager ended it: no more replies are played.
        self.over = False
        self.stopped = False
        #: Keys are being redirected to the reply box, which is about to take focus.
        self.typing_to_box = False
        #: What the status line shows (see show_status).
        self.status_shown: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(id="practice"):
            with Vertical(id="main"):
                yield Static(Text("Loading scenarios…", style="italic"), id="card")
                yield VerticalScroll(id="log")
                yield Static("", id="alert")
                yield MixStrip(id="strip")
                yield Countdown(id="countdown")
                yield ReplyInput(id="reply", cursor_blink=self.services.cursor_blink)
                yield Static("", id="status")
            with VerticalScroll(id="side"):
                yield Static("", id="goal")
                yield StatsPanel(id="stats")
        yield HelpDrawer(id="help")
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#alert", Static).display = False
        self.query_one(Countdown).display = self.pressure is not None
        if self.services.catalog is not None:
            self.catalog_ready()
        else:
            self.show_status()

    # Loads finishing (the app calls these; see WaitsForLoad).

    def catalog_ready(self) -> None:
        catalog = self.services.catalog
        if self.loaded is not None or catalog is None:
            return
        try:
            loaded = catalog.get(self.scenario_id)
        except CoachsimError as error:
            self.notify(visible(error.message), severity="error", markup=False)
            self.dismiss(None)
            return
        self.begin(loaded)

    def catalog_failed(self) -> None:
        self.query_one("#card", Static).update(Text("The scenarios could not load.", style="bold red"))
        for pending in self.waiting:
            pending.item.fail("the scenarios could not load")
        self.waiting.clear()
        self.show_status()

    def classifier_ready(self) -> None:
        self.show_status()
        self.label_next()

    def classifier_failed(self) -> None:
        self.show_status()
        while self.queue:
            self.queue.popleft().item.fail("the classifier could not load")
        self.restart_clock()

    # The conversation.

    def begin(self, loaded: LoadedScenario) -> None:
        """Start the run: the brief and the opening line go above any reply sent while loading."""
        from coachsim.practice import PracticeRun  # deferred: pydantic, after the first frame

        self.loaded = loaded
        scenario = loaded.scenario
        seconds = self.start_pressure(loaded)
        self.run = PracticeRun(scenario, self.seed, started=self.services.started(), pressure_s=seconds)
        line = self.run.opening(save=False)
        self.save_now()
        log = self.query_one("#log", VerticalScroll)
        opening = [BriefItem(scenario.brief), ReportLine(scenario.persona.name, line)]
        if log.children:
            log.mount(*opening, before=0)
        else:
            log.mount(*opening)
        self.line_shown_at = self.services.clock()
        self.query_one("#card", Static).update(card_text(loaded))
        self.query_one("#goal", Static).update(
            Text.assemble(
                ("Goal\n", "bold"),
                visible(reflow(scenario.goal.text)),
                ("\nTarget: ", "dim"),
                (visible(goal_short(scenario.goal)), "dim"),
            )
        )
        self.show_scores()
        for pending in self.waiting:
            self.accept(pending)
        self.waiting.clear()
        self.restart_clock()
        self.show_status()

    # Pressure mode.

    def start_pressure(self, loaded: LoadedScenario) -> int | None:
        """Set up the reply clock when in pressure mode; its seconds per reply, else None."""
        if self.pressure is None:
            return None
        from coachsim.scenario.pressure import ReplyClock, seconds_for

        seconds = seconds_for(loaded.scenario, self.pressure or None)
        self.reply_clock = ReplyClock(seconds, self.services.clock)
        self.start_ticking()
        return seconds

    @property
    def awaiting_reply(self) -> bool:
        """The report has spoken and nothing sent is waiting: the manager's turn is on the clock."""
        return (
            self.run is not None
            and not self.over
            and self.in_flight is None
            and not self.queue
            and not self.waiting
        )

    def restart_clock(self) -> None:
        """A new line from the report: the countdown starts again (or stops while none is awaited)."""
        clock = self.reply_clock
        if clock is None:
            return
        if self.awaiting_reply:
            clock.start()
        else:
            clock.stop()
        self.show_countdown()

    def countdown_shown(self) -> bool:
        """Until the conversation is over (between lines it says it has stopped)."""
        return not self.over

    def time_up(self) -> None:
        """Zero: send what is typed, as it is; with nothing typed the report pushes harder."""
        run, clock = self.run, self.reply_clock
        if run is None or clock is None:
            return
        text = self.query_one(ReplyInput).take()
        if text is not None:
            self.send(text, timed_out=True)
            return
        line = run.press(save=False)
        self.save_now()
        log = self.query_one("#log", VerticalScroll)
        log.mount(ReportLine(run.session.scenario.persona.name, line, pressed=True))
        self.show_newest()
        self.line_shown_at = self.services.clock()
        clock.start()

    def show_scores(self) -> None:
        if self.run is None or self.loaded is None:
            return
        scores = self.run.session.scores
        self.query_one(StatsPanel).show(scores, self.last_pause)
        self.query_one(MixStrip).show(scores, visible(goal_short(self.loaded.scenario.goal)))

    @property
    def replies_sent(self) -> int:
        """Replies played, being labelled or waiting."""
        taken = self.run.session.turns_taken if self.run else 0
        return taken + len(self.waiting) + len(self.queue) + (1 if self.in_flight else 0)

    def show_status(self) -> None:
        text = self.status_text()
        shown = (text.plain, str(text.style), text.spans)
        if shown != self.status_shown:  # the same line again would cost a layout of the screen
            self.status_shown = shown
            self.query_one("#status", Static).update(text)

    def status_text(self) -> Text:
        """The line under the reply box: loading, a failure, or where the conversation is."""
        services = self.services
        run = self.run
        if self.save_problem:
            return Text(f"Not saved: {visible(self.save_problem)}", style="bold red")
        if run is None and services.catalog_error:
            return Text(f"Scenarios failed: {visible(services.catalog_error)}", style="bold red")
        if run is None:
            return Text("Loading scenarios… you can start typing.", style="italic")
        if services.classifier_error:
            return Text(f"Classifier failed: {visible(services.classifier_error)}", style="bold red")
        if services.classifier is None:
            return Text("Loading the classifier… you can start typing.", style="italic")
        session = run.session
        if session.ended:
            taken = session.turns_taken
            text = Text(f"ended after {taken} repl{'y' if taken == 1 else 'ies'}", style="dim")
        else:
            held = self.in_flight is not None and self.in_flight.item.parent is None
            # a reply held back for its label counts once it is in the log: the status line
            # changes in the same layout as the log, not in one of its own just before
            text = Text(f"reply {self.replies_sent + 1 - held} · up to {session.max_turns}", style="dim")
        text.append(f" · saved as {run.path.name}", style="dim")
        if run.index_problem:
            text.append(f" · progress not updated: {visible(run.index_problem)}", style="yellow")
        return text

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

    def on_reply_input_started(self, _: ReplyInput.Started) -> None:
        self.typed_at = self.services.clock()

    def on_reply_input_submitted(self, message: ReplyInput.Submitted) -> None:
        self.send(message.text)

    def send(self, text: str, timed_out: bool = False) -> None:
        """A reply sent (Enter, or the pressure clock at zero): logged, saved, queued for labelling."""
        if self.over:
            return
        if self.run is None:  # the opening line is not on screen yet: no pauses to measure
            typed = sent = None
        else:
            now = self.services.clock()
            typed = None if self.typed_at is None else round(self.typed_at - self.line_shown_at, 2)
            sent = round(now - self.line_shown_at, 2)
        self.typed_at = None
        item = ReplyItem(text, self.replies_sent + 1)
        item.timed_out = timed_out
        if self.in_flight is not None:  # a reply held for its label goes into the log first
            self.show_reply(self.in_flight.item)
        pending = Pending(item, typed, sent, timed_out)
        if self.run is not None:
            self.accept(pending)
        elif self.services.catalog_error:
            item.fail("the scenarios could not load")
        else:
            item.note = "waiting for the scenario…"
            self.waiting.append(pending)
        if self.in_flight is pending:  # on its way to the classifier: shown with its chip
            self.set_timer(LABEL_GRACE_S, lambda: self.show_reply(item))
        else:
            self.show_reply(item)
        self.restart_clock()  # no countdown while the reply is on its way
        self.show_status()

    def show_reply(self, item: ReplyItem) -> None:
        """Put a sent reply into the log, unless it is there already."""
        if item.parent is None:
            self.query_one("#log", VerticalScroll).mount(item)
            self.show_newest()
            self.show_status()

    def accept(self, pending: Pending) -> None:
        """Queue a sent reply for the classifier and save it at once. The label is handled after
        this handler returns, so the reply is on disk before its label, and the classifier does
        not wait for the disk."""
        run = self.run
        assert run is not None
        if self.services.classifier_error:
            pending.item.fail("the classifier could not load")
        else:
            if pending.item.note != "labelling…":
                pending.item.note = "labelling…"
                pending.item.refresh_view()
            self.queue.append(pending)
            self.label_next()
        item, typed, sent = pending.item, pending.typed_after_s, pending.sent_after_s
        self.save_now(lambda: run.hold(item.text, typed, sent, pending.timed_out))

    def label_next(self) -> None:
        if self.over or self.in_flight is not None or not self.queue or self.run is None:
            return
        if self.services.classifier is None:
            return
        self.in_flight = self.queue.popleft()
        self.classify(self.in_flight.item.text, self.run.session.context())

    class Labelled(Message):
        """The classifier's verdict on the reply in flight, posted straight from its thread."""

        def __init__(self, analysis: ReplyAnalysis) -> None:
            super().__init__()
            self.analysis = analysis

    @work(thread=True, group="label", exit_on_error=False)
    def classify(self, text: str, context: list[dict[str, str]]) -> None:
        classifier = self.services.classifier
        assert classifier is not None
        # Posted from here rather than read from the finished worker: the chip is not kept
        # waiting for the worker's own bookkeeping on a busy event loop.
        self.post_message(self.Labelled(classifier.classify(text, context=context)))

    def on_practice_screen_labelled(self, message: Labelled) -> None:
        self.labelled(message.analysis)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A label worker that failed: the reply is marked, and the next one goes ahead."""
        worker: Worker[Any] = event.worker
        if worker.group != "label":
            return
        if event.state == WorkerState.ERROR:
            pending, self.in_flight = self.in_flight, None
            if pending is not None:
                pending.item.fail(failure_text(worker.error))
                self.show_reply(pending.item)
            self.label_next()
            self.restart_clock()

    def labelled(self, analysis: ReplyAnalysis) -> None:
        """The verdict is in: the reply's chip goes out in a frame of its own (what the manager
        is waiting for), and the rest of the turn follows in the next (see :meth:`turn_played`).
        A reply still held back for its label goes into the log now, chip and all, in one
        layout of the screen."""
        pending, self.in_flight = self.in_flight, None
        if pending is None or self.run is None:
            return
        if self.over:
            pending.item.fail("the conversation had already ended")
            self.show_reply(pending.item)
            return
        turn = self.run.reply(
            pending.item.text,
            analysis,
            pending.typed_after_s,
            pending.sent_after_s,
            save=False,
            timed_out=pending.timed_out,
        )
        pending.item.number = turn.number
        pending.item.label(analysis, turn.regression)
        self.show_reply(pending.item)
        done = False

        async def follow_up() -> None:
            nonlocal done
            if not done:
                done = True
                await self.turn_played(pending, turn)

        pending.item.when_drawn(follow_up)
        # In case the reply is not drawn (out of view): once the screen has refreshed twice.
        pending.item.call_after_refresh(self.call_after_refresh, follow_up)

    async def turn_played(self, pending: Pending, turn: Turn) -> None:
        """After the chip's frame: save, the alert, the room, the report's next line, the scores,
        and the next queued reply (or the end of the conversation). The report's line is mounted
        before this returns, so it is drawn in the same frame as the scores."""
        run = self.run
        assert run is not None
        self.save_now()
        alert = self.show_alert(turn)
        if self.services.room is not None:
            self.services.room.record(run.session.transcript(), run.session.scenario, alert)
        lines = [ReportLine(run.session.scenario.persona.name, turn.report_line)] if turn.report_line else []
        self.last_pause = (pending.typed_after_s, pending.sent_after_s)
        self.show_scores()
        if turn.ended:
            await self.conversation_ended(lines)
        else:
            if lines:
                await self.query_one("#log", VerticalScroll).mount(*lines)
            self.label_next()
        self.line_shown_at = self.services.clock()
        self.restart_clock()
        self.show_newest()
        self.show_status()

    def show_newest(self) -> None:
        """Scroll the log to its newest line. Once the log fills its box it is anchored instead:
        it then stays at the bottom as lines arrive, in the same layout pass (scroll_end takes a
        frame of its own). Not before, as an anchored log shorter than its box sits at the bottom."""
        log = self.query_one("#log", VerticalScroll)
        if log.virtual_size.height > log.container_size.height:
            log.anchor()
        else:
            log.scroll_end(animate=False)

    def show_alert(self, turn: Turn) -> str | None:
        """The alert after a reply, from the domain's one alert function: a regression or advice
        dressed as a question, with a coaching question to try. An uncertain label raises none.
        Returns the alert's headline, if there is one."""
        from coachsim.scenario.alternatives import alert_for

        alert = self.query_one("#alert", Static)
        classifier = self.services.classifier
        found = alert_for(
            turn, asked=self.run.asked if self.run else (), nlp=classifier.nlp if classifier else None
        )
        if found is None:
            alert.display = False
            return None
        alert.update(alert_text(found))
        alert.display = True
        return found.headline

    async def conversation_ended(self, closing: list[ReportLine]) -> None:
        """The report says their ``closing`` line: say so, lock the reply box, wait for Enter.
        The line and the notice go into the log together, in one layout of the screen."""
        self.over = True
        self.restart_clock()
        if self.services.room is not None:
            self.services.room.leave("finished")
        while self.queue:
            self.queue.popleft().item.fail("sent after the conversation ended")
        self.query_one(ReplyInput).disabled = True
        notice = EndNotice()
        await self.query_one("#log", VerticalScroll).mount(*closing, notice)
        # Focused without scrolling to it: the log is brought to its newest line in this pass,
        # and Textual's scroll to a focused widget is animated (a dozen frames).
        notice.focus(scroll_visible=False)
        self.refresh_bindings()  # the footer offers the scorecard now, not "End session"

    def result(self) -> PracticeResult | None:
        if self.run is None:
            return None
        return PracticeResult(self.run.session.transcript(), self.run.path, self.loaded)

    def stop(self) -> None:
        """The manager ends the session early: saved, marked unfinished."""
        if self.run is None or self.stopped:
            return
        self.over = self.stopped = True
        self.restart_clock()
        self.save_now(self.run.stop)

    # Keys.

    def action_show_scorecard(self) -> None:
        if self.run is not None and self.run.session.ended:
            self.dismiss(self.result())

    def action_end_session(self) -> None:
        if self.run is None:
            return  # nothing to end yet
        if self.run.session.ended:
            self.dismiss(self.result())
            return

        def answered(end: bool | None) -> None:
            if end:
                self.stop()
                self.dismiss(self.result())

        self.app.push_screen(ConfirmEnd(), answered)

    def action_close(self) -> None:
        """Escape: close the help and any open breakdown, and go back to typing."""
        self.remove_class("show-help")
        for item in self.query(ReplyItem):
            if item.expanded:
                item.set_expanded(False)
        self.focus_reply()

    def action_toggle_help(self) -> None:
        """Open the help with focus on it (so the arrow keys scroll it), or close it."""
        if self.has_class("show-help"):
            self.action_close()
        else:
            self.add_class("show-help")
            self.query_one(HelpDrawer).focus()

    def focus_reply(self) -> None:
        """Focus the reply box, or the end notice once the conversation is over."""
        box = self.query_one(ReplyInput)
        if not box.disabled:
            box.focus()
        else:
            for notice in self.query(EndNotice):
                notice.focus()

    def action_next_focus(self) -> None:
        """Tab from the reply box goes straight to the latest reply."""
        items = self.query(ReplyItem)
        if isinstance(self.focused, ReplyInput) and items:
            items.last().focus()
        else:
            self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dispute":
            focused = self.focused
            return isinstance(focused, ReplyItem) and focused.analysis is not None
        ended = self.run is not None and self.run.session.ended
        if action == "end_session":
            return not ended
        if action == "show_scorecard":
            return ended
        return True

    def action_dispute(self) -> None:
        item = self.focused
        if not isinstance(item, ReplyItem) or item.analysis is None:
            return

        def answered(dispute: DisputeChoice | None) -> None:
            if dispute is not None:
                self.record_dispute(item, dispute)

        self.app.push_screen(DisputeDialog(item.number, item.analysis.move), answered)

    def record_dispute(self, item: ReplyItem, dispute: DisputeChoice) -> None:
        """The manager says reply ``item.number`` was ``dispute.move``: saved on that turn of the
        transcript (scores keep the classifier's label) and shown beside the chip."""
        run = self.run
        if run is None:
            return
        try:
            run.dispute(item.number, dispute.move, dispute.comment)
        except CoachsimError as error:  # not a labelled reply, or the save failed
            self.notify(visible(error.message), severity="error", markup=False)
        else:
            item.dispute(dispute.move)
        self.show_status()
        item.focus()

    def on_key(self, event: events.Key) -> None:
        """A printable key that reached the screen instead of the reply box (typed before the box
        had focus, or on a reply in the log) goes to the box rather than being lost. A key with a
        job of its own here (d, ?) does that job, unless it follows keys already on their way to
        the box (a quick typist's "?" ends the question)."""
        box = self.query_one(ReplyInput)
        if box.disabled or box.has_focus or not (event.character and event.is_printable):
            return
        if event.key in self.active_bindings and not self.typing_to_box:
            return
        event.stop()
        if self.has_class("-narrow"):
            self.remove_class("show-help")  # it covers the reply box there: typing closes it
        self.typing_to_box = True
        box.focus()
        box.post_message(events.Key(event.key, event.character))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is not self.query_one(ReplyInput):
            self.typing_to_box = False

    def on_unmount(self) -> None:
        with contextlib.suppress(CoachsimError, OSError, sqlite3.Error):
            # the app is closing: nothing left to show a failure on
            if self.run is not None and not self.run.session.ended and not self.stopped:
                self.run.stop()
            elif self.run is None and self.waiting:
                self.save_unplayed()

    def save_unplayed(self) -> None:
        """Replies sent before the scenario loaded are kept when the app closes first."""
        from coachsim.practice import held_reply, save_unplayed

        replies = [held_reply(p.item.text, p.typed_after_s, p.sent_after_s) for p in self.waiting]
        save_unplayed(self.scenario_id, self.seed, replies, started=self.services.started())
