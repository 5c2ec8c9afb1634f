"""The session engine: deterministic conversations, routing, scores, goal and transcript."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.scenario.loader import load_scenario_file
from coachsim.scenario.session import Session, SessionEnded
from coachsim.transcript.model import SCHEMA, Transcript
from coachsim.transcript.store import load_transcript, save_transcript

from .conftest import MINI


@pytest.fixture(scope="module")
def mini():
    loaded, problems = load_scenario_file(MINI)
    assert loaded is not None, problems
    return loaded.scenario


def ticking_clock():
    state = {"t": 0}

    def clock() -> str:
        state["t"] += 1
        return f"2026-01-01T00:00:{state['t']:02d}+00:00"

    return clock


def play(scenario, classifier, replies, seed=0):
    session = Session(scenario, classifier, seed=seed, clock=ticking_clock())
    lines = [session.opening()]
    turns = []
    for reply in replies:
        turns.append(session.reply(reply, typed_after_s=2.0))
        lines.append(turns[-1].report_line)
        if turns[-1].ended:
            break
    return session, lines, turns


def test_same_seed_and_replies_give_the_same_conversation(mini, classifier: Classifier) -> None:
    replies = ["What's on your mind?", "What else could you try?"]
    first = play(mini, classifier, replies, seed=7)[0].transcript().to_dict()
    second = play(mini, classifier, replies, seed=7)[0].transcript().to_dict()
    assert first == second
    openings = {play(mini, classifier, [], seed=s)[1][0] for s in range(12)}
    assert len(openings) == 2, "the seed chooses among the opening's variants"


def test_coaching_opens_the_report_up_and_ends_well(mini, classifier: Classifier) -> None:
    session, lines, turns = play(mini, classifier, ["What's on your mind?", "What else could you try?"])
    assert [t.to_beat for t in turns] == ["opens-up", "owns-it"]
    assert turns[-1].ended and session.outcome == "Sam leaves with his own plan."
    assert lines[-1] == "Right, I'll quarantine them and tell the team. Thanks."
    assert turns[0].pull is True
    with pytest.raises(SessionEnded):
        session.reply("Anything else?")


def test_telling_makes_the_report_passive(mini, classifier: Classifier) -> None:
    _, lines, turns = play(mini, classifier, ["Just rerun the tests.", "Send it to QA."])
    assert lines[1] == "Okay. I'll do that."
    assert [t.to_beat for t in turns] == ["passive", "your-plan"]
    assert turns[-1].report_line is None  # this ending has no closing line


def test_contains_routes_on_words(mini, classifier: Classifier) -> None:
    _, _, turns = play(mini, classifier, ["Great call on the rollback plan."])
    assert turns[0].to_beat == "rollback"


def test_max_turns_ends_on_the_declared_ending(mini, classifier: Classifier) -> None:
    session, _, turns = play(mini, classifier, ["Thanks for raising it."] * 4)
    assert len(turns) == 4 and turns[-1].to_beat == "out-of-time" and session.ended


def test_scores_regressions_and_goal(mini, classifier: Classifier) -> None:
    session, _, turns = play(mini, classifier, ["What's on your mind?", "Send it to QA.", "Just rerun them."])
    scores = session.scores
    assert scores.counts["coaching"] == 1 and scores.counts["telling"] == 2
    assert scores.regressions == [3], "telling at the telling_ok beat is not a regression"
    assert turns[1].telling_ok and not turns[1].regression and turns[2].regression
    assert scores.turns_to_first_telling == 2
    assert scores.habit_questions == ["kickstart"]
    assert scores.median_pause_s == 2.0
    assert scores.talk_ratio is not None and scores.talk_ratio > 0
    goal = session.goal
    assert not goal.met and "telling replies, more than the 0 allowed" in goal.reason


def test_goal_order_is_checked(classifier: Classifier, mini) -> None:
    from coachsim.scenario.model import GoalTarget
    from coachsim.scenario.scoring import ScoredReply, check_goal, score

    target = GoalTarget(order=["feedback", "coaching"])
    good = [ScoredReply("feedback", 5), ScoredReply("coaching", 4)]
    bad = [ScoredReply("coaching", 4), ScoredReply("feedback", 5)]
    assert check_goal(target, good, score(good, 10)).met
    assert "out of order" in check_goal(target, bad, score(bad, 10)).reason
    assert "no feedback reply" in check_goal(target, bad[:1], score(bad[:1], 10)).reason


def test_transcript_is_plain_json_and_round_trips(mini, classifier: Classifier, tmp_path: Path) -> None:
    session, _, _ = play(mini, classifier, ["What's on your mind?", "What else could you try?"], seed=3)
    transcript = session.transcript()
    data = json.loads(json.dumps(transcript.to_dict()))
    assert data["schema"] == SCHEMA and data["scenario"] == "mini-check-in" and data["seed"] == 3
    assert data["status"] == "finished" and data["outcome"] == "Sam leaves with his own plan."
    speakers = [t["speaker"] for t in data["turns"]]
    assert speakers == ["report", "manager", "report", "manager", "report"]
    manager = data["turns"][1]
    assert manager["move"] == "coaching" and manager["cues"]["coaching_habit_question"] == "kickstart"
    assert manager["sentences"] and manager["typed_after_s"] == 2.0 and "at" in manager
    assert data["summary"]["goal_met"] is True
    assert Transcript.from_dict(data) == transcript
    path = tmp_path / "t.json"
    save_transcript(transcript, path)
    assert load_transcript(path) == transcript


def test_an_early_stop_is_unfinished(mini, classifier: Classifier) -> None:
    session, _, _ = play(mini, classifier, ["Okay."])
    session.end()
    transcript = session.transcript()
    assert transcript.status == "unfinished" and transcript.ended_at is not None
