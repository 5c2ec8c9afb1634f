"""What a conversation's turns add up to: move mix, regressions, talk ratio, pauses.

The summary is always computed from the turns, never read back from a file. Only the goal (which
needs the scenario) is stored; a stored goal is kept only while the moves it was judged on are the
moves in the turns.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Strict, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass as validated

from coachsim.classify.moves import MOVES, is_regression

if TYPE_CHECKING:
    from coachsim.transcript.model import TranscriptTurn

#: The summary keys that come from the scenario's goal rather than from the turns.
GOAL_KEYS = ("goal_met", "goal_reason", "verdict")
#: The summary keys the goal was judged on: a stored goal whose values here differ is stale.
MOVE_KEYS = ("replies", "counts", "regressions", "turns_to_first_telling")


@dataclass(frozen=True)
class ScoredReply:
    """What scoring needs to know about one manager reply."""

    move: str
    words: int
    telling_ok: bool = False
    habit_question: str | None = None
    typed_after_s: float | None = None


@dataclass
class Scores:
    """Computed from the replies so far; recomputed after every turn."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MOVES, 0))
    regressions: list[int] = field(default_factory=list)  # 1-based reply numbers
    turns_to_first_telling: int | None = None
    habit_questions: list[str] = field(default_factory=list)
    manager_words: int = 0
    report_words: int = 0
    pauses_s: list[float] = field(default_factory=list)
    coaching_streak: int = 0

    @property
    def replies(self) -> int:
        return sum(self.counts.values())

    def share(self, move: str) -> float:
        return self.counts[move] / self.replies if self.replies else 0.0

    @property
    def talk_ratio(self) -> float | None:
        """Manager words per report word (None before the report has spoken)."""
        return round(self.manager_words / self.report_words, 2) if self.report_words else None

    @property
    def median_pause_s(self) -> float | None:
        return round(statistics.median(self.pauses_s), 2) if self.pauses_s else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "replies": self.replies,
            "counts": dict(self.counts),
            "shares": {m: round(self.share(m), 3) for m in MOVES},
            "regressions": list(self.regressions),
            "turns_to_first_telling": self.turns_to_first_telling,
            "coaching_habit_questions": list(self.habit_questions),
            "talk_ratio": self.talk_ratio,
            "manager_words": self.manager_words,
            "report_words": self.report_words,
            "median_pause_s": self.median_pause_s,
            "coaching_streak": self.coaching_streak,
        }


def score(replies: Sequence[ScoredReply], report_words: int) -> Scores:
    """Scores for these replies (docs/labels.md: a regression is telling or mentoring after coaching;
    telling at a beat marked telling_ok is not counted)."""
    scores = Scores(report_words=report_words)
    coached = False
    for number, reply in enumerate(replies, start=1):
        scores.counts[reply.move] += 1
        scores.manager_words += reply.words
        if is_regression(reply.move, coached, reply.telling_ok):
            scores.regressions.append(number)
        if reply.move == "telling" and scores.turns_to_first_telling is None:
            scores.turns_to_first_telling = number
        if reply.habit_question and reply.habit_question not in scores.habit_questions:
            scores.habit_questions.append(reply.habit_question)
        if reply.typed_after_s is not None:
            scores.pauses_s.append(reply.typed_after_s)
        scores.coaching_streak = scores.coaching_streak + 1 if reply.move == "coaching" else 0
        coached = coached or reply.move == "coaching"
    return scores


def scored_turns(turns: Iterable[TranscriptTurn]) -> list[ScoredReply]:
    """The labelled manager turns as scoring sees them (the classifier's label, not a dispute)."""
    return [
        ScoredReply(
            move=t.move,
            words=len(t.text.split()),
            telling_ok=bool(t.telling_ok),
            habit_question=(t.cues or {}).get("coaching_habit_question"),
            typed_after_s=t.typed_after_s,
        )
        for t in turns
        if t.speaker == "manager" and t.move
    ]


def report_word_count(turns: Iterable[TranscriptTurn]) -> int:
    return sum(len(t.text.split()) for t in turns if t.speaker == "report")


def score_turns(turns: Sequence[TranscriptTurn]) -> Scores:
    """Scores for a conversation's turns, from its labelled manager turns."""
    return score(scored_turns(turns), report_word_count(turns))


@validated(frozen=True)
class Goal:
    """The scenario's judgement of a practised conversation, as the session made it."""

    met: Annotated[bool, Strict()] | None
    reason: Annotated[str, Strict()] = ""
    verdict: Annotated[str, Strict()] = ""

    def to_summary(self) -> dict[str, Any]:
        return {"goal_met": self.met, "goal_reason": self.reason, "verdict": self.verdict}


_GOAL = TypeAdapter(Goal)


def goal_of(summary: dict[str, Any]) -> Goal | None:
    """The goal in a summary dict (as a session builds it), or None if it has none or a malformed one."""
    if "goal_met" not in summary:
        return None
    fields = {"met": summary["goal_met"], "reason": summary.get("goal_reason", "")}
    if "verdict" in summary:
        fields["verdict"] = summary["verdict"]
    try:
        return _GOAL.validate_python(fields)
    except ValidationError:
        return None


def stored_goal(stored: Any, scores: Scores) -> Goal | None:
    """The goal of a summary read from a file, if it was judged on the moves the turns have now."""
    if not isinstance(stored, dict):
        return None
    computed = scores.to_dict()
    if any(key in stored and stored[key] != computed[key] for key in MOVE_KEYS):
        return None
    return goal_of(stored)
