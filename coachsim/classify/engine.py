"""Run every rule over a parsed reply and collect, per sentence, the evidence that survives.

Phrase rules share one spaCy ``PhraseMatcher``. Each token pattern is gated by the words a
reply must contain for it to have a chance, so most patterns skip most replies, and then runs
over the reply's :class:`Word` objects (:mod:`coachsim.classify.wordpatterns`), or through
spaCy's ``Matcher`` for a pattern that module does not run (with a :class:`SlowRuleWarning` at
load, as for ``dependency`` rules, which spaCy's ``DependencyMatcher`` runs). Grammar
detectors run per sentence, also gated by words.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ValidationError

from coachsim.classify import context_rules, grammar  # context_rules also registers its detectors
from coachsim.classify.detectors import DETECTORS, Detector, DetectorOptions
from coachsim.classify.lexicon import Lexicon
from coachsim.classify.rules import Rule
from coachsim.classify.wordpatterns import TokenPattern, UnsupportedPattern
from coachsim.classify.words import Region, parsed_words, sentences_of, words_of
from coachsim.errors import DataFileError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import DependencyMatcher, Matcher
    from spacy.tokens import Doc, Span

#: Finds a pattern's matches in a doc as (start, end) token offsets.
SpanFinder = Callable[["Doc"], list[tuple[int, int]]]


class Hit(NamedTuple):
    """A rule that fired on tokens ``[start, end)`` of the doc."""

    rule: Rule
    start: int
    end: int


class RuleEngine:
    """Compiled rules for one spaCy pipeline."""

    def __init__(self, nlp: Language, rules: list[Rule], lexicon: Lexicon) -> None:
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

        self.lexicon = lexicon
        self.rules = {rule.id: rule for rule in rules}
        #: Each token or dependency pattern runs only on docs that touch every one of its
        #: required word sets. The sets are numbered; ``_sets_with_word`` maps a word (string
        #: hash) to the sets holding it, so one pass over a doc's words finds the sets it
        #: touches. ``_gated`` holds each pattern's set numbers, rule and finder, and
        #: ``_by_first_set`` indexes patterns by the set they are looked up by.
        self._gated: list[tuple[tuple[int, ...], Rule, SpanFinder]] = []
        self._always: list[int] = []
        self._set_numbers: dict[frozenset[int], int] = {}
        self._sets_with_word: dict[int, list[int]] = {}
        self._by_first_set: dict[int, list[int]] = {}
        #: Every phrase rule in one spaCy PhraseMatcher, keyed by rule id.
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._strings = nlp.vocab.strings
        #: Detector rules with the word hashes a doc must touch one of (None: always run).
        self._detectors: list[tuple[Rule, Detector, DetectorOptions, frozenset[int] | None, bool]] = []

        def set_number(words: frozenset[int]) -> int:
            if words not in self._set_numbers:
                number = self._set_numbers[words] = len(self._set_numbers)
                for word in words:
                    self._sets_with_word.setdefault(word, []).append(number)
            return self._set_numbers[words]

        def gate(words: list[frozenset[str]], rule: Rule, finder: SpanFinder) -> None:
            required = sorted(
                (frozenset(nlp.vocab.strings.add(w) for w in options) for options in words), key=len
            )
            numbers = tuple(dict.fromkeys(set_number(options) for options in required))
            index = len(self._gated)
            self._gated.append((numbers[1:], rule, finder))
            if numbers:
                self._by_first_set.setdefault(numbers[0], []).append(index)
            else:
                self._always.append(index)

        for rule in rules:
            where = f"{rule.where}: rule {rule.id}"
            try:
                if rule.tokens:
                    for pattern in lexicon.expand(rule.tokens, where):
                        matcher = Matcher(nlp.vocab, validate=True)  # validates the pattern
                        matcher.add(rule.id, [pattern], greedy="LONGEST")
                        gate(_required_words(pattern), rule, _token_finder(pattern, matcher, where))
                elif rule.phrases:
                    self._phrases.add(rule.id, [nlp.make_doc(phrase) for phrase in rule.phrases])
                elif rule.dependency:
                    for pattern in lexicon.expand(rule.dependency, where):
                        dependency = DependencyMatcher(nlp.vocab, validate=True)
                        dependency.add(rule.id, [pattern])
                        _slow(where, "a dependency pattern runs through spaCy's DependencyMatcher")
                        gate(
                            _required_words([node.get("RIGHT_ATTRS", {}) for node in pattern]),
                            rule,
                            _dependency_finder(dependency),
                        )
                elif rule.detector:
                    if rule.detector not in DETECTORS:
                        raise DataFileError(
                            f"{where}: unknown detector '{rule.detector}'"
                            f" (known: {', '.join(sorted(DETECTORS))})"
                        )
                    spec = DETECTORS[rule.detector]
                    options = _detector_options(rule, spec.options, lexicon)
                    needs = spec.needs(lexicon, options) if spec.needs else None
                    hashes = None if needs is None else frozenset(nlp.vocab.strings.add(w) for w in needs)
                    self._detectors.append((rule, spec.find, options, hashes, spec.reads_context))
            except (ValueError, KeyError) as error:
                detail = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
                raise DataFileError(f"{where}: invalid pattern: {detail[:300]}") from None

    def _raw_hits(self, doc: Doc) -> list[Hit]:
        parsed = parsed_words(doc)
        keys = parsed.keys
        rules, strings = self.rules, self._strings
        hits = [Hit(rules[strings[key]], start, end) for key, start, end in self._phrases(doc)]
        touched: set[int] = set()
        for key in keys & self._sets_with_word.keys():
            touched.update(self._sets_with_word[key])
        candidates = set(self._always)
        for number in touched & self._by_first_set.keys():
            candidates.update(self._by_first_set[number])
        for index in sorted(candidates):
            others, rule, finder = self._gated[index]
            for number in others:
                if number not in touched:
                    break
            else:
                hits += [Hit(rule, start, end) for start, end in finder(doc)]
        with_context = context_rules.has_context(doc)
        detectors = [
            (r, detect, options)
            for r, detect, options, needs, reads_context in self._detectors
            if (needs is None or not keys.isdisjoint(needs)) and (with_context or not reads_context)
        ]
        for sent in parsed.sentences:
            for rule, detect, options in detectors:
                hits += [Hit(rule, s, e) for s, e in detect(sent, self.lexicon, options)]
        return hits

    def sentence_hits(self, doc: Doc) -> list[tuple[Span, list[Hit]]]:
        """Sentences of ``doc`` with the hits that apply to each, after ``when`` and ``overrides``."""
        sentences = sentences_of(doc)
        if len(sentences) == 1:
            by_sentence = [self._raw_hits(doc)]
        else:
            by_sentence = [[] for _ in sentences]
            starts = [s.start for s in sentences]
            for hit in self._raw_hits(doc):
                by_sentence[_sentence_index(starts, hit.start)].append(hit)
        return [
            (sent, _resolve(sent, hits, self.lexicon))
            for sent, hits in zip(sentences, by_sentence, strict=True)
        ]


def _detector_options(rule: Rule, model: type[DetectorOptions], lexicon: Lexicon) -> DetectorOptions:
    """The rule's ``options`` as its detector's typed model; a bad one is a located error."""
    try:
        options = model.model_validate(rule.options)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "options"
        raise DataFileError(
            f"{rule.where}: rule {rule.id}: options.{field}: {first['msg']}"
            f" (detector '{rule.detector}' takes: {', '.join(model.model_fields) or 'no options'})"
        ) from None
    for name in options.word_lists():
        if name not in lexicon.lists:
            raise DataFileError(f"{rule.where}: rule {rule.id}: options: unknown word list '{name}'")
    return options


def _required_words(pattern: list[dict]) -> list[frozenset[str]]:
    """For each required token of a Matcher pattern (no ``OP``, or ``OP: "+"``) constrained by
    ``LOWER`` or ``LEMMA``, the words it accepts. A doc can only match the pattern if it holds
    a word from every one of these sets; checking that first lets most patterns skip most docs."""
    required: list[frozenset[str]] = []
    for token in pattern:
        if token.get("OP") not in (None, "+", "1"):
            continue
        for attr in ("LOWER", "LEMMA"):
            value = token.get(attr)
            if isinstance(value, str):
                required.append(frozenset({value.lower()}))
            elif isinstance(value, dict) and "IN" in value:
                required.append(frozenset(w.lower() for w in value["IN"]))
    return required


class SlowRuleWarning(UserWarning):
    """A rule pattern runs through spaCy's matchers (about 20 µs a reply each) rather than
    over the reply's Words."""


