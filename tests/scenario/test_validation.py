"""Scenario validation: one clear, located error per problem; valid files still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.scenario.loader import check_examples, load_catalog, load_scenario_file


def problems_of(path: Path) -> list[str]:
    _, problems = load_scenario_file(path)
    return [str(p) for p in problems]


def test_the_fixture_is_valid(write_scenario, mini_text: str) -> None:
    loaded, problems = load_scenario_file(write_scenario(mini_text))
    assert problems == [] and loaded is not None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("difficulty: 1", "difficulty: hard"),
            r"mini-check-in.yaml:4:13: difficulty: Input should be a valid integer",
        ),
        (("difficulty: 1", "difficulty: 7"), r":4:13: difficulty: Input should be less than or equal to 3"),
        (
            ("        go: rollback", "        go: rollbak"),
            r":32:13: beats.opening.next.2.go: unknown beat 'rollbak'",
        ),
        (("start: opening", "start: begin"), r":19:8: start: unknown beat 'begin'"),
        (
            ("on_max_turns: out-of-time", "on_max_turns: opening"),
            r"on_max_turns: beat 'opening' is not an ending",
        ),
        (("      - go: your-plan\n", ""), r"beats.passive.next: no transition for .* and no default"),
        (("id: mini-check-in", "id: other-id"), r":1:5: id: id 'other-id' must match the file name"),
        (
            ("{cue: {coaching_habit_question: kickstart}}", "{cue: shouting}"),
            r"beats.opening.next.0.when.cue: .*unknown cue 'shouting'",
        ),
        (
            ("    ending: your-plan", "    ending: passive"),
            r"examples.regress.ending: 'passive' is not an ending beat",
        ),
        (
            ("  mood: tired\n", "  mood: tired\n  hobby: chess\n"),
            r":11:10: persona.hobby: Extra inputs are not permitted",
        ),
        (
            ("    outcome: You ran out of time.", "    says: [bye]"),
            r"beats.out-of-time: .*needs an `outcome`",
        ),
        (("title: Mini check-in", "title: [unclosed"), r"mini-check-in.yaml:\d+:\d+: not valid YAML"),
        (("title: Mini check-in", "title: Mini check-in\ntitle: Again"), r":3:1: duplicate key 'title'"),
    ],
)
def test_bad_files_get_located_errors(write_scenario, mini_text: str, change, expected) -> None:
    old, new = change
    assert old in mini_text
    problems = problems_of(write_scenario(mini_text.replace(old, new)))
    assert problems, "expected a problem"
    assert any(__import__("re").search(expected, p) for p in problems), problems


def test_unreachable_beats_and_cycles_without_exit(write_scenario, mini_text: str) -> None:
    text = mini_text.replace(
        "  owns-it:\n",
        "  orphan:\n    says: [hello]\n    next:\n      - go: owns-it\n"
        "  loop:\n    says: [again]\n    next:\n      - go: loop\n  owns-it:\n",
    )
    text = text.replace(
        "      - go: your-plan\n", "      - when: {move: feedback}\n        go: loop\n      - go: your-plan\n"
    )
    problems = problems_of(write_scenario(text))
    assert any("beats.orphan: beat 'orphan' cannot be reached from 'opening'" in p for p in problems)
    assert any(
        "beats.loop: no ending can be reached from beat 'loop' (a cycle with no exit)" in p for p in problems
    )


def test_an_example_run_that_misses_its_ending_is_reported(
    classifier: Classifier, write_scenario, mini_text: str
) -> None:
    text = mini_text.replace(
        'replies: ["Just rerun the tests.", "Send it to QA."]', 'replies: ["Just rerun the tests."]'
    )
    loaded, problems = load_scenario_file(write_scenario(text))
    assert loaded is not None and problems == []
    found = [str(p) for p in check_examples(loaded, classifier)]
    assert len(found) == 1
    assert "examples.regress: run reaches beat 'passive' (not ended) after 1 of 1 replies" in found[0]


def test_a_huge_file_is_refused_with_one_line(write_scenario) -> None:
    path = write_scenario("# padding\n" * 30_000)
    problems = problems_of(path)
    assert len(problems) == 1 and "over the 256,000-byte limit" in problems[0]


def test_a_non_mapping_and_invalid_utf8_are_reported(tmp_path: Path) -> None:
    listy = tmp_path / "listy.yaml"
    listy.write_text("- a\n- b\n", encoding="utf-8")
    assert "a scenario file is a YAML mapping" in problems_of(listy)[0]
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"id: \xff\xfe\n")
    assert "not UTF-8 text" in problems_of(binary)[0]


def test_bad_user_files_do_not_stop_valid_ones(_isolated_user_data: Path, mini_text: str) -> None:
    user_dir = locations.user_scenarios_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mini-check-in.yaml").write_text(mini_text, encoding="utf-8")
    (user_dir / "broken.yaml").write_text("id: [oops\n", encoding="utf-8")
    (user_dir / "just-tell-me.yaml").write_text(
        mini_text.replace("id: mini-check-in", "id: just-tell-me"), encoding="utf-8"
    )
    catalog = load_catalog()
    assert "mini-check-in" in catalog.scenarios
    assert catalog.scenarios["just-tell-me"].origin == "user"
    assert any("replaces the built-in one" in n for n in catalog.notices)
    assert any("broken.yaml" in str(p) for p in catalog.problems)
    assert len(catalog.scenarios) >= 13
