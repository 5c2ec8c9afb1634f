"""``coachsim eval``: per-move scores, confusion, breakdowns, JSON output, exit 0 whatever the score."""

from __future__ import annotations

import json
from pathlib import Path


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


RECORDS = [
    {"text": "What else?", "label": "coaching", "difficulty": "easy"},
    {"text": "Send it to Dana.", "label": "telling", "difficulty": "easy"},
    {"text": "Great job on the demo!", "label": "feedback", "difficulty": "easy"},
    {"text": "In my experience, clients prefer a call.", "label": "mentoring", "difficulty": "hard"},
    {"text": "Have you tried asking Priya?", "label": "coaching", "difficulty": "hard"},
]


def test_eval_prints_scores_confusion_and_breakdown(cli, tmp_path: Path) -> None:
    result = cli("eval", str(write(tmp_path / "gold.jsonl", RECORDS)), "--errors", "3")
    assert result.code == 0
    for heading in ("Per-move scores", "macro-F1", "Confusion", "By difficulty", "Misclassified"):
        assert heading in result.out
    assert "Have you tried asking Priya?" in result.out


def test_eval_writes_metrics_json(cli, tmp_path: Path) -> None:
    output = tmp_path / "metrics.json"
    result = cli(
        "eval", str(write(tmp_path / "gold.jsonl", RECORDS)), "-o", str(output), "--by", "difficulty"
    )
    assert result.code == 0
    metrics = json.loads(output.read_text())
    assert metrics["total"] == 5
    assert metrics["accuracy"] == 0.8
    assert metrics["confusion"]["coaching"]["telling"] == 1
    assert set(metrics["breakdown"]["difficulty"]) == {"easy", "hard"}


def test_eval_bad_input_is_one_line(cli, tmp_path: Path) -> None:
    missing = cli("eval", str(tmp_path / "nope.jsonl"))
    assert missing.code == 2 and "cannot read file" in missing.err and missing.err.count("\n") == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi", "label": "coaching"}\n{oops\n', encoding="utf-8")
    result = cli("eval", str(bad))
    assert result.code == 2 and result.err.strip() == f"coachsim: error: {bad}:2: not valid JSON"
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    assert "no labelled replies" in cli("eval", str(empty)).err


def test_eval_uses_a_gold_files_context_and_reports_calibration(cli, tmp_path: Path) -> None:
    records = [
        {"text": "Stuck how?", "label": "coaching", "context": "I'm stuck on the migration."},
        {"text": "Send it to Dana.", "label": "telling"},
    ]
    output = tmp_path / "metrics.json"
    result = cli("eval", str(write(tmp_path / "gold.jsonl", records)), "-o", str(output))
    assert result.code == 0 and "Calibration" in result.out and "expected calibration error" in result.out
    metrics = json.loads(output.read_text())
    assert metrics["accuracy"] == 1.0
    assert {"ece", "reliability", "uncertain"} <= metrics["calibration"].keys()


def test_eval_reports_a_bad_context_with_its_line(cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "gold.jsonl", [{"text": "What else?", "label": "coaching", "context": 3}])
    result = cli("eval", str(bad))
    assert result.code == 2 and result.err.startswith(f"coachsim: error: {bad}:1: field 'context'")


def test_eval_scores_whole_conversations_when_items_say_which(cli, tmp_path: Path) -> None:
    records = [
        {"text": "What's on your mind?", "label": "coaching", "conversation": "c1", "turn": 1},
        {"text": "Send it to Dana today.", "label": "telling", "conversation": "c1", "turn": 3},
        {"text": "What else?", "label": "coaching", "conversation": "c2", "turn": 1},
    ]
    output = tmp_path / "metrics.json"
    result = cli("eval", str(write(tmp_path / "gold.jsonl", records)), "-o", str(output))
    assert "Whole conversations: 2" in result.out
    assert json.loads(output.read_text())["conversations"] == {
        "conversations": 2,
        "turn_accuracy": 1.0,
        "first_regression_right": 2,
    }
