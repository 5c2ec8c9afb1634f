"""The lexicon stays tidy: no word listed twice in a list, no list nobody reads."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import yaml

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.engine import SlowRuleWarning

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


def _pattern_words(value) -> list[str]:
    if isinstance(value, dict):
        return [w for key, v in value.items() for w in (_pattern_words(v) if key != "LEMMA" else [])]
    if isinstance(value, list):
        return [w for item in value for w in _pattern_words(item)]
    return [value.lower()] if isinstance(value, str) else []


def test_no_rule_spells_a_word_the_normaliser_rewrites() -> None:
    """Replies are parsed after "u" becomes "you" and "ok" becomes "okay": a pattern or phrase
    naming the chat spelling could never match."""
    spellings = {
        str(k).lower() for k in yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["chat_spellings"]
    }
    dead = {}
    for path in locations.rules_dir().glob("*.yaml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            words = [
                w for pattern in rule.get("tokens") or [] for token in pattern for w in _pattern_words(token)
            ]
            words += [w for phrase in rule.get("phrases") or [] for w in phrase.lower().split()]
            if found := sorted(set(words) & spellings):
                dead[rule["id"]] = found
    assert not dead, f"patterns name words the normaliser rewrites: {dead}"


def test_the_shipped_rules_all_run_over_words() -> None:
    """No shipped pattern falls back to spaCy's slower matchers (that would warn at load)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SlowRuleWarning)
        Classifier.load()
