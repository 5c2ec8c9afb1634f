"""The review's turn list: every turn with its text wrapped in full, virtualised.

Only the lines on screen are rendered; the wrapping of each turn is computed once per width (a
2,000-turn meeting wraps in a fraction of a second) and a relabel re-renders one row. Mounting a
wrapped widget per turn, or an OptionList (which re-measures every option when one changes), is
seconds slower at this size.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coachsim.render.moves import MOVE_COLOURS, chip
from coachsim.safetext import visible

#: The move column: a chip (`` MENTORING ``) and the regression mark.
MOVE_WIDTH = 11
#: Speaker names longer than this are cut (the full name is in the detail panel).
MAX_WHO = 12
MIN_TEXT = 16


@dataclass(frozen=True)
class TurnRow:
    """What the list shows for one turn (a report turn has no move)."""

    number: int
    who: str
    text: str
    manager: bool
    move: str | None = None
    uncertain: bool = False
    regression: bool = False
    label: str | None = None
    commented: bool = False


def cut(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` cells, with an ellipsis when cut."""
    line = " ".join(visible(text, one_line=True).split())
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"


class TurnList(ScrollView, can_focus=True):
    """Turns in conversation order; ``Highlighted`` is posted whenever the cursor moves."""

    COMPONENT_CLASSES = {"turn-list--cursor", "turn-list--cursor-blurred", "turn-list--stripe"}
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
    ]

    class Highlighted(Message):
        """The cursor is on turn ``number`` (None: the list is empty)."""

        def __init__(self, number: int | None) -> None:
            super().__init__()
            self.number = number

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[TurnRow] = []
        self._positions: dict[int, int] = {}
        self._wrapped: dict[int, list[Text]] = {}
        self._starts: list[int] = []
        self._text_width = 0
        self._who_width = 4
        self._number_width = 1
        self.cursor = 0

    # -- what the screen calls ---------------------------------------------------------------

    def show(self, rows: Sequence[TurnRow], keep: int | None = None) -> None:
        """Show ``rows``, with the cursor on turn ``keep`` if it is among them (else the first)."""
        self._rows = list(rows)
        self._positions = {row.number: index for index, row in enumerate(self._rows)}
        everyone = [row.who for row in self._rows] or ["who"]
        self._who_width = min(max(len(cut(name, MAX_WHO)) for name in everyone), MAX_WHO)
        self._number_width = len(str(max(self._positions, default=1)))
        self._layout()
        self.cursor = self._positions.get(keep, 0) if keep is not None else 0
        self._cursor_moved()

    def update_rows(self, rows: Iterable[TurnRow]) -> None:
        """Replace the shown rows with these (same turn numbers); their heights may change."""
        changed = False
        for row in rows:
            index = self._positions.get(row.number)
            if index is not None:
                self._rows[index] = row
                changed = True
        if changed:
            self._measure()
            self.refresh()

    def select(self, number: int) -> None:
        if number in self._positions:
            self.cursor = self._positions[number]
            self._cursor_moved()

    @property
    def current(self) -> int | None:
        return self._rows[self.cursor].number if self._rows else None

    @property
    def numbers(self) -> list[int]:
        return [row.number for row in self._rows]

    @property
    def row_count(self) -> int:
        return len(self._rows)

    # -- layout ------------------------------------------------------------------------------

    def _fixed_width(self) -> int:
        return self._number_width + 1 + self._who_width + 1 + MOVE_WIDTH + 1

    def _layout(self) -> None:
        """Wrap the text column to the current width (cached per turn) and size the scroll area."""
        width = self.scrollable_content_region.width
        if not width:
            return
        text_width = max(width - self._fixed_width(), MIN_TEXT)
        if text_width != self._text_width:
            self._text_width = text_width
            self._wrapped.clear()
        self._measure()

    def _lines_of(self, row: TurnRow) -> list[Text]:
        lines = self._wrapped.get(row.number)
        if lines is None:
            text = Text(" ".join(visible(row.text).split()) or " ")
            lines = list(text.wrap(self.app.console, self._text_width))
            self._wrapped[row.number] = lines
        return lines

    def _height(self, row: TurnRow) -> int:
        second_line = row.label is not None or row.commented
        return max(len(self._lines_of(row)), 2 if second_line else 1)

    def _measure(self) -> None:
        starts, total = [], 0
        for row in self._rows:
            starts.append(total)
            total += self._height(row)
        self._starts = starts
        self.virtual_size = Size(self.scrollable_content_region.width, total)
        self.refresh()

    def on_resize(self, _: events.Resize) -> None:
        self._layout()
        self._scroll_to_cursor()

    # -- drawing -----------------------------------------------------------------------------

    def _row_at(self, line: int) -> int | None:
        index = bisect_right(self._starts, line) - 1
        return index if 0 <= index < len(self._rows) else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index = self._row_at(line)
        base = self.rich_style
        if index is None or line >= self.virtual_size.height:
            return Strip.blank(width, base)
        if index == self.cursor:
            name = "turn-list--cursor" if self.has_focus else "turn-list--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        elif index % 2:
            base = base + self.get_component_rich_style("turn-list--stripe")
        row = self._rows[index]
        content = self._line(row, line - self._starts[index])
        segments = list(content.render(self.app.console))
        strip = Strip(segments).crop(0, width).extend_cell_length(width)
        return strip.apply_style(base).apply_meta({"turn": row.number})

    def _line(self, row: TurnRow, offset: int) -> Text:
        lines = self._lines_of(row)
        text = lines[offset] if offset < len(lines) else Text("")
        if offset == 0:
            number = Text(f"{row.number:>{self._number_width}}", style="dim")
            who_style = "bold" if row.manager else "bold italic"
            who = Text(cut(row.who, self._who_width).ljust(self._who_width), style=who_style)
            move = Text("")
            if row.move is not None:
                move = chip(row.move, row.uncertain)
                if row.regression:
                    move.append(" ⚠", style="bold red")
        else:
            mark = "✎" if offset == 1 and row.commented else ""
            number = Text(mark.rjust(self._number_width), style="bold")
            who = Text(" " * self._who_width)
            move = self._coach_label(row) if offset == 1 else Text("")
        move.truncate(MOVE_WIDTH, pad=True)
        return Text.assemble(number, " ", who, " ", move, " ", text)

    @staticmethod
    def _coach_label(row: TurnRow) -> Text:
        if row.label is None:
            return Text("")
        if row.label == row.move:
            return Text("✓ agreed", style="bold")
        return Text(f"→{row.label.upper()}", style=f"bold {MOVE_COLOURS[row.label]}")

    # -- moving ------------------------------------------------------------------------------

    def _cursor_moved(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _scroll_to_cursor(self) -> None:
        if not self._rows or not self._starts:
            return
        top = self._starts[self.cursor]
        height = min(self._height(self._rows[self.cursor]), max(self.scrollable_content_region.height, 1))
        self.scroll_to_region(Region(0, top, 1, height), animate=False, force=True, immediate=True)

    def _go(self, index: int) -> None:
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        if index != self.cursor:
            self.cursor = index
            self._cursor_moved()

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        if not self._starts:
            return
        line = self._starts[self.cursor] + direction * max(self.scrollable_content_region.height, 1)
        target = self._row_at(max(line, 0))
        self._go(len(self._rows) - 1 if target is None else target)

    def action_edge(self, last: int) -> None:
        self._go(len(self._rows) - 1 if last else 0)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self._row_at(self.scroll_offset.y + offset.y)
        if index is not None:
            self.focus()
            self._go(index)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
