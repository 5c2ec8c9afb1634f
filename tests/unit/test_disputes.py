"""“I meant coaching”: a dispute is kept on its turn, saved at once, validated on load, and never
changes the scores."""

from __future__ import annotations

import json

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.errors import DataFileError
from coachsim.practice import PracticeRun
from coachsim.scenario.loader import load_catalog
from coachsim.scenario.session import Session
from coachsim.transcript.disputes import disputed_replies
from coachsim.transcript.model import Dispute, InvalidDispute, Transcript
from coachsim.transcript.store import load_transcript
from tests.factories import session_dict


@pytest.fixture(scope="module")
def scenario():
    return load_catalog().get("just-tell-me").scenario


def test_a_practice_run_records_a_dispute_and_saves_it_at_once(scenario, classifier: Classifier) -> None:
    run = PracticeRun(scenario, seed=1, classifier=classifier)
    run.opening()
    run.reply("What's on your mind?")
    run.reply("Have you tried asking Marcus?")
    before = run.session.scores.to_dict()
    dispute = run.dispute(2, "coaching", "  I was curious, not advising.  ")
    assert dispute == Dispute("coaching", "I was curious, not advising.", dispute.at)
    saved = load_transcript(run.path)
    turn = saved.manager_turns[1]
    assert turn.move == "telling" and turn.dispute == dispute, "the label stays; the dispute is beside it"
    assert json.loads(run.path.read_text())["turns"][3]["dispute"] == {
        "move": "coaching",
        "comment": "I was curious, not advising.",
        "at": dispute.at,
    }
    assert run.session.scores.to_dict() == before and saved.summary["counts"]["telling"] == 1


def test_a_later_dispute_replaces_one_and_the_label_itself_withdraws_it(
    scenario, classifier: Classifier
) -> None:
    session = Session(scenario, classifier, seed=1)
    session.opening()
    session.reply("Just move the launch to May.")
    session.dispute(1, "mentoring")
    assert session.dispute(1, "Coaching") is not None
    assert session.transcript_data.manager_turns[0].dispute.move == "coaching"  # type: ignore[union-attr]
    assert session.dispute(1, "telling") is None and session.transcript_data.manager_turns[0].dispute is None


@pytest.mark.parametrize(
    ("number", "move", "expect"),
    [
        (3, "coaching", "there is no reply 3: this conversation has 1 reply"),
        (0, "coaching", "there is no reply 0"),
        (1, "advice", "'advice' is not a move; say one of coaching, feedback, mentoring, telling"),
    ],
)
def test_a_bad_dispute_is_one_line(
    scenario, classifier: Classifier, number: int, move: str, expect: str
) -> None:
    session = Session(scenario, classifier, seed=1)
    session.opening()
    session.reply("Just move the launch to May.")
    with pytest.raises(InvalidDispute) as refused:
        session.dispute(number, move)
    assert refused.value.message.startswith(expect) and "\n" not in refused.value.message


def test_an_unlabelled_reply_cannot_be_disputed() -> None:
    data = session_dict()
    data["turns"][0].pop("move")
    data["turns"][0].pop("confidence")
    transcript = Transcript.from_dict(data)
    with pytest.raises(InvalidDispute, match="no label yet"):
        transcript.dispute(1, "telling", None, at="2026-03-01T10:00:00+00:00")


def test_a_dispute_round_trips_and_is_validated_on_load() -> None:
    data = session_dict()
    data["turns"][0]["dispute"] = {"move": "telling", "comment": None, "at": "2026-03-01T10:00:09+00:00"}
    transcript = Transcript.from_dict(data)
    assert transcript.manager_turns[0].dispute == Dispute("telling", None, "2026-03-01T10:00:09+00:00")
    assert Transcript.from_dict(transcript.to_dict()) == transcript

    def refused(dispute: object) -> str:
        bad = session_dict()
        bad["turns"][0]["dispute"] = dispute
        with pytest.raises(DataFileError) as error:
            Transcript.from_dict(bad, source="t.json")
        return error.value.message

    assert refused({"move": "advice", "at": "2026-03-01T10:00:09+00:00"}).startswith(
        "t.json: turns[0].dispute.move: 'advice' is not a move"
    )
    assert "dispute.at: should be an ISO date and time" in refused({"move": "telling", "at": "Tuesday"})
    why = refused({"move": "telling", "at": "2026-03-01", "why": "x"})
    assert "turns[0].dispute.why: unexpected field" in why
    report_turn = session_dict()
    report_turn["turns"][0] = {
        "speaker": "report",
        "text": "Hi",
        "at": "",
        "dispute": {"move": "telling", "at": "2026-03-01"},
    }
    with pytest.raises(DataFileError, match="only a labelled manager turn can carry a dispute"):
        Transcript.from_dict(report_turn)


def test_a_disputed_reply_is_gold_with_the_turns_before_it(scenario, classifier: Classifier) -> None:
    session = Session(scenario, classifier, seed=1)
    opening = session.opening()
    session.reply("What's on your mind?")
    session.reply("Have you tried asking Marcus?")
    session.dispute(2, "coaching", "curious")
    (item,) = disputed_replies(session.transcript(), "t.json")
    assert item.text == "Have you tried asking Marcus?" and item.label == "coaching"
    context = item.fields["context"]
    assert context[0] == {"speaker": "report", "text": opening} and len(context) == 3
    assert item.fields["labelled_as"] == "telling" and item.fields["scenario"] == "just-tell-me"
