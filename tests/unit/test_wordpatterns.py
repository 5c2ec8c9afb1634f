"""Token patterns over Words give exactly what spaCy's Matcher gives, on every rule pattern and text."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.evaluate import read_labelled_jsonl
from coachsim.classify.wordpatterns import TokenPattern, UnsupportedPattern
from coachsim.classify.words import words_of

#: Hand-made cases for the quantifiers the rule files use little or not at all.
EDGE_PATTERNS = [
    [{"LOWER": "so"}, {"OP": "{0,3}"}, {"LOWER": {"IN": ["what", "how"]}}],
    [{"LOWER": "really", "OP": "+"}, {"POS": "ADJ"}],
    [{"IS_SENT_START": True}, {"IS_PUNCT": False, "OP": "*"}, {"LOWER": "?"}],
    [{"LEMMA": "be"}, {"LOWER": "not", "OP": "!"}, {"TAG": {"NOT_IN": ["NN", "NNS"]}, "OP": "?"}],
    [{"DEP": "nsubj"}, {"OP": "{1,}"}, {"LOWER": "it"}],
    [{"LOWER": "very", "OP": "{2}"}],
]
EDGE_TEXTS = [
    "So, um, what do you think? So how did it go. So really what",
    "That was really really really good. Really nice!",
    "Is it not done? It is done. It isn't very very clear.",
    "You sent it and then we fixed it",
]


def _texts(classifier: Classifier) -> list[str]:
    rules = classifier.engine.rules.values()
    examples = [e for r in rules for e in r.examples.positive + r.examples.negative]
    texts = [e if isinstance(e, str) else e.text for e in examples]
    texts += [item.text for item in read_labelled_jsonl(locations.corpus_dir() / "dev.jsonl")]
    return texts + EDGE_TEXTS


def _rule_patterns(classifier: Classifier) -> list[list[dict]]:
    return [
        pattern
        for rule in classifier.engine.rules.values()
        if rule.tokens
        for pattern in classifier.lexicon.expand(rule.tokens, rule.id)
    ]


def test_token_patterns_match_what_spacy_matches(classifier: Classifier) -> None:
    docs = list(classifier.nlp.pipe(_texts(classifier)))
    patterns = _rule_patterns(classifier) + EDGE_PATTERNS
    assert len(patterns) > 80
    for pattern in patterns:
        matcher = Matcher(classifier.nlp.vocab, validate=True)
        matcher.add("p", [pattern], greedy="LONGEST")
        compiled = TokenPattern(pattern)
        for doc in docs:
            expected = sorted((start, end) for _, start, end in matcher(doc))
            assert sorted(compiled.spans(words_of(doc))) == expected, (pattern, doc.text)


@pytest.mark.parametrize(
    "pattern",
    [[{"LOWER": {"REGEX": "^so+$"}}], [{"_": {"mood": "x"}}], [{"LOWER": "a", "OP": "{x}"}]],
)
def test_patterns_it_cannot_run_are_refused(pattern: list[dict]) -> None:
    with pytest.raises(UnsupportedPattern):
        TokenPattern(pattern)
