"""The live panel (move mix, streak, regressions, first telling, talk ratio and pauses) and its
two-line form for narrow terminals (the goal in a few words and the move mix)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from coachsim.classify.moves import MOVES
from coachsim.render.moves import MOVE_COLOURS

if TYPE_CHECKING:
    from coachsim.scenario.scoring import Scores  # pydantic: not imported before the first frame

BAR_WIDTH = 16


def mix_bar(scores: Scores, width: int = BAR_WIDTH) -> Text:
    """A stacked bar of the move mix, one colour and initial per move."""
    if not scores.replies:
        return Text("·" * width, style="dim")
    bar = Text()
    used = 0
    for index, move in enumerate(MOVES):
        cells = round(scores.share(move) * width) if index < len(MOVES) - 1 else width - used
        cells = max(0, min(cells, width - used))
        bar.append(move[0].upper() * cells, style=f"bold black on {MOVE_COLOURS[move]}")
        used += cells
    return bar


class StatsPanel(Static):
    """Updated with a Scores object after every turn."""

    def show(self, scores: Scores, last_pause: tuple[float | None, float | None] = (None, None)) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="dim")
        table.add_column()
        table.add_row("mix", mix_bar(scores))
        for move in MOVES:
            table.add_row(
                move, Text(f"{scores.counts[move]}  ({scores.share(move):.0%})", style=MOVE_COLOURS[move])
            )
        table.add_row("streak", f"{scores.coaching_streak} coaching in a row")
        table.add_row("regressions", str(len(scores.regressions)))
        first = scores.turns_to_first_telling
        table.add_row("first telling", f"turn {first}" if first else "none yet")
        table.add_row("talk ratio", f"{scores.talk_ratio:.2f} you : them" if scores.talk_ratio else "–")
        typed, sent = last_pause
        if typed is not None:
            table.add_row("pause", f"{typed:.1f}s to type, {sent or 0:.1f}s to send")
        if scores.median_pause_s is not None:
            table.add_row("median pause", f"{scores.median_pause_s:.1f}s")
        self.update(table)


def mix_counts(scores: Scores) -> Text:
    """``coaching 1 · feedback 0 · mentoring 0 · telling 1``, each in its move's colour."""
    text = Text()
    for index, move in enumerate(MOVES):
        if index:
            text.append(" · ", style="dim")
        text.append(f"{move} {scores.counts[move]}", style=MOVE_COLOURS[move])
    return text


class MixStrip(Static):
    """The goal and the move mix in two lines, where there is no room for the side panel."""

    def __init__(self, goal: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.goal = goal

    def show(self, scores: Scores, goal: str | None = None) -> None:
        if goal is not None:
            self.goal = goal
        line = Text.assemble(("Mix  ", "bold"), mix_bar(scores, width=12), "  ", mix_counts(scores))
        self.update(Text.assemble(("Goal ", "bold"), self.goal, "\n", line))
