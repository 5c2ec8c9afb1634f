"""Live totals of a review: the move mix and regressions with the coach's labels applied, and how
far the coach agrees with the classifier. Recomputed after every relabel (linear in the turns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coachsim.classify.moves import MOVES, is_regression
from coachsim.review.agreement import Agreement, review_agreement
from coachsim.review.sidecar import Review
from coachsim.transcript.model import Transcript

#: What the review list can show: every turn, the replies whose counted move is one move, or the
#: replies the coach labelled differently from the classifier.
Filter = Literal["all", "coaching", "feedback", "mentoring", "telling", "relabelled"]
FILTERS: tuple[Filter, ...] = ("all", *MOVES, "relabelled")


def filter_name(wanted: Filter) -> str:
    """How a filter reads on screen: "all turns", "telling replies", "relabelled replies"."""
    return "all turns" if wanted == "all" else f"{wanted} replies"


@dataclass(frozen=True)
class ReviewTotals:
    """The review's figures for one moment: ``moves`` maps each labelled manager turn (1-based
    position in the transcript) to the move that counts: the coach's label, else the classifier's."""

    moves: dict[int, str]
    classifier_moves: dict[int, str]
    regressions: tuple[int, ...]
    agreement: Agreement

    @property
    def replies(self) -> int:
        return len(self.moves)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(MOVES, 0)
        for move in self.moves.values():
            counts[move] += 1
        return counts

    def share(self, move: str) -> float:
        return self.counts[move] / self.replies if self.replies else 0.0

    @property
    def relabelled(self) -> tuple[int, ...]:
        """Turns whose counted move differs from the classifier's."""
        return tuple(n for n, move in self.moves.items() if move != self.classifier_moves[n])

    def shows(self, number: int, wanted: Filter) -> bool:
        """Whether turn ``number`` belongs in the list under ``wanted``."""
        if wanted == "all":
            return True
        move = self.moves.get(number)
        if wanted == "relabelled":
            return move is not None and move != self.classifier_moves[number]
        return move == wanted


def review_totals(transcript: Transcript, review: Review) -> ReviewTotals:
    """The totals for ``transcript`` with ``review``'s labels applied (docs/labels.md: a
    regression is telling or mentoring after a coaching reply; telling marked right is not)."""
    moves: dict[int, str] = {}
    classifier_moves: dict[int, str] = {}
    regressions: list[int] = []
    coached = False
    for number, turn in enumerate(transcript.turns, start=1):
        if turn.speaker != "manager" or not turn.move:
            continue
        coach = review.turns.get(number)
        move = coach.label if coach is not None and coach.label else turn.move
        moves[number] = move
        classifier_moves[number] = turn.move
        if is_regression(move, coached, bool(turn.telling_ok)):
            regressions.append(number)
        coached = coached or move == "coaching"
    return ReviewTotals(moves, classifier_moves, tuple(regressions), review_agreement(review))
