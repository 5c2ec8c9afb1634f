"""The live panel (move mix, streak, regressions, first telling, talk ratio and pauses) and its
two-line form for narrow terminals (the goal in a few words and the move mix)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
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


class LabelledRows:
    """Rows of a dim label and its value, the values lined up in one column and wrapped within it.

    What a two-column ``Table.grid`` draws, for a fraction of its cost: the panel is measured and
    drawn again after every reply, and a Table measures every cell each time."""

    def __init__(self, rows: list[tuple[str, Text]]) -> None:
        self.rows = rows
        self.label_width = max((cell_len(label) for label, _ in rows), default=0)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((value.cell_len for _, value in self.rows), default=0)
        return Measurement(self.label_width + 1, min(self.label_width + 1 + widest, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.label_width + 1
        width = max(options.max_width - indent, 1)
        dim = Style(dim=True)
        for label, value in self.rows:
            style = console.get_style(value.style)
            for number, line in enumerate(value.wrap(console, width)):
                yield Segment((label if number == 0 else "").ljust(indent), dim)
                yield from Segment.apply_style(line.render(console), style)
                yield Segment.line()


class StatsPanel(Static):
    """Updated with a Scores object after every turn."""

    def show(self, scores: Scores, last_pause: tuple[float | None, float | None] = (None, None)) -> None:
        rows: list[tuple[str, Text]] = [("mix", mix_bar(scores))]
        for move in MOVES:
            rows.append(
                (move, Text(f"{scores.counts[move]}  ({scores.share(move):.0%})", style=MOVE_COLOURS[move]))
            )
        rows.append(("streak", Text(f"{scores.coaching_streak} coaching in a row")))
        rows.append(("regressions", Text(str(len(scores.regressions)))))
        first = scores.turns_to_first_telling
        rows.append(("first telling", Text(f"turn {first}" if first else "none yet")))
        rows.append(("talk ratio", Text(f"{scores.talk_ratio:.2f} you : them" if scores.talk_ratio else "–")))
        typed, sent = last_pause
        if typed is not None:
            rows.append(("pause", Text(f"{typed:.1f}s to type, {sent or 0:.1f}s to send")))
        if scores.median_pause_s is not None:
            rows.append(("median pause", Text(f"{scores.median_pause_s:.1f}s")))
        self.update(LabelledRows(rows))


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
