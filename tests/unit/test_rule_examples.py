"""Every rule fires on its own positive examples and stays silent on its negative ones."""

from __future__ import annotations

import pytest

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.rules import load_rules

RULES = load_rules(locations.rules_dir())
POSITIVE = [(r.id, text) for r in RULES for text in r.examples.positive]
NEGATIVE = [(r.id, text) for r in RULES for text in r.examples.negative]


def fired(classifier: Classifier, text: str) -> set[str]:
    return {e.rule for e in classifier.classify(text).evidence}


@pytest.mark.parametrize(("rule_id", "text"), POSITIVE, ids=[f"{r}:{t[:30]}" for r, t in POSITIVE])
def test_rule_fires_on_its_positive_example(classifier: Classifier, rule_id: str, text: str) -> None:
    assert rule_id in fired(classifier, text)


@pytest.mark.parametrize(("rule_id", "text"), NEGATIVE, ids=[f"{r}:{t[:30]}" for r, t in NEGATIVE])
def test_rule_is_silent_on_its_negative_example(classifier: Classifier, rule_id: str, text: str) -> None:
    assert rule_id not in fired(classifier, text)


def test_every_rule_has_examples_and_a_description() -> None:
    assert len(RULES) > 40
    for rule in RULES:
        assert rule.examples.positive, rule.id
        assert len(rule.description) > 10, rule.id
