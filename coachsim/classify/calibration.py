"""Confidence that means what it says: raw rule scores mapped to how often such labels are right.

The rules give each reply a raw confidence (the winning move's share of the evidence) and say
whether a sentence decided it outright. ``classifiers/calibration.yaml`` maps those two onto the
accuracy measured on the tuning splits (histogram binning, smoothed and made monotone); held-out
splits check it. :func:`reliability` is the table ``coachsim eval`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from coachsim.yamlpos import read_model

BIN_WIDTH = 0.1


class CalibrationBin(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decisive: bool
    low: float = Field(ge=0, le=1)
    accuracy: float = Field(ge=0, le=1)
    replies: int = Field(ge=0)


class Calibration(BaseModel):
    """Measured accuracy per raw-confidence bin, for decisive and weak-only replies."""

    model_config = ConfigDict(extra="forbid")
    fitted_on: list[str]
    uncertain_below: float = Field(gt=0, lt=1)
    bins: list[CalibrationBin]

    def confidence(self, raw: float, decisive: bool) -> float:
        """The calibrated confidence of a reply with this raw score."""
        low = _bin(raw)
        candidates = [b for b in self.bins if b.decisive == decisive and b.low <= low + 1e-9]
        if not candidates:
            candidates = [b for b in self.bins if b.decisive == decisive] or self.bins
            return round(min(candidates, key=lambda b: b.low).accuracy, 3)
        return round(max(candidates, key=lambda b: b.low).accuracy, 3)


def _bin(value: float) -> float:
    return round(min(int(value / BIN_WIDTH + 1e-9), int(1 / BIN_WIDTH) - 1) * BIN_WIDTH, 2)


def load_calibration(path: Path) -> Calibration:
    return read_model(path, Calibration)


def fit(raw: Sequence[float], decisive: Sequence[bool], correct: Sequence[bool]) -> list[CalibrationBin]:
    """Histogram binning with a pull towards the overall accuracy for thin bins, then made
    non-decreasing within each group (a higher raw score never means a lower confidence)."""
    overall = sum(correct) / len(correct) if correct else 0.5
    bins: list[CalibrationBin] = []
    for group in (True, False):
        counts: dict[float, list[int]] = {}
        for score, is_decisive, ok in zip(raw, decisive, correct, strict=True):
            if is_decisive == group:
                tally = counts.setdefault(_bin(score), [0, 0])
                tally[0] += 1
                tally[1] += int(ok)
        lows = sorted(counts)
        smoothed = [(counts[low][1] + 5 * overall) / (counts[low][0] + 5) for low in lows]
        monotone = _pool_adjacent_violators(smoothed, [counts[low][0] + 5 for low in lows])
        for low, accuracy in zip(lows, monotone, strict=True):
            bins.append(
                CalibrationBin(decisive=group, low=low, accuracy=round(accuracy, 3), replies=counts[low][0])
            )
    return bins


def _pool_adjacent_violators(values: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence closest to ``values`` (weighted least squares)."""
    blocks: list[list[float]] = []  # [mean, weight, size]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, w, n = blocks.pop()
            previous = blocks[-1]
            total = previous[1] + w
            previous[0] = (previous[0] * previous[1] + mean * w) / total
            previous[1], previous[2] = total, previous[2] + n
    return [mean for mean, _, size in blocks for _ in range(int(size))]


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
