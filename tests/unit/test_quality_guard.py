"""Regression guard: the classifier must not fall below the quality it reached on each split.

The floors sit just under the measured scores (see the issue note); they guard against
regressions and are not targets to tune to. The test split is never used to tune rules.
"""

from __future__ import annotations

import json

import pytest

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.evaluate import read_labelled_jsonl, score

#: split -> (macro-F1 floor, per-move F1 floor)
FLOORS = {
    "test": (0.92, 0.90),  # measured 0.938 (feedback and telling 0.923 are the lowest moves)
    "dev": (0.95, 0.93),  # measured 0.964
    "dev2": (0.91, 0.88),  # measured 0.927
    "train": (0.96, 0.94),  # measured 0.972
    "realdev": (0.84, 0.77),  # measured 0.854 (telling 0.791), with context
    "realtest": (0.78, 0.73),  # measured 0.795 (telling 0.749), with context; never tuned on
}


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_quality_does_not_regress(classifier: Classifier, split: str) -> None:
    items = read_labelled_jsonl(locations.corpus_dir() / f"{split}.jsonl")
    predicted = [a.move for a in classifier.classify_many([i.reply for i in items])]
    metrics = score([i.label for i in items], predicted)
    macro_floor, move_floor = FLOORS[split]
    assert metrics.macro_f1 >= macro_floor, f"{split} macro-F1 {metrics.macro_f1}"
    for move, move_score in metrics.per_move.items():
        assert move_score.f1 >= move_floor, f"{split} {move} F1 {move_score.f1}"


def test_corpus_meets_the_size_and_balance_brief() -> None:
    items = [
        item
        for split in ("train", "dev", "dev2", "test", "realdev", "realtest")
        for item in read_labelled_jsonl(locations.corpus_dir() / f"{split}.jsonl")
    ]
    assert len(items) >= 3000
    for move in ("coaching", "feedback", "mentoring", "telling"):
        assert sum(i.label == move for i in items) >= 200
    assert all(i.fields.get("author") for i in items)
    # A reply is the same item only with the same turns before it: the seven Coaching Habit
    # questions recur in many conversations, but never twice with the same context.
    keys = [(i.text, json.dumps(i.fields.get("context"))) for i in items]
    assert len(set(keys)) == len(keys), "a reply appears in two splits"
    real = [i for i in items if "context" in i.fields]
    assert len(real) >= 1200 and all(i.fields.get("register") for i in real)
