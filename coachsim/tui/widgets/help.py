"""The help drawer: the seven Coaching Habit questions, the four moves and the keys."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coachsim.classify.moves import COACHING_HABIT_QUESTIONS
from coachsim.render.moves import chip

MOVE_HELP = {
    "coaching": "An open question or a reflection: they do the thinking.",
    "feedback": "Specific behaviour you saw, and its impact.",
    "mentoring": "Your own experience, offered for them to weigh.",
    "telling": "An instruction, a decision, or advice dressed as a question.",
}

#: Each key on its own row, so a narrow drawer wraps the words, never the keys.
KEYS = (
    ("Enter", "send your reply"),
    ("Ctrl+N", "a new line in the reply"),
    ("Tab", "to your last reply; Enter opens its breakdown"),
    ("d", "on a reply: say which move you meant"),
    ("Esc", "close help or a breakdown, back to typing"),
    ("Ctrl+E", "end the session (asks first)"),
    ("F2", "projector layout"),
    ("Ctrl+Q", "quit (Ctrl+C too); the session is kept"),
)


def help_text() -> RenderableType:
    parts: list[RenderableType] = [Text("The seven questions", style="bold")]
    parts += [Text(f"• {q}") for q in COACHING_HABIT_QUESTIONS.values()]
    parts.append(Text("\nThe four moves", style="bold"))
    moves = Table.grid(padding=(0, 1))
    moves.add_column(no_wrap=True)
    moves.add_column()
    for move, text in MOVE_HELP.items():
        moves.add_row(chip(move), text)
    parts.append(moves)
    parts.append(Text("A regression is telling or mentoring after you have coached.", style="italic"))
    parts.append(Text("\nKeys", style="bold"))
    keys = Table.grid(padding=(0, 1))
    keys.add_column(no_wrap=True, style="bold")
    keys.add_column(style="dim")
    for key, what in KEYS:
        keys.add_row(key, what)
    parts.append(keys)
    return Group(*parts)


class HelpDrawer(VerticalScroll):
    """Shown and hidden with ? or F1; scrolls when the terminal is too short for it."""

    def compose(self) -> ComposeResult:
        yield Static(help_text(), id="help-body")
