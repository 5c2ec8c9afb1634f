"""Today's drill in the app: the moments where you slipped (then the packs' pull moments), one by one.

Each moment shows who is talking, a one-line reminder of the situation and their line; the reply is
labelled in the moment's context off the UI thread, its card is scheduled there too (``Deck.record``),
and the chip, the evidence, the alert and the verdict ("pass — back in 3 days") follow. Enter or n
goes on to the next moment; after the last, a summary. Every answer is recorded as it is given, so
quitting part way keeps them. The session is built (transcripts read, cards looked up) in a worker
once the app's catalog has loaded; the classifier is the app's own.
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
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from coachsim.drill.deck import SESSION_SIZE
from coachsim.drill.schedule import passes
from coachsim.safetext import visible
from coachsim.tui.services import Services, failure_text
from coachsim.tui.text import alert_text
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.reply_input import ReplyInput

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.drill.deck import Deck
    from coachsim.drill.moments import Moment
    from coachsim.drill.schedule import Card


def comes_back(card: Card, today: date) -> str:
    days = (card.due - today).days
    return "tomorrow" if days == 1 else f"in {days} days"


def verdict_text(move: str, card: Card, today: date) -> Text:
    """``pass — back in 3 days`` or ``slip — back tomorrow``."""
    ok = passes(move)
    return Text.assemble(
        ("pass" if ok else "slip", "bold green" if ok else "bold red"),
        f" — back {comes_back(card, today)}",
        ("   Enter: next", "dim"),
    )


@dataclass
class Answer:
    """A reply to the current moment, waiting for (or back from) the classifier."""

    item: ReplyItem
    moment: Moment


class DrillScreen(Screen[None]):
    """See the module docstring. Escape quits the app (answers given are already recorded)."""

    AUTO_FOCUS = "#reply"
    BINDINGS = [
        Binding("enter,n", "next_moment", "Next", priority=True),
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
    ) -> None:
        super().__init__()
        self.services = services
        self.n = n
        self.now = now
        self.deck: Deck | None = None
        self.moments: list[Moment] | None = None
        self.index = 0
        self.passed = 0
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
        yield ReplyInput(id="reply", cursor_blink=self.services.cursor_blink)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#drill-alert", Static).display = False
        self.query_one("#drill-verdict", Static).display = False
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
        self.refresh_bindings()

    def on_reply_input_submitted(self, message: ReplyInput.Submitted) -> None:
        if self.moments is None or self.finished or self.answer is not None:
            return
        item = ReplyItem(message.text, self.index + 1)
        self.query_one("#drill-log", VerticalScroll).mount(item)
        self.answer = Answer(item, self.moments[self.index])
        self.query_one(ReplyInput).disabled = True
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
        self.classify(answer.item.text, answer.moment)

    @work(thread=True, group="drill-label", exit_on_error=False)
    def classify(self, text: str, moment: Moment) -> None:
        classifier = self.services.classifier
        assert classifier is not None and self.deck is not None
        analysis = classifier.classify(text, context=list(moment.context))
        at = self.now()
        card = self.deck.record(moment.id, analysis.move, at)
        self.post_message(self.Labelled(analysis, card, at.date()))

    def on_drill_screen_labelled(self, message: Labelled) -> None:
        answer = self.answer
        if answer is None:
            return
        analysis = message.analysis
        answer.item.label(analysis, False)
        answer.item.set_expanded(True)  # the evidence, at once
        self.answered = True
        self.passed += passes(analysis.move)
        self.show_alert(answer, analysis)
        verdict = self.query_one("#drill-verdict", Static)
        verdict.update(verdict_text(analysis.move, message.card, message.today))
        verdict.display = True
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
            self.answer = None  # not recorded: the moment can be answered again
            box = self.query_one(ReplyInput)
            box.disabled = False
            box.focus()

    # Keys.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_moment":
            return self.answered and not self.finished
        return True

    def action_next_moment(self) -> None:
        if not self.answered or self.finished or self.moments is None:
            return
        if self.index + 1 < len(self.moments):
            self.index += 1
            self.show_moment()
            return
        self.finished = True
        self.head(
            Text.assemble(
                (f"{self.passed} of {len(self.moments)} passed", "bold"),
                ("  ·  every answer is recorded; Escape to quit", "dim"),
            )
        )
        self.query_one("#drill-verdict", Static).display = False
        self.query_one("#drill-alert", Static).display = False
        self.refresh_bindings()

    def action_quit_drill(self) -> None:
        self.app.exit()
