"""Confidence that means what it says: a reply's evidence mapped to how often such labels are right.

The rules give each reply a raw confidence (the winning move's share of the evidence). That share
alone says little on real speech: one lone cue and three agreeing cues can share the same score.
``classifiers/calibration.yaml`` holds a small logistic model fitted on the tuning splits over
the raw score, whether a sentence decided the reply outright, whether its decisive sentences
disagree, whether it came with context, and how often the best rule behind the winning move was
right on those splits (smoothed towards the overall accuracy, so a rare rule counts for little).
Held-out splits check it. :func:`reliability` is the table ``coachsim eval`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from coachsim.yamlpos import read_model

BIN_WIDTH = 0.1
#: Pseudo-replies that pull a rule's measured precision towards the overall accuracy.
RULE_PRIOR = 5
FEATURES = ("bias", "raw", "decisive", "conflict", "context", "best_rule")


@dataclass(frozen=True)
class Signals:
    """What the calibration reads about one labelled reply."""

    raw: float
    decisive: bool
    conflict: bool
    context: bool
    rules: frozenset[str]


class Calibration(BaseModel):
    """Weights of the logistic model and each rule's measured precision."""

    model_config = ConfigDict(extra="forbid")
    fitted_on: list[str]
    replies: int = Field(ge=1)
    uncertain_below: float = Field(gt=0, lt=1)
    weights: dict[str, float]
    default_rule_precision: float = Field(ge=0, le=1)
    rule_precision: dict[str, float]

    def confidence(self, signals: Signals) -> float:
        """The calibrated confidence of a reply with these signals."""
        values = _features(signals, self.rule_precision, self.default_rule_precision)
        score = sum(self.weights.get(name, 0.0) * value for name, value in values.items())
        return round(1 / (1 + math.exp(-score)), 3)


def _features(signals: Signals, precision: dict[str, float], default: float) -> dict[str, float]:
    best = max((precision.get(rule, default) for rule in signals.rules), default=default)
    return {
        "bias": 1.0,
        "raw": signals.raw,
        "decisive": float(signals.decisive),
        "conflict": float(signals.conflict),
        "context": float(signals.context),
        "best_rule": best,
    }


def _bin(value: float) -> float:
    return round(min(int(value / BIN_WIDTH + 1e-9), int(1 / BIN_WIDTH) - 1) * BIN_WIDTH, 2)


def load_calibration(path: Path) -> Calibration:
    return read_model(path, Calibration)


def fit(
    signals: Sequence[Signals],
    correct: Sequence[bool],
    fitted_on: Iterable[str],
    uncertain_below: float,
    l2: float = 1e-3,
    rounds: int = 4000,
) -> Calibration:
    """Measure each rule's precision, then fit the weights by gradient descent on log loss."""
    import numpy as np

    overall = sum(correct) / len(correct)
    tally: dict[str, list[int]] = {}
    for signal, ok in zip(signals, correct, strict=True):
        for rule in signal.rules:
            counts = tally.setdefault(rule, [0, 0])
            counts[0] += 1
            counts[1] += int(ok)
    precision = {
        rule: round((right + RULE_PRIOR * overall) / (seen + RULE_PRIOR), 4)
        for rule, (seen, right) in sorted(tally.items())
    }
    default = round(overall, 4)
    rows = np.array([list(_features(s, precision, default).values()) for s in signals], dtype=float)
    target = np.array(correct, dtype=float)
    weights = np.zeros(rows.shape[1])
    for _ in range(rounds):
        predicted = 1 / (1 + np.exp(-rows @ weights))
        weights -= 2.0 * (rows.T @ (predicted - target) / len(target) + l2 * weights)
    return Calibration(
        fitted_on=list(fitted_on),
        replies=len(signals),
        uncertain_below=uncertain_below,
        weights={name: round(float(w), 4) for name, w in zip(FEATURES, weights, strict=True)},
        default_rule_precision=default,
        rule_precision=precision,
    )


@dataclass(frozen=True)
class ReliabilityRow:
    low: float
    replies: int
    mean_confidence: float
    accuracy: float


def reliability(confidence: Sequence[float], correct: Sequence[bool]) -> tuple[list[ReliabilityRow], float]:
    """Rows of (bin, replies, mean confidence, accuracy) and the expected calibration error."""
    groups: dict[float, list[tuple[float, bool]]] = {}
    for value, ok in zip(confidence, correct, strict=True):
        groups.setdefault(_bin(value), []).append((value, ok))
    rows = [
        ReliabilityRow(
            low=low,
            replies=len(items),
            mean_confidence=round(sum(v for v, _ in items) / len(items), 3),
            accuracy=round(sum(ok for _, ok in items) / len(items), 3),
        )
        for low, items in sorted(groups.items())
    ]
    total = sum(r.replies for r in rows)
    ece = sum(r.replies * abs(r.accuracy - r.mean_confidence) for r in rows) / total if total else 0.0
    return rows, round(ece, 4)
