"""Transcript noise is tidied before parsing, and every span still maps back to what was said."""

from __future__ import annotations

import pytest

from coachsim.classify.classifier import Classifier


def tidy(classifier: Classifier, text: str) -> str:
    return classifier._normalise(text).text


@pytest.mark.parametrize(
    ("said", "parsed"),
    [
        ("We could- we could ship it on Friday.", "We could ship it on Friday."),
        ("the the client is fine with that", "the client is fine with that"),
        ("I, I tried to do too much.", "I tried to do too much."),
        ("They're, they're taking it out on you.", "They're taking it out on you."),
        ("So that's [inaudible] the plan.", "So that's  the plan."),
        ("(laughs) Fair enough.", " Fair enough."),
        ("I had had enough by then.", "I had had enough by then."),
    ],
)
def test_stutters_repeats_and_tags_are_dropped(classifier: Classifier, said: str, parsed: str) -> None:
    assert tidy(classifier, said) == parsed


def test_an_unpunctuated_caption_is_split_into_sentences(classifier: Classifier) -> None:
    caption = "no worries at all um how are things in tegucigalpa"
    assert tidy(classifier, caption) == "no worries at all. how are things in tegucigalpa?"
    analysis = classifier.classify(caption)
    assert [s.text for s in analysis.sentences] == ["no worries at all", "how are things in tegucigalpa"]
    assert analysis.move == "coaching"


def test_a_caption_line_break_before_a_question_ends_the_sentence(classifier: Classifier) -> None:
    caption = "sounds good thanks\nwhat would help most this week"
    assert [s.text for s in classifier.classify(caption).sentences] == [
        "sounds good thanks",
        "what would help most this week",
    ]


def test_punctuated_speech_keeps_its_own_sentences(classifier: Classifier) -> None:
    said = "When Raj pushed back, you went quiet and agreed with him, which is not like you."
    assert tidy(classifier, said) == said
    assert len(classifier.classify(said).sentences) == 1


def test_evidence_still_points_at_the_words_said(classifier: Classifier) -> None:
    said = "um so so the the thing is [crosstalk] have you tried asking Priya"
    analysis = classifier.classify(said)
    assert analysis.move == "telling"
    for item in analysis.evidence:
        assert said[item.start : item.end] == item.text
