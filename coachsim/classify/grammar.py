"""Grammar helpers over a parsed sentence: clauses, question kind, tense, subjects.

These read spaCy's tags, morphology, lemmas and dependencies together, because
the small English model alone mis-tags irregular past forms and misattaches
clauses in chat text (see CLASSIFIER-NOTES.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coachsim.classify.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "-", "--", "...", "…", "(", ")"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
SECOND_PERSON = frozenset({"you", "u", "ya", "yourself", "yourselves"})
PERSON_SUBJECTS = frozenset({"you", "u", "we", "they", "i", "he", "she", "there"})
INVERSION_SUBJECTS = frozenset(
    {
        "you",
        "u",
        "we",
        "they",
        "it",
        "there",
        "i",
        "he",
        "she",
        "that",
        "this",
        "everyone",
        "anyone",
    }
)


CONJUNCTION_BREAKS = frozenset({"but", "and", "so", "then", "or", "otherwise"})


def clauses(sent: Span, at_conjunctions: bool = False) -> list[Span]:
    """Split a sentence at commas, dashes, semicolons and colons (and "but/and/so" if asked)."""
    parts: list[Span] = []
    start = sent.start
    for token in sent:
        if token.text in CLAUSE_BREAKS or (at_conjunctions and token.lower_ in CONJUNCTION_BREAKS):
            if token.i > start:
                parts.append(sent.doc[start : token.i])
            start = token.i + 1
    if start < sent.end:
        parts.append(sent.doc[start : sent.end])
    return parts


def first_content(clause: Span, skip: frozenset[str]) -> Token | None:
    """The first token of a clause that is not a discourse word, filler or punctuation."""
    for token in clause:
        if token.is_punct or token.is_space or token.lower_ in skip:
            continue
        return token
    return None


def next_token(token: Token, clause: Span) -> Token | None:
    return token.doc[token.i + 1] if token.i + 1 < clause.end else None


def ends_with_question_mark(sent: Span) -> bool:
    return "?" in sent.text.rstrip()[-3:]


def question_clauses(sent: Span, lex: Lexicon) -> list[tuple[str, Span]]:
    """Each interrogative clause of the sentence as ``("wh" | "yesno", clause)``.

    Without a question mark a clause still counts when it opens with a wh-word
    followed by a verb ("what would help") or with an auxiliary followed by a
    pronoun ("did u send it"); "what I did was..." stays a statement.
    """
    marked = ends_with_question_mark(sent)
    lead = lex["clause_lead"]
    found: list[tuple[str, Span]] = []
    parts = clauses(sent)
    opened = False  # a clause with content has been seen before this one
    for position, clause in enumerate(parts):
        token = first_content(clause, lead)
        if token is None:
            continue
        at_start, opened = not opened, True
        final = position == len(parts) - 1
        following = next_token(token, clause)
        lower = token.lower_
        if token.head.dep_ == "relcl" or token.dep_ == "relcl":
            continue  # "someone who spent five years..." is not a question
        if not marked and not at_start:
            continue  # without "?", only an opening clause can be a question
        if lower in lex["wh_words"]:
            if _opens_wh_question(token, following, clause, marked, lex):
                found.append(("wh", clause))
        elif (
            lower in lex["inversion_aux"]
            and following is not None
            and (
                following.lower_ in PERSON_SUBJECTS
                or (final and following.lower_ in INVERSION_SUBJECTS)
                or (marked and final and following.pos_ in ("DET", "NOUN", "PROPN", "PRON", "ADV"))
            )
        ) or (marked and lower in lex["elliptic_question_starts"]):
            found.append(("yesno", clause))
    if marked and not found:
        found.append(("yesno", sent))
    return found


PERFECT_AUX = frozenset({"have", "has", "'ve", "ve", "had"})


def _opens_wh_question(
    token: Token, following: Token | None, clause: Span, marked: bool, lex: Lexicon
) -> bool:
    """A wh-word opens a question unless it starts a clause like "what I did was..." or "what a week"."""
    if following is None or following.lower_ in lex["wh_followers"]:
        return True
    if following.pos_ in ("AUX", "VERB") and following.tag_ != "VBN":
        return True
    if following.lower_ in ("a", "an") or (following.pos_ == "PRON" and following.lower_ not in ("you", "u")):
        return marked and following.lower_ not in ("a", "an")
    if token.lower_ in ("when", "where") and not marked:
        return False
    if following.pos_ in ("ADJ", "ADV") and token.lower_ == "how":
        after = next_token(following, clause)
        return marked or (after is not None and after.pos_ in ("AUX", "VERB"))
    if following.lower_ in ("you", "u"):
        return marked
    return marked or any(t.pos_ in ("AUX", "VERB") for t in clause if t.i > following.i)


def is_past(verb: Token, lex: Lexicon) -> bool:
    """Past or perfect: a past or perfect auxiliary, the tag, morphology, or a known irregular form."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" and a.lower_ not in ("'d", "d") for a in auxes):
        return False
    if any(a.lower_ in PERFECT_AUX or a.tag_ == "VBD" for a in auxes):
        return True
    if verb.tag_ == "VBN" and any(a.lower_ in ("'d", "d") for a in auxes):
        return True  # "you'd been really responsive"
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN":
        return False
    return "Past" in verb.morph.get("Tense") or verb.lower_ in lex["irregular_past"]


def subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    return None


def has_subject(verb: Token) -> bool:
    return subject_of(verb) is not None


def own_clause(token: Token) -> Iterator[Token]:
    """``token``'s subtree without coordinated clauses ("I lost my mom, and I remember...")."""
    yield token
    for child in token.children:
        if child.dep_ not in ("conj", "cc", "parataxis"):
            yield from child.subtree


def second_person_subject_within(token: Token, skip: Token | None = None) -> bool:
    """True if a "you" is the subject of a verb in ``token``'s own clause."""
    return any(
        t.lower_ in SECOND_PERSON and t.dep_ in SUBJECT_DEPS and t is not skip for t in own_clause(token)
    )


def mentions_second_person(span: Span) -> bool:
    return any(t.lower_ in SECOND_PERSON or t.lower_ in ("your", "ur", "yours") for t in span)


def content_tokens(span: Span, skip: frozenset[str]) -> Iterator[Token]:
    for token in span:
        if not (token.is_punct or token.is_space or token.lower_ in skip):
            yield token
