"""The progress chart as lines of text: one coaching-share bar per conversation, in date order.

Every line fits the given width (measured in terminal cells), so nothing wraps when piped at 80
columns or shown at 120. A label that does not fit beside its bar continues on the next lines,
indented under it, and is never cut short: scenario ids and file names stay whole. Pieces carry a
role, not a style, so the terminal front end decides the colours and a pipe gets plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len, chop_cells

from coachsim.progress.trends import TimelinePoint
from coachsim.safetext import visible

Role = Literal["date", "filled", "empty", "share", "regressions", "label"]
FILLED, EMPTY = "█", "░"
BAR_MIN, BAR_MAX = 10, 30
#: Cells kept for the label beside the bar when the width allows.
LABEL_ROOM = 30
_DATE = 10  # 2026-03-01
_GAP = "  "
#: Pieces a label may break between: runs ending in a hyphen, other runs, spaces.
_CHUNKS = re.compile(r"[^\s-]*-+|[^\s-]+|\s+")


@dataclass(frozen=True)
class Piece:
    text: str
    role: Role | None = None


Line = list[Piece]


def bar_width(width: int) -> int:
    """The bar's length in cells for a chart ``width`` cells wide: BAR_MIN to BAR_MAX."""
    fixed = _DATE + len(_GAP) * 4 + len("100%") + len("12 regr") + LABEL_ROOM
    return max(BAR_MIN, min(BAR_MAX, width - fixed))


def bar(share: float, cells: int) -> tuple[str, str]:
    """The filled and empty parts of a bar ``cells`` long for a share in 0..1."""
    filled = round(min(1.0, max(0.0, share)) * cells)
    return FILLED * filled, EMPTY * (cells - filled)


def label_text(point: TimelinePoint) -> str:
    """What a bar is about: the kind, the scenario id or file name (one safe line), the state."""
    text = f"{point.kind} {visible(point.label, one_line=True)}"
    return text + " (unfinished)" if point.unfinished else text


def wrap_cells(text: str, first: int, rest: int | None = None) -> list[str]:
    """``text`` in lines of at most ``first`` cells, then ``rest`` (default ``first``): broken at
    spaces or after hyphens (``doing-the-`` / ``work``), inside a word only when a piece alone is
    longer than a line. Nothing is dropped or replaced with "…"."""
    rest = first if rest is None else rest
    lines: list[str] = []
    current, space = "", False
    for chunk in _CHUNKS.findall(text):
        if chunk.isspace():
            space = bool(current)
            continue
        room = rest if lines else first
        candidate = f"{current}{' ' if space else ''}{chunk}"
        space = False
        if cell_len(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
            room = rest
        while cell_len(chunk) > room:
            head = chop_cells(chunk, room)[0] or chunk[0]  # a wide character in a 1-cell room
            lines.append(head)
            chunk = chunk[len(head) :]
            room = rest
        current = chunk
    lines.append(current)
    return lines


def chart_lines(points: list[TimelinePoint], width: int) -> list[Line]:
    """The chart for ``points`` (already in date order), every line at most ``width`` cells."""
    cells = bar_width(width)
    lines: list[Line] = []
    for point in points:
        filled, empty = bar(point.coaching_share, cells)
        head: Line = [
            Piece(point.at[:_DATE].ljust(_DATE), "date"),
            Piece(_GAP),
            Piece(filled, "filled"),
            Piece(empty, "empty"),
            Piece(_GAP),
            Piece(f"{point.coaching_share:>4.0%}", "share"),
            Piece(_GAP),
            Piece(f"{point.regressions:>2} regr", "regressions"),
            Piece(_GAP),
        ]
        used = sum(cell_len(p.text) for p in head)
        indent = _DATE + len(_GAP)
        first, *more = wrap_cells(label_text(point), max(1, width - used), max(1, width - indent))
        lines.append([*head, Piece(first, "label")])
        lines.extend([Piece(" " * indent), Piece(part, "label")] for part in more)
    return lines


def plain(line: Line) -> str:
    return "".join(piece.text for piece in line).rstrip()
