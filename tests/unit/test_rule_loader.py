"""Rule and lexicon files: a bad one is reported as ``file:line:column: problem``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.engine import SlowRuleWarning
from coachsim.classify.lexicon import load_lexicon
from coachsim.classify.rules import load_rules
from coachsim.errors import DataFileError

GOOD = """\
- id: telling.example
  supports: telling
  cue: imperative
  weight: 2
  description: An example rule.
  phrases: ["send it"]
  examples:
    positive: ["Send it."]
"""


def write_rules(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    (directory / "bad.yaml").write_text(text, encoding="utf-8")
    return directory


def test_a_valid_file_loads(tmp_path: Path) -> None:
    rules = load_rules(write_rules(tmp_path, GOOD))
    assert [r.id for r in rules] == ["telling.example"]
    assert rules[0].where.endswith("bad.yaml:1:3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("cue: imperative", "cue: shouting"), r"bad.yaml:3:8: cue: .*unknown cue 'shouting'"),
        (GOOD.replace("weight: 2", "weight: lots"), r"bad.yaml:4:11: weight: "),
        (GOOD.replace('  phrases: ["send it"]\n', ""), r"bad.yaml:1:3: rule: .*exactly one of"),
        (
            GOOD.replace('  phrases: ["send it"]', '  phrases: ["send it"]\n  detector: imperative'),
            "exactly one of",
        ),
        (GOOD.replace("supports: telling", "supports: shouting"), r"bad.yaml:2:13: supports: "),
        (
            GOOD.replace("  weight: 2\n", "  weight: 2\n  colour: red\n"),
            r"bad.yaml:5:11: colour: Extra inputs",
        ),
        (GOOD + "  weight: 3\n", r"bad.yaml:9:3: duplicate key 'weight'"),
        (GOOD.replace("id: telling.example", "id: Telling Example"), r"bad.yaml:1:7: id: "),
        ("- id: [unclosed\n", r"bad.yaml:2:1: not valid YAML"),
        ("id: telling.example\n", r"bad.yaml:1:1: a rule file is a YAML list"),
        (
            GOOD.replace(
                "description: An example rule.", "description: An example rule.\n  overrides: [nope]"
            ),
            r"overrides: 'nope' is neither a rule id nor a cue",
        ),
        (GOOD + GOOD, r"bad.yaml:9:3: id: 'telling.example' already defined at .*bad.yaml:1:3"),
    ],
)
def test_bad_rule_files_name_file_line_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DataFileError, match=expected):
        load_rules(write_rules(tmp_path, text))


def test_rules_that_override_each_other_are_refused(tmp_path: Path) -> None:
    second = GOOD.replace("telling.example", "coaching.example").replace(
        "supports: telling", "supports: coaching"
    )
    second = second.replace("cue: imperative", "cue: invitation\n  overrides: [imperative]")
    first = GOOD.replace("cue: imperative", "cue: imperative\n  overrides: [invitation]")
    with pytest.raises(DataFileError, match="override each other"):
        load_rules(write_rules(tmp_path, first + second))


def test_an_empty_rule_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    with pytest.raises(DataFileError, match="no rule files"):
        load_rules(tmp_path / "rules")


def _copy_classifiers(tmp_path: Path) -> Path:
    target = tmp_path / "classifiers"
    shutil.copytree(locations.classifiers_dir(), target, ignore=shutil.ignore_patterns("corpus"))
    return target


def test_a_bad_token_pattern_is_reported_with_its_rule(tmp_path: Path) -> None:
    data = _copy_classifiers(tmp_path)
    (data / "rules" / "zz.yaml").write_text(
        GOOD.replace('phrases: ["send it"]', "tokens:\n    - [{LOWER: {BOGUS: [a]}}]"), encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"zz.yaml:1:3: rule telling.example: invalid pattern"):
        Classifier.load(classifiers_dir=data)


def test_patterns_beyond_the_word_runner_still_work_through_spacy(tmp_path: Path) -> None:
    """REGEX and ``>>`` are valid spaCy; the engine hands such patterns to spaCy's matchers."""
    data = _copy_classifiers(tmp_path)
    regex = GOOD.replace('phrases: ["send it"]', 'tokens:\n    - [{LOWER: {REGEX: "^sen+d$"}}, {LOWER: it}]')
    dependency = (
        GOOD.replace("telling.example", "telling.example_tree")
        .replace('["Send it."]', '["Send the report."]')
        .replace(
            'phrases: ["send it"]',
            "dependency:\n    - - {RIGHT_ID: v, RIGHT_ATTRS: {LEMMA: send}}\n"
            "      - {LEFT_ID: v, REL_OP: '>>', RIGHT_ID: n, RIGHT_ATTRS: {LOWER: report}}",
        )
    )
    (data / "rules" / "zz.yaml").write_text(regex + "\n" + dependency, encoding="utf-8")
    with pytest.warns(SlowRuleWarning) as slow:
        classifier = Classifier.load(classifiers_dir=data)
    assert {str(w.message).split(": ")[1] for w in slow} >= {
        "rule telling.example",
        "rule telling.example_tree",
    }
    assert "telling.example" in {e.rule for e in classifier.classify("Sennnd it.").evidence}
    assert "telling.example_tree" in {e.rule for e in classifier.classify("Send the report.").evidence}


def test_an_unknown_detector_or_word_list_is_reported(tmp_path: Path) -> None:
    data = _copy_classifiers(tmp_path)
    (data / "rules" / "zz.yaml").write_text(
        GOOD.replace('phrases: ["send it"]', "detector: telepathy"), encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="unknown detector 'telepathy'"):
        Classifier.load(classifiers_dir=data)
    (data / "rules" / "zz.yaml").write_text(
        GOOD.replace('phrases: ["send it"]', 'tokens:\n    - [{LOWER: {IN: "@no_such_list"}}]'),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="unknown word list '@no_such_list'"):
        Classifier.load(classifiers_dir=data)


def test_lexicon_words_stay_words(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("chat_spellings: {u: you}\nanswers: [yes, no, on, off]\n", encoding="utf-8")
    assert load_lexicon(path)["answers"] == {"yes", "no", "on", "off"}
    path.write_text("answers: [1, 2]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"lexicon.yaml:1:10: answers: a list of words"):
        load_lexicon(path)


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ("{kind: wh, colour: red}", r"options\.colour: Extra inputs are not permitted"),
        ("{kinds: wh}", r"options\.kinds: Extra inputs .*takes: kind, with_subject"),
        ("{kind: sideways}", r"options\.kind\.0: Input should be 'wh', 'yesno' or 'declarative'"),
    ],
)
def test_a_detectors_options_are_checked_at_load(tmp_path: Path, options: str, problem: str) -> None:
    data = _copy_classifiers(tmp_path)
    rule = GOOD.replace('phrases: ["send it"]', f"detector: question\n  options: {options}")
    (data / "rules" / "zz.yaml").write_text(rule, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"zz\.yaml:\d+:\d+: rule telling\.example: " + problem):
        Classifier.load(classifiers_dir=data)
