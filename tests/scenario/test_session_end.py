"""A session ends for real: no reply after the end, a truthful count of turns left, the closing line,
and one verdict that says how it ended and whether the goal was met."""

from __future__ import annotations

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.errors import CoachsimError
from coachsim.scenario.loader import load_catalog, load_scenario_file
from coachsim.scenario.session import Session, SessionEnded
from coachsim.scenario.verdict import quote, verdict
from coachsim.transcript.model import Transcript, TranscriptTurn

from .conftest import MINI


@pytest.fixture(scope="module")
def mini():
    loaded, problems = load_scenario_file(MINI)
    assert loaded is not None, problems
    return loaded.scenario


def started(scenario, classifier) -> Session:
    session = Session(scenario, classifier, seed=0)
    session.opening()
    return session


def test_after_end_a_reply_is_refused_with_one_clear_line(mini, classifier: Classifier) -> None:
    session = started(mini, classifier)
    session.reply("Okay.")
    session.end()
    assert session.ended and session.ended_early and session.turns_left == 0
    with pytest.raises(SessionEnded) as refused:
        session.reply("What else?")
    assert isinstance(refused.value, CoachsimError) and "\n" not in refused.value.message
    assert session.turns_taken == 1 and len(session.transcript().manager_turns) == 1, "not scored"
    ended_at = session.transcript_data.ended_at
    session.end()
    assert session.transcript_data.ended_at == ended_at and session.transcript().status == "unfinished"


def test_turns_left_counts_down_from_the_scenarios_own_limit(mini, classifier: Classifier) -> None:
    session = started(mini, classifier)
    assert session.max_turns == mini.max_turns == 4 and session.turns_left == 4
    for left in (3, 2, 1):
        turn = session.reply("Thanks for raising it.")
        assert not turn.ended and session.turns_left == left
    last = session.reply("Thanks for raising it.")
    assert last.ended and last.to_beat == "out-of-time" and session.turns_left == 0
    assert session.ending == "out-of-time" and not session.ended_early


def test_the_turn_that_ends_it_carries_the_closing_line(mini, classifier: Classifier) -> None:
    session = started(mini, classifier)
    first = session.reply("What's on your mind?")
    assert not first.ended and first.closing_line is None and session.closing_line is None
    last = session.reply("What else could you try?")
    assert last.ended and last.closing_line == "Right, I'll quarantine them and tell the team. Thanks."
    assert session.closing_line == last.report_line and session.ending == "owns-it"
    assert session.outcome == "Sam leaves with his own plan."


def test_an_ending_without_a_line_has_no_closing_line(mini, classifier: Classifier) -> None:
    session = started(mini, classifier)
    session.reply("Just rerun the tests.")
    last = session.reply("Send it to QA.")
    assert last.ended and last.report_line is None and session.closing_line is None


def test_the_summary_carries_the_verdict(mini, classifier: Classifier) -> None:
    session = started(mini, classifier)
    session.reply("What's on your mind?")
    session.reply("What else could you try?")
    summary = session.transcript().summary
    assert summary["goal_met"] and summary["verdict"] == "Goal met, and the conversation ended well."


def praise_transcript(moves: list[tuple[str, str, str]], ending: str | None, status: str = "finished"):
    """A specific-praise conversation: (text, move, beat) per manager reply, each after a report line."""
    transcript = Transcript(
        scenario="specific-praise",
        seed=0,
        started_at="2026-01-01T00:00:00+00:00",
        status=status,  # type: ignore[arg-type]
    )
    coached = False
    for text, move, beat in moves:
        transcript.turns.append(TranscriptTurn("report", "Hi.", "", beat=beat, name="Kofi Mensah"))
        regression = coached and move in ("telling", "mentoring")
        transcript.turns.append(
            TranscriptTurn("manager", text, "", beat=beat, move=move, confidence=0.9, regression=regression)
        )
        coached = coached or move == "coaching"
    transcript.ending = ending
    return transcript


@pytest.fixture(scope="module")
def praise():
    return load_catalog().get("specific-praise").scenario


def test_a_good_ending_with_a_missed_goal_names_the_reply_that_cost_it(praise) -> None:
    transcript = praise_transcript(
        [
            ("I noticed you posted an update every twenty minutes.", "feedback", "opening"),
            ("What made that work?", "coaching", "lands"),
            ("Just send it.", "telling", "next-step"),
            ("What will you carry forward?", "coaching", "what-worked"),
        ],
        ending="owns-learning",
    )
    result = verdict(transcript, praise)
    assert not result.met and result.ended_well and result.reply == 3
    assert result.text == (
        "Goal not met: the conversation ended well, but reply 3 ('Just send it') was telling"
        " after Kofi asked for your view."
    )


def test_a_goal_missed_by_many_replies_gives_the_goals_reason(praise) -> None:
    transcript = praise_transcript(
        [("Great job.", "feedback", "opening"), ("Fix the runbook.", "telling", "lands")] * 2,
        ending="box-ticked",
    )
    result = verdict(transcript, praise)
    assert not result.met and result.ended_well is False and result.reply is None
    assert result.text.startswith("Goal not met: coaching was 0% of replies")
    assert result.text.endswith("; the conversation ended short of its best ending.")


def test_a_met_goal_with_another_ending_says_so(praise) -> None:
    transcript = praise_transcript(
        [
            ("You kept customers informed.", "feedback", "opening"),
            ("What helped?", "coaching", "lands"),
            ("What else?", "coaching", "what-worked"),
        ],
        ending="out-of-time",
    )
    assert verdict(transcript, praise).text == "Goal met, but you ran out of turns."


def test_an_early_stop_says_so(praise) -> None:
    nothing = praise_transcript([], ending=None, status="unfinished")
    assert verdict(nothing, praise).text == "Goal not met: you ended the session before replying."
    one = praise_transcript([("What helped?", "coaching", "opening")], ending=None, status="unfinished")
    result = verdict(one, praise)
    assert result.ended_well is None and result.text.startswith(
        "Goal not met: you ended the session after 1 reply; no feedback"
    )


def test_a_reply_is_quoted_short() -> None:
    assert quote("Just send it.") == "Just send it"
    long = quote("Have you thought about asking Priya whether she could cover the Friday shift?")
    assert long.endswith("…") and len(long) <= 41
