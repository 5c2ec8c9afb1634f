"""Scoring the classifier against gold labels: per-move P/R/F1, macro-F1, accuracy, confusion."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachsim.classify.calibration import ReliabilityRow, reliability
from coachsim.classify.context import InvalidContextError, parse_context
from coachsim.classify.moves import MOVES, is_regression
from coachsim.errors import DataFileError


@dataclass(frozen=True)
class LabelledReply:
    """One gold example: the reply, its gold move, and any other fields of its record."""

    text: str
    label: str
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def reply(self) -> dict[str, Any]:
        """The reply as the classifier takes it, with its ``context`` when the gold file has one."""
        return {"text": self.text, "context": self.fields.get("context")}


@dataclass(frozen=True)
class MoveScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Metrics:
    """Scores for one set of predictions."""

    per_move: dict[str, MoveScore]
    macro_f1: float
    accuracy: float
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_move": {m: vars(s) for m, s in self.per_move.items()},
            "confusion": self.confusion,
        }


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def score(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = MOVES) -> Metrics:
    """Precision, recall and F1 per label, their macro average, accuracy and the confusion matrix."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    confusion = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion.setdefault(g, dict.fromkeys(labels, 0))
        confusion[g][p] = confusion[g].get(p, 0) + 1
    per_move: dict[str, MoveScore] = {}
    for label in labels:
        true_pos = confusion[label][label]
        predicted_n = sum(row.get(label, 0) for row in confusion.values())
        gold_n = sum(confusion[label].values())
        precision = _ratio(true_pos, predicted_n)
        recall = _ratio(true_pos, gold_n)
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_move[label] = MoveScore(precision, recall, f1, gold_n)
    present = [m for m in labels if per_move[m].support]
    macro = _ratio(sum(per_move[m].f1 for m in present), len(present))
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return Metrics(per_move, macro, _ratio(correct, len(gold)), confusion, len(gold))


@dataclass(frozen=True)
class CalibrationReport:
    """How far the confidence can be trusted: a reliability table, its expected calibration
    error, and the accuracy of confident (>= ``confident_at``) and uncertain replies."""

    rows: list[ReliabilityRow]
    ece: float
    confident_at: float
    confident: int
    confident_accuracy: float
    uncertain: int
    uncertain_accuracy: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "ece": self.ece,
            "reliability": [vars(r) for r in self.rows],
            f"confidence_at_least_{self.confident_at}": {
                "replies": self.confident,
                "accuracy": self.confident_accuracy,
            },
            "uncertain": {"replies": self.uncertain, "accuracy": self.uncertain_accuracy},
        }


def calibration_report(
    confidence: Sequence[float], uncertain: Sequence[bool], correct: Sequence[bool], confident_at: float = 0.8
) -> CalibrationReport:
    rows, ece = reliability(confidence, correct)
    sure = [ok for value, ok in zip(confidence, correct, strict=True) if value >= confident_at]
    unsure = [ok for flag, ok in zip(uncertain, correct, strict=True) if flag]
    return CalibrationReport(
        rows=rows,
        ece=ece,
        confident_at=confident_at,
        confident=len(sure),
        confident_accuracy=_ratio(sum(sure), len(sure)),
        uncertain=len(unsure),
        uncertain_accuracy=_ratio(sum(unsure), len(unsure)),
    )


@dataclass(frozen=True)
class ConversationReport:
    """Whole conversations (items sharing a ``conversation`` field, ordered by ``turn``): how many
    turns were labelled right, and whether the first regression was found at the right turn."""

    conversations: int
    turn_accuracy: float
    first_regression_right: int

    def to_dict(self) -> dict[str, Any]:
        return vars(self)


def _first_regression(moves: Sequence[str]) -> int | None:
    coached = False
    for index, move in enumerate(moves):
        if is_regression(move, coached):
            return index
        coached = coached or move == "coaching"
    return None


def conversation_report(
    items: Sequence[LabelledReply], predicted: Sequence[str]
) -> ConversationReport | None:
    """None when the items carry no ``conversation`` field."""
    turns: dict[str, list[tuple[Any, str, str]]] = defaultdict(list)
    for item, guess in zip(items, predicted, strict=True):
        conversation = item.fields.get("conversation")
        if conversation is not None:
            turns[str(conversation)].append((item.fields.get("turn", 0), item.label, guess))
    if not turns:
        return None
    right = total = found = 0
    for rows in turns.values():
        rows.sort(key=lambda row: row[0] if isinstance(row[0], int | float) else 0)
        gold_moves = [g for _, g, _ in rows]
        guessed_moves = [p for _, _, p in rows]
        right += sum(g == p for g, p in zip(gold_moves, guessed_moves, strict=True))
        total += len(rows)
        found += _first_regression(gold_moves) == _first_regression(guessed_moves)
    return ConversationReport(len(turns), _ratio(right, total), found)


def breakdown(items: Sequence[LabelledReply], predicted: Sequence[str], by: str) -> dict[str, Metrics]:
    """Metrics per value of an optional field (e.g. ``difficulty``, ``register``)."""
    groups: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for item, guess in zip(items, predicted, strict=True):
        value = item.fields.get(by)
        if value is None:
            continue
        gold_list, guess_list = groups[str(value)]
        gold_list.append(item.label)
        guess_list.append(guess)
    return {value: score(g, p) for value, (g, p) in sorted(groups.items())}


def read_labelled_jsonl(path: Path) -> list[LabelledReply]:
    """Read ``text``/``label`` records; a bad line raises DataFileError naming ``file:line``."""
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {error.strerror}") from None
    return list(parse_labelled_lines(lines, str(path)))


def parse_labelled_lines(lines: Iterable[str], source: str) -> Iterable[LabelledReply]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise DataFileError(f"{source}:{number}: not valid JSON") from None
        if not isinstance(record, dict):
            raise DataFileError(f"{source}:{number}: each line must be a JSON object")
        text, label = record.get("text"), record.get("label")
        if not isinstance(text, str) or not text.strip():
            raise DataFileError(f"{source}:{number}: field 'text' is missing or empty")
        if label not in MOVES:
            raise DataFileError(
                f"{source}:{number}: field 'label' must be one of {', '.join(MOVES)}, got {label!r}"
            )
        try:
            parse_context(record.get("context"))
        except InvalidContextError as invalid:
            raise DataFileError(f"{source}:{number}: field 'context': {invalid.message}") from None
        fields = {k: v for k, v in record.items() if k not in ("text", "label")}
        yield LabelledReply(text=text, label=label, fields=fields)


def error_sample(
    items: Sequence[LabelledReply], predicted: Sequence[str], limit: int
) -> list[tuple[LabelledReply, str]]:
    """Up to ``limit`` misclassified items, most frequent confusion first."""
    wrong = [(item, guess) for item, guess in zip(items, predicted, strict=True) if item.label != guess]
    counts = Counter((item.label, guess) for item, guess in wrong)
    wrong.sort(key=lambda pair: -counts[(pair[0].label, pair[1])])
    return wrong[:limit]
