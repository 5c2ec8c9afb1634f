"""Hostile transcript and review-sidecar files: any damage is one located DataFileError, never a crash
later in a report, the scorecard's scores or the progress index."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachsim.errors import DataFileError
from coachsim.progress.index import _row
from coachsim.report import report_data, to_csv, to_html, to_markdown
from coachsim.review.sidecar import load_review, new_review, read_sidecar_gold, save_review, sidecar_path
from coachsim.scenario.scoring import score_transcript
from coachsim.transcript.model import SCHEMA
from coachsim.transcript.store import load_transcript

SENTENCE = {
    "text": "Have you tried asking Priya?",
    "start": 0,
    "end": 28,
    "move": "telling",
    "confidence": 0.8,
    "decisive": True,
    "evidence": [
        {
            "rule": "telling.request_question",
            "move": "telling",
            "cue": "advice_question",
            "weight": 3.0,
            "text": "Have you tried asking",
            "start": 0,
            "end": 21,
            "value": None,
            "generic": False,
        }
    ],
}
SESSION: dict[str, Any] = {
    "schema": SCHEMA,
    "scenario": "just-tell-me",
    "seed": 1,
    "started_at": "2026-03-01T10:00:00+00:00",
    "ended_at": "2026-03-01T10:05:00+00:00",
    "status": "finished",
    "outcome": "Priya leaves with a plan.",
    "ending": "done",
    "turns": [
        {"speaker": "report", "text": "Just tell me what to do.", "at": "", "name": "Priya", "beat": "start"},
        {
            "speaker": "manager",
            "text": "What's on your mind?",
            "at": "",
            "move": "coaching",
            "confidence": 0.9,
            "uncertain": False,
            "sentences": [],
            "cues": {"open_question": True, "coaching_habit_question": "kickstart"},
            "regression": False,
        },
        {
            "speaker": "manager",
            "text": "Have you tried asking Priya?",
            "at": "",
            "move": "telling",
            "confidence": 0.8,
            "uncertain": False,
            "sentences": [SENTENCE],
            "cues": {"advice_question": True, "coaching_habit_question": None},
            "regression": True,
            "typed_after_s": 3.5,
        },
    ],
    "summary": {
        "replies": 2,
        "counts": {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 1},
        "shares": {"coaching": 0.5, "feedback": 0.0, "mentoring": 0.0, "telling": 0.5},
        "regressions": [2],
        "turns_to_first_telling": 2,
        "coaching_habit_questions": ["kickstart"],
        "talk_ratio": 1.5,
        "manager_words": 9,
        "report_words": 6,
        "median_pause_s": 3.5,
        "coaching_streak": 0,
        "goal_met": False,
        "goal_reason": "telling after coaching",
    },
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def places(data: Any, path: tuple = ()) -> list[tuple]:
    """Every key path in a JSON value, so a test can damage any one of them."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*path, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            found += places(value, (*path, n))
    return found


PLACES = places(SESSION)


def damaged(data: dict[str, Any], place: tuple, value: Any, delete: bool) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in place[:-1]:
        target = target[key]
    if delete:
        del target[place[-1]]
    else:
        target[place[-1]] = value
    return data


def everything_that_reads_a_transcript(path: Path) -> None:
    transcript = load_transcript(path)
    data = report_data(transcript, "t")
    to_markdown(data), to_html(data), to_csv(data)
    score_transcript(transcript)
    _row(transcript, path)


def test_the_sample_session_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(SESSION), encoding="utf-8")
    everything_that_reads_a_transcript(path)
    assert load_transcript(path).summary == {**SESSION["summary"], "verdict": ""}


@settings(max_examples=150)
@given(st.sampled_from(PLACES), json_values, st.booleans())
def test_any_damaged_field_is_a_located_error_or_harmless(
    tmp_path: Path, place: tuple, value: Any, delete: bool
) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(damaged(SESSION, place, value, delete)), encoding="utf-8")
    try:
        everything_that_reads_a_transcript(path)
    except DataFileError as error:
        assert error.message.startswith(f"{path}: ") and "\n" not in error.message


@given(st.binary(max_size=200))
def test_any_bytes_are_a_data_file_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(raw)
    with pytest.raises(DataFileError):
        load_transcript(path)


def test_json_nested_too_deep_is_a_data_file_error(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DataFileError, match="nested too deeply"):
        load_transcript(path)


# -- review sidecars ------------------------------------------------------------------------------


