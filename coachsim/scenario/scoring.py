"""Scores and the goal for a practised conversation: the turn scores of ``transcript/summary.py``
(re-exported here for the session and the verdict) checked against the scenario's goal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coachsim.scenario.model import GoalTarget
from coachsim.transcript.model import Transcript
from coachsim.transcript.summary import ScoredReply, Scores, report_word_count, score, scored_turns

__all__ = [
    "GoalResult",
    "ScoredReply",
    "Scores",
    "check_goal",
    "report_words",
    "score",
    "score_transcript",
    "scored_replies",
]


def scored_replies(transcript: Transcript) -> list[ScoredReply]:
    """The transcript's labelled manager turns as scoring sees them (the classifier's label, not a
    dispute)."""
    return scored_turns(transcript.turns)


def report_words(transcript: Transcript) -> int:
    return report_word_count(transcript.turns)


def score_transcript(transcript: Transcript) -> Scores:
    """Scores for any saved or imported transcript, from its labelled manager turns."""
    return transcript.scores


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
