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


def practise_and_dispute(classifier, replies: list[str], disputes: dict[int, str], started=None) -> Path:
    """A saved practice run on just-tell-me with some replies disputed ("I meant …")."""
    from coachsim.practice import PracticeRun
    from coachsim.scenario.loader import load_catalog

    run = PracticeRun(
        load_catalog().get("just-tell-me").scenario, seed=1, classifier=classifier, started=started
    )
    run.opening()
    for reply in replies:
        run.reply(reply)
    for number, move in disputes.items():
        run.dispute(number, move, "I meant it")
    return run.path


def test_eval_disputes_scores_the_classifier_against_the_moves_you_meant(
    cli, classifier, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    practise_and_dispute(
        classifier,
        ["What's on your mind?", "Have you tried asking Marcus?"],
        {2: "coaching"},
        started=datetime(2026, 1, 1, tzinfo=UTC),
    )
    practise_and_dispute(
        classifier,
        ["Just move the launch to May.", "What else?"],
        {1: "mentoring", 2: "feedback"},
        started=datetime(2026, 1, 2, tzinfo=UTC),
    )
    output = tmp_path / "metrics.json"
    result = cli("eval", "--disputes", "--errors", "5", "-o", str(output))  # default: your transcripts
    assert result.code == 0, result.err
    assert "Per-move scores" in result.out and "By scenario" in result.out
    assert "Have you tried asking Marcus?" in result.out, "a reply the classifier still labels otherwise"
    metrics = json.loads(output.read_text())
    # The classifier that labelled these replies disagrees with every dispute; a changed one may not.
    assert metrics["total"] == 3 and metrics["accuracy"] == 0.0
    assert (
        metrics["confusion"]["coaching"]["telling"] == 1 and metrics["confusion"]["mentoring"]["telling"] == 1
    )
    assert metrics["confusion"]["feedback"]["coaching"] == 1
    assert set(metrics["breakdown"]["scenario"]) == {"just-tell-me"}


def test_eval_disputes_reads_a_folder_you_name_and_skips_a_bad_file(cli, classifier, tmp_path: Path) -> None:
    import shutil

    saved = practise_and_dispute(classifier, ["Just move the launch to May."], {1: "coaching"})
    folder = tmp_path / "shared"
    folder.mkdir()
    shutil.copy(saved, folder / saved.name)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    result = cli("eval", "--disputes", str(folder), "--by", "labelled_as")
    assert result.code == 0, result.err
    assert "By labelled_as" in result.out
    assert result.err.count("\n") == 1 and "broken.json" in result.err and "skipped" in result.err


def test_eval_disputes_with_nothing_to_score_is_one_line(cli, classifier, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("eval", "--disputes", str(empty))
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert "no disputed replies in 0 transcripts" in result.err
    practise_and_dispute(classifier, ["What else?"], {})
    mine = cli("eval", "--disputes")
    assert mine.code == 2 and "no disputed replies in 1 transcript;" in mine.err and mine.err.count("\n") == 1
    missing = cli("eval", "--disputes", str(tmp_path / "nope"))
    assert missing.code == 2 and "no such folder" in missing.err and missing.err.count("\n") == 1


def test_eval_without_a_file_or_disputes_says_what_to_give(cli) -> None:
    result = cli("eval")
    assert result.code == 2 and result.out == ""
    assert "Usage: coachsim eval" in result.err and "Missing argument 'FILE'" in result.err
    assert "--disputes" in result.err
