"""Facilitator demo: step through an example run label by label, and try other replies live.

Space/→ shows the next scripted reply with its chip, its alert and the persona's answer; ← steps
back. ``/`` opens the try box: a tried reply is labelled and answered by the persona, and the demo
continues from that branch until ← returns to the script. The run is replayed in a worker, so
Space presses made while the classifier loads are queued and applied once it is ready.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError
from coachsim.render.analysis import reply_view
from coachsim.render.moves import MOVE_STYLES
from coachsim.safetext import has_visible_text, visible
from coachsim.tui.screens.demo_run import DemoRun, DemoStep, DemoSummary
from coachsim.tui.text import alert_text
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.footer import SteadyFooter

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier
    from coachsim.scenario.loader import LoadedScenario
    from coachsim.tui.app import CoachsimApp


def summary_text(summary: DemoSummary, name: str) -> Text:
    """The end of the run: ending, goal, move mix, regressions and the persona's last line."""
    text = Text()
    if summary.ending:
        text.append(f"Ending: {visible(summary.ending, one_line=True)} · ", style="bold")
        text.append(f"{visible(summary.outcome or '')}\n")
    met = summary.goal.met
    text.append("Goal met ✓  " if met else "Goal not met ✗  ", style="bold green" if met else "bold red")
    reason = summary.goal.reason
    text.append(("" if reason == "goal met" else visible(reason)) + "\n")
    text.append("Move mix: ", style="bold")
    for move in MOVES:
        text.append(f" {move} {summary.counts.get(move, 0)} ", style=MOVE_STYLES[move])
        text.append(" ")
    regressions = summary.regressions
    text.append("\nRegressions: ", style="bold")
    text.append(f"{len(regressions)} (reply {', '.join(map(str, regressions))})" if regressions else "none")
    if summary.last_line:
        text.append(f"\n{visible(name, one_line=True)}'s last line: ", style="bold")
        text.append(f"“{visible(summary.last_line)}”", style="italic")
    return text


class DemoLog(VerticalScroll, inherit_bindings=False):
    """The conversation log: scrolls up and down, leaves ← and → to the demo's steps, and keeps the
    newest line in view when the log grows or shrinks (an alert appearing under it, say)."""

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll Up", show=False),
        Binding("down", "scroll_down", "Scroll Down", show=False),
        Binding("home", "scroll_home", "Scroll Home", show=False),
        Binding("end", "scroll_end", "Scroll End", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
    ]

    def watch_virtual_size(self) -> None:
        self.scroll_end(animate=False)

    def on_resize(self) -> None:
        self.scroll_end(animate=False)


