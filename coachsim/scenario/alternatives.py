"""The alert after a regression or an advice question: one headline, one message, one question to try.

One function, :func:`alert_for`, decides whether a reply raises an alert and what it says; the live
practice alert, the scorecard and the report all use it (the last two through
:func:`conversation_alerts`), so the same reply always gets the same advice. The texts live in
``classifiers/suggestions.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coachsim import locations
from coachsim.classify.analysis import ReplyAnalysis, SentenceAnalysis
from coachsim.classify.moves import COACHING_HABIT_QUESTIONS
from coachsim.scenario.rephrase import RephraseRules, rephrase
from coachsim.scenario.session import Turn
from coachsim.transcript.model import Transcript, TranscriptTurn
from coachsim.yamlpos import read_model

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from coachsim.scenario.model import Scenario

Situation = Literal["advice_question", "telling", "telling_pull", "mentoring"]
HabitQuestion = Literal["kickstart", "awe", "focus", "foundation", "lazy", "strategic", "learning"]
#: What ``alert_for`` parses a sentence with: ``Classifier.nlp`` (any callable giving a spaCy Doc).
Parser = Callable[[str], "Doc"]


@dataclass
class BuiltQuestions:
    """Questions built from telling sentences elsewhere, by sentence: what a workshop participant's
    app has in place of a parser (the room's classifier service builds them with its own)."""

    questions: dict[str, str] = field(default_factory=dict)


#: How an alert's suggestion is built from the reply's own telling sentence: a parser, or
#: questions built already. Without one, a Coaching Habit question is offered.
Rephrasing = Parser | BuiltQuestions


# -- the data file ----------------------------------------------------------------------------------


class _Advice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    headline: str = Field(min_length=1)
    message: str = Field(min_length=1)
    ask: list[HabitQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _message_adds_to_the_headline(self) -> _Advice:
        headline, message = normalised(self.headline), normalised(self.message)
        if headline in message or message in headline:
            raise ValueError("the message repeats the headline; say something the headline does not")
        return self


class _Situations(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    advice_question: _Advice
    telling: _Advice
    telling_pull: _Advice
    mentoring: _Advice


class Suggestions(BaseModel):
    """``classifiers/suggestions.yaml``: the alert texts, fallback questions and rephrasing rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    situations: _Situations
    pull: list[str] = Field(min_length=1)
    rephrase: RephraseRules


@lru_cache(maxsize=4)
def load_suggestions(path: Path | None = None) -> Suggestions:
    """The suggestions file, validated; a problem is one ``file:line:column: field: message`` error."""
    return read_model(path or locations.classifiers_dir() / "suggestions.yaml", Suggestions)


# -- already asked? ---------------------------------------------------------------------------------


def normalised(text: str) -> str:
    """Lower-case words, straight apostrophes: "What's the challenge?" → "what's the challenge"."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'").replace("‘", "'")))


class AskedQuestions:
    """What the manager has already said in this conversation, sentence by sentence, normalised."""

    def __init__(self, replies: Sequence[str]) -> None:
        self._said = {
            normalised(part) for reply in replies for part in re.split(r"(?<=[.?!])\s+|\n", reply)
        } - {""}

    def __contains__(self, question: str) -> bool:
        """True if this question (or one inside it, or one containing it) was already asked."""
        asked = normalised(question)
        padded = f" {asked} "
        for said in self._said:
            if said == asked:
                return True
            shorter, longer = (f" {said} ", padded) if len(said) < len(asked) else (padded, f" {said} ")
            if len(shorter.split()) >= 2 and shorter in longer:
                return True
        return False


