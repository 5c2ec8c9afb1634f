"""``coachsim eval``: score the classifier on a labelled JSONL file, a review sidecar or disputed labels."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from rich.markup import escape

from coachsim import jsonl, locations
from coachsim.classify.classifier import Classifier, InvalidReplyError, check_reply
from coachsim.classify.evaluate import (
    LabelledReply,
    breakdown,
    calibration_report,
    conversation_report,
    error_sample,
    parse_labelled_lines,
    score,
)
from coachsim.cli import output
from coachsim.errors import CoachsimError, DataFileError, ExitCode
from coachsim.jsonl import JsonLineError
from coachsim.locations import display_path
from coachsim.outputs import is_stdout, safe_output_path, write_output
from coachsim.render.metrics import metrics_view
from coachsim.safetext import visible

#: A gold file larger than this is refused (the corpus files are a few MB).
MAX_GOLD_CHARS = 200_000_000


def _checked_lines(stream: BinaryIO, source: str, where: list[int]) -> Iterator[str]:
    """The file's lines, each bounded in length and nesting; ``where[0]`` is the current line."""
    total = 0
    for line in jsonl.read_lines(stream, skip=False):
        where[0] = line.number
        if line.text is None:
            raise DataFileError(f"{source}:{line.number}: {jsonl.too_long()}")
        total += len(line.text)
        if total > MAX_GOLD_CHARS:
            raise DataFileError(f"{source}: more than {MAX_GOLD_CHARS:,} characters; split the file")
        if line.text.strip():
            try:
                jsonl.loads(line.text)
            except JsonLineError as invalid:
                raise DataFileError(f"{source}:{line.number}: {invalid.message}") from None
        yield line.text


def read_gold_jsonl(path: Path) -> list[LabelledReply]:
    """Labelled replies from a JSONL file; every problem is one DataFileError naming ``file:line``."""
    where = [0]
    items: list[LabelledReply] = []
    try:
        with path.open("rb") as stream:
            for item in parse_labelled_lines(_checked_lines(stream, str(path), where), str(path)):
                try:
                    check_reply(item.text)
                except InvalidReplyError as invalid:
                    raise DataFileError(f"{path}:{where[0]}: field 'text': {invalid.message}") from None
                items.append(item)
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {error.strerror}") from None
    return items


def read_gold(path: Path) -> list[LabelledReply]:
    """Gold replies from a labelled JSONL file or a review sidecar (the coach's relabels)."""
    if not path.name.endswith(".review.json"):
        return read_gold_jsonl(path)
    from coachsim.review.sidecar import read_sidecar_gold

    try:
        if os.stat(path).st_size > MAX_GOLD_CHARS:
            raise DataFileError(f"{path}: over {MAX_GOLD_CHARS:,} bytes; not a review sidecar")
        pairs = read_sidecar_gold(path)
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {error.strerror}") from None
    except RecursionError:
        raise DataFileError(f"{path}: JSON nested too deeply; not a review sidecar") from None
    return [LabelledReply(text, label) for text, label in pairs]


def _for_terminal(sample: list[tuple[LabelledReply, str]]) -> list[tuple[LabelledReply, str]]:
    """Misclassified replies as the metrics table shows them: control characters and markup inert."""
    return [(replace(item, text=escape(visible(item.text, one_line=True))), guess) for item, guess in sample]


def evaluate_file(
    classifier: Classifier,
    path: Path,
    by: list[str],
    errors: int,
    output_path: Path | None,
) -> ExitCode:
    """Print per-move P/R/F1, macro-F1, accuracy, confusion and breakdowns; optionally save JSON
    (``-o -``: the JSON goes to stdout and the tables to stderr)."""
    if output_path is not None:
        safe_output_path(output_path, [path], "metrics")  # refused now, before any labelling
    items = read_gold(path)
    if not items:
        raise CoachsimError(f"{path}: no labelled replies found; expected JSON lines with 'text' and 'label'")
    return _evaluate(classifier, items, path, by, errors, output_path)


def evaluate_disputes(
    load_classifier: Callable[[], Classifier],
    folder: Path | None,
    by: list[str],
    errors: int,
    output_path: Path | None,
) -> ExitCode:
    """Score the classifier against the moves managers said they meant (``coachsim eval --disputes``):
    each disputed reply of the transcripts in ``folder`` (default: the user's transcripts), with the
    turns before it as context and the disputed move as gold. The classifier is loaded only once
    there is something to score."""
    from coachsim.transcript.disputes import read_disputes

    folder = folder or locations.transcripts_dir()
    if output_path is not None:
        safe_output_path(output_path, [], "metrics")
    if not folder.exists() and folder == locations.transcripts_dir():
        raise CoachsimError(f"{display_path(folder)}: no transcripts yet, so no disputed replies to score")
    gold = read_disputes(folder)
    for problem in gold.skipped:
        output.warn(f"skipped {problem}")
    if not gold.items:
        read = f"{gold.transcripts} transcript{'' if gold.transcripts == 1 else 's'}"
        raise CoachsimError(
            f"{display_path(folder)}: no disputed replies in {read}; dispute a label with 'I meant …' first"
        )
    return _evaluate(load_classifier(), gold.items, folder, by or ["scenario"], errors, output_path)


def _evaluate(
    classifier: Classifier,
    items: list[LabelledReply],
    source: Path,
    by: list[str],
    errors: int,
    output_path: Path | None,
) -> ExitCode:
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
    shown = {
        escape(visible(field, one_line=True)): {
            visible(value, one_line=True): m for value, m in groups.items()
        }
        for field, groups in breakdowns.items()
    }
    to_stdout = output_path is not None and is_stdout(output_path)
    console = output.stderr_console() if to_stdout else output.stdout_console()
    console.print(metrics_view(metrics, shown, _for_terminal(sample), calibration, conversations))
    if output_path is not None:
        report: dict[str, Any] = {
            "file": str(source),
            "model": classifier.model_name,
            **metrics.to_dict(),
            "calibration": calibration.to_dict(),
            "conversations": conversations.to_dict() if conversations else None,
            "breakdown": {f: {v: m.to_dict() for v, m in g.items()} for f, g in breakdowns.items()},
            "errors": [{"text": i.text, "label": i.label, "predicted": p} for i, p in sample],
        }
        write_output(output_path, json.dumps(report, indent=2) + "\n", inputs=[source], what="metrics")
        if not to_stdout:
            output.warn(f"metrics written to {output_path}")
    return ExitCode.OK
