"""Small questions over the practice screen; each returns its answer with ``dismiss``."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from coachsim.classify.moves import MOVES
from coachsim.render.moves import MOVE_COLOURS, chip


class ConfirmEnd(ModalScreen[bool]):
    """ "End the session now? y/n": True to end it."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "End it"),
        Binding("n,escape", "dismiss(False)", "Keep going"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("End the session now? y/n", style="bold"))
            yield Static(Text("It is saved either way; the scorecard comes next.", style="dim"))


@dataclass(frozen=True)
class DisputeChoice:
    """The manager says a reply was another move, and perhaps why."""

    move: str
    comment: str | None = None


class DisputeDialog(ModalScreen[DisputeChoice | None]):
    """1-4 picks the move the manager meant; then an optional comment and Enter."""

    AUTO_FOCUS = ""  # nothing: the keys 1-4 come first, and the comment box opens after them
    BINDINGS = [
        Binding("1", "choose('coaching')", "Coaching", show=False),
        Binding("2", "choose('feedback')", "Feedback", show=False),
        Binding("3", "choose('mentoring')", "Mentoring", show=False),
        Binding("4", "choose('telling')", "Telling", show=False),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, number: int, labelled: str) -> None:
        super().__init__()
        self.number = number
        self.labelled = labelled
        self.move: str | None = None

    def compose(self) -> ComposeResult:
        choices = Text("Which move did you mean?\n")
        for index, move in enumerate(MOVES, start=1):
            if index > 1:
                choices.append("  ")
            choices.append(f"{index} ", style="bold")
            choices.append(move, style=MOVE_COLOURS[move])
        with Vertical(classes="dialog"):
            head = Text.assemble(f"Reply {self.number} was labelled ", chip(self.labelled), ".")
            yield Static(head, id="dispute-head")
            yield Static(choices, id="dispute-choices")
            comment = Input(placeholder="Why? (optional) Enter to save, Esc to cancel", id="dispute-comment")
            comment.display = False
            yield comment

    def action_choose(self, move: str) -> None:
        self.move = move
        self.query_one("#dispute-choices", Static).update(Text.assemble("I meant:  ", chip(move)))
        box = self.query_one(Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        if self.move is not None:
            self.dismiss(DisputeChoice(self.move, message.value.strip() or None))