def reviewed(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    source = tmp_path / "notes.txt"
    source.write_text("Alex: What's on your mind?\nSam: Not much.\n", encoding="utf-8")
    review = new_review(source, "Alex")
    review.relabel(1, "What's on your mind?", "coaching", "coaching")
    review.comment(1, "What's on your mind?", "coaching", "a good opener")
    save_review(review, source)
    return source, json.loads(sidecar_path(source).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["turns"]["1"].pop("text"), 'turns["1"].text: is missing'),
        (
            lambda d: d["turns"].update(one=d["turns"].pop("1")),
            "turns.one: 'one' is not a turn number (1, 2, 3, …)",
        ),
        (lambda d: d["turns"].update({"0": d["turns"]["1"]}), "turns[\"0\"]: '0' is not a turn number"),
        (
            lambda d: d["turns"]["1"].update(label="advising"),
            "turns[\"1\"].label: 'advising' is not a move",
        ),
        (lambda d: d["turns"]["1"].update(classifier=None), 'turns["1"].classifier: null is not a move'),
        (lambda d: d["turns"]["1"].update(comment=5), 'turns["1"].comment: should be a string, not 5'),
        (lambda d: d.update(turns=[1]), "turns: should be a JSON object, not [1]"),
        (lambda d: d["turns"].update({"2": "x"}), "turns[\"2\"]: should be a JSON object, not 'x'"),
        (lambda d: d.update(manager=7), "manager: should be a string, not 7"),
        (lambda d: d.update(source_sha256="abc"), "source_sha256: should be the file's SHA-256"),
        (
            lambda d: d.update(schema="coachsim.review/2"),
            "schema 'coachsim.review/2' is not supported; this coachsim reads coachsim.review/1",
        ),
    ],
)
def test_a_bad_sidecar_is_one_located_line(tmp_path: Path, change: Any, message: str) -> None:
    source, data = reviewed(tmp_path)
    change(data)
    path = sidecar_path(source)
    path.write_text(json.dumps(data), encoding="utf-8")
    for read in (lambda: load_review(source), lambda: read_sidecar_gold(path)):
        with pytest.raises(DataFileError) as caught:
            read()
        text = caught.value.message
        assert text.startswith(f"{path}: {message}") and "\n" not in text
        assert "move the sidecar aside" in text


def test_a_good_sidecar_still_loads(tmp_path: Path) -> None:
    source, _ = reviewed(tmp_path)
    review = load_review(source)
    assert review is not None and review.turns[1].comment == "a good opener"
    assert read_sidecar_gold(sidecar_path(source)) == [("What's on your mind?", "coaching")]


@settings(max_examples=80)
@given(json_values, st.booleans(), st.integers(min_value=0, max_value=20))
def test_any_damaged_sidecar_is_a_data_file_error_or_loads(
    tmp_path: Path, value: Any, delete: bool, pick: int
) -> None:
    source, data = reviewed(tmp_path)
    spots = places(data)
    path = sidecar_path(source)
    path.write_text(json.dumps(damaged(data, spots[pick % len(spots)], value, delete)), encoding="utf-8")
    try:
        review = load_review(source)
    except DataFileError as error:
        assert error.message.startswith(f"{path}: ") and "\n" not in error.message
    else:
        assert review is not None
        for number, turn in review.turns.items():
            assert number >= 1 and isinstance(turn.text, str) and isinstance(turn.comment, str)


# -- a stored summary never wins over the turns ---------------------------------------------------


def test_a_tampered_summary_loses_to_the_turns_everywhere(tmp_path: Path) -> None:
    """Counts, regressions and talk ratio edited on disk (and a goal claimed): the report, the progress
    row and the scorecard all show what the turns say, and the stale goal is dropped."""
    from rich.console import Console

    from coachsim.tui.screens.scorecard import scorecard

    tampered = copy.deepcopy(SESSION)
    tampered["summary"].update(
        replies=5,
        counts={"coaching": 5, "feedback": 0, "mentoring": 0, "telling": 0},
        regressions=[],
        talk_ratio=0.1,
        goal_met=True,
        goal_reason="goal met",
        verdict="Goal met, and the conversation ended well.",
    )
    path = tmp_path / "t.json"
    path.write_text(json.dumps(tampered), encoding="utf-8")
    transcript = load_transcript(path)
    truth = {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 1}
    assert transcript.summary["counts"] == truth and transcript.summary["regressions"] == [2]
    assert transcript.summary["talk_ratio"] == 1.5 and "goal_met" not in transcript.summary

    summary = report_data(transcript, "t")["summary"]
    assert summary["counts"] == truth and summary["regressions"] == [2] and summary["talk_ratio"] == 1.5
    assert "goal met" not in to_markdown(report_data(transcript, "t")).lower()

    row = _row(transcript, path)
    # replies, the four counts, regressions, first telling, goal met
    assert row[6:14] == (2, 1, 0, 0, 1, 1, 2, None)

    console = Console(width=120, record=True, color_system=None)
    console.print(scorecard(transcript, path, None))
    shown = console.export_text()
    assert "Regressions: 1" in shown and "Talk ratio: 1.5" in shown and "Goal met" not in shown


def test_a_summary_that_agrees_on_the_moves_keeps_its_goal(tmp_path: Path) -> None:
    """Only the talk ratio was edited: it is recomputed, and the goal (judged on these moves) stays."""
    edited = copy.deepcopy(SESSION)
    edited["summary"]["talk_ratio"] = 0.1
    path = tmp_path / "t.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    summary = load_transcript(path).summary
    assert summary["talk_ratio"] == 1.5 and summary["goal_met"] is False
    assert summary["goal_reason"] == "telling after coaching"
