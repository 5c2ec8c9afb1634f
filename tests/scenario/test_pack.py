"""The built-in scenario pack: complete, valid, and every example run reaches its ending."""

from __future__ import annotations

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.scenario.loader import check_examples, load_catalog

CATALOG = load_catalog(include_user=False)
IDS = sorted(CATALOG.scenarios)

REQUIRED_TAGS = {
    "advice-bait", "missed-deadline", "overwhelm", "career", "conflict", "upward-feedback",
    "feedback-then-coach", "praise", "delegation", "cross-functional", "disengagement", "promotion",
}  # fmt: skip


def test_the_pack_loads_without_problems() -> None:
    assert CATALOG.problems == []
    assert len(IDS) >= 12


def test_the_pack_covers_the_required_situations() -> None:
    tags = {tag for s in CATALOG.scenarios.values() for tag in s.scenario.tags}
    assert tags >= REQUIRED_TAGS


@pytest.mark.parametrize("scenario_id", IDS)
def test_each_scenario_is_rich_enough(scenario_id: str) -> None:
    scenario = CATALOG.scenarios[scenario_id].scenario
    assert len(scenario.beats) >= 8
    assert len(scenario.endings) >= 3
    assert {"coach", "regress"} <= set(scenario.examples)
    assert any(len(beat.says) >= 2 for beat in scenario.beats.values()), "no line variants"


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_example_run_reaches_its_ending(classifier: Classifier, scenario_id: str) -> None:
    problems = check_examples(CATALOG.scenarios[scenario_id], classifier)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("scenario_id", IDS)
def test_coach_runs_meet_the_goal_and_regress_runs_regress(classifier: Classifier, scenario_id: str) -> None:
    from coachsim.scenario.session import Session

    scenario = CATALOG.scenarios[scenario_id].scenario
    results = {}
    for name in ("coach", "regress"):
        session = Session(scenario, classifier, seed=1)
        session.opening()
        for reply in scenario.examples[name].replies:
            session.reply(reply)
        results[name] = session
    assert results["coach"].scores.regressions == []
    assert results["regress"].scores.counts["telling"] + results["regress"].scores.counts["mentoring"] > 0
