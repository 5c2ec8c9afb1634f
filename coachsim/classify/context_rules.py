"""Detectors that read the conversation before the reply (see :mod:`coachsim.classify.context`).

``echo`` finds a sentence built from the other person's own recent words: a reflection or an
echo question ("Stuck how?"). ``answered_request`` finds the manager agreeing to do what the
person just asked of them ("Sure, I'll call her"). Both find nothing when no context is given,
so a reply labelled alone is labelled exactly as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from coachsim.classify import grammar
from coachsim.classify.context import NO_CONTEXT, HeardWords, stem
from coachsim.classify.detectors import DetectorOptions, TokenSpan, detector
from coachsim.classify.lexicon import Lexicon
from coachsim.classify.words import memoised

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from coachsim.classify.words import Word

_HEARD = "coachsim.heard"
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM", "INTJ", "X"})


def attach_context(doc: Doc, heard: HeardWords) -> None:
    """Give the rules of this doc the conversation before it (dropped by :func:`detach_context`)."""
    if not heard.empty:
        doc.user_data[_HEARD] = heard


def detach_context(doc: Doc) -> None:
    doc.user_data.pop(_HEARD, None)


def has_context(doc: Doc) -> bool:
    return _HEARD in doc.user_data


def heard_in(doc: Doc) -> HeardWords:
    return doc.user_data.get(_HEARD, NO_CONTEXT)


_SKIPPED: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def stop_words(lex: Lexicon) -> frozenset[str]:
    """Words that never count as content when matching a reply against what was heard."""
    found = _SKIPPED.get(id(lex))
    if found is None or found[0] is not lex:
        from spacy.lang.en.stop_words import STOP_WORDS  # deferred: spaCy loads with the classifier

        words = lex.union("context_stop_words", "fillers", "acknowledgements", "wh_words") | STOP_WORDS
        found = _SKIPPED[id(lex)] = (lex, words)
    return found[1]


def _content_words(sent: Span, lex: Lexicon) -> list[Word]:
    def compute() -> list[Word]:
        skip = stop_words(lex)
        return [
            w
            for w in grammar.tokens_of(sent)
            if w.pos_ in CONTENT_POS and w.lower_ not in skip and any(c.isalnum() for c in w.lower_)
        ]

    return memoised(sent, ("content_words", sent.start, sent.end), compute)


def _echoed(words: list[Word], heard: HeardWords) -> list[Word]:
    stems = heard.stems
    return [w for w in words if stem(w.lower_) in stems or stem(w.lemma_) in stems]


class EchoOptions(DetectorOptions):
    """``shape`` question: at most ``max_words`` words, ``min_share`` of content echoed.
    ``shape`` statement: short (``max_short_words``, ``min_short_share``) or long
    (``min_echoed`` words and ``min_share``); questions up to ``max_question_words`` are
    left to the question shape."""

    shape: Literal["question", "statement"]
    max_words: int = Field(default=6, ge=1)
    min_share: float = Field(default=0.5, gt=0, le=1)
    max_question_words: int = Field(default=6, ge=1)
    max_short_words: int = Field(default=6, ge=1)
    min_short_share: float = Field(default=0.5, gt=0, le=1)
    min_echoed: int = Field(default=2, ge=1)


@detector("echo", options=EchoOptions, reads_context=True)
def echo(sent: Span, lex: Lexicon, options: EchoOptions) -> list[TokenSpan]:
    """A sentence built from the other person's recent words. ``options.shape`` is ``question``
    (a short question: "Stuck how?", "three jobs, which three?") or ``statement`` (a
    restatement: "So you skipped the second check because of the queue")."""
    heard = heard_in(sent.doc)
    if not heard.stems:
        return []
    words = _content_words(sent, lex)
    if not words:
        return []
    echoed = _echoed(words, heard)
    if not echoed:
        return []
    share = len(echoed) / len(words)
    size = grammar.word_count(sent)
    asks = _asks(sent, lex)
    if options.shape == "question":
        if not asks or size > options.max_words or share < options.min_share:
            return []
    else:
        if asks and size <= options.max_question_words:
            return []  # the question shape's job
        short = size <= options.max_short_words and share >= options.min_short_share
        long = len(echoed) >= options.min_echoed and share >= options.min_share
        if not (short or long) or not _restates_throughout(sent, lex, heard):
            return []
    return [(min(w.i for w in echoed), max(w.i for w in echoed) + 1)]


def _commits(verb: Word) -> bool:
    return any(c.lower_ in ("'ll", "will", "shall", "gonna", "going") for c in verb.children)


def _restates_throughout(sent: Span, lex: Lexicon, heard: HeardWords) -> bool:
    """A restatement adds nothing of the manager's own: every clause with content echoes the
    person, and a "you did X" clause echoes X itself. "You pushed it without review, and that put
    customers at risk" adds an impact (feedback); "you skipped four intake calls" after they
    talked about intake names an action they never mentioned (feedback)."""
    skip = stop_words(lex)
    judging = lex.union("praise_words", "critique_words")
    if any(w.lower_ in judging for w in grammar.tokens_of(sent)):
        return False  # "That's really solid, the tall-man label especially" judges what they said
    if any(
        w.lower_ in ("i", "we") and w.dep_ in ("nsubj", "nsubjpass") and _commits(w.head)
        for w in grammar.tokens_of(sent)
    ):
        return False  # "I'll tell Dmitri to stop changing the spec": the manager's plan, not theirs
    content = {w.i for w in _content_words(sent, lex)}
    for clause in grammar.clauses(sent, at_conjunctions=True):
        words = [w for w in grammar.tokens_of(clause) if w.i in content]
        if len(words) >= 2 and not _echoed(words, heard):
            return False
        for word in grammar.tokens_of(clause):
            subject = grammar.subject_of(word) if word.pos_ == "VERB" else None
            if (
                subject is not None
                and subject.lower_ in grammar.SECOND_PERSON
                and word.lemma_.lower() not in skip
                and not _echoed([word], heard)
            ):
                return False
    return True


@detector("summary_of_their_account", reads_context=True)
def summary_of_their_account(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """ "So you skipped the second check because of the queue", right after the person told what
    they did: a summary of their own account (a reflection), not the manager's observation."""
    heard = heard_in(sent.doc)
    if not heard.last_text or not _first_person_account(heard.last_text):
        return []
    words = [w for w in grammar.tokens_of(sent) if not w.is_punct]
    leads = lex["summary_leads"]
    if not words or words[0].lower_ not in leads:
        return []
    subject = next((w for w in words[1:4] if w.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ not in grammar.SECOND_PERSON:
        return []
    return [(words[0].i, min(subject.i + 3, sent.end))]


_FIRST_PERSON = re.compile(r"(?<![a-z'])(?:i|i'm|i've|i'd|i'll|we|we're|we've|me|my)(?![a-z'])")


def _first_person_account(text: str) -> bool:
    return bool(_FIRST_PERSON.search(text.lower().replace("’", "'")))


def _asks(sent: Span, lex: Lexicon) -> bool:
    """A question by its mark or by a wh-word anywhere (clipped chat: "blocked how")."""
    words = grammar.tokens_of(sent)
    return any(w.lower_ == "?" for w in words) or any(w.lower_ in lex["wh_words"] for w in words)


@lru_cache(maxsize=8)
def _phrase_regex(phrases: frozenset[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![a-z])")


def asked_of_manager(heard: HeardWords, lex: Lexicon) -> bool:
    """The other person's last turn asks the manager to do something (or answers "How can I help?")."""
    if not heard.last_text:
        return False
    said = heard.last_text.lower().replace("’", "'")
    if _phrase_regex(lex["request_phrases"]).search(said):
        return True
    turns = heard.turns
    if len(turns) >= 2 and turns[-2].is_manager:
        offered = turns[-2].text.lower().replace("’", "'")
        return bool(_phrase_regex(lex["help_offers"]).search(offered))
    return False


@detector("answered_request", reads_context=True)
def answered_request(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """The manager takes on what the person asked them for: "Sure, I'll talk to Dmitri today"."""
    heard = heard_in(sent.doc)
    if not heard.last_text or not asked_of_manager(heard, lex):
        return []
    words = grammar.tokens_of(sent)
    agreements = lex["agreement_words"]
    for index, word in enumerate(words):
        if word.lower_ in ("i", "we") and index + 1 < len(words):
            following = words[index + 1].lower_
            if following in lex["commitment_auxiliaries"]:
                return [(word.i, min(word.i + 4, sent.end))]
        if word.lower_ in agreements and index <= 2:
            return [(word.i, word.i + 1)]
    return []
