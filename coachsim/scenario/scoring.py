"""Running scores for a conversation: move mix, regressions, talk ratio, goal met."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coachsim.classify.moves import MOVES, is_regression
from coachsim.scenario.model import GoalTarget
from coachsim.transcript.model import Transcript


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


def scored_replies(transcript: Transcript) -> list[ScoredReply]:
    """The transcript's labelled manager turns as scoring sees them (the classifier's label, not a
    dispute)."""
    return [
        ScoredReply(
            move=t.move,
            words=len(t.text.split()),
            telling_ok=bool(t.telling_ok),
            habit_question=(t.cues or {}).get("coaching_habit_question"),
            typed_after_s=t.typed_after_s,
        )
        for t in transcript.manager_turns
        if t.move
    ]


def report_words(transcript: Transcript) -> int:
    return sum(len(t.text.split()) for t in transcript.turns if t.speaker == "report")


def score_transcript(transcript: Transcript) -> Scores:
    """Scores for any saved or imported transcript, from its labelled manager turns."""
    return score(scored_replies(transcript), report_words(transcript))


@dataclass(frozen=True)
class GoalResult:
    met: bool
    reason: str


def check_goal(target: GoalTarget, replies: Sequence[ScoredReply], scores: Scores) -> GoalResult:
    """Whether the goal's machine-checkable target was met, and why (or why not)."""
    if not replies:
        return GoalResult(False, "no replies yet")
    reasons = []
    if target.min_coaching_share is not None:
        share = scores.share("coaching")
        if share < target.min_coaching_share:
            reasons.append(
                f"coaching was {share:.0%} of replies, below the {target.min_coaching_share:.0%} goal"
            )
    if target.max_telling is not None:
        telling = sum(1 for r in replies if r.move == "telling" and not r.telling_ok)
        if telling > target.max_telling:
            reasons.append(f"{telling} telling replies, more than the {target.max_telling} allowed")
    if target.order is not None:
        firsts: dict[str, int] = {}
        for index, reply in enumerate(replies):
            firsts.setdefault(reply.move, index)
        missing = [m for m in target.order if m not in firsts]
        if missing:
            reasons.append(
                f"no {', '.join(missing)} reply, needed in the order {' then '.join(target.order)}"
            )
        elif [firsts[m] for m in target.order] != sorted(firsts[m] for m in target.order):
            reasons.append(f"moves came out of order; the goal is {' then '.join(target.order)}")
    if reasons:
        return GoalResult(False, "; ".join(reasons))
    return GoalResult(True, "goal met")