# -- the alert --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """What to show after a slip: ``headline`` (a few words, no full stop), ``message`` (what happened,
    never repeating the headline) and ``suggestion`` (a coaching question not yet asked in this
    conversation; None only if every question on file has been)."""

    situation: Situation
    headline: str
    message: str
    suggestion: str | None
    #: The suggestion was built from the manager's own telling sentence.
    rephrased: bool = False


def situation(analysis: ReplyAnalysis, pull: bool) -> Situation:
    """Which kind of slip this reply is."""
    if analysis.cues.get("advice_question"):
        return "advice_question"
    if analysis.move == "mentoring":
        return "mentoring"
    return "telling_pull" if pull else "telling"


@lru_cache(maxsize=512)
def _rephrased(nlp: Parser, text: str, rules: RephraseRules) -> str | None:
    for sentence in nlp(text).sents:
        question = rephrase(sentence, rules)
        if question:
            return question
    return None


def _question_from(nlp: Rephrasing, sentence: str, rules: RephraseRules) -> str | None:
    if isinstance(nlp, BuiltQuestions):
        return nlp.questions.get(sentence)
    return _rephrased(nlp, sentence, rules)


def questions_from(analysis: ReplyAnalysis, nlp: Parser) -> dict[str, str]:
    """The questions :func:`alert_for` could build from this reply's telling sentences, by
    sentence (for :class:`BuiltQuestions`)."""
    rules = load_suggestions().rephrase
    built = {}
    for sentence in _telling_sentences(analysis, advice_first=False):
        question = _rephrased(nlp, sentence.text, rules)
        if question:
            built[sentence.text] = question
    return built


def _telling_sentences(analysis: ReplyAnalysis, advice_first: bool) -> Iterator[SentenceAnalysis]:
    telling = [s for s in analysis.sentences if s.move == "telling" and s.decisive]
    if advice_first:
        telling.sort(key=lambda s: "advice_question" not in s.cues)
    yield from telling


def advice(
    analysis: ReplyAnalysis, pull: bool, asked: Sequence[str] = (), nlp: Rephrasing | None = None
) -> Alert:
    """The alert's texts for a telling, mentoring or advice-question reply, whether or not it raises one."""
    data = load_suggestions()
    name = situation(analysis, pull)
    texts: _Advice = getattr(data.situations, name)
    taken = AskedQuestions([*asked, analysis.text])
    if nlp is not None and name != "mentoring":
        for sentence in _telling_sentences(analysis, advice_first=name == "advice_question"):
            question = _question_from(nlp, sentence.text, data.rephrase)
            if question and question not in taken:
                return Alert(name, texts.headline, texts.message, question, rephrased=True)
    fallbacks = [*(data.pull if pull else []), *(COACHING_HABIT_QUESTIONS[q] for q in texts.ask)]
    fresh = next((q for q in fallbacks if q not in taken), None)
    return Alert(name, texts.headline, texts.message, fresh)


def alert_for(
    reply: Turn | TranscriptTurn | ReplyAnalysis,
    pull: bool | None = None,
    asked: Sequence[str] = (),
    *,
    nlp: Rephrasing | None = None,
    regression: bool | None = None,
    telling_ok: bool | None = None,
) -> Alert | None:
    """The alert this reply raises, or None.

    A reply raises one when it is a regression (telling or mentoring after coaching) or an advice
    question (unless the beat marks telling as right); an ``uncertain`` label never does. ``pull``: the
    beat pulled for the answer (default: the Turn's own flag, else False). ``asked``: the manager's
    replies in this conversation (the reply itself may be among them); the suggestion is none of them.
    ``nlp`` (``Classifier.nlp``) lets the suggestion be built from the reply's own telling sentence;
    without it a Coaching Habit question is offered. ``regression``/``telling_ok`` override the turn's.
    """
    if isinstance(reply, ReplyAnalysis):
        analysis: ReplyAnalysis | None = reply
        flags = (False, False, False)
    elif isinstance(reply, TranscriptTurn):
        analysis = ReplyAnalysis.from_dict(reply.text, reply.to_dict()) if reply.move else None
        flags = (bool(reply.regression), bool(reply.telling_ok), False)
    else:
        analysis = reply.reply
        flags = (reply.regression, reply.telling_ok, reply.pull)
    if analysis is None or analysis.uncertain:
        return None
    regressed = flags[0] if regression is None else regression
    telling_is_right = flags[1] if telling_ok is None else telling_ok
    if not regressed and not (analysis.cues.get("advice_question") and not telling_is_right):
        return None
    return advice(analysis, flags[2] if pull is None else pull, asked, nlp)


@dataclass(frozen=True)
class ReplyAlert:
    """An alert raised in a conversation: the manager's reply number (1-based), the turn, the alert."""

    number: int
    turn: TranscriptTurn
    alert: Alert


def beat_pulls(scenario: Scenario | None, beat: str | None) -> bool:
    """Whether the report was pulling for the answer at this beat (False when the scenario is unknown)."""
    return bool(scenario and beat in scenario.beats and scenario.beats[beat].pull)


def conversation_alerts(
    transcript: Transcript, scenario: Scenario | None = None, nlp: Rephrasing | None = None
) -> list[ReplyAlert]:
    """Every alert the conversation raised, as the practice screen raised them (for the scorecard and
    the report). ``scenario`` gives each beat's ``pull``; without it (an imported meeting) none pulls."""
    alerts = []
    asked: list[str] = []
    for number, turn in enumerate(transcript.manager_turns, start=1):
        asked.append(turn.text)
        alert = alert_for(turn, beat_pulls(scenario, turn.beat), asked, nlp=nlp)
        if alert is not None:
            alerts.append(ReplyAlert(number, turn, alert))
    return alerts


# -- the former interface ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """What happened and a question to try instead (use :class:`Alert` in new code)."""

    message: str
    suggestion: str


def suggest(analysis: ReplyAnalysis, pull: bool = False, used: tuple[str, ...] = ()) -> Alternative:
    """The alert's message and suggestion, without a headline or a parse (use :func:`alert_for`)."""
    alert = advice(analysis, pull, used)
    return Alternative(alert.message, alert.suggestion or "")
