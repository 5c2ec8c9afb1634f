"""Pressure mode's countdown above the reply box: the seconds left and a bar that empties."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

#: At or under this many seconds left the countdown turns red.
LOW_SECONDS = 5
BAR_CELLS = 20


def countdown_text(remaining: float | None, seconds: float, paused: bool = False) -> Text:
    """``Clock  23 s left ██████████░░░░`` (red when low); a dim line while no reply is awaited."""
    if remaining is None:
        return Text("Clock  stopped until their next line", style="dim")
    left = math.ceil(remaining)
    filled = round(BAR_CELLS * remaining / seconds) if seconds else 0
    low = left <= LOW_SECONDS
    style = "bold red" if low else "bold"
    text = Text.assemble(("Clock ", "dim"), (f"{left:>3} s left ", style))
    text.append("█" * filled, style="red" if low else "green")
    text.append("░" * (BAR_CELLS - filled), style="dim")
    if paused:
        text.append("  paused", style="italic dim")
    return text


class Countdown(Static):
    """Shown only in pressure mode; the screen calls :meth:`show` on every tick."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.left: int | None = None

    def show(self, remaining: float | None, seconds: float, paused: bool = False) -> None:
        self.left = None if remaining is None else math.ceil(remaining)
        self.set_class(self.left is not None and self.left <= LOW_SECONDS, "-low")
        # one row, always (app.tcss): a tick five times a second need not lay the screen out again
        self.update(countdown_text(remaining, seconds, paused), layout=False)
