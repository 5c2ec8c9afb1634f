"""The library API: what a caller gets back from classify / classify_many."""

from __future__ import annotations

import json

import pytest

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.classifier import MAX_REPLY_CHARS, Classifier, InvalidReplyError
from coachsim.classify.moves import CUES, MOVES


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("What's on your mind?", "coaching"),
        ("And what else?", "coaching"),
        ("It sounds like you're stuck between the two deadlines.", "coaching"),
        ("Tell me more about that.", "coaching"),
        (
            "In yesterday's demo you skipped the pricing slide, and the client left unsure of the cost.",
            "feedback",
        ),
        ("Why didn't you tell me sooner?", "feedback"),
        ("You should be proud of that.", "feedback"),
        ("When I was in your spot, I blocked my mornings for deep work.", "mentoring"),
        ("If I were you, I'd talk to Priya first.", "mentoring"),
        ("Send the report to Dana by Friday.", "telling"),
        ("Have you tried asking Priya?", "telling"),
        ("Just a thought, but it may be worth recording the demo. Up to you.", "telling"),
        ("Has the fix been deployed yet?", "telling"),
    ],
)
def test_labels_the_examples_from_labels_md(classifier: Classifier, text: str, move: str) -> None:
    assert classifier.classify(text).move == move


def test_reply_takes_the_first_move_in_precedence_order(classifier: Classifier) -> None:
    analysis = classifier.classify("That sounds hard. What have you tried? Just send it to Dana.")
    assert [s.move for s in analysis.sentences] == ["coaching", "coaching", "telling"]
    assert analysis.move == "telling"
    feedback_then_question = classifier.classify("I noticed you interrupted Sam twice. What was going on?")
    assert [s.move for s in feedback_then_question.sentences] == ["feedback", "coaching"]
    assert feedback_then_question.move == "feedback"


def test_sentences_point_back_into_the_original_text(classifier: Classifier) -> None:
    text = "um, whats on ur mind?  i noticed u skipped the retro"
    analysis = classifier.classify(text)
    assert len(analysis.sentences) == 2
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for item in sentence.evidence:
            assert text[item.start : item.end] == item.text
            assert sentence.start <= item.start <= item.end <= sentence.end


def test_every_label_carries_evidence_with_rule_ids(classifier: Classifier) -> None:
    for text in ["Okay.", "The client is in Leeds.", "Why not just ask?", "Congrats!"]:
        analysis = classifier.classify(text)
        assert analysis.move in MOVES
        assert 0 < analysis.confidence <= 1
        assert all(s.evidence for s in analysis.sentences), text


def test_cues_are_named_flags(classifier: Classifier) -> None:
    analysis = classifier.classify("And what else? Have you tried asking Priya?")
    assert set(analysis.cues) == set(CUES)
    assert analysis.cues["advice_question"] is True
    assert analysis.cues["coaching_habit_question"] == "awe"
    assert analysis.cues["imperative"] is False


def test_classify_many_matches_classify_in_order(classifier: Classifier) -> None:
    texts = [
        "Send it.",
        "What's the real challenge here for you?",
        "Great job on the demo!",
        "In my experience, call.",
    ]
    batch = classifier.classify_many(texts)
    assert [a.text for a in batch] == texts
    assert [a.to_dict() for a in batch] == [classifier.classify(t).to_dict() for t in texts]


def test_to_dict_is_json_ready_and_round_trips(classifier: Classifier) -> None:
    analysis = classifier.classify("I noticed you skipped the slide. What happened?")
    data = json.loads(json.dumps(analysis.to_dict()))
    assert ReplyAnalysis.from_dict(analysis.text, data) == analysis


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_reply_is_refused_clearly(classifier: Classifier, text: str) -> None:
    with pytest.raises(InvalidReplyError, match="empty reply"):
        classifier.classify(text)


def test_oversized_reply_is_refused_clearly(classifier: Classifier) -> None:
    with pytest.raises(InvalidReplyError, match="over the"):
        classifier.classify("a" * (MAX_REPLY_CHARS + 1))


@pytest.mark.parametrize(
    "text",
    [
        "🙂🙂🙂",
        "Très bien, qu'est-ce qui te préoccupe ?",
        "这个问题你怎么看？",
        "\x00\x07 send it \x1b[31m now\x7f",
        "\ufffd\ufffd what else?",
        "?!?!",
        "...",
    ],
)
def test_odd_input_never_crashes(classifier: Classifier, text: str) -> None:
    analysis = classifier.classify(text)
    assert analysis.move in MOVES
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_a_hundred_thousand_character_reply_is_labelled(classifier: Classifier) -> None:
    text = "You could ask Sam. What else is going on for you? " * 2000
    assert len(text) == 100_000
    analysis = classifier.classify(text)
    assert analysis.move == "telling"
    assert len(analysis.sentences) > 1000


def test_confidence_is_calibrated_and_weak_replies_are_marked_uncertain(classifier: Classifier) -> None:
    clear = classifier.classify("What's on your mind?")
    assert clear.confidence >= 0.8 and not clear.uncertain
    vague = classifier.classify("The forecast meeting is on Thursday.")
    assert not any(s.decisive for s in vague.sentences)
    assert vague.uncertain and vague.confidence < clear.confidence
    assert clear.to_dict()["uncertain"] is False


@pytest.mark.parametrize("items", ["Hi there", None, 5])
def test_classify_many_refuses_what_is_not_a_list_of_replies(classifier: Classifier, items) -> None:
    with pytest.raises(TypeError):
        classifier.classify_many(items)


def test_classify_many_needs_a_positive_batch_size(classifier: Classifier) -> None:
    with pytest.raises(ValueError):
        classifier.classify_many(["Hi"], batch_size=0)
