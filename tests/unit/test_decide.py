"""How a sentence's evidence becomes its move (classifiers/RULES.md, "Deciding a sentence")."""

from __future__ import annotations

from coachsim import locations
from coachsim.classify.analysis import Evidence
from coachsim.classify.decide import SentenceShape, decide_reply, decide_sentence, load_decision_config
from coachsim.classify.grammar import ClauseProfile

CONFIG = load_decision_config(locations.classifiers_dir() / "decision.yaml")
TEXT = "a sentence"


def hit(move: str, weight: float, generic: bool = False, rule: str | None = None) -> Evidence:
    return Evidence(
        rule or f"{move}.rule{weight}{generic}", move, None, weight, TEXT, 0, len(TEXT), None, generic
    )


def decide(*evidence: Evidence, profile: ClauseProfile | None = None):
    return decide_sentence(
        TEXT, 0, len(TEXT), list(evidence), lambda: SentenceShape(False, 6, profile), CONFIG
    )


def test_the_first_present_move_in_precedence_order_wins() -> None:
    assert decide(hit("coaching", 3), hit("telling", 3)).move == "telling"


def test_a_single_weak_hit_is_not_present_beside_strong_evidence() -> None:
    sentence = decide(hit("coaching", 2.5), hit("telling", 1.5))
    assert sentence.move == "coaching" and sentence.decisive


def test_generic_cues_give_way_to_specific_evidence_for_another_move() -> None:
    generic_only = decide(
        hit("telling", 1.5, True, "a"), hit("telling", 1.5, True, "b"), hit("coaching", 2.5)
    )
    assert generic_only.move == "coaching"
    alone = decide(hit("telling", 1.5, True, "a"), hit("telling", 1.5, True, "b"))
    assert alone.move == "telling" and alone.decisive
    specific = decide(hit("telling", 1.5, True, "a"), hit("telling", 3), hit("coaching", 2.5))
    assert specific.move == "telling"


def test_a_statement_no_rule_recognised_is_decided_by_its_grammar() -> None:
    def profile(**changes) -> ClauseProfile:
        base = {"person": "other", "tense": "present", "evaluative": False, "feeling": False}
        return ClauseProfile(**{**base, "mentions_you": False, "mentions_me": False, **changes})

    your_action = decide(profile=profile(person="you", tense="past", mentions_you=True))
    assert (your_action.move, your_action.decisive) == ("feedback", True)
    assert decide(profile=profile(person="you", tense="future", mentions_you=True)).move == "telling"
    assert decide(profile=profile(person="i", tense="past", mentions_me=True)).move == "mentoring"
    assert decide(profile=profile(mentions_you=True, feeling=True)).move == "coaching"
    world = decide(profile=profile())
    assert (world.move, world.decisive, world.evidence[-1].rule) == ("telling", False, "fallback.statement")


def test_listening_noises_give_way_to_a_sentence_with_content() -> None:
    okay = decide_sentence("Okay.", 0, 5, [], lambda: SentenceShape(False, 1), CONFIG)
    statement = decide(profile=None)
    assert decide_reply([okay, okay, statement])[0] == "telling"
    assert decide_reply([okay])[0] == "coaching"
