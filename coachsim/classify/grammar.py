"""Grammar helpers over a parsed sentence: clauses, question kind, tense, subjects.

These read spaCy's tags, morphology, lemmas and dependencies together, because
the small English model alone mis-tags irregular past forms and misattaches
clauses in chat text (e.g. "rewrote" tagged as present, an imperative after a comma hung
under the wrong verb), so no single signal is trusted alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from coachsim.classify.lexicon import Lexicon
from coachsim.classify.words import Region, Word, memoised, root, tokens_of, word_at

__all__ = ["Word", "root", "tokens_of", "word_at"]  # re-exported for the detectors

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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


class Clause(NamedTuple):
    """Tokens ``[start, end)`` of a doc: a piece of a sentence between clause breaks."""

    start: int
    end: int
    doc: Doc

    @property
    def root(self) -> Token:
        return self.doc[self.start : self.end].root


def clauses(sent: Span, at_conjunctions: bool = False) -> list[Clause]:
    """Split a sentence at commas, dashes, semicolons and colons (and "but/and/so" if asked)."""
    key = ("clauses", sent.start, sent.end, at_conjunctions)
    return memoised(sent, key, lambda: _clauses(sent, at_conjunctions))


def _clauses(sent: Span, at_conjunctions: bool) -> list[Clause]:
    parts: list[Clause] = []
    doc = sent.doc
    start = sent.start
    for token in tokens_of(sent):
        if token.text in CLAUSE_BREAKS or (at_conjunctions and token.lower_ in CONJUNCTION_BREAKS):
            if token.i > start:
                parts.append(Clause(start, token.i, doc))
            start = token.i + 1
    if start < sent.end:
        parts.append(Clause(start, sent.end, doc))
    return parts


def first_content(clause: Region, skip: frozenset[str]) -> Word | None:
    """The first token of a clause that is not a discourse word, filler or punctuation."""
    for token in tokens_of(clause):
        if token.is_punct or token.is_space or token.lower_ in skip:
            continue
        return token
    return None


def next_token(token: Word, clause: Region) -> Word | None:
    return token.words[token.i + 1] if token.i + 1 < clause.end else None


def ends_with_question_mark(sent: Span) -> bool:
    tail = [t for t in tokens_of(sent)[-4:] if not t.is_space]
    return any("?" in t.text for t in tail[-3:])


def word_count(span: Span) -> int:
    """Words that are not punctuation or space."""
    return sum(1 for t in tokens_of(span) if not (t.is_punct or t.is_space))


def question_clauses(sent: Span, lex: Lexicon) -> list[tuple[str, Region]]:
    """Each interrogative clause of the sentence as ``("wh" | "yesno" | "declarative", clause)``;
    "declarative" is a statement asked with a question mark ("So you're stuck?").

    Without a question mark a clause still counts when it opens with a wh-word
    followed by a verb ("what would help") or with an auxiliary followed by a
    pronoun ("did u send it"); "what I did was..." stays a statement.
    """
    return memoised(sent, ("question_clauses", sent.start, sent.end), lambda: _question_clauses(sent, lex))


def _question_clauses(sent: Span, lex: Lexicon) -> list[tuple[str, Region]]:
    marked = ends_with_question_mark(sent)
    lead = lex["clause_lead"]
    found: list[tuple[str, Region]] = []
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
        opener = first_content(sent, lead)
        inverted = opener is not None and opener.lower_ in lex["inversion_aux"]
        # "has the, has the patient had bloods?" is still inverted; "You're stuck?" is not.
        found.append(("yesno" if inverted else "declarative", sent))
    return found


PERFECT_AUX = frozenset({"have", "has", "'ve", "ve", "had"})


def _opens_wh_question(
    token: Word, following: Word | None, clause: Region, marked: bool, lex: Lexicon
) -> bool:
    """A wh-word opens a question unless it starts a clause like "what I did was..." or "what a week"."""
    if following is None or following.lower_ in lex["wh_followers"]:
        return True
    if following.pos_ in ("AUX", "VERB") and following.tag_ != "VBN":
        return True
    if following.lower_ in ("a", "an") or (following.pos_ == "PRON" and following.lower_ not in ("you", "u")):
        return marked and following.lower_ not in ("a", "an")
    if token.lower_ in ("when", "where", "which") and not marked:
        return False
    if following.pos_ in ("ADJ", "ADV") and token.lower_ == "how":
        after = next_token(following, clause)
        return marked or (after is not None and after.pos_ in ("AUX", "VERB"))
    if following.lower_ in ("you", "u"):
        return marked
    return marked or any(t.pos_ in ("AUX", "VERB") for t in tokens_of(clause) if t.i > following.i)


def is_past(verb: Word, lex: Lexicon) -> bool:
    """Past or perfect: a past or perfect auxiliary, the tag, morphology, or a known irregular form."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" and a.lower_ not in ("'d", "d") for a in auxes):
        return False
    if any(a.lemma_ == "do" and a.tag_ in ("VBP", "VBZ") for a in auxes):
        return False  # "why don't you put..." is present tense
    if any(a.lower_ in PERFECT_AUX or a.tag_ == "VBD" for a in auxes):
        return True
    if verb.tag_ == "VBN" and any(a.lower_ in ("'d", "d") for a in auxes):
        return True  # "you'd been really responsive"
    if verb.tag_ == "VBD":
        return True
    if verb.tag_ == "VBN":
        return False
    return "Past" in verb.morph.get("Tense", []) or verb.lower_ in lex["irregular_past"]


