"""Every rule fires on its own positive examples and stays silent on its negative ones."""

from __future__ import annotations

import pytest

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.rules import Example, load_rules

RULES = load_rules(locations.rules_dir())
POSITIVE = [(r.id, example) for r in RULES for example in r.examples.positive]
NEGATIVE = [(r.id, example) for r in RULES for example in r.examples.negative]


def fired(classifier: Classifier, example: Example) -> set[str]:
    if isinstance(example, str):
        return {e.rule for e in classifier.classify(example).evidence}
    return {e.rule for e in classifier.classify(example.text, context=example.context).evidence}


def _name(rule_id: str, example: Example) -> str:
    text = example if isinstance(example, str) else f"{example.text} (in context)"
    return f"{rule_id}:{text[:30]}"


@pytest.mark.parametrize(("rule_id", "example"), POSITIVE, ids=[_name(r, e) for r, e in POSITIVE])
def test_rule_fires_on_its_positive_example(classifier: Classifier, rule_id: str, example: Example) -> None:
    assert rule_id in fired(classifier, example)


@pytest.mark.parametrize(("rule_id", "example"), NEGATIVE, ids=[_name(r, e) for r, e in NEGATIVE])
def test_rule_is_silent_on_its_negative_example(
    classifier: Classifier, rule_id: str, example: Example
) -> None:
    assert rule_id not in fired(classifier, example)


def test_every_rule_has_examples_and_a_description() -> None:
    assert len(RULES) > 40
    for rule in RULES:
        assert rule.examples.positive, rule.id
        assert len(rule.description) > 10, rule.id
