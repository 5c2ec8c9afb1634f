"""Today's drill in the app: the moments where you slipped (then the packs' pull moments), one by one.

Each moment shows who is talking, a one-line reminder of the situation and their line; the reply is
labelled in the moment's context off the UI thread, its card is scheduled there too (``Deck.record``),
and the chip, the evidence, the alert and the verdict follow ("pass — back in 3 days", "slip — back
tomorrow", or a hold for feedback or an uncertain label, back tomorrow in the same box). Enter or n
goes on to the next moment; F4 skips a moment still waiting for its reply (nothing is recorded;
Ctrl+N is the reply box's new line); after the last, a summary with how many were skipped. Every
answer is recorded as it is given, so quitting part way keeps them. The session is built
(transcripts and meeting records read, cards looked up) in a worker once the app's catalog has
loaded; the classifier is the app's own.

In pressure mode (``coachsim drill --pressure``) each moment has a countdown, as in practice: at
zero what is typed is sent, and with nothing typed the speaker pushes harder and the clock restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from coachsim.drill.deck import SESSION_SIZE
from coachsim.drill.schedule import Outcome, session_summary, verdict
from coachsim.safetext import visible
from coachsim.tui.screens.timed import TimedReplyScreen
from coachsim.tui.services import Services, failure_text
from coachsim.tui.text import alert_text
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.countdown import Countdown
from coachsim.tui.widgets.footer import SteadyFooter
from coachsim.tui.widgets.reply_input import ReplyInput

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.drill.deck import Deck
    from coachsim.drill.moments import Moment
    from coachsim.drill.schedule import Card


_OUTCOME_STYLES: dict[Outcome, str] = {"pass": "bold green", "slip": "bold red", "hold": "bold yellow"}


def verdict_text(card: Card, today: date) -> Text:
    """The verdict on ``card``'s last answer: ``pass — back in 3 days``, ``slip — back tomorrow``,
    ``hold — not a slip, …; back tomorrow`` or ``unsure of the label — back tomorrow``."""
    answer = card.history[-1]
    head, rest = verdict(answer, card, today)
    return Text.assemble(
        (head, _OUTCOME_STYLES[answer.outcome]),
        f" — {rest}",
        ("   Enter: next", "dim"),
    )


@dataclass
class Answer:
    """A reply to the current moment, waiting for (or back from) the classifier."""

    item: ReplyItem
    moment: Moment
    #: What the speaker said when the pressure clock ran out before the reply, oldest first.
    pushes: tuple[str, ...] = ()


class DrillScreen(TimedReplyScreen[None]):
    """See the module docstring. Escape quits the app (answers given are already recorded)."""

    AUTO_FOCUS = "#reply"
    BINDINGS = [
        Binding("enter,n", "next_moment", "Next", priority=True),
        # F4, not Ctrl+N: the reply box uses Ctrl+N for a new line.
        Binding("f4", "skip_moment", "Skip", priority=True),
        Binding("escape", "quit_drill", "Quit", show=False),  # the footer shows ^q
    ]

    class SessionBuilt(Message):
        def __init__(self, deck: Deck, moments: list[Moment]) -> None:
            super().__init__()
            self.deck = deck
            self.moments = moments

    class Labelled(Message):
        def __init__(self, analysis: ReplyAnalysis, card: Card, today: date) -> None:
            super().__init__()
            self.analysis = analysis
            self.card = card
            self.today = today

    def __init__(
        self,
        services: Services,
        n: int = SESSION_SIZE,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        pressure: int | None = None,
    ) -> None:
        """``pressure``: None for no clock, 0 for each moment's default, else seconds per reply."""
        super().__init__()
        self.services = services
        self.pressure = pressure
        #: The speaker's pushes on the current moment (pressure mode), oldest first.
        self.pushes: list[str] = []
        self.n = n
        self.now = now
        self.deck: Deck | None = None
        self.moments: list[Moment] | None = None
        self.index = 0
        self.outcomes: dict[str, int] = {"pass": 0, "slip": 0, "hold": 0, "skipped": 0}
        #: The reply to the current moment: sent, waiting to be labelled, or labelled.
        self.answer: Answer | None = None
        self.answered = False
        self.finished = False
        self.building = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading today's drill…", style="italic"), id="drill-head")
        yield VerticalScroll(id="drill-log")
        yield Static("", id="drill-alert")
        yield Static("", id="drill-verdict")
        yield Countdown(id="countdown")
        yield ReplyInput(id="reply", cursor_blink=self.services.cursor_blink)
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#drill-alert", Static).display = False
        self.query_one("#drill-verdict", Static).display = False
        self.query_one(Countdown).display = False
        if self.pressure is not None:
            self.start_ticking()
        if self.services.catalog is not None:
            self.catalog_ready()

    # Loads finishing (the app calls these).

    def catalog_ready(self) -> None:
        if self.building or self.moments is not None or self.services.catalog is None:
            return
        self.building = True
        self.build_session(self.services.catalog)

    def catalog_failed(self) -> None:
        self.head(Text("The scenarios could not load, so there is nothing to drill.", style="bold red"))
        self.query_one(ReplyInput).disabled = True

    def classifier_ready(self) -> None:
        if self.answer is not None and not self.answered:
            self.label(self.answer)

    def classifier_failed(self) -> None:
        if self.answer is not None and not self.answered:
            self.answer.item.fail("the classifier could not load")

    # The session.

    @work(thread=True, group="drill-session", exit_on_error=False)
    def build_session(self, catalog: Any) -> None:
        from coachsim import locations
        from coachsim.drill.deck import Deck
        from coachsim.drill.moments import known_moments

        deck = Deck.open()
        moments = known_moments(locations.transcripts_dir(), catalog)
        self.post_message(self.SessionBuilt(deck, deck.session(moments, n=self.n, today=self.now().date())))

    def on_drill_screen_session_built(self, message: SessionBuilt) -> None:
        self.deck, self.moments = message.deck, message.moments
        if not self.moments:
            self.finished = True
            self.head(Text("Nothing to drill today: no moment is due. Come back tomorrow.", style="bold"))
            self.query_one(ReplyInput).disabled = True
            return
        self.show_moment()

    def head(self, text: Text) -> None:
        self.query_one("#drill-head", Static).update(text)

    def show_moment(self) -> None:
        assert self.moments is not None
        moment = self.moments[self.index]
        self.answer, self.answered = None, False
        self.head(
            Text.assemble(
                (f"Moment {self.index + 1} of {len(self.moments)}", "bold"),
                "  ·  ",
                (visible(moment.persona, one_line=True), "bold"),
                "\n",
                (visible(moment.reminder, one_line=True), "italic"),
            )
        )
        log = self.query_one("#drill-log", VerticalScroll)
        log.remove_children()
        log.mount(ReportLine(moment.persona, moment.prompt))
        self.query_one("#drill-alert", Static).display = False
        self.query_one("#drill-verdict", Static).display = False
        box = self.query_one(ReplyInput)
        box.disabled = False
        box.focus()
        self.pushes = []
        self.start_clock(moment)
        self.refresh_bindings()

    # Pressure mode.

    def start_clock(self, moment: Moment) -> None:
        if self.pressure is None:
            return
        from coachsim.drill.pressure import moment_seconds
        from coachsim.scenario.pressure import ReplyClock

        seconds = moment_seconds(moment, self.services.catalog, self.pressure or None)
        self.reply_clock = ReplyClock(seconds, self.services.clock)
        self.reply_clock.start()
        self.show_countdown()

    def stop_clock(self) -> None:
        if self.reply_clock is not None:
            self.reply_clock.stop()
            self.show_countdown()

    def time_up(self) -> None:
        """Zero: what is typed is sent as it is; with nothing typed the speaker pushes harder."""
        from coachsim.drill.pressure import moment_push

        if self.moments is None or self.finished or self.answer is not None or self.reply_clock is None:
            return
        text = self.query_one(ReplyInput).take()
        if text is not None:
            self.send(text, timed_out=True)
            return
        moment = self.moments[self.index]
        line = moment_push(moment, len(self.pushes) + 1, self.services.catalog)
        self.pushes.append(line)
        log = self.query_one("#drill-log", VerticalScroll)
        log.mount(ReportLine(moment.persona, line, pressed=True))
        log.scroll_end(animate=False)
        self.reply_clock.start()

    def on_reply_input_submitted(self, message: ReplyInput.Submitted) -> None:
        self.send(message.text)

    def send(self, text: str, timed_out: bool = False) -> None:
        """A reply to the moment (Enter, or the pressure clock at zero): shown, then labelled."""
        if self.moments is None or self.finished or self.answer is not None:
            return
        self.stop_clock()
        item = ReplyItem(text, self.index + 1)
        item.timed_out = timed_out
        self.query_one("#drill-log", VerticalScroll).mount(item)
        self.answer = Answer(item, self.moments[self.index], tuple(self.pushes))
        self.query_one(ReplyInput).disabled = True
        self.refresh_bindings()  # no skipping a sent reply
        if self.services.classifier_error:
            item.fail("the classifier could not load")
        elif self.services.classifier is None:
            item.note = "waiting for the classifier…"
            item.refresh_view()
        else:
            self.label(self.answer)

    def label(self, answer: Answer) -> None:
        answer.item.note = "labelling…"
        answer.item.refresh_view()
        self.classify(answer.item.text, answer.moment, answer.pushes)

    @work(thread=True, group="drill-label", exit_on_error=False)
    def classify(self, text: str, moment: Moment, pushes: tuple[str, ...] = ()) -> None:
        classifier = self.services.classifier
        assert classifier is not None and self.deck is not None
        context = [*moment.context, *({"speaker": "report", "text": line} for line in pushes)]
        analysis = classifier.classify(text, context=context)
        at = self.now()
        card = self.deck.record(moment.id, analysis.move, at, analysis.uncertain)
        self.post_message(self.Labelled(analysis, card, at.date()))

    def on_drill_screen_labelled(self, message: Labelled) -> None:
        answer = self.answer
        if answer is None:
            return
        analysis = message.analysis
        answer.item.label(analysis, False)
        answer.item.set_expanded(True)  # the evidence, at once
        self.answered = True
        self.outcomes[message.card.history[-1].outcome] += 1
        self.show_alert(answer, analysis)
        shown = self.query_one("#drill-verdict", Static)
        shown.update(verdict_text(message.card, message.today))
        shown.display = True
        self.query_one("#drill-log", VerticalScroll).scroll_end(animate=False)
        self.set_focus(None)
        self.refresh_bindings()

    def show_alert(self, answer: Answer, analysis: ReplyAnalysis) -> None:
        from coachsim.scenario.alternatives import alert_for

        classifier = self.services.classifier
        found = alert_for(
            analysis,
            pull=True,  # every drill moment pulls for the answer
            asked=[answer.item.text],
            nlp=classifier.nlp if classifier is not None else None,
            regression=analysis.move in ("telling", "mentoring"),
        )
        alert = self.query_one("#drill-alert", Static)
        if found is None:
            alert.display = False
            return
        alert.update(alert_text(found))
        alert.display = True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        if worker.group not in ("drill-session", "drill-label") or event.state != WorkerState.ERROR:
            return
        event.stop()
        error = visible(failure_text(worker.error), one_line=True)
        if worker.group == "drill-session":
            self.head(Text(f"The drill could not start: {error}", style="bold red"))
            self.query_one(ReplyInput).disabled = True
        elif self.answer is not None:
            self.answer.item.fail(error)
            self.answer = None  # not recorded: the moment can be answered again (or skipped)
            box = self.query_one(ReplyInput)
            box.disabled = False
            box.focus()
            if self.moments is not None:
                self.start_clock(self.moments[self.index])
            self.refresh_bindings()

    # Keys.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_moment":
            return self.answered and not self.finished
        if action == "skip_moment":
            return self.can_skip
        return True

    @property
    def can_skip(self) -> bool:
        """A moment is on screen and no reply to it has been sent (or its labelling failed)."""
        return bool(self.moments) and not self.finished and self.answer is None

    def action_skip_moment(self) -> None:
        """Go on without answering: nothing is recorded, the card stays as it was."""
        if not self.can_skip:
            return
        self.outcomes["skipped"] += 1
        self.query_one(ReplyInput).clear()  # a draft for this moment is not a reply to the next
        self.advance()

    def action_next_moment(self) -> None:
        if not self.answered or self.finished or self.moments is None:
            return
        self.advance()

    def advance(self) -> None:
        """The next moment, or after the last one the summary."""
        assert self.moments is not None
        if self.index + 1 < len(self.moments):
            self.index += 1
            self.show_moment()
            return
        self.finished = True
        self.stop_clock()
        counts = self.outcomes
        summary = session_summary(counts["pass"], len(self.moments), counts["hold"], counts["skipped"])
        self.head(
            Text.assemble(
                (summary, "bold"),
                ("  ·  every answer is recorded; Escape to quit", "dim"),
            )
        )
        self.query_one("#drill-verdict", Static).display = False
        self.query_one("#drill-alert", Static).display = False
        self.query_one(ReplyInput).disabled = True  # after skipping the last moment it was open
        self.refresh_bindings()

    def action_quit_drill(self) -> None:
        self.app.exit()
