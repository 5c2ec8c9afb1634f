"""Leitner boxes: when each drill card comes back.

Every card sits in one of five boxes; box *b* comes back after ``INTERVALS[b - 1]`` days
(1, 3, 7, 14, 30). A new card starts in box 1, due the day it is made.

- A **pass** (a coaching reply) moves the card up one box (box 5 stays in box 5) and makes it due
  that box's interval after the day of the answer: box 2 in 3 days, box 3 in a week, box 4 in two
  weeks, box 5 in a month.
- A **slip** (any other move: telling, mentoring, or feedback where a question was wanted) sends
  the card back to box 1, due the next day.

The functions are pure: they take the day or time they act on, and return a new :class:`Card`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError

#: Days until a card in box 1, 2, 3, 4, 5 comes back.
INTERVALS = (1, 3, 7, 14, 30)
FIRST_BOX = 1
LAST_BOX = len(INTERVALS)
#: The move that passes a drill moment.
PASS_MOVE = "coaching"


@dataclass(frozen=True)
class Card:
    """One drill moment's schedule: its box, the day it is next due, and every answer as
    ``(at, move)`` with ``at`` an ISO date and time, oldest first."""

    id: str
    box: int
    due: date
    history: tuple[tuple[str, str], ...] = ()

    def is_due(self, today: date) -> bool:
        return self.due <= today


def new_card(card_id: str, today: date) -> Card:
    """A card never drilled: box 1, due ``today``."""
    return Card(id=card_id, box=FIRST_BOX, due=today)


def passes(move: str) -> bool:
    """Whether a reply with ``move`` passes the moment (only coaching does)."""
    return move == PASS_MOVE


def interval(box: int) -> int:
    """Days until a card in ``box`` comes back."""
    return INTERVALS[min(max(box, FIRST_BOX), LAST_BOX) - 1]


def review(card: Card, move: str, at: datetime) -> Card:
    """``card`` after a reply labelled ``move`` at ``at``: a pass moves it up a box, a slip back to
    box 1; either way it is due that box's interval after ``at``'s day. Raises CoachsimError for a
    move that is not one of the four."""
    if move not in MOVES:
        raise CoachsimError(f"'{move}' is not a move; one of {', '.join(MOVES)}")
    box = min(card.box + 1, LAST_BOX) if passes(move) else FIRST_BOX
    return replace(
        card,
        box=box,
        due=at.date() + timedelta(days=interval(box)),
        history=(*card.history, (at.isoformat(timespec="seconds"), move)),
    )
