"""Evaluation arithmetic, checked against hand-computed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachsim.classify.evaluate import (
    breakdown,
    error_sample,
    parse_labelled_lines,
    read_labelled_jsonl,
    score,
)
from coachsim.errors import DataFileError


def test_scores_match_a_hand_computed_example() -> None:
    gold = ["coaching", "coaching", "telling", "telling", "feedback", "mentoring"]
    predicted = ["coaching", "telling", "telling", "telling", "feedback", "telling"]
    metrics = score(gold, predicted)
    assert metrics.accuracy == pytest.approx(4 / 6, abs=1e-4)
    telling = metrics.per_move["telling"]
    assert (telling.precision, telling.recall) == (0.5, 1.0)
    assert telling.f1 == pytest.approx(2 / 3, abs=1e-3)
    coaching = metrics.per_move["coaching"]
    assert (coaching.precision, coaching.recall) == (1.0, 0.5)
    assert metrics.per_move["mentoring"].f1 == 0.0
    expected_macro = (2 / 3 + 1.0 + 0.0 + 2 / 3) / 4
    assert metrics.macro_f1 == pytest.approx(expected_macro, abs=1e-3)
    assert metrics.confusion["mentoring"]["telling"] == 1


def test_breakdown_and_error_sample() -> None:
    items = list(
        parse_labelled_lines(
            [
                '{"text": "a", "label": "coaching", "difficulty": "easy"}',
                '{"text": "b", "label": "telling", "difficulty": "hard"}',
                '{"text": "c", "label": "telling", "difficulty": "hard"}',
            ],
            "inline",
        )
    )
    predicted = ["coaching", "coaching", "telling"]
    groups = breakdown(items, predicted, "difficulty")
    assert groups["easy"].accuracy == 1.0
    assert groups["hard"].accuracy == 0.5
    assert [(i.text, p) for i, p in error_sample(items, predicted, 5)] == [("b", "coaching")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "f.jsonl:1: not valid JSON"),
        ("[1]", "f.jsonl:1: each line must be a JSON object"),
        ('{"label": "coaching"}', "f.jsonl:1: field 'text' is missing or empty"),
        ('{"text": "hi", "label": "advising"}', "f.jsonl:1: field 'label' must be one of"),
    ],
)
def test_bad_labelled_lines_are_located(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        read_labelled_jsonl(path)
