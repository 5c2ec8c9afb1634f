"""The conversation log: the report's lines and the manager's replies with their move chips."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.render.analysis import reply_view
from coachsim.render.moves import chip
from coachsim.safetext import visible


class ReportLine(Static):
    """Something the report said."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(
            Text.assemble((f"{visible(name, one_line=True)}: ", "bold"), visible(text)), classes="report-line"
        )


class ReplyItem(Static, can_focus=True):
    """A manager reply with its move chip; Enter or a click shows the per-sentence breakdown."""

    BINDINGS = [Binding("enter", "toggle", "Details", show=False)]

    def __init__(
        self, text: str, number: int, analysis: ReplyAnalysis | None = None, regression: bool = False
    ) -> None:
        super().__init__(classes="reply pending")
        self.text = text
        self.number = number
        self.analysis: ReplyAnalysis | None = None
        self.expanded = False
        self.failed = False
        self.note = "labelling…"
        if analysis is not None:
            self.label(analysis, regression)

    def on_mount(self) -> None:
        self.refresh_view()

    def label(self, analysis: ReplyAnalysis, regression: bool) -> None:
        self.analysis = analysis
        self.remove_class("pending")
        self.add_class(f"move-{analysis.move}")
        self.set_class(regression, "regression")
        self.note = "regression" if regression else ""
        self.refresh_view()

    def fail(self, error: str) -> None:
        self.failed = True
        self.note = f"not labelled: {error}"
        self.add_class("failed")
        self.refresh_view()

    @property
    def settled(self) -> bool:
        """Labelled, or given up on: nothing more will happen to this reply."""
        return self.analysis is not None or self.failed

    def refresh_view(self) -> None:
        head = Text.assemble(("You: ", "bold"), visible(self.text), " ")
        if self.analysis is not None:
            head.append_text(chip(self.analysis.move, self.analysis.uncertain))
            head.append(f" {self.analysis.confidence:.2f}", style="dim")
        if self.note:
            head.append(f"  {self.note}", style="italic dim" if self.analysis is None else "bold red")
        if self.expanded and self.analysis is not None:
            self.update(Group(head, reply_view(self.analysis)))
        else:
            self.update(head)

    def action_toggle(self) -> None:
        self.expanded = not self.expanded
        self.refresh_view()

    def on_click(self) -> None:
        self.focus()
        self.action_toggle()
