"""A reply is labelled against the conversation before it (LABELS.md: context decides reflections)."""

from __future__ import annotations

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.classify.context import InvalidContextError, parse_context, stem


def test_a_restatement_right_after_the_person_said_it_is_a_reflection(classifier: Classifier) -> None:
    reply = "You didn't loop in procurement early enough. What would you change?"
    said = "Honestly, my mistake was that I didn't loop in procurement early enough."
    assert classifier.classify(reply).move == "feedback"  # alone: behaviour the manager names
    analysis = classifier.classify(reply, context=said)
    assert analysis.move == "coaching"
    echo = next(e for e in analysis.evidence if e.rule == "coaching.context.reflection")
    assert "loop in procurement" in echo.text


def test_an_echo_question_built_from_their_words_is_coaching(classifier: Classifier) -> None:
    turns = [
        {"speaker": "manager", "text": "How's the week been?"},
        {"speaker": "report", "text": "Sidelined."},
    ]
    assert classifier.classify("Sidelined in what way?", context=turns).move == "coaching"


def test_doing_what_was_asked_is_not_a_regression_move(classifier: Classifier) -> None:
    asked = "Could you have a word with Dmitri? He keeps changing the spec."
    assert classifier.classify("Sure, I'll talk to Dmitri today.", context=asked).move == "coaching"
    unasked = "Dmitri keeps changing the spec and it drives me mad."
    assert (
        classifier.classify("I'll tell Dmitri to stop changing the spec.", context=unasked).move == "telling"
    )


def test_an_instruction_stays_telling_whatever_the_context(classifier: Classifier) -> None:
    said = "I haven't sent the deck to Dana yet."
    assert classifier.classify("You need to send the deck to Dana today.", context=said).move == "telling"


def test_feedback_that_adds_its_impact_is_not_a_restatement(classifier: Classifier) -> None:
    said = "I pushed the fix straight to production last night, no review."
    reply = "You pushed it to production without a review, and that put the card data at risk."
    assert classifier.classify(reply, context=said).move == "feedback"


def test_the_managers_own_turns_are_not_echo_material(classifier: Classifier) -> None:
    turns = [
        {"speaker": "manager", "text": "Were you stuck with the migration?"},
        {"speaker": "report", "text": "No."},
    ]
    evidence = {e.rule for e in classifier.classify("Stuck how?", context=turns).evidence}
    assert "coaching.context.echo_question" not in evidence


def test_classify_many_takes_texts_and_items_with_context(classifier: Classifier) -> None:
    reply = "You didn't loop in procurement early enough."
    items = [reply, {"text": reply, "context": "I didn't loop in procurement early enough, I think."}]
    assert [a.move for a in classifier.classify_many(items)] == ["feedback", "coaching"]


@pytest.mark.parametrize(
    "bad",
    [5, [1], [{"speaker": "report"}], [{"speaker": 3, "text": "x"}], {"speaker": "report", "text": "x"}],
)
def test_a_malformed_context_is_refused(classifier: Classifier, bad) -> None:
    with pytest.raises(InvalidContextError):
        classifier.classify("What's on your mind?", context=bad)


def test_context_forms() -> None:
    assert parse_context(None) == () and parse_context("  ") == ()
    assert parse_context("hi")[0].speaker == "other"
    turns = parse_context([{"speaker": "Manager", "text": "a"}, {"text": "b"}])
    assert [t.is_manager for t in turns] == [True, False]


def test_stems_meet_across_word_forms() -> None:
    assert stem("untangling") == stem("untangled") == stem("untangle")
    assert stem("stopped") == stem("stop")