def _slow(where: str, why: str) -> None:
    warnings.warn(f"{where}: {why}, about 20 µs a reply; see classifiers/RULES.md", SlowRuleWarning, 2)


def _token_finder(pattern: list[dict], matcher: Matcher, where: str) -> SpanFinder:
    """Run the pattern over the doc's Words, or through spaCy's Matcher if it has to."""
    try:
        compiled = TokenPattern(pattern)
    except UnsupportedPattern as reason:
        _slow(where, f"a token pattern runs through spaCy's Matcher ({reason})")
        return lambda doc: [(start, end) for _, start, end in matcher(doc)]
    return lambda doc: compiled.spans(words_of(doc))


def _dependency_finder(matcher: DependencyMatcher) -> SpanFinder:
    """A dependency match covers its first to its last matched token."""
    return lambda doc: sorted({(min(tokens), max(tokens) + 1) for _, tokens in matcher(doc)})


def _sentence_index(starts: list[int], token: int) -> int:
    from bisect import bisect_right

    return max(bisect_right(starts, token) - 1, 0)


def _clause_kind(hit: Hit, question_clauses: list[tuple[str, Region]]) -> str | None:
    """The kind ("wh" or "yesno") of the question the hit belongs to: the last question clause
    that starts at or before it ("what happened, after you sent it?" is all one question)."""
    kind = None
    for clause_kind, clause in question_clauses:
        if clause.start <= hit.start:
            kind = clause_kind
    return kind


