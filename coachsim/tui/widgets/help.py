"""The help drawer: the seven Coaching Habit questions and the four moves."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from coachsim.classify.moves import COACHING_HABIT_QUESTIONS
from coachsim.render.moves import chip

MOVE_HELP = {
    "coaching": "An open question or a reflection: they do the thinking.",
    "feedback": "Specific behaviour you saw, and its impact.",
    "mentoring": "Your own experience, offered for them to weigh.",
    "telling": "An instruction, a decision, or advice dressed as a question.",
}


class HelpDrawer(Static):
    """Shown and hidden with ? or F1."""

    def on_mount(self) -> None:
        parts = [Text("The seven questions", style="bold")]
        parts += [Text(f"• {q}") for q in COACHING_HABIT_QUESTIONS.values()]
        parts.append(Text("\nThe four moves", style="bold"))
        for move, text in MOVE_HELP.items():
            parts.append(Text.assemble(chip(move), " ", text))
        parts.append(Text("\nA regression is telling or mentoring after you have coached.", style="italic"))
        parts.append(
            Text(
                "\nKeys: Enter send · Ctrl+N new line · Tab to a reply, Enter for details\n"
                "Ctrl+E end · F2 projector · ? help · Ctrl+Q quit",
                style="dim",
            )
        )
        self.update(Group(*parts))
