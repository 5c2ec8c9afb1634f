"""How each move looks in a terminal: a distinct colour *and* a distinct word (colour-blind safe)."""

from __future__ import annotations

from rich.text import Text

from coachsim.classify.moves import Move

MOVE_STYLES: dict[str, str] = {
    "coaching": "bold black on green3",
    "feedback": "bold black on deep_sky_blue1",
    "mentoring": "bold black on gold1",
    "telling": "bold white on red3",
}
MOVE_COLOURS: dict[str, str] = {
    "coaching": "green3",
    "feedback": "deep_sky_blue1",
    "mentoring": "gold1",
    "telling": "red3",
}


def chip(move: Move | str, uncertain: bool = False) -> Text:
    """The move as a coloured, upper-case label: `` COACHING ``; an uncertain label reads as
    a guess: `` telling? `` in the move's colour on no background."""
    if uncertain:
        return Text(f" {move}? ", style=f"italic {MOVE_COLOURS.get(move, '')}".strip())
    return Text(f" {move.upper()} ", style=MOVE_STYLES.get(move, "reverse"))


def big_chip(move: Move | str, uncertain: bool = False) -> Text:
    """The chip for a projector: three rows of colour around the label (`` COACHING `` padded), so
    the back of the room can read it; an uncertain label still reads as a guess."""
    label = f"{move}?" if uncertain else move.upper()
    style = (
        f"italic reverse {MOVE_COLOURS.get(move, '')}".strip()
        if uncertain
        else MOVE_STYLES.get(move, "reverse")
    )
    width = len(label) + 8
    rows = [" " * width, label.center(width), " " * width]
    return Text("\n").join(Text(row, style=style) for row in rows)
