"""The alert after a slip: whether there is one, a headline the message doesn't repeat, and a question
to try that fits the reply and was not already asked."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.classify.moves import COACHING_HABIT_QUESTIONS
from coachsim.errors import DataFileError
from coachsim.scenario import alternatives
from coachsim.scenario.alternatives import (
    AskedQuestions,
    BuiltQuestions,
    alert_for,
    conversation_alerts,
    load_suggestions,
    normalised,
    questions_from,
    suggest,
)
from coachsim.scenario.loader import load_catalog
from coachsim.scenario.session import Session
from coachsim.transcript.model import Transcript, TranscriptTurn


def regression_alert(classifier: Classifier, text: str, asked: list[str] | None = None, pull: bool = False):
    analysis = classifier.classify(text)
    return alert_for(analysis, pull, asked or [text], nlp=classifier.nlp, regression=True)


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Just send it to Dana today.", "What's your plan for getting it to Dana?"),
        ("Have you thought about asking Priya?", "Who could help you with this?"),
        ("Have you tried asking Priya?", "Who could help you with this?"),
        ("Ask Priya about the rota.", "Who could help you with the rota?"),
        ("Why don't you just call the client?", "What's your plan for the client?"),
        ("You should send the report to Marcus.", "What's your plan for getting the report to Marcus?"),
        ("Send me your draft by Friday.", "What's your plan for getting your draft to me?"),
        ("Let's move the launch to May.", "What's your plan for the launch?"),
        ("Have you considered moving the deadline?", "What's your plan for the deadline?"),
        ("That sounds hard. Fix the login bug first.", "What's your plan for the login bug?"),
    ],
)
def test_a_telling_sentence_becomes_a_coaching_question_about_the_same_thing(
    classifier: Classifier, reply: str, question: str
) -> None:
    alert = regression_alert(classifier, reply)
    assert alert is not None and alert.suggestion == question and alert.rephrased
    assert classifier.classify(question).move == "coaching"


@pytest.mark.parametrize(
    "reply",
    [
        "Just send it to Dana today.",
        "That sounds hard. Fix the login bug first.",
        "What's on your mind? You should send the report to Marcus.",
        "When I ran launches I always picked the safest version.",
        "Should you ask Priya first?",
    ],
)
def test_questions_built_elsewhere_give_the_same_alert_as_the_parser(
    classifier: Classifier, reply: str
) -> None:
    """A workshop participant has no parser: the room's service builds the questions, and the
    participant's alert (and scorecard) says what the terminal's would."""
    analysis = classifier.classify(reply)
    built = BuiltQuestions(questions_from(analysis, classifier.nlp))
    here = alert_for(analysis, False, [reply], nlp=classifier.nlp, regression=True)
    there = alert_for(analysis, False, [reply], nlp=built, regression=True)
    assert here == there


def test_without_built_questions_the_alert_offers_a_coaching_habit_question(classifier: Classifier) -> None:
    analysis = classifier.classify("Just send it to Dana today.")
    alert = alert_for(analysis, False, ["Just send it to Dana today."], nlp=BuiltQuestions(), regression=True)
    assert alert is not None and not alert.rephrased
    assert alert.suggestion in COACHING_HABIT_QUESTIONS.values()


@pytest.mark.parametrize(
    "reply",
    ["Don't send it to Dana.", "Just do that.", "Tell Marcus you need more time."],
)
def test_a_sentence_that_fits_no_template_gets_a_coaching_habit_question(
    classifier: Classifier, reply: str
) -> None:
    alert = alert_for(classifier.classify(reply), False, [reply], nlp=classifier.nlp, regression=True)
    if alert is not None:  # an uncertain label raises none
        assert not alert.rephrased and alert.suggestion in COACHING_HABIT_QUESTIONS.values()


def test_the_suggestion_is_never_a_question_already_asked(classifier: Classifier) -> None:
    asked = ["What's the real challenge here for you?", "And what else?"]
    mentoring = classifier.classify("When I ran nights, I always briefed the drivers first.")
    alert = alert_for(mentoring, False, asked, nlp=classifier.nlp, regression=True)
    assert alert is not None and alert.situation == "mentoring"
    assert alert.suggestion == "What do you want?", "focus and awe were asked: the next mentoring question"
    # Asked in other words: curly apostrophe, other case, inside a longer reply.
    said = ["Okay. WHAT’S YOUR PLAN FOR GETTING IT TO DANA?"]
    rewrite = regression_alert(classifier, "Just send it to Dana today.", asked=said)
    assert rewrite is not None and rewrite.suggestion == "And what else?" and not rewrite.rephrased


def test_the_reply_itself_is_never_suggested(classifier: Classifier) -> None:
    analysis = classifier.classify("Have you tried asking Priya?")
    alert = alert_for(analysis, False, [], regression=True)  # no parser: Coaching Habit questions
    assert alert is not None and alert.suggestion != "Have you tried asking Priya?"


def test_when_every_question_was_asked_there_is_no_suggestion(classifier: Classifier) -> None:
    data = load_suggestions()
    asked = [*COACHING_HABIT_QUESTIONS.values(), *data.pull]
    alert = alert_for(
        classifier.classify("I'd probably ring the family myself."), True, asked, regression=True
    )
    assert alert is not None and alert.suggestion is None


def test_an_uncertain_reply_never_raises_an_alert(classifier: Classifier) -> None:
    analysis = classifier.classify("Maybe the thing.")
    assert analysis.uncertain
    assert alert_for(analysis, False, [], regression=True) is None
    turn = TranscriptTurn("manager", "Maybe the thing.", "", regression=True, **analysis.to_dict())
    assert alert_for(turn, False, []) is None


def test_an_alert_needs_a_regression_or_an_advice_question(classifier: Classifier) -> None:
    telling = classifier.classify("Send it to QA.")
    assert alert_for(telling, False, [], regression=False) is None, "telling before any coaching"
    advice = classifier.classify("Have you tried asking Priya?")
    first = alert_for(advice, False, [], regression=False)
    assert first is not None and first.headline == "Advice dressed as a question"
    assert alert_for(advice, False, [], regression=False, telling_ok=True) is None, "telling is right here"


def test_the_message_never_repeats_the_headline(classifier: Classifier) -> None:
    replies = {
        "advice_question": ("Have you tried asking Priya?", False),
        "telling": ("Send it to QA.", False),
        "telling_pull": ("Send it to QA.", True),
        "mentoring": ("When I ran nights, I always briefed the drivers first.", False),
    }
    for situation, (text, pull) in replies.items():
        alert = alert_for(classifier.classify(text), pull, [text], nlp=classifier.nlp, regression=True)
        assert alert is not None and alert.situation == situation
        assert normalised(alert.headline) not in normalised(alert.message), alert
        assert not alert.headline.endswith("."), "the screen adds its own punctuation"


def test_a_suggestions_file_whose_message_repeats_its_headline_is_refused(tmp_path: Path) -> None:
    source = Path(alternatives.locations.classifiers_dir() / "suggestions.yaml").read_text(encoding="utf-8")
    bad = source.replace(
        'message: "It carries your answer, so they can only take your idea or turn it down."',
        'message: "That was advice dressed as a question: it carries your answer."',
    )
    assert bad != source
    path = tmp_path / "suggestions.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_suggestions(path)
    assert "repeats the headline" in error.value.message and f"{path}:" in error.value.message


def test_a_pull_beat_hands_the_thinking_back_first(classifier: Classifier) -> None:
    reply = "I'd probably ring the family myself before visiting time."
    alert = alert_for(classifier.classify(reply), True, [reply], nlp=classifier.nlp, regression=True)
    assert alert is not None and alert.suggestion == "What do you think?"
    later = alert_for(classifier.classify(reply), True, [reply, "What do you think?"], regression=True)
    assert later is not None and later.suggestion == "What are you thinking?"


def test_every_question_on_file_is_labelled_coaching(classifier: Classifier) -> None:
    data = load_suggestions()
    questions = [*data.pull, *COACHING_HABIT_QUESTIONS.values()]
    for analysis in classifier.classify_many(questions):
        assert analysis.move == "coaching", analysis.text


def test_asked_questions_compare_normalised_text() -> None:
    asked = AskedQuestions(["Right. What else?", "What’s the real challenge here?"])
    assert "And what else?" in asked and "what's the real challenge here for you" in asked
    assert "What do you want?" not in asked


def test_the_practice_alert_the_scorecard_and_the_report_agree(classifier: Classifier) -> None:
    scenario = load_catalog().get("just-tell-me").scenario
    session = Session(scenario, classifier, seed=1)
    session.opening()
    live = {}
    for text in [
        "What's on your mind?",
        "Just send it to the agency today.",
        "Have you tried asking Marcus?",
    ]:
        turn = session.reply(text)
        alert = alert_for(turn, asked=session.asked, nlp=classifier.nlp)
        if alert:
            live[turn.number] = alert
        if turn.ended:
            break
    after = {a.number: a.alert for a in conversation_alerts(session.transcript(), scenario, classifier.nlp)}
    assert live and after == live


def test_the_former_suggest_gives_the_same_message_without_the_headline(classifier: Classifier) -> None:
    analysis = classifier.classify("Have you tried asking Priya?")
    alternative = suggest(analysis, used=("And what else?",))
    assert "advice dressed as a question" not in alternative.message.lower()
    assert alternative.suggestion == "What's the real challenge here for you?"


def test_building_an_alert_from_the_parse_is_quick(classifier: Classifier) -> None:
    replies = [
        "Just send it to Dana today.",
        "Have you thought about asking Priya?",
        "Fix the login bug first.",
    ]
    analyses = [classifier.classify(text) for text in replies]
    timings = []
    for _ in range(5):
        for analysis in analyses:
            alternatives._rephrased.cache_clear()
            start = time.perf_counter()
            alert_for(analysis, False, [analysis.text], nlp=classifier.nlp, regression=True)
            timings.append(time.perf_counter() - start)
    # One spaCy parse of one sentence: about 3-5 ms; generous here so a busy CI machine never fails it.
    assert statistics.median(timings) < 0.05


def test_a_transcript_turn_without_a_label_raises_no_alert() -> None:
    transcript = Transcript(scenario=None, seed=None, started_at="2026-01-01T00:00:00+00:00")
    transcript.turns.append(TranscriptTurn("manager", "Send it.", "", regression=True))
    assert conversation_alerts(transcript) == []
