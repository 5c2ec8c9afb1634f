"""The conversation log: the brief, the report's lines, the manager's replies with their move
chips, and the notice that the conversation has ended."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding
from textual.visual import visualize
from textual.widgets import Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.render.analysis import reply_view
from coachsim.render.moves import MOVE_COLOURS, big_chip, chip
from coachsim.safetext import visible
from coachsim.tui.text import reflow


class BriefItem(Static):
    """The scenario's brief, first in the log: it scrolls with the conversation, so it is never cut."""

    def __init__(self, brief: str) -> None:
        super().__init__(Text.assemble(("Brief  ", "bold"), visible(reflow(brief))), classes="brief")


class ReportLine(Static):
    """Something the report said; ``pressed`` marks a push after the pressure clock ran out."""

    def __init__(self, name: str, text: str, pressed: bool = False) -> None:
        super().__init__(
            Text.assemble(
                ("pushing · " if pressed else "", "bold red"),
                (f"{visible(name, one_line=True)}: ", "bold"),
                visible(text),
            ),
            classes="report-line pressed" if pressed else "report-line",
        )


class EndNotice(Static, can_focus=True):
    """The conversation has ended; Enter opens the scorecard."""

    BINDINGS = [Binding("enter", "screen.show_scorecard", "Scorecard")]

    def __init__(self) -> None:
        super().__init__(
            Text("The conversation has ended — press Enter for your scorecard", style="bold"), id="ended"
        )


class ReplyItem(Static, can_focus=True):
    """A manager reply with its move chip; Enter or a click shows the per-sentence breakdown.

    An uncertain label reads as a guess (`` telling? ``, dim) and is never marked as a
    regression on its own; a reply the manager disputed shows what they meant beside the chip."""

    BINDINGS = [Binding("enter", "toggle_details", "Details")]

    def __init__(
        self, text: str, number: int, analysis: ReplyAnalysis | None = None, regression: bool = False
    ) -> None:
        super().__init__(classes="reply pending")
        self.text = text
        self.number = number
        self.analysis: ReplyAnalysis | None = None
        self.regression = False
        self.expanded = False
        self.failed = False
        self.note = "labelling…"
        #: Sent by the pressure clock running out, not by Enter.
        self.timed_out = False
        #: The move the manager says they meant, if they disputed the label.
        self.meant: str | None = None
        self._when_drawn: list[Callable[[], object]] = []
        if analysis is not None:
            self.label(analysis, regression)

    def on_mount(self) -> None:
        self.refresh_view()

    def when_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the reply has been drawn as it is now, after that frame is out."""
        self._when_drawn.append(callback)

    def render(self) -> RenderResult:
        # Called while a frame is laid out and drawn; what is scheduled here runs after the
        # frame has gone to the terminal.
        for callback in self._when_drawn:
            self.call_after_refresh(callback)
        self._when_drawn.clear()
        return super().render()

    def label(self, analysis: ReplyAnalysis, regression: bool) -> None:
        self.analysis = analysis
        self.regression = regression and not analysis.uncertain
        self.remove_class("pending")
        self.add_class(f"move-{analysis.move}")
        self.set_class(analysis.uncertain, "uncertain")
        self.set_class(self.regression, "regression")
        self.note = "regression" if self.regression else ""
        self.refresh_view()

    def fail(self, error: str) -> None:
        self.failed = True
        self.note = f"not labelled: {error}"
        self.add_class("failed")
        self.refresh_view()

    def dispute(self, move: str) -> None:
        self.meant = move
        self.refresh_view()

    @property
    def settled(self) -> bool:
        """Labelled, or given up on: nothing more will happen to this reply."""
        return self.analysis is not None or self.failed

    def refresh_view(self) -> None:
        head = Text.assemble(("You: ", "bold"), visible(self.text), " ")
        analysis = self.analysis
        large = analysis is not None and bool(getattr(self.app, "projector", False))
        if analysis is not None and not large:
            label = chip(analysis.move, analysis.uncertain)
            if analysis.uncertain:
                label.stylize("dim")
            head.append_text(label)
            head.append(f" {analysis.confidence:.2f}", style="dim")
        if self.note:
            head.append(f"  {self.note}", style="italic dim" if analysis is None else "bold red")
        if self.timed_out:
            head.append("  sent by the clock at 0 s", style="dim")
        if self.meant is not None:
            head.append("  you: ", style="dim")
            head.append(self.meant, style=f"bold {MOVE_COLOURS.get(self.meant, '')}".strip())
        parts: list[RenderableType] = [head]
        if large and analysis is not None:  # the projector's chip: its own three rows, then the score
            parts.append(big_chip(analysis.move, analysis.uncertain))
            parts.append(Text(f"{analysis.confidence:.2f}", style="dim"))
        if self.expanded and analysis is not None:
            parts.append(reply_view(analysis))
        if len(parts) > 1:
            self.update(Group(*parts))
        else:
            self.update(head, layout=not self.fits_as_before(head))

    def fits_as_before(self, head: Text) -> bool:
        """Whether ``head`` takes as many rows as what is shown now, so that redrawing the reply
        needs no layout of the screen (the chip beside the text, as a rule). Measured the way the
        widget measures itself."""
        width = self.content_size.width
        if not self.is_mounted or width <= 0 or self.expanded:
            return False
        rows = self.size.height - self.styles.gutter.height
        visual = visualize(self, head, markup=False)
        return visual.get_height(self.styles, width) == rows  # type: ignore[arg-type]  # as Widget does

    def action_toggle_details(self) -> None:
        self.set_expanded(not self.expanded)

    def set_expanded(self, expanded: bool) -> None:
        self.expanded = expanded
        self.refresh_view()

    def on_click(self) -> None:
        self.focus()
        self.action_toggle_details()
