"""The lexicon stays tidy: no word listed twice in a list, no list nobody reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from coachsim import locations

LEXICON = locations.classifiers_dir() / "lexicon.yaml"
SOURCES = sorted((Path(__file__).resolve().parents[2] / "coachsim" / "classify").glob("*.py"))


def raw_lists() -> dict[str, list]:
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    return {name: words for name, words in data.items() if isinstance(words, list)}


def test_no_word_is_listed_twice_in_one_list() -> None:
    repeats = {}
    for name, words in raw_lists().items():
        seen: set[str] = set()
        twice = sorted({str(w).lower() for w in words if str(w).lower() in seen or seen.add(str(w).lower())})
        if twice:
            repeats[name] = twice
    assert not repeats, f"words listed twice: {repeats}"


def test_every_list_is_read_by_a_rule_or_a_detector() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)
    rules = "\n".join(p.read_text(encoding="utf-8") for p in locations.rules_dir().glob("*.yaml"))
    unused = [
        name
        for name in raw_lists()
        if f'"{name}"' not in code and f"@{name}" not in rules and not re.search(rf":\s*{name}\b", rules)
    ]
    assert not unused, f"lists no rule or detector reads: {unused}"
