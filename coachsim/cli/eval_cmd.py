"""``coachsim eval``: score the classifier on a labelled JSONL file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coachsim.classify.classifier import Classifier
from coachsim.classify.evaluate import (
    LabelledReply,
    breakdown,
    calibration_report,
    conversation_report,
    error_sample,
    read_labelled_jsonl,
    score,
)
from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode
from coachsim.render.metrics import metrics_view


def evaluate_file(
    classifier: Classifier,
    path: Path,
    by: list[str],
    errors: int,
    output_path: Path | None,
) -> ExitCode:
    """Print per-move P/R/F1, macro-F1, accuracy, confusion and breakdowns; optionally save JSON."""
    if path.name.endswith(".review.json"):
        from coachsim.review.sidecar import read_sidecar_gold

        items = [LabelledReply(text, label) for text, label in read_sidecar_gold(path)]
    else:
        items = read_labelled_jsonl(path)
    if not items:
        raise CoachsimError(f"{path}: no labelled replies found; expected JSON lines with 'text' and 'label'")
    analyses = classifier.classify_many([item.reply for item in items])
    predicted = [a.move for a in analyses]
    metrics = score([item.label for item in items], predicted)
    calibration = calibration_report(
        [a.confidence for a in analyses],
        [a.uncertain for a in analyses],
        [a.move == item.label for a, item in zip(analyses, items, strict=True)],
    )
    conversations = conversation_report(items, predicted)
    fields = by or (["difficulty"] if any("difficulty" in i.fields for i in items) else [])
    breakdowns = {field: breakdown(items, predicted, field) for field in fields}
    breakdowns = {field: groups for field, groups in breakdowns.items() if groups}
    sample = error_sample(items, predicted, errors)
    output.stdout_console().print(metrics_view(metrics, breakdowns, sample, calibration, conversations))
    if output_path is not None:
        report: dict[str, Any] = {
            "file": str(path),
            "model": classifier.model_name,
            **metrics.to_dict(),
            "calibration": calibration.to_dict(),
            "conversations": conversations.to_dict() if conversations else None,
            "breakdown": {f: {v: m.to_dict() for v, m in g.items()} for f, g in breakdowns.items()},
            "errors": [{"text": i.text, "label": i.label, "predicted": p} for i, p in sample],
        }
        try:
            output_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            raise CoachsimError(f"{output_path}: cannot write metrics: {error.strerror}") from None
        output.warn(f"metrics written to {output_path}")
    return ExitCode.OK
