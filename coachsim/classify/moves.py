"""The four conversation moves of docs/labels.md and the order that decides a reply."""

from __future__ import annotations

from typing import Literal, get_args

Move = Literal["coaching", "feedback", "mentoring", "telling"]
MOVES: tuple[Move, ...] = get_args(Move)

#: A reply takes the first move in this order that any of its sentences has (docs/labels.md).
PRECEDENCE: tuple[Move, ...] = ("telling", "mentoring", "feedback", "coaching")

#: Cue names a rule may set; ``coaching_habit_question`` also carries which question.
CUES: tuple[str, ...] = (
    "open_question",
    "closed_question",
    "advice_question",
    "why_question",
    "status_check",
    "past_behaviour_question",
    "imperative",
    "obligation",
    "lets",
    "directive",
    "suggestion",
    "decision",
    "own_experience",
    "perspective",
    "observed_behaviour",
    "praise",
    "critique",
    "reflection",
    "empathy",
    "invitation",
    "acknowledgement",
    "answered_request",
    "agenda",
    "coaching_habit_question",
)

#: The seven questions of *The Coaching Habit*, by the names rules use for them.
COACHING_HABIT_QUESTIONS: dict[str, str] = {
    "kickstart": "What's on your mind?",
    "awe": "And what else?",
    "focus": "What's the real challenge here for you?",
    "foundation": "What do you want?",
    "lazy": "How can I help?",
    "strategic": "If you're saying yes to this, what are you saying no to?",
    "learning": "What was most useful for you?",
}


def is_regression(move: str, coached_before: bool, telling_ok: bool = False) -> bool:
    """docs/labels.md: telling or mentoring after at least one coaching reply is a regression;
    telling where a scenario marks it right (``telling_ok``, e.g. a safety issue) is not."""
    if move == "telling" and telling_ok:
        return False
    return coached_before and move in ("telling", "mentoring")
