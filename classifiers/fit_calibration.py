"""Fit ``classifiers/calibration.yaml`` on the tuning splits (never on test or realtest).

Run from the repository root after changing rules: ``uv run python classifiers/fit_calibration.py``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import yaml

from coachsim.classify.calibration import Signals, fit
from coachsim.classify.classifier import Classifier, signals_of
from coachsim.classify.context import NO_CONTEXT

HERE = Path(__file__).resolve().parent
TUNING = ("train", "dev", "dev2", "realdev")
UNCERTAIN_BELOW = 0.65


def main() -> None:
    classifier = Classifier.load(calibrated=False)
    signals: list[Signals] = []
    correct: list[bool] = []
    for split in TUNING:
        rows = [json.loads(line) for line in (HERE / "corpus" / f"{split}.jsonl").read_text().splitlines()]
        items = [{"text": r["text"], "context": r.get("context")} for r in rows]
        for row, analysis in zip(rows, classifier.classify_many(items), strict=True):
            signal = signals_of(analysis.move, analysis.confidence, analysis.sentences, NO_CONTEXT)
            signals.append(replace(signal, context=bool(row.get("context"))))
            correct.append(analysis.move == row["label"])
    calibration = fit(signals, correct, TUNING, UNCERTAIN_BELOW)
    header = (
        "# A logistic model of how often a label is right (coachsim/classify/calibration.py).\n"
        "# Written by classifiers/fit_calibration.py from the tuning splits; do not edit by hand.\n"
    )
    document = calibration.model_dump()
    (HERE / "calibration.yaml").write_text(header + yaml.safe_dump(document, sort_keys=False))
    print(f"fitted on {len(signals)} replies: weights {calibration.weights}", file=sys.stderr)


if __name__ == "__main__":
    main()
