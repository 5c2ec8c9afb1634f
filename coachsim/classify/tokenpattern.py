"""Matcher token patterns run over :class:`Word` objects, starting only where they can match.

This runs the subset of spaCy's ``Matcher`` pattern language the rules use (``LOWER``,
``LEMMA``, ``TAG``, ``POS``, ``DEP``, ``IS_PUNCT``, ``IS_SENT_START``; ``IN`` and ``NOT_IN``;
``OP`` ``?``, ``*``, ``+``, ``!`` and ``{n,m}``) with the same ``greedy="LONGEST"`` result.
The measured reason: a spaCy ``Matcher`` call costs about 20 µs per reply however simple its
pattern, because it builds a Token object for every token twice, and with one matcher per
pattern that was a fifth of the classifier's time. spaCy's Matcher still validates every
pattern at load, serves any pattern this module cannot run, and is the reference the tests
compare this module against on every rule and the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from coachsim.classify.words import Word

#: Pattern attribute -> Word attribute.
ATTRIBUTES = {
    "LOWER": "lower_",
    "LEMMA": "lemma_",
    "TAG": "tag_",
    "POS": "pos_",
    "DEP": "dep_",
    "IS_PUNCT": "is_punct",
    "IS_SENT_START": "is_sent_start",
}
_RANGE = re.compile(r"^\{(\d*)(,?)(\d*)\}$")
_UNBOUNDED = 1 << 30

TokenTest = Callable[[Word], bool]


class UnsupportedPattern(ValueError):
    """A pattern this module does not run; the engine gives it to spaCy's Matcher instead."""


class TokenPattern:
    """One compiled pattern: per pattern token, a test and how many tokens it may take."""

    __slots__ = ("_first_words", "_steps")

    def __init__(self, pattern: list[dict[str, Any]]) -> None:
        self._steps = [(_token_test(token), *_quantifier(token.get("OP"))) for token in pattern]
        first = pattern[0] if pattern else {}
        lower = first.get("LOWER")
        simple = set(first) == {"LOWER"} and self._steps[0][1] >= 1
        #: The words the first token must be, when only its lowercase form is constrained.
        self._first_words: frozenset[str] | None = None
        if simple and isinstance(lower, str):
            self._first_words = frozenset({lower})
        elif simple and isinstance(lower, dict) and set(lower) == {"IN"}:
            self._first_words = frozenset(lower["IN"])

    def spans(self, words: list[Word]) -> list[tuple[int, int]]:
        """Non-overlapping ``(start, end)`` matches, longest first, as ``greedy="LONGEST"``."""
        found: list[tuple[int, int]] = []
        first_words = self._first_words
        for start in range(len(words)):
            if first_words is not None and words[start].lower_ not in first_words:
                continue
            ends: set[int] = set()
            self._ends(words, 0, start, ends)
            found += [(start, end) for end in ends if end > start]
        return _longest(found)

    def _ends(self, words: list[Word], step: int, position: int, ends: set[int]) -> None:
        """Add every position where the steps from ``step`` on can stop, from ``position``."""
        if step == len(self._steps):
            ends.add(position)
            return
        test, least, most = self._steps[step]
        taken = 0
        while True:
            if taken >= least:
                self._ends(words, step + 1, position, ends)
            if taken == most or position >= len(words) or not test(words[position]):
                return
            position += 1
            taken += 1


def _longest(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's ``greedy="LONGEST"`` filter: longest first, earlier first among equals."""
    taken: set[int] = set()
    kept = []
    for start, end in sorted(found, key=lambda m: (m[1] - m[0], -m[0]), reverse=True):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return kept


def _quantifier(op: str | None) -> tuple[int, int]:
    """(fewest, most) tokens a pattern token with this ``OP`` takes; ``"!"`` is (1, 1), negated."""
    if op in (None, "1", "!"):
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _UNBOUNDED
    if op == "+":
        return 1, _UNBOUNDED
    match = _RANGE.match(op)
    if match is None:
        raise UnsupportedPattern(f"OP {op!r}")
    low, comma, high = match.groups()
    least = int(low or 0)
    most = (int(high) if high else _UNBOUNDED) if comma else least
    return least, most


def _token_test(token: dict[str, Any]) -> TokenTest:
    checks: list[tuple[str, str, Any]] = []
    for key, value in token.items():
        if key == "OP":
            continue
        attribute = ATTRIBUTES.get(key)
        if attribute is None:
            raise UnsupportedPattern(f"attribute {key}")
        if isinstance(value, dict):
            for predicate, argument in value.items():
                if predicate not in ("IN", "NOT_IN") or not isinstance(argument, list):
                    raise UnsupportedPattern(f"predicate {predicate}")
                checks.append((attribute, predicate, frozenset(argument)))
        elif isinstance(value, str | bool) and (isinstance(value, bool) == attribute.startswith("is_")):
            checks.append((attribute, "==", value))
        else:
            raise UnsupportedPattern(f"{key}: {value!r}")
    negated = token.get("OP") == "!"

    def test(word: Word) -> bool:
        for attribute, predicate, argument in checks:
            value = getattr(word, attribute)
            if predicate == "IN":
                ok = value in argument
            elif predicate == "NOT_IN":
                ok = value not in argument
            else:
                ok = value == argument
            if not ok:
                return negated
        return not negated

    return test
