"""Transcripts are validated on load: every bad field is one located line; the summary is computed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from coachsim.classify.classifier import Classifier
from coachsim.classify.moves import MOVES
from coachsim.errors import DataFileError
from coachsim.practice import PracticeRun
from coachsim.scenario.loader import load_catalog
from coachsim.transcript.model import SCHEMA, Transcript, TranscriptTurn
from coachsim.transcript.store import load_transcript, save_transcript

EVIDENCE = {
    "rule": "coaching.open",
    "move": "coaching",
    "cue": "open_question",
    "weight": 2.0,
    "text": "What",
    "start": 0,
    "end": 4,
    "value": None,
    "generic": False,
}


def transcript_data() -> dict[str, Any]:
    """A small valid saved practice session: report, labelled manager reply, report."""
    return copy.deepcopy(SESSION)


SESSION: dict[str, Any] = {
    "schema": SCHEMA,
    "scenario": "just-tell-me",
    "seed": 1,
    "started_at": "2026-03-01T10:00:00+00:00",
    "ended_at": None,
    "status": "unfinished",
    "outcome": None,
    "turns": [
        {
            "speaker": "report",
            "text": "Just tell me.",
            "at": "2026-03-01T10:00:01+00:00",
            "name": "Priya",
        },
        {
            "speaker": "manager",
            "text": "What else?",
            "at": "2026-03-01T10:00:05+00:00",
            "move": "coaching",
            "confidence": 0.86,
            "uncertain": False,
            "sentences": [
                {
                    "text": "What else?",
                    "start": 0,
                    "end": 10,
                    "move": "coaching",
                    "confidence": 0.86,
                    "decisive": True,
                    "evidence": [EVIDENCE],
                }
            ],
            "cues": {"open_question": True, "coaching_habit_question": "awe"},
            "regression": False,
            "typed_after_s": 2.5,
        },
        {"speaker": "report", "text": "Well…", "at": "2026-03-01T10:00:06+00:00"},
    ],
    "summary": {
        "replies": 1,
        "counts": {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 0},
        "regressions": [],
        "turns_to_first_telling": None,
        "goal_met": False,
        "goal_reason": "not yet",
    },
}


def load(data: Any, tmp_path: Path) -> Transcript:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_transcript(path)


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = transcript_data()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("turns", 1, "move"), "advising", "turns[1].move: 'advising' is not a move"),
        (("turns", 1, "text"), 5, "turns[1].text: should be a string, not 5"),
        (("turns", 0, "text"), KeyError, "turns[0].text: is missing"),
        (("turns", 0, "speaker"), "boss", "turns[0].speaker: 'boss' is not one of report, manager"),
        (("turns", 0, "colour"), "red", "turns[0].colour: unexpected field; remove it"),
        (("turns", 1, "confidence"), 2, "turns[1].confidence: should be at most 1.0, not 2"),
        (("turns", 1, "confidence"), "0.5", "turns[1].confidence: should be a number, not '0.5'"),
        (("turns", 1, "confidence"), KeyError, "turns[1]: move 'coaching' has no confidence"),
        (("turns", 1, "uncertain"), "no", "turns[1].uncertain: should be true or false, not 'no'"),
        (("turns", 1, "start_s"), -1, "turns[1].start_s: should be at least 0.0, not -1"),
        (
            ("turns", 1, "sentences", 0, "evidence", 0, "weight"),
            "x",
            "turns[1].sentences[0].evidence[0].weight: should be a number, not 'x'",
        ),
        (
            ("turns", 1, "sentences", 0, "evidence", 0, "colour"),
            "red",
            "turns[1].sentences[0].evidence[0].colour: unexpected field",
        ),
        (("turns", 1, "sentences", 0, "start"), 1.5, "turns[1].sentences[0].start: should be a whole number"),
        (("turns", 1, "sentences", 0, "move"), None, "turns[1].sentences[0].move: null is not a move"),
        (("turns", 1, "sentences", 0), "x", "turns[1].sentences[0]: should be a JSON object, not 'x'"),
        (
            ("turns", 1, "cues", "coaching_habit_question"),
            True,
            "turns[1].cues: cue 'coaching_habit_question' should be a question name or null, not true",
        ),
        (("turns", 1, "cues", "praise"), "yes", "turns[1].cues: cue 'praise' should be true, false or null"),
        (("turns",), {"0": {}}, 'turns: should be a list, not {"0": {}}'),
        (("started_at",), None, "started_at: should be a string, not null"),
        (("status",), "done", "status: 'done' is not one of unfinished, finished"),
        (("seed",), "1", "seed: should be a whole number, not '1'"),
        (("goal",), {"met": True}, "goal: unexpected field"),
        (
            ("schema",),
            "coachsim.transcript/9",
            "schema 'coachsim.transcript/9' is not supported; this coachsim reads coachsim.transcript/1",
        ),
    ],
)
def test_a_bad_field_is_one_located_line(path: tuple, value: Any, message: str, tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        load(changed(path, value), tmp_path)
    text = caught.value.message
    assert text.startswith(f"{tmp_path / 't.json'}: {message}") and "\n" not in text


def test_not_a_transcript_at_all(tmp_path: Path) -> None:
    for data in ([1, 2], "text", {"schema": "other/1"}, None):
        with pytest.raises(DataFileError, match=r"not a coachsim\.transcript/1 transcript"):
            load(data, tmp_path)


def test_a_transcript_without_a_seed_loads(tmp_path: Path) -> None:
    """Imported transcripts have no seed, and to_dict leaves it out."""
    data = transcript_data()
    del data["seed"]
    assert load(data, tmp_path).seed is None


COMPUTED = {
    "replies": 1,
    "counts": {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 0},
    "shares": {"coaching": 1.0, "feedback": 0.0, "mentoring": 0.0, "telling": 0.0},
    "regressions": [],
    "turns_to_first_telling": None,
    "coaching_habit_questions": ["awe"],
    "talk_ratio": 0.5,
    "manager_words": 2,
    "report_words": 4,
    "median_pause_s": 2.5,
    "coaching_streak": 1,
}
GOAL = {"goal_met": False, "goal_reason": "not yet", "verdict": ""}


def test_the_summary_is_computed_from_the_turns_and_only_the_goal_is_kept(tmp_path: Path) -> None:
    assert load(transcript_data(), tmp_path).summary == {**COMPUTED, **GOAL}
    assert load(changed(("summary",), KeyError), tmp_path).summary == COMPUTED
    assert load(changed(("summary",), {}), tmp_path).summary == COMPUTED
    not_about_moves = changed(("summary", "talk_ratio"), 40.0)
    not_about_moves["summary"]["coaching_habit_questions"] = ["lots"]
    assert load(not_about_moves, tmp_path).summary == {**COMPUTED, **GOAL}
    for bad in (
        "lots",
        {"counts": "lots", "goal_met": True},
        {"counts": {"coaching": 99, "feedback": 0, "mentoring": 0, "telling": 0}, "goal_met": True},
        {"counts": {"advising": 1}, "goal_met": True},
        {"regressions": [7], "goal_met": True},
        {"replies": 3, "goal_met": True},
        {"turns_to_first_telling": 1, "goal_met": True},
        {"goal_met": "yes"},
        {"goal_met": True, "verdict": 5},
    ):
        assert load(changed(("summary",), bad), tmp_path).summary == COMPUTED, bad


def test_a_summary_follows_the_turns_when_they_change(tmp_path: Path) -> None:
    transcript = load(transcript_data(), tmp_path)
    transcript.turns[1].move = "telling"
    assert transcript.summary["counts"]["telling"] == 1 and transcript.summary["turns_to_first_telling"] == 1
    assert transcript.to_dict()["summary"] == transcript.summary


def test_a_reply_not_labelled_yet_is_valid(tmp_path: Path) -> None:
    data = transcript_data()
    data["turns"].append({"speaker": "manager", "text": "Tell me more.", "at": "", "typed_after_s": 1.0})
    transcript = load(data, tmp_path)
    assert transcript.turns[-1].move is None and transcript.summary == {**COMPUTED, **GOAL}


def test_turns_built_in_code_are_checked_and_can_be_changed() -> None:
    turn = TranscriptTurn("manager", "What else?", "", move="coaching", confidence=0.9, sentences=[])
    turn.move = "telling"  # a relabel
    assert turn.to_dict() == {
        "speaker": "manager",
        "text": "What else?",
        "at": "",
        "move": "telling",
        "confidence": 0.9,
        "sentences": [],
    }
    with pytest.raises(ValidationError):
        TranscriptTurn("manager", "What else?", "", move="advising", confidence=0.9)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        TranscriptTurn("manager", "What else?", "", move="coaching")  # no confidence


texts = st.text(max_size=30)
moves = st.sampled_from(MOVES)
shares = st.floats(min_value=0, max_value=1)


@st.composite
def turns(draw: st.DrawFn) -> dict[str, Any]:
    turn: dict[str, Any] = {
        "speaker": draw(st.sampled_from(["report", "manager"])),
        "text": draw(texts),
        "at": "",
    }
    if draw(st.booleans()):
        turn["name"] = draw(texts)
    if turn["speaker"] == "manager" and draw(st.booleans()):
        move = draw(moves)
        turn.update(move=move, confidence=draw(shares), uncertain=draw(st.booleans()))
        turn["sentences"] = [
            {"text": turn["text"], "start": 0, "end": len(turn["text"]), "move": move, "confidence": 0.5}
        ]
        turn["cues"] = {"empathy": draw(st.booleans()), "coaching_habit_question": draw(st.none() | texts)}
        turn["regression"] = draw(st.booleans())
    return turn


@given(
    st.fixed_dictionaries(
        {
            "schema": st.just(SCHEMA),
            "scenario": st.none() | texts,
            "started_at": texts,
            "status": st.sampled_from(["unfinished", "finished"]),
            "turns": st.lists(turns(), max_size=6),
        }
    )
)
def test_any_valid_transcript_round_trips(data: dict[str, Any]) -> None:
    transcript = Transcript.from_dict(json.loads(json.dumps(data)))
    assert Transcript.from_dict(json.loads(json.dumps(transcript.to_dict()))) == transcript
    assert [t.to_dict() for t in transcript.turns] == data["turns"]


def test_a_practised_session_saves_and_loads_unchanged(classifier: Classifier, tmp_path: Path) -> None:
    scenario = load_catalog(include_user=False).get("just-tell-me").scenario
    run = PracticeRun(scenario, seed=2, classifier=classifier)
    run.opening()
    for reply in scenario.examples["regress"].replies:
        if run.session.ended:
            break
        run.reply(reply)
    transcript = run.session.transcript()
    path = tmp_path / "session.json"
    save_transcript(transcript, path)
    again = load_transcript(path)
    assert again == transcript and again.summary == transcript.summary
    assert copy.deepcopy(again.summary)["counts"] == transcript.summary["counts"]