class DemoScreen(Screen):
    """The demo of one example run; see the module docstring."""

    BINDINGS = [
        Binding("space,right", "next", "Next", key_display="space/→"),
        Binding("left", "back", "Back", key_display="←"),
        Binding("slash", "try_reply", "Try a reply"),
        Binding("escape", "leave", "Home"),
    ]

    class Prepared(Message):
        """The run has been replayed and labelled."""

        def __init__(self, demo: DemoRun) -> None:
            super().__init__()
            self.demo = demo

    class Tried(Message):
        """A tried reply was labelled and answered (``step``), or could not be (``error``)."""

        def __init__(self, base: tuple[int, int], step: DemoStep | None, error: str | None = None) -> None:
            super().__init__()
            self.base = base
            self.step = step
            self.error = error

    class Failed(Message):
        """The run could not be replayed."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, loaded: LoadedScenario, run_name: str) -> None:
        super().__init__()
        if run_name not in loaded.scenario.examples:
            known = ", ".join(loaded.scenario.examples) or "none"
            raise CoachsimError(
                f"scenario '{loaded.scenario.id}' has no example run '{run_name}'; runs: {known}"
            )
        self.loaded = loaded
        self.run_name = run_name
        self.demo: DemoRun | None = None
        #: Scripted steps shown, and the replies tried after them (a branch; empty on the script).
        self.shown = 0
        self.tried: list[DemoStep] = []
        #: Steps asked for before the run was ready, applied once it is.
        self.queued = 0
        #: The reply being labelled in the worker, if any.
        self.trying: str | None = None
        self.problem: str | None = None
        self._preparing = False
        self._render_lock = asyncio.Lock()

    @property
    def coach(self) -> CoachsimApp:
        return cast("CoachsimApp", self.app)

    @property
    def base(self) -> tuple[int, int]:
        """Where the demo stands: scripted steps shown and replies tried after them."""
        return (self.shown, len(self.tried))

    @property
    def visible_steps(self) -> list[DemoStep]:
        return [] if self.demo is None else [*self.demo.steps[: self.shown], *self.tried]

    @property
    def ended(self) -> bool:
        steps = self.visible_steps
        return bool(steps) and steps[-1].turn.ended

    def compose(self) -> ComposeResult:
        yield Static("", id="demo-title")
        with Horizontal(id="demo"):
            yield DemoLog(id="log")
            with VerticalScroll(id="try-panel"):
                yield Static(
                    Text.assemble(("Goal\n", "bold"), visible(self.loaded.scenario.goal.text.strip())),
                    id="demo-goal",
                )
                yield Static("", id="try-result")
        yield Static("", id="alert")
        yield Input(placeholder="Try another reply here and press Enter (Esc: back to the log)", id="try")
        yield SteadyFooter(show_command_palette=False)

    async def on_mount(self) -> None:
        self.query_one("#alert", Static).display = False
        self.query_one("#log", VerticalScroll).focus()
        if self.coach.classifier is not None:
            self.start_preparing()
        elif self.coach.classifier_error:
            self.problem = f"The classifier failed to load: {self.coach.classifier_error}"
        await self.show()

    def classifier_ready(self) -> None:
        self.start_preparing()

    def classifier_failed(self) -> None:
        self.problem = f"The classifier failed to load: {self.coach.classifier_error}"
        self.call_later(self.show)

    def start_preparing(self) -> None:
        """Replay the run once (the app may announce the classifier after this screen saw it)."""
        classifier = self.coach.classifier
        if classifier is not None and not self._preparing:
            self._preparing = True
            self.prepare(classifier)

    @work(thread=True, exclusive=True, group="demo-prepare")
    def prepare(self, classifier: Classifier) -> None:
        try:
            demo = DemoRun(self.loaded.scenario, self.run_name, classifier)
        except Exception as error:  # a failure must leave the screen usable
            self.post_message(self.Failed(f"The run could not be replayed: {error}"))
            return
        self.post_message(self.Prepared(demo))

    async def on_demo_screen_prepared(self, message: Prepared) -> None:
        self.demo = message.demo
        self.shown = min(self.queued, len(self.demo.steps))
        self.queued = 0
        await self.show()

    async def on_demo_screen_failed(self, message: Failed) -> None:
        self.problem = message.error
        await self.show()

    async def action_next(self) -> None:
        if self.demo is None:
            if self.problem is None:
                self.queued += 1
                await self.show()
            return
        if self.tried:
            self.notify("This is a tried reply: ← goes back to the script, / tries another.")
            return
        if self.shown < len(self.demo.steps):
            self.shown += 1
            await self.show()

    async def action_back(self) -> None:
        if self.demo is None:
            self.queued = max(0, self.queued - 1)
        elif self.tried:
            self.tried = []
        elif self.shown > 0:
            self.shown -= 1
        else:
            return
        self.trying = None
        await self.show()

    def action_try_reply(self) -> None:
        self.query_one("#try", Input).focus()

    def action_leave(self) -> None:
        if self.focused is self.query_one("#try", Input):
            self.query_one("#log", VerticalScroll).focus()
            return
        self.coach.switch_to_home()

    async def on_input_submitted(self, message: Input.Submitted) -> None:
        text = message.value.strip()
        if not has_visible_text(text):
            return
        if self.demo is None:
            self.notify("The classifier is still loading: try again in a moment.")
            return
        if self.trying is not None:
            self.notify("Still labelling the last reply.")
            return
        if self.ended:
            self.notify("The conversation has ended: press Esc, then ← to try a reply earlier.")
            return
        message.input.clear()
        self.trying = text
        await self.show()
        self.try_reply(self.demo, self.base, tuple(self.tried), text)

    @work(thread=True, exclusive=True, group="demo-try")
    def try_reply(self, demo: DemoRun, base: tuple[int, int], tried: Sequence[DemoStep], text: str) -> None:
        try:
            step = demo.try_reply(base[0], tried, text)
        except Exception as error:  # a failure must leave the screen usable
            reason = error.message if isinstance(error, CoachsimError) else str(error)
            self.post_message(self.Tried(base, None, reason))
            return
        self.post_message(self.Tried(base, step))

    async def on_demo_screen_tried(self, message: Tried) -> None:
        if message.base != self.base or self.trying is None:
            return  # the facilitator stepped elsewhere meanwhile
        self.trying = None
        if message.step is not None:
            self.tried.append(message.step)
        else:
            self.notify(f"Could not label it: {visible(message.error or '')}", severity="error", markup=False)
        await self.show()

    async def show(self) -> None:
        """Bring everything on screen up to date with where the demo stands."""
        async with self._render_lock:
            self.query_one("#demo-title", Static).update(self.title_text())
            self.show_alert()
            self.query_one("#try-result", Static).update(self.panel())
            log = self.query_one("#log", VerticalScroll)
            with self.app.batch_update():
                await log.remove_children()
                await log.mount_all(self.log_widgets())
            log.scroll_end(animate=False)  # after the next refresh, once the new items are laid out

    def title_text(self) -> Text:
        scenario = self.loaded.scenario
        text = Text.assemble(
            (f"Demo {visible(scenario.title, one_line=True)} · ", "bold"),
            f"run {visible(self.run_name, one_line=True)} · ",
        )
        if self.demo is not None:
            text.append(
                f"reply {self.shown} of {len(self.demo.steps)}{' + ' if self.tried else ''}", style="dim"
            )
            if self.tried:
                text.append(f"{len(self.tried)} tried", style="bold")
        return text

    def log_widgets(self) -> list[Widget]:
        name = self.loaded.scenario.persona.name
        if self.demo is None:
            return [Static(Text(self.problem or self.loading_note(), style="italic"), id="demo-loading")]
        widgets: list[Widget] = [ReportLine(name, self.demo.opening)]
        for number, step in enumerate(self.visible_steps, start=1):
            if step.tried and number == self.shown + 1:
                widgets.append(
                    Static(Text("Tried from here · ← back to the script", style="bold"), classes="branch")
                )
            item = ReplyItem(step.text, number, step.turn.reply, step.turn.regression)
            item.set_class(step.tried, "tried")
            widgets.append(item)
            if step.turn.report_line:
                widgets.append(ReportLine(name, step.turn.report_line))
        if self.trying is not None:
            widgets.append(ReplyItem(self.trying, len(self.visible_steps) + 1))
        if self.ended:
            summary = self.demo.summary(self.shown, self.tried)
            box = Static(summary_text(summary, name), id="demo-summary")
            box.border_title = "End of the run"
            widgets.append(box)
        return widgets

    def loading_note(self) -> str:
        note = "Loading the classifier…"
        if self.queued:
            note += f" {self.queued} step{'' if self.queued == 1 else 's'} queued."
        return note

    def show_alert(self) -> None:
        alert = self.query_one("#alert", Static)
        steps = self.visible_steps
        latest = steps[-1].alert if steps and self.trying is None else None
        alert.display = latest is not None
        if latest is not None:
            alert.update(alert_text(latest))

    def panel(self) -> RenderableType:
        """The side panel: the breakdown of the latest reply, or what to do next."""
        if self.demo is None:
            return Text(self.problem or "Loading the classifier…", style="italic")
        if self.trying is not None:
            return Text(f"Labelling “{visible(self.trying)}”…", style="italic")
        steps = self.visible_steps
        if not steps:
            return Text("Space or → shows the first reply. / tries one of your own.", style="dim")
        latest = steps[-1]
        title = "tried reply" if latest.tried else f"reply {len(steps)}"
        return Group(Text(""), reply_view(latest.turn.reply, title=title))
