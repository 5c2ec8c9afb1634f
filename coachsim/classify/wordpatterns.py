"""spaCy Matcher patterns run over :class:`Word` objects.

:class:`TokenPattern` runs the subset of spaCy's ``Matcher`` pattern language the rules use
(``LOWER``, ``LEMMA``, ``TAG``, ``POS``, ``DEP``, ``IS_PUNCT``, ``IS_SENT_START``; ``IN`` and
``NOT_IN``; ``OP`` ``?``, ``*``, ``+``, ``!`` and ``{n,m}``) with the same
``greedy="LONGEST"`` result, scanning only where the first token can match.

The measured reason: a spaCy ``Matcher`` call costs about 20 µs per reply however simple its
pattern (it builds a Token object for every token, twice), and with one matcher per pattern
that was a fifth of the classifier's time. spaCy still validates every pattern at load,
runs any pattern this module refuses (:class:`UnsupportedPattern`), and is the reference the
tests compare this module against on every rule pattern and the dev corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from operator import attrgetter
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

    __slots__ = ("_first", "_steps")

    def __init__(self, pattern: list[dict[str, Any]]) -> None:
        if not pattern:
            raise UnsupportedPattern("empty pattern")
        self._steps = [(_token_test(token), *_quantifier(token.get("OP"))) for token in pattern]
        #: (attribute, allowed values) that the first token must have, when it must be there:
        #: a cheap scan for where a match can start.
        self._first: tuple[str, frozenset[str]] | None = None
        first = pattern[0]
        if self._steps[0][1] >= 1 and first.get("OP") != "!":
            for key in ("LOWER", "LEMMA", "TAG", "POS", "DEP"):
                value = first.get(key)
                if isinstance(value, str):
                    self._first = (ATTRIBUTES[key], frozenset({value}))
                elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                    self._first = (ATTRIBUTES[key], frozenset(value["IN"]))
                if self._first is not None:
                    break

    def spans(self, words: list[Word]) -> list[tuple[int, int]]:
        """Non-overlapping ``(start, end)`` matches, longest first, as ``greedy="LONGEST"``."""
        if self._first is None:
            starts: Iterable[int] = range(len(words))
        else:
            attribute, allowed = self._first
            starts = [word.i for word in words if getattr(word, attribute) in allowed]
        found: list[tuple[int, int]] = []
        for start in starts:
            ends: set[int] = set()
            self._ends(words, 0, start, ends)
            found += [(start, end) for end in ends if end > start]
        return _longest(found) if len(found) > 1 else found

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
    checks: list[TokenTest] = []
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
                checks.append(_check(attribute, predicate, frozenset(argument)))
        elif isinstance(value, str | bool) and (isinstance(value, bool) == attribute.startswith("is_")):
            checks.append(_check(attribute, "==", value))
        else:
            raise UnsupportedPattern(f"{key}: {value!r}")
    if token.get("OP") == "!":
        return lambda word: not all(check(word) for check in checks)
    if len(checks) == 1:
        return checks[0]
    return lambda word: all(check(word) for check in checks)


def _check(attribute: str, predicate: str, argument: Any) -> TokenTest:
    get = attrgetter(attribute)
    if predicate == "IN":
        return lambda word: get(word) in argument
    if predicate == "NOT_IN":
        return lambda word: get(word) not in argument
    return lambda word: get(word) == argument
