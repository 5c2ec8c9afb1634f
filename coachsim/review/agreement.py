"""Agreement between a coach and the classifier: Cohen's kappa and a confusion table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachsim.classify.moves import MOVES

if TYPE_CHECKING:
    from coachsim.review.sidecar import Review


@dataclass(frozen=True)
class Agreement:
    n: int
    observed: float
    kappa: float | None  # None when undefined (fewer than 2 items, or one label only)
    confusion: dict[str, dict[str, int]]  # coach -> classifier -> count


def cohens_kappa(coach: Sequence[str], classifier: Sequence[str]) -> Agreement:
    """kappa = (p_o - p_e) / (1 - p_e), with p_e from each rater's label frequencies."""
    n = len(coach)
    confusion: dict[str, dict[str, int]] = {c: dict.fromkeys(MOVES, 0) for c in MOVES}
    for a, b in zip(coach, classifier, strict=True):
        confusion[a][b] += 1
    if n == 0:
        return Agreement(0, 0.0, None, confusion)
    observed = sum(a == b for a, b in zip(coach, classifier, strict=True)) / n
    coach_counts, classifier_counts = Counter(coach), Counter(classifier)
    expected = sum(coach_counts[m] * classifier_counts[m] for m in MOVES) / (n * n)
    kappa = None if n < 2 or expected >= 1 else round((observed - expected) / (1 - expected), 3)
    return Agreement(n, round(observed, 3), kappa, confusion)


def review_agreement(review: Review) -> Agreement:
    """Agreement over the replies the coach has labelled (rows: the coach, columns: the classifier)."""
    labelled = [(t.label, t.classifier) for t in review.turns.values() if t.label]
    return cohens_kappa([coach for coach, _ in labelled], [model for _, model in labelled])
