"""A readable view of one classified reply: its move, each sentence, the cues and evidence."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import COACHING_HABIT_QUESTIONS
from coachsim.render.moves import MOVE_COLOURS, chip
from coachsim.safetext import visible


def active_cues(analysis: ReplyAnalysis) -> list[str]:
    """Cue names that are set, with the Coaching Habit question named."""
    cues = [name for name, value in analysis.cues.items() if value is True]
    habit = analysis.cues.get("coaching_habit_question")
    if habit:
        cues.append(f"coaching_habit_question: {habit}")
    return cues


def reply_view(analysis: ReplyAnalysis, title: str | None = None) -> RenderableType:
    """Move chip and confidence, then each sentence with its move and evidence."""
    header = Text.assemble(
        chip(analysis.move, analysis.uncertain),
        "  ",
        (f"confidence {analysis.confidence:.2f}" + (", uncertain" if analysis.uncertain else ""), "dim"),
    )
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim")
    table.add_column()
    for number, sentence in enumerate(analysis.sentences, start=1):
        line = Text.assemble(
            (sentence.move.upper(), f"bold {MOVE_COLOURS[sentence.move]}"),
            (f" {sentence.confidence:.2f}" + ("" if sentence.decisive else " (weak)"), "dim"),
            "  ",
            visible(sentence.text, one_line=True),
        )
        table.add_row(f"{number}.", line)
        for item in sentence.evidence:
            support = f"{item.move} +{item.weight:g}" if item.move else "cue"
            table.add_row(
                "",
                Text.assemble(
                    ("  ↳ ", "dim"),
                    (f"“{visible(item.text, one_line=True)}”", "italic"),
                    ("  ", ""),
                    (item.rule, "cyan"),
                    (f" ({support})", "dim"),
                ),
            )
    cues = active_cues(analysis)
    footer = Text.assemble(("cues: ", "dim"), ", ".join(cues) if cues else "none")
    habit = analysis.cues.get("coaching_habit_question")
    parts: list[RenderableType] = [header, Padding(table, (1, 0, 0, 0)), footer]
    if habit in COACHING_HABIT_QUESTIONS:
        parts.append(Text(f"Coaching Habit: {COACHING_HABIT_QUESTIONS[habit]}", style="green3"))
    return Panel(Group(*parts), title=title, title_align="left", border_style=MOVE_COLOURS[analysis.move])
