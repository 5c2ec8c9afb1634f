"""Named grammar detectors that rules refer to with ``detector: NAME``.

Each takes a parsed sentence, the lexicon and the rule's ``options`` and
returns the token spans it found. They exist for structure a token pattern
cannot express (clause position, subject and tense of the same verb); all
word lists they use live in the lexicon, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from coachsim.classify import grammar
from coachsim.classify.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span

    from coachsim.classify.words import Region, Word

TokenSpan = tuple[int, int]


class DetectorOptions(BaseModel):
    """A detector's ``options``, validated when the rules load (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def word_lists(self) -> list[str]:
        """Lexicon lists these options name (checked against the lexicon at load)."""
        return []


class QuestionOptions(DetectorOptions):
    kind: tuple[Literal["wh", "yesno", "declarative"], ...] = ("wh",)
    with_subject: bool = False

    @field_validator("kind", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class ImperativeOptions(DetectorOptions):
    exclude: str = "imperative_exclusions"

    def word_lists(self) -> list[str]:
        return [self.exclude]


class PersonOptions(DetectorOptions):
    person: Literal["first", "second"] = "second"


class WordListOptions(DetectorOptions):
    words: str

    def word_lists(self) -> list[str]:
        return [self.words]


Detector = Callable[["Span", Lexicon, Any], list[TokenSpan]]
#: Given the lexicon and a rule's options, words (lowercase) of which a reply must contain at
#: least one for the detector to find anything; None when no such word is known.
Needs = Callable[[Lexicon, Any], "frozenset[str] | None"]


@dataclass(frozen=True)
class DetectorSpec:
    """A registered detector: what it finds, the options it takes, the words it needs."""

    find: Detector
    options: type[DetectorOptions]
    needs: Needs | None = None
    #: Finds nothing without the turns before the reply, so replies labelled alone skip it.
    reads_context: bool = False


DETECTORS: dict[str, DetectorSpec] = {}


def detector(
    name: str,
    options: type[DetectorOptions] = DetectorOptions,
    needs: Needs | None = None,
    reads_context: bool = False,
) -> Callable[[Detector], Detector]:
    """Register a detector; ``needs`` and ``reads_context`` let the engine skip it for replies
    that cannot match."""

    def register(func: Detector) -> Detector:
        DETECTORS[name] = DetectorSpec(func, options, needs, reads_context)
        return func

    return register


def _second_or_first_person(lex: Lexicon, options: PersonOptions) -> frozenset[str]:
    return frozenset({"i"}) if options.person == "first" else grammar.SECOND_PERSON


def _phrase_end(token: Word, limit: int = 6) -> int:
    return min(token.right_edge.i + 1, token.i + limit, token.sent_end)


@detector("question", options=QuestionOptions)
def question(sent: Span, lex: Lexicon, options: QuestionOptions) -> list[TokenSpan]:
    """Interrogative clauses of the kind in ``options.kind`` ("wh", "yesno" or "declarative")."""
    found = [c for k, c in grammar.question_clauses(sent, lex) if k in options.kind]
    if options.with_subject:
        found = [c for c in found if _subject_before_verb(c)]
    return [(c.start, c.end) for c in found]


def _subject_before_verb(clause: Region) -> bool:
    """A statement shape: some subject comes before the verb it belongs to ("You're stuck?")."""
    return any(
        t.dep_ in ("nsubj", "nsubjpass") and t.i < t.head.i and t.head.pos_ in ("VERB", "AUX")
        for t in grammar.tokens_of(clause)
    )


NON_CLAUSE_DEPS = frozenset(
    {
        "xcomp",
        "relcl",
        "acl",
        "pcomp",
        "attr",
        "csubj",
        "amod",
        "nsubj",
        "dobj",
        "pobj",
        "acomp",
        "aux",
        "compound",
    }
)


def _continues_verb_phrase(token: Word, sent: Span, skip: frozenset[str], lex: Lexicon) -> bool:
    """True if the word before the clause (past commas and fillers) leaves a verb phrase open."""
    index = token.i - 1
    while index >= sent.start:
        previous = token.words[index]
        if previous.is_punct or previous.is_space or previous.lower_ in skip - {"i", "you"}:
            index -= 1
            continue
        return (
            previous.lower_ in lex["continuation_words"]
            or previous.tag_ in ("MD", "VB", "VBP")
            or previous.pos_ in ("AUX", "PRON")
        )
    return False


def _looks_like_base_verb(token: Word, lex: Lexicon) -> bool:
    if token.lower_ in lex["irregular_past"] and token.lower_ not in lex["imperative_verbs"]:
        return False
    if any(c.dep_ in ("amod", "det", "poss") for c in token.children):
        return False  # "Great call on the refund" is a noun
    if token.tag_ == "VB" or (token.tag_ == "VBP" and token.lower_ == token.lemma_.lower()):
        return True
    if token.lower_ not in lex["imperative_verbs"]:
        return False
    following = token.words[token.i + 1] if token.i + 1 < token.sent_end else None
    return following is None or following.pos_ in (
        "PRON",
        "DET",
        "PROPN",
        "PART",
        "ADP",
        "ADV",
        "NOUN",
        "NUM",
    )


@detector("imperative", options=ImperativeOptions)
def imperative(sent: Span, lex: Lexicon, options: ImperativeOptions) -> list[TokenSpan]:
    """A clause that opens with a base-form verb and has no subject: "Send it to Dana"."""
    skip = lex.union("clause_lead", "imperative_lead")
    excluded = lex[options.exclude]
    found: list[TokenSpan] = []
    for clause in grammar.clauses(sent, at_conjunctions=True):
        token = grammar.first_content(clause, skip)
        if token is None or token.lemma_.lower() in excluded or token.lower_ in excluded:
            continue
        terse = token.lower_ in lex["imperative_verbs"] and grammar.word_count(sent) <= 3
        if not (terse or _looks_like_base_verb(token, lex)) or grammar.has_subject(token):
            continue
        if (token.dep_ in NON_CLAUSE_DEPS and not terse) or _continues_verb_phrase(token, sent, skip, lex):
            continue  # "what I do is, send a note" / "so people could, grab me"
        if token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
            continue  # "a chance to vent, or help thinking it through"
        if any(c.dep_ in ("amod", "det", "poss") and c.i < token.i for c in token.children):
            continue  # "good call", "the plan": a noun phrase, not an order
        governor = grammar.governing_subject(token)
        if governor is not None and governor.lower_ not in grammar.SECOND_PERSON:
            continue  # "if I write it and then reread it", "I used to go home and cry"
        if grammar.inside_quotes(token):
            continue  # a quoted saying: "measure twice, cut once"
        rest = [t for t in grammar.tokens_of(clause) if t.i > token.i and not t.is_punct and t.pos_ != "ADP"]
        if not rest and token.lemma_.lower() in lex["interjection_verbs"]:
            continue  # "Wait, ...", "Hang on"
        following = grammar.next_token(token, clause)
        if following is not None and following.lower_ in grammar.INVERSION_SUBJECTS - {
            "it",
            "that",
            "this",
        }:
            continue  # "do you...", "have we..." are questions, not orders
        found.append((token.i, _phrase_end(token)))
    return found


def _subject_past_verbs(sent: Span, lex: Lexicon, subjects: frozenset[str]):
    """(subject, verb) pairs where the subject does the past action (passives excluded)."""
    for token, verb in grammar.active_past_subjects(sent, lex):
        if token.lower_ in subjects:
            yield token, verb


@detector("own_past", needs=lambda lex, options: frozenset({"i"}))
def own_past(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """ "I" did something in the past ("I once shipped a bug like that"), not "I noticed you..."."""
    listener_verbs = lex["listener_verbs"]
    observing = lex["observation_verbs"]
    about_you = grammar.mentions_second_person(sent)
    found: list[TokenSpan] = []
    for subject, verb in _subject_past_verbs(sent, lex, frozenset({"i"})):
        lemma = verb.lemma_.lower()
        perfect = any(c.lower_ in grammar.PERFECT_AUX for c in verb.children)
        if lemma in listener_verbs and not (
            perfect and lemma in ("see", "watch", "notice") and not about_you
        ):
            continue
        if lemma in observing:
            continue  # "I walked by and the guard was propped open": how the manager saw it
        if lemma == "do" and not any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep") for c in verb.children):
            continue  # "before I did": an echo of another verb, not an experience
        if lemma in lex["communication_verbs"] and about_you:
            continue
        if grammar.second_person_subject_within(verb, skip=subject):
            continue
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
            continue
        reaction = verb.lower_ in lex["reaction_adjectives"] or any(
            c.lower_ in lex["reaction_adjectives"] for c in verb.children
        )
        if reaction and about_you:
            continue  # "I was impressed by your demo" is feedback
        if lemma == "be" and (
            about_you or any(c.lower_ in lex["reaction_adjectives"] for c in verb.children)
        ):
            continue  # "I was in the back of your lesson", "I was a bit blindsided"
        found.append((min(subject.i, verb.i), max(subject.i, verb.i) + 1))
    return found


@detector("your_past", needs=lambda lex, options: grammar.SECOND_PERSON)
def your_past(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """ "You" did something in the past ("you skipped the pricing slide")."""
    found: list[TokenSpan] = []
    for subject, verb in _subject_past_verbs(sent, lex, grammar.SECOND_PERSON):
        if _reports_behaviour(subject, verb, lex):
            found.append((min(subject.i, verb.i), _phrase_end(verb)))
    return found


def _reports_behaviour(subject: Word, verb: Word, lex: Lexicon) -> bool:
    """Whether "you" + this past verb reports something the person did, not a reflection of
    this conversation, a feeling, a circumstance or a question."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    if lemma in lex["reflection_verbs"]:
        # "you said you were worried" reflects; "you said nothing in standup" is behaviour.
        return any(c.dep_ == "dobj" and c.lower_ in ("nothing", "little") for c in children)
    if lemma in lex["telling_me_verbs"] and any(t.lower_ == "me" for t in children):
        return False  # "you told me..." reflects this conversation
    if any(c.dep_ == "aux" and c.i < subject.i for c in children):
        return False  # "did you send it?" is a question, not an observation
    if lemma == "get" and verb.tag_ == "VBN":
        return False  # "you've got a lot on" describes a situation
    if lemma == "have" and any(c.dep_ == "xcomp" for c in children):
        return False  # "sorry you had to deal with that" is circumstance, not behaviour
    do_support = any(c.lemma_ == "do" and c.tag_ == "VBD" for c in children)
    if (verb.tag_ == "VB" and not do_support) or verb.head.lemma_ in ("help", "let", "make", "watch", "see"):
        return False  # "it can help you set up a plan": not something the person did
    if verb.tag_ == "VBG" and lemma in lex["struggle_verbs"]:
        return False  # "you've been wrestling with this" reflects a struggle
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in children):
        return False
    return not (lemma == "be" and any(c.lower_ in lex["feeling_adjectives"] for c in children))


@detector("judging_why", needs=lambda lex, options: frozenset({"why", "come"}))
def judging_why(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """ "Why didn't you...", "how come the count was off again?": a why-question that points at blame."""
    if not grammar.question_clauses(sent, lex):
        return []
    words = [t.lower_ for t in grammar.tokens_of(sent)]
    if "why" in words:
        anchor = grammar.word_at(sent, sent.start + words.index("why"))
    elif "how" in words and "come" in words and words.index("come") == words.index("how") + 1:
        anchor = grammar.word_at(sent, sent.start + words.index("how"))
    else:
        return []
    rest = sent.doc[anchor.i : sent.end]
    first_subject = next((t for t in grammar.tokens_of(rest) if t.dep_ in grammar.SUBJECT_DEPS), None)
    if (
        first_subject is not None
        and first_subject.lower_ in grammar.SECOND_PERSON
        and first_subject.head.lemma_.lower() in lex["cognition_verbs"]
    ):
        return []  # "why do you think that happened?" asks for the person's view
    if any(t.lower_ in lex["blame_adverbs"] for t in grammar.tokens_of(rest)):
        return [(anchor.i, min(anchor.i + 6, sent.end))]
    for token in grammar.tokens_of(rest):
        if token.dep_ not in grammar.SUBJECT_DEPS:
            continue
        passive = token.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in token.head.children)
        if token.lower_ in ("i", "we") and not passive and not grammar.mentions_second_person(rest):
            continue
        if not (
            token.lower_ in grammar.SECOND_PERSON
            or passive
            or token.pos_ in ("NOUN", "PROPN")
            or token.tag_.startswith("NN")
            or token.tag_ == "UH"  # the small tagger sometimes reads "quote" as an interjection
            or token.lower_ in ("it", "that", "this")
            or grammar.mentions_second_person(rest)
        ):
            continue
        verb = token.head
        if verb.lemma_.lower() in lex["cognition_verbs"]:
            continue
        negated = any(c.dep_ == "neg" for c in verb.children) or any(
            g.dep_ == "neg" for c in verb.children if c.dep_ in ("aux", "auxpass") for g in c.children
        )
        if (
            negated
            and not grammar.is_past(verb, lex)
            and any(c.lower_ in ("do", "does") for c in verb.children)
        ):
            continue  # "why don't you..." is advice, not judgement
        if grammar.is_past(verb, lex) or negated:
            return [(anchor.i, _phrase_end(verb))]
    return []


@detector("status_check", needs=lambda lex, options: lex["inversion_aux"])
def status_check(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """A yes/no question about whether a task is done: "Has the fix been deployed?"."""
    found: list[TokenSpan] = []
    for kind, clause in grammar.question_clauses(sent, lex):
        opener = grammar.first_content(clause, lex["clause_lead"])
        if kind != "yesno" or opener is None or opener.lower_ not in lex["inversion_aux"]:
            continue
        head = grammar.root(clause)
        lemma = head.lemma_.lower()
        if lemma in lex["cognition_verbs"] or lemma in lex["feeling_verbs"]:
            continue
        if any(t.lower_ in lex["open_pronouns"] for t in grammar.tokens_of(clause)):
            continue  # "is there anything else..." opens thinking
        status_word = any(t.lower_ in lex["status_words"] for t in grammar.tokens_of(clause))
        past_action = head.pos_ == "VERB" and grammar.is_past(head, lex)
        if status_word or past_action:
            found.append((clause.start, clause.end))
    return found


@detector("opening_word", options=WordListOptions, needs=lambda lex, options: lex[options.words])
def opening_word(sent: Span, lex: Lexicon, options: WordListOptions) -> list[TokenSpan]:
    """The sentence's first content word is in ``options.words`` (a lexicon list)."""
    words = lex[options.words]
    skip = lex["clause_lead"] - words
    token = grammar.first_content(sent, skip)
    if token is not None and token.lower_ in words:
        return [(token.i, _phrase_end(token))]
    return []


@detector("closed_opening")
def closed_opening(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """A yes/no question about the person's thinking, feeling or wishes: "Do you want to talk?"."""
    found: list[TokenSpan] = []
    for kind, clause in grammar.question_clauses(sent, lex):
        if kind not in ("yesno", "declarative"):
            continue
        root = grammar.root(clause)
        subject = grammar.subject_of(root)
        about_you = subject is None or subject.lower_ in grammar.SECOND_PERSON
        lemma = root.lemma_.lower()
        opens = (
            (about_you and (lemma in lex["cognition_verbs"] or lemma in lex["feeling_verbs"]))
            or lemma in lex["impression_verbs"]
            or any(
                t.lower_ in grammar.SECOND_PERSON
                and t.dep_ == "nsubj"
                and t.head.lemma_.lower() in lex["cognition_verbs"]
                for t in grammar.tokens_of(clause)
            )
            or any(t.lower_ in lex["open_pronouns"] for t in grammar.tokens_of(clause))
            or (
                lemma == "be"
                and about_you
                and any(t.lower_ in lex["feeling_adjectives"] for t in root.subtree)
            )
        )
        if opens:
            found.append((clause.start, clause.end))
    return found


@detector(
    "clipped_past",
    options=PersonOptions,
    needs=lambda lex, options: lex["first_person_objects"] if options.person == "first" else None,
)
def clipped_past(sent: Span, lex: Lexicon, options: PersonOptions) -> list[TokenSpan]:
    """A clause that opens with a past verb and drops its subject ("Missed the deadline again",
    "Took me years to learn that"). ``options.person`` says whose it is: "first" when the clause
    says "me/my", else "second"."""
    want_first = options.person == "first"
    found: list[TokenSpan] = []
    for clause in grammar.clauses(sent):
        token = grammar.first_content(clause, lex["clause_lead"])
        if token is None or grammar.has_subject(token) or token.pos_ not in ("VERB", "AUX"):
            continue
        past = token.tag_ in ("VBD", "VBN") or token.lower_ in lex["irregular_past"]
        if not past or token.lower_ == token.lemma_.lower() or token.lower_ in lex["imperative_verbs"]:
            continue  # "split it" / "set it up" read as orders, not clipped reports
        if grammar.question_clauses(sent, lex) or _continues_verb_phrase(
            token, sent, lex["clause_lead"], lex
        ):
            continue
        first = any(t.lower_ in lex["first_person_objects"] for t in grammar.tokens_of(clause))
        if first == want_first:
            found.append((token.i, _phrase_end(token)))
    return found


@detector("subject_statement", options=PersonOptions, needs=_second_or_first_person)
def subject_statement(sent: Span, lex: Lexicon, options: PersonOptions) -> list[TokenSpan]:
    """A statement whose main verb has "I" (``person: first``, and no "you" anywhere) or "you"
    (``person: second``, present tense) as subject: a weak hint when no rule fired."""
    if grammar.question_clauses(sent, lex):
        return []
    root = grammar.root(sent)
    subject = grammar.subject_of(root)
    if subject is None:
        return []
    if options.person == "first":
        if subject.lower_ != "i" or grammar.mentions_second_person(sent):
            return []
    elif subject.lower_ not in grammar.SECOND_PERSON or grammar.is_past(root, lex):
        return []
    return [(min(subject.i, root.i), max(subject.i, root.i) + 1)]


@detector("you_directive", needs=lambda lex, options: grammar.SECOND_PERSON)
def you_directive(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """ "You" + a bare present action verb heading its clause, with no modal, question or
    habit word: an instruction ("Then you escalate to his manager"), not "you want…"."""
    questions = [clause for kind, clause in grammar.question_clauses(sent, lex) if kind != "declarative"]
    state_verbs = lex.union("cognition_verbs", "feeling_verbs", "impression_verbs", "state_verbs")
    habitual = lex["habit_adverbs"]
    if any(w.lower_ in lex["pattern_markers"] for w in grammar.tokens_of(sent)):
        return []  # "you light up when you talk about them" describes a pattern
    found: list[TokenSpan] = []
    for verb in grammar.tokens_of(sent):
        if verb.pos_ != "VERB" or verb.tag_ not in ("VBP", "VB") or verb.lemma_.lower() in state_verbs:
            continue
        if verb.lower_ in lex["irregular_past"] or verb.lower_ != verb.lemma_.lower():
            continue  # "you set the boundary", "you rewrote the guide": past, read as present
        if verb.dep_ not in ("ROOT", "conj") or any(
            c.dep_ in ("aux", "auxpass", "neg", "mark") for c in verb.children
        ):
            continue
        subject = grammar.subject_of(verb)
        if subject is None or subject.lower_ not in grammar.SECOND_PERSON or subject.i > verb.i:
            continue
        if any(c.start <= subject.i < c.end for c in questions):
            continue  # "do you flag it?": a question, not an order
        if any(c.lower_ in habitual for c in verb.children) or grammar.inside_quotes(verb):
            continue
        found.append((subject.i, _phrase_end(verb)))
    return found


@detector("lone_word")
def lone_word(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """A sentence that is nothing but listening words ("nice", "oh ok cool")."""
    if sent.end - sent.start > 6:
        return []
    words = [w for w in grammar.tokens_of(sent) if not w.is_punct and not w.is_space]
    listening = lex.union("listening_words", "acknowledgements", "fillers")
    if (
        not words
        or len(words) > 3
        or any(w.lower_ not in listening | {"oh", "ah", "ooh", "very"} for w in words)
    ):
        return []
    return [(words[0].i, words[-1].i + 1)]


@detector("modal_suggestion", needs=lambda lex, options: lex["suggestion_modals"])
def modal_suggestion(sent: Span, lex: Lexicon, options: DetectorOptions) -> list[TokenSpan]:
    """ "You could ask Sam": could/might/can + a verb of action as the main clause, with "you"
    or "we" as subject, or the same under "I think" ("I think you could push back")."""
    excluded, modals = lex["modal_suggestion_exclusions"], lex["suggestion_modals"]
    main = grammar.root(sent)
    found = _could_clause(main, excluded, modals)
    if found is None and main.tag_ == "VBP" and main.lemma_.lower() in lex["opinion_verbs"]:
        thinker = grammar.subject_of(main)
        if thinker is not None and thinker.lower_ == "i":
            for clause in (c for c in main.children if c.dep_ == "ccomp"):
                inner = _could_clause(clause, excluded, modals, opinion=True)
                if inner is not None:
                    found = (min(main.i, thinker.i, inner[0]), inner[1])
                    break
    return [found] if found else []


def _could_clause(
    verb: Word, excluded: frozenset[str], modals: frozenset[str], opinion: bool = False
) -> TokenSpan | None:
    if verb.tag_ != "VB" or verb.lemma_.lower() in excluded or (not opinion and verb.dep_ != "ROOT"):
        return None
    modal = next((c for c in verb.children if c.lower_ in modals), None)
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in ("you", "u", "we")), None)
    if modal is None or subject is None:
        return None
    return (min(verb.i, modal.i, subject.i), max(verb.i, modal.i, subject.i) + 1)
