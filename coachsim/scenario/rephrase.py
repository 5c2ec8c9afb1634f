"""Turn a telling sentence into a coaching question about the same thing, from its spaCy parse.

"Just send it to Dana today." → "What's your plan for getting it to Dana?"; "Have you thought about
asking Priya?" → "Who could help you with this?". The templates and word lists live in
``classifiers/suggestions.yaml`` (section ``rephrase``); a sentence that fits none gives None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


class _Templates(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    help: str = Field(pattern=r"\{topic\}")
    delivery: str = Field(pattern=r"\{object\}.*\{recipient\}")
    plan: str = Field(pattern=r"\{object\}")


class RephraseRules(BaseModel):
    """The ``rephrase`` section of ``suggestions.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    templates: _Templates
    any_topic: str = Field(min_length=1)
    max_words: int = Field(ge=1, le=20)
    frame_verbs: frozenset[str]
    help_verbs: frozenset[str]
    delivery_verbs: frozenset[str]
    people: frozenset[str]


#: Dependents that belong to a noun phrase used as is ("the login bug", "your first draft").
_PHRASE_DEPS = frozenset({"det", "poss", "amod", "compound", "nummod", "case", "nmod", "quantmod"})
#: Dependents through which a framing word reaches the action ("thought about asking", "need to tell").
_ACTION_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "advcl", "conj"})
_OBJECT_DEPS = frozenset({"dobj", "dative", "obj"})
_ALLOWED_SUBJECTS = frozenset({"you", "we", "us", "'s", "’s"})
_PERSONAL = frozenset({"me", "him", "her", "them", "us", "someone", "somebody"})
_TOPIC_PREPS = ("about", "with", "on")


def _is_verb(token: Token) -> bool:
    return token.tag_.startswith("VB") or token.pos_ in ("VERB", "AUX")


def _inner_action(token: Token) -> Token | None:
    """The verb this word frames: a clausal dependent, or one inside a preposition or adjective."""
    for child in token.children:
        if child.dep_ in _ACTION_DEPS and _is_verb(child):
            return child
    for child in token.children:  # "thought about asking", "make sure you email"
        if child.dep_ in ("prep", "acomp"):
            for grandchild in child.children:
                if grandchild.dep_ in _ACTION_DEPS and _is_verb(grandchild):
                    return grandchild
    return None


def action_verb(sentence: Span, rules: RephraseRules) -> Token | None:
    """The verb of the telling clause: the root, or the action inside framing words; None if the
    clause is not an action the person is asked to take (a statement about someone else, "be"...)."""
    token = sentence.root
    for _ in range(6):
        if _is_verb(token) and token.lemma_.lower() not in rules.frame_verbs:
            break
        inner = _inner_action(token)
        if inner is None:
            return None
        token = inner
    else:
        return None
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(s.lower_ not in _ALLOWED_SUBJECTS for s in subjects):
        return None
    negated = any(c.dep_ == "neg" for c in token.children)
    if negated and sentence[0].lower_ != "why":  # "Don't send it": the opposite of a plan to send it
        return None
    return token


def _is_person(token: Token, rules: RephraseRules) -> bool:
    return token.tag_ in ("NNP", "NNPS") or token.lower_ in _PERSONAL or token.lemma_.lower() in rules.people


def _phrase(head: Token, rules: RephraseRules) -> str | None:
    """The noun phrase headed by ``head`` as written, or None if it is long or not plain words."""
    members = {head.i}
    stack = [head]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in _PHRASE_DEPS:
                members.add(child.i)
                stack.append(child)
    first, last = min(members), max(members)
    if last - first + 1 != len(members) or len(members) > rules.max_words:
        return None
    span = head.doc[first : last + 1]
    if not all(t.is_alpha or t.like_num or t.text in ("'s", "’s", "-") for t in span):
        return None
    return span.text


def rephrase(sentence: Span, rules: RephraseRules) -> str | None:
    """A coaching question built from the object and topic of this telling sentence, or None."""
    verb = action_verb(sentence, rules)
    if verb is None:
        return None
    objects = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
    preps: list[tuple[str, Token]] = [
        (child.lower_, pobj)
        for child in verb.children
        if child.dep_ in ("prep", "dative") and child.tag_ == "IN"
        for pobj in child.children
        if pobj.dep_ == "pobj"
    ]
    lemma = verb.lemma_.lower()
    if lemma in rules.help_verbs:
        people = [o for o in objects if _is_person(o, rules)] + [p for _, p in preps if _is_person(p, rules)]
        if people:
            topics = [p for word, p in preps if word in _TOPIC_PREPS and not _is_person(p, rules)]
            topic = _phrase(topics[0], rules) if topics and topics[0].pos_ != "PRON" else None
            return rules.templates.help.format(topic=topic or rules.any_topic)
    if lemma in rules.delivery_verbs:
        recipients = [p for word, p in preps if word == "to"]
        things = objects
        if not recipients and len(objects) == 2:  # "Send Dana the file.", "Send me your draft."
            recipients, things = objects[:1], objects[1:]
        if recipients and things:
            thing, recipient = _phrase(things[-1], rules), _phrase(recipients[0], rules)
            if thing and recipient:
                return rules.templates.delivery.format(object=thing, recipient=recipient)
    things = [o for o in objects if o.pos_ != "PRON" and o.tag_ not in ("NNP", "NNPS")]  # not "it", "Dana"
    if things:
        thing = _phrase(things[-1], rules)
        if thing:
            return rules.templates.plan.format(object=thing)
    return None