def subject_of(verb: Word) -> Word | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    return None


def has_subject(verb: Word) -> bool:
    return subject_of(verb) is not None


def own_clause(token: Word) -> Iterator[Word]:
    """``token``'s subtree without coordinated clauses ("I lost my mom, and I remember...")."""
    yield token
    for child in token.children:
        if child.dep_ not in ("conj", "cc", "parataxis"):
            yield from child.subtree


def second_person_subject_within(token: Word, skip: Word | None = None) -> bool:
    """True if a "you" is the subject of a verb in ``token``'s own clause."""
    return any(
        t.lower_ in SECOND_PERSON and t.dep_ in SUBJECT_DEPS and t is not skip for t in own_clause(token)
    )


def mentions_second_person(span: Span) -> bool:
    return any(t.lower_ in SECOND_PERSON or t.lower_ in ("your", "ur", "yours") for t in tokens_of(span))


def active_past_subjects(sent: Span, lex: Lexicon) -> list[tuple[Word, Word]]:
    """(subject, verb) pairs of the sentence whose verb is past and active, computed once."""
    return memoised(sent, ("past_subjects", sent.start, sent.end), lambda: _active_past_subjects(sent, lex))


def _active_past_subjects(sent: Span, lex: Lexicon) -> list[tuple[Word, Word]]:
    pairs = []
    for token in tokens_of(sent):
        if token.dep_ != "nsubj":
            continue
        verb = token.head
        if verb is token or any(c.dep_ == "auxpass" for c in verb.children):
            continue
        if is_past(verb, lex):
            pairs.append((token, verb))
    return pairs


def governing_subject(token: Word, limit: int = 6) -> Word | None:
    """The subject ``token`` shares through coordination or control ("I used to go home and
    cry": cry -> go -> used -> I), walking up conj and xcomp links only."""
    current = token
    for _ in range(limit):
        subject = subject_of(current)
        if subject is not None:
            return subject
        if current.dep_ not in ("conj", "xcomp") or current.head is current:
            return None
        current = current.head
    return None


def inside_quotes(token: Word) -> bool:
    """True if an odd number of quotation marks precede ``token`` in its sentence."""
    marks = sum(1 for t in token.words[token.sent_start : token.i] if t.text in ('"', "“", "”", "''", "``"))
    return marks % 2 == 1


class ClauseProfile(NamedTuple):
    """What a statement's main clause is about, from its parse (for sentences no rule decides).

    ``person`` is who the subject is: ``you``, ``your`` (the person's work: "your deck"),
    ``i``, ``we``, ``other`` or ``none``; ``tense`` is ``past`` (done, or done so far),
    ``future``, ``modal`` or ``present``. ``evaluative`` says whether it judges something
    (praise or criticism words), ``feeling`` whether it names a feeling or state,
    ``mentions_you`` and ``mentions_me`` whether "you/your" or "me/my" appear anywhere."""

    person: str
    tense: str
    evaluative: bool
    feeling: bool
    mentions_you: bool
    mentions_me: bool


def clause_profile(sent: Span, lex: Lexicon) -> ClauseProfile:
    """The :class:`ClauseProfile` of a sentence's root clause."""
    words = tokens_of(sent)
    verb = root(sent)
    subject = subject_of(verb)
    if subject is None and verb.dep_ == "ROOT" and verb.pos_ in ("NOUN", "PROPN", "ADJ"):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        person = "none"
    elif subject.lower_ in SECOND_PERSON:
        person = "you"
    elif subject.lower_ in lex["second_person_possessives"] or any(
        c.lower_ in lex["second_person_possessives"] for c in subject.children
    ):
        person = "your"
    elif subject.lower_ == "i":
        person = "i"
    elif subject.lower_ == "we":
        person = "we"
    else:
        person = "other"
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & lex["future_auxiliaries"] or (
        verb.lower_ in ("going", "gon") and any(c.lower_ in ("to", "na") for c in verb.children)
    ):
        tense = "future"
    elif auxes & lex["modal_auxiliaries"]:
        tense = "modal"
    elif is_past(verb, lex):
        tense = "past"
    else:
        tense = "present"
    lowers = {w.lower_ for w in words}
    evaluative = not lowers.isdisjoint(lex.union("evaluative_adjectives", "praise_words", "critique_words"))
    feeling = not lowers.isdisjoint(lex.union("feeling_adjectives", "emotion_adjectives"))
    return ClauseProfile(
        person=person,
        tense=tense,
        evaluative=evaluative,
        feeling=feeling,
        mentions_you=not lowers.isdisjoint(SECOND_PERSON | lex["second_person_possessives"]),
        mentions_me=not lowers.isdisjoint(lex["first_person_objects"]) or "i" in lowers,
    )
