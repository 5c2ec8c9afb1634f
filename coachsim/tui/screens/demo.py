"""Facilitator demo: step through an example run, label by label, and try other replies live."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.errors import CoachsimError
from coachsim.render.analysis import reply_view
from coachsim.safetext import has_visible_text, visible
from coachsim.scenario.loader import LoadedScenario
from coachsim.scenario.session import Session
from coachsim.tui.messages import ReplyFailed, ReplyLabelled
from coachsim.tui.widgets.chat import ReplyItem, ReportLine


@dataclass(frozen=True)
class DemoStep:
    """One manager reply of the run, its label, and the report's answer."""

    reply: str
    analysis: ReplyAnalysis
    regression: bool
    report_line: str | None


class DemoScreen(Screen):
    BINDINGS = [
        Binding("space,right", "next", "Next"),
        Binding("left", "back", "Back"),
        Binding("slash", "try_reply", "Try a reply"),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, loaded: LoadedScenario, run_name: str) -> None:
        super().__init__()
        if run_name not in loaded.scenario.examples:
            known = ", ".join(loaded.scenario.examples) or "none"
            raise CoachsimError(
                f"scenario '{loaded.scenario.id}' has no example run '{run_name}'; runs: {known}"
            )
        self.loaded = loaded
        self.run_name = run_name
        self.opening = ""
        self.steps: list[DemoStep] = []
        self.shown = 0

    def compose(self) -> ComposeResult:
        scenario = self.loaded.scenario
        yield Static(
            Text.assemble(
                (f"Demo · {visible(scenario.title, one_line=True)}", "bold"),
                f" · run '{self.run_name}'",
                ("  Space/→ next · ← back · / try a reply", "dim"),
            ),
            id="demo-title",
        )
        with Horizontal(id="demo"):
            yield VerticalScroll(id="log")
            yield VerticalScroll(
                Static("Type a reply below to see what the classifier makes of it.", id="try-result"),
                id="try-panel",
            )
        yield Input(placeholder="Try an alternative reply and press Enter", id="try")
        yield Footer()

    def on_mount(self) -> None:
        if getattr(self.app, "classifier", None) is not None:
            self.prepare()
        else:
            self.query_one("#log", VerticalScroll).mount(Static("Loading the classifier…", id="demo-loading"))

    def classifier_ready(self) -> None:
        for widget in self.query("#demo-loading"):
            widget.remove()
        self.prepare()

    def prepare(self) -> None:
        session = Session(self.loaded.scenario, self.app.classifier, seed=0)
        self.opening = session.opening()
        self.steps = []
        for reply in self.loaded.scenario.examples[self.run_name].replies:
            if session.ended:
                break
            turn = session.reply(reply)
            self.steps.append(DemoStep(reply, turn.reply, turn.regression, turn.report_line))
        self.shown = 0
        self.render_log()

    def render_log(self) -> None:
        log = self.query_one("#log", VerticalScroll)
        log.remove_children()
        name = self.loaded.scenario.persona.name
        widgets: list = [ReportLine(name, self.opening)]
        for number, step in enumerate(self.steps[: self.shown], start=1):
            widgets.append(ReplyItem(step.reply, number, step.analysis, step.regression))
            if step.report_line:
                widgets.append(ReportLine(name, step.report_line))
        if self.shown == len(self.steps) and self.steps:
            widgets.append(Static(Text("End of the run.", style="italic dim")))
        log.mount_all(widgets)
        log.scroll_end(animate=False)

    def action_next(self) -> None:
        if self.shown < len(self.steps):
            self.shown += 1
            self.render_log()

    def action_back(self) -> None:
        if self.shown > 0:
            self.shown -= 1
            self.render_log()

    def action_try_reply(self) -> None:
        self.query_one("#try", Input).focus()

    def action_leave(self) -> None:
        self.app.switch_to_home()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        text = message.value.strip()
        message.input.clear()
        if not has_visible_text(text) or getattr(self.app, "classifier", None) is None:
            return
        self.query_one("#try-result", Static).update(Text("labelling…", style="italic"))
        self.classify(text, self.context())

    def context(self) -> list[dict[str, str]]:
        """The conversation as shown so far: what a tried reply answers."""
        turns = [{"speaker": "report", "text": self.opening}]
        for step in self.steps[: self.shown]:
            turns.append({"speaker": "manager", "text": step.reply})
            if step.report_line:
                turns.append({"speaker": "report", "text": step.report_line})
        return turns[-6:]

    @work(thread=True, group="try", exclusive=True)
    def classify(self, text: str, context: list[dict[str, str]]) -> None:
        try:
            analysis = self.app.classifier.classify(text, context=context)
        except Exception as error:
            self.post_message(ReplyFailed(text, str(error)))
            return
        self.post_message(ReplyLabelled(text, analysis, None, None))

    def on_reply_labelled(self, message: ReplyLabelled) -> None:
        self.query_one("#try-result", Static).update(reply_view(message.analysis, title="your reply"))

    def on_reply_failed(self, message: ReplyFailed) -> None:
        self.query_one("#try-result", Static).update(
            Text(f"Could not label it: {message.error}", style="red")
        )
