"""Fit ``classifiers/calibration.yaml`` on the tuning splits (never on test or realtest).

Run from the repository root after changing rules: ``uv run python classifiers/fit_calibration.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from coachsim.classify.calibration import fit
from coachsim.classify.classifier import Classifier

HERE = Path(__file__).resolve().parent
TUNING = ("train", "dev", "dev2", "realdev")
UNCERTAIN_BELOW = 0.65


def main() -> None:
    classifier = Classifier.load(calibrated=False)
    raw: list[float] = []
    decisive: list[bool] = []
    correct: list[bool] = []
    for split in TUNING:
        rows = [json.loads(line) for line in (HERE / "corpus" / f"{split}.jsonl").read_text().splitlines()]
        items = [{"text": r["text"], "context": r.get("context")} for r in rows]
        for row, analysis in zip(rows, classifier.classify_many(items), strict=True):
            raw.append(analysis.confidence)
            decisive.append(any(s.decisive for s in analysis.sentences))
            correct.append(analysis.move == row["label"])
    bins = fit(raw, decisive, correct)
    document = {
        "fitted_on": list(TUNING),
        "uncertain_below": UNCERTAIN_BELOW,
        "bins": [b.model_dump() for b in bins],
    }
    header = (
        "# Measured accuracy per raw-confidence bin (coachsim/classify/calibration.py).\n"
        "# Written by classifiers/fit_calibration.py from the tuning splits; do not edit by hand.\n"
    )
    (HERE / "calibration.yaml").write_text(header + yaml.safe_dump(document, sort_keys=False))
    print(f"fitted on {len(raw)} replies: {len(bins)} bins", file=sys.stderr)


if __name__ == "__main__":
    main()
