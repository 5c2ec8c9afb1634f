"""Leitner boxes: when each drill card comes back.

Every card sits in one of five boxes; box *b* comes back after ``INTERVALS[b - 1]`` days
(1, 3, 7, 14, 30). A new card starts in box 1, due the day it is made. Each answer has one of three
outcomes:

- **pass** (a coaching reply) moves the card up one box (box 5 stays in box 5) and makes it due
  that box's interval after the day of the answer: box 2 in 3 days, box 3 in a week, box 4 in two
  weeks, box 5 in a month.
- **slip** (telling or mentoring: the advice the moment pulls for) sends the card back to box 1,
  due the next day.
- **hold** keeps the card in its box and brings it back the next day. Feedback holds: where someone
  asked for advice, naming what you see is not the slip being drilled, but it is not the coaching
  question either, so it neither earns the spacing nor loses it. An ``uncertain`` label holds
  whatever its move: a guess must not promote or demote a card.

The functions are pure: they take the day or time they act on, and return a new :class:`Card`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal, NamedTuple

from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError

#: Days until a card in box 1, 2, 3, 4, 5 comes back.
INTERVALS = (1, 3, 7, 14, 30)
FIRST_BOX = 1
LAST_BOX = len(INTERVALS)
#: The move that passes a drill moment.
PASS_MOVE = "coaching"
#: Moves that neither pass nor slip: the card holds its box.
HOLD_MOVES = ("feedback",)
#: Days until a held card comes back.
HOLD_DAYS = 1

Outcome = Literal["pass", "slip", "hold"]


class Answer(NamedTuple):
    """One answer in a card's history: ``at`` an ISO date and time, the reply's move, and whether
    the label was uncertain."""

    at: str
    move: str
    uncertain: bool = False

    @property
    def outcome(self) -> Outcome:
        return outcome(self.move, self.uncertain)


@dataclass(frozen=True)
class Card:
    """One drill moment's schedule: its box, the day it is next due, and every answer, oldest first."""

    id: str
    box: int
    due: date
    history: tuple[Answer, ...] = ()

    def is_due(self, today: date) -> bool:
        return self.due <= today


def new_card(card_id: str, today: date) -> Card:
    """A card never drilled: box 1, due ``today``."""
    return Card(id=card_id, box=FIRST_BOX, due=today)


def passes(move: str) -> bool:
    """Whether a reply with ``move`` is a coaching reply (the only move that can pass)."""
    return move == PASS_MOVE


def outcome(move: str, uncertain: bool = False) -> Outcome:
    """What a reply labelled ``move`` does to its card: an uncertain label or feedback holds,
    coaching passes, telling and mentoring slip."""
    if uncertain or move in HOLD_MOVES:
        return "hold"
    return "pass" if passes(move) else "slip"


def interval(box: int) -> int:
    """Days until a card in ``box`` comes back."""
    return INTERVALS[min(max(box, FIRST_BOX), LAST_BOX) - 1]


def review(card: Card, move: str, at: datetime, uncertain: bool = False) -> Card:
    """``card`` after a reply labelled ``move`` (``uncertain`` if the label is a guess) at ``at``: a
    pass moves it up a box and a slip back to box 1, each due that box's interval after ``at``'s
    day; a hold keeps its box, due the next day. Raises CoachsimError for a move that is not one of
    the four."""
    if move not in MOVES:
        raise CoachsimError(f"'{move}' is not a move; one of {', '.join(MOVES)}")
    result = outcome(move, uncertain)
    if result == "hold":
        box, days = card.box, HOLD_DAYS
    else:
        box = min(card.box + 1, LAST_BOX) if result == "pass" else FIRST_BOX
        days = interval(box)
    return replace(
        card,
        box=box,
        due=at.date() + timedelta(days=days),
        history=(*card.history, Answer(at.isoformat(timespec="seconds"), move, uncertain)),
    )


def comes_back(card: Card, today: date) -> str:
    """When ``card`` is due, said from ``today``: ``tomorrow`` or ``in 3 days``."""
    days = (card.due - today).days
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"


def verdict(answer: Answer, card: Card, today: date) -> tuple[str, str]:
    """What to tell the person about ``answer``, given the card it left: a head word and the rest,
    shown as ``head — rest`` by the plain drill and the drill screen alike: ``pass — back in 3
    days``, ``slip — back tomorrow``, ``hold — not a slip, but not a coaching question; back
    tomorrow``, ``unsure of the label — back tomorrow``."""
    when = f"back {comes_back(card, today)}"
    if answer.uncertain:
        return "unsure of the label", when
    result = answer.outcome
    if result == "hold":
        return result, f"not a slip, but not a coaching question; {when}"
    return result, when


def session_summary(passed: int, total: int, held: int = 0, skipped: int = 0) -> str:
    """The drill's last line: ``2 of 5 passed · 1 held · 1 skipped`` (zero counts left out)."""
    parts = [f"{passed} of {total} passed"]
    parts += [f"{held} held"] if held else []
    parts += [f"{skipped} skipped"] if skipped else []
    return " · ".join(parts)