def _applies(rule: Rule, kind: str | None) -> bool:
    when = rule.when
    if when == "any":
        return True
    if when == "question":
        return kind is not None
    if when == "statement":
        return kind is None
    if when == "not_wh":
        return kind != "wh"
    if when == "yesno_question":
        return kind in ("yesno", "declarative")
    return when.removesuffix("_question") == kind


def _resolve(sent: Span, hits: list[Hit], lexicon: Lexicon) -> list[Hit]:
    """Drop hits whose ``when`` fails in their clause, then hits overridden by another hit."""
    if not hits:
        return []
    question_clauses = grammar.question_clauses(sent, lexicon)
    live = [h for h in hits if _applies(h.rule, _clause_kind(h, question_clauses))]
    unique: dict[tuple[str, int, int], Hit] = {}
    for hit in live:
        unique.setdefault((hit.rule.id, hit.start, hit.end), hit)
    live = sorted(unique.values(), key=lambda h: (h.start, h.end, h.rule.id))
    overriding = [h for h in live if h.rule.overrides or h.rule.overrides_in_sentence]
    if not overriding:
        return live
    return [
        hit for hit in live if not any(_overrides(other, hit) for other in overriding if other is not hit)
    ]


def _overrides(other: Hit, hit: Hit) -> bool:
    """Whether ``other`` cancels ``hit`` (by rule id or cue; overlapping or sentence-wide)."""
    names = (hit.rule.id, hit.rule.cue or "")
    if any(name in other.rule.overrides_in_sentence for name in names):
        return True
    if not any(name in other.rule.overrides for name in names):
        return False
    return other.rule.override_scope == "sentence" or (other.start < hit.end and hit.start < other.end)
