"""From evidence to moves: a sentence's move by weights, a reply's by docs/labels.md precedence.

Within a sentence each move scores the summed weight of the rules supporting
it (each rule counted once). A move that reaches ``strong`` is *present*; the
sentence takes the first present move in precedence order, because "that
sounds hard, have you tried X?" has slipped into telling however warm its
opening. A sentence with only weak evidence is labelled by its best score but
does not decide the reply unless no sentence is decisive. A sentence with no
evidence gets a fallback chosen from its shape, recorded as evidence too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coachsim.classify.analysis import Evidence, SentenceAnalysis
from coachsim.classify.grammar import ClauseProfile
from coachsim.classify.moves import PRECEDENCE, Move
from coachsim.yamlpos import read_model


class Fallback(BaseModel):
    """What a sentence with no firing rule is taken to be."""

    model_config = ConfigDict(extra="forbid")
    id: str
    move: Move
    weight: float = Field(ge=0)
    description: str


class ProfileCondition(BaseModel):
    """Which statements a grammar fallback applies to (every field given must hold)."""

    model_config = ConfigDict(extra="forbid")
    person: list[Literal["you", "your", "i", "we", "other", "none"]] | None = None
    tense: list[Literal["past", "future", "modal", "present"]] | None = None
    evaluative: bool | None = None
    feeling: bool | None = None
    mentions_you: bool | None = None
    mentions_me: bool | None = None

    def holds(self, profile: ClauseProfile) -> bool:
        for name in ("person", "tense"):
            allowed = getattr(self, name)
            if allowed is not None and getattr(profile, name) not in allowed:
                return False
        for name in ("evaluative", "feeling", "mentions_you", "mentions_me"):
            wanted = getattr(self, name)
            if wanted is not None and getattr(profile, name) != wanted:
                return False
        return True


class GrammarFallback(Fallback):
    """A statement no rule recognised, decided by what its main clause is about."""

    when: ProfileCondition
    #: Whether the sentence then takes part in the reply's precedence like a rule-decided one.
    decisive: bool = False


class DecisionConfig(BaseModel):
    """Thresholds and fallbacks from ``classifiers/decision.yaml``."""

    model_config = ConfigDict(extra="forbid")
    strong: float = Field(gt=0)
    max_acknowledgement_words: int = Field(ge=0)
    question: Fallback
    acknowledgement: Fallback
    #: Tried in order for a statement; the first whose ``when`` holds decides.
    statements: list[GrammarFallback] = Field(default_factory=list)
    statement: Fallback


def load_decision_config(path: Path) -> DecisionConfig:
    return read_model(path, DecisionConfig)


@dataclass(frozen=True)
class SentenceShape:
    """What the fallback needs to know about a sentence with no evidence."""

    is_question: bool
    words: int
    profile: ClauseProfile | None = None


def _confidence(winner: float, total: float) -> float:
    return round((winner + 1.0) / (total + 2.0), 3)


def decide_sentence(
    text: str,
    start: int,
    end: int,
    evidence: list[Evidence],
    shape: Callable[[], SentenceShape],
    config: DecisionConfig,
) -> SentenceAnalysis:
    """Label one sentence from its surviving evidence (see module docstring); ``shape`` is
    asked for only when no evidence decides the sentence."""
    scores: dict[Move, float] = defaultdict(float)
    counted: set[str] = set()
    for item in evidence:
        if item.move and item.rule not in counted:
            counted.add(item.rule)
            scores[item.move] += item.weight
    total = sum(scores.values())
    present = [m for m in PRECEDENCE if scores[m] >= config.strong]
    specific = {m for m in present if any(e.move == m and not e.generic for e in evidence)}
    if specific:
        # Generic cues give way: a move that only broad rules support is not present when
        # another move has specific strong evidence in the same sentence.
        present = [m for m in present if m in specific]
    if present:
        move = present[0]
        return SentenceAnalysis(text, start, end, move, _confidence(scores[move], total), tuple(evidence))
    if total > 0:
        move = max(PRECEDENCE, key=lambda m: (scores[m], -PRECEDENCE.index(m)))
        return SentenceAnalysis(
            text,
            start,
            end,
            move,
            _confidence(scores[move], total + 1),
            tuple(evidence),
            decisive=False,
        )
    form = shape()
    fallback: Fallback
    decisive = False
    if form.is_question:
        fallback = config.question
    elif form.words <= config.max_acknowledgement_words:
        fallback = config.acknowledgement
    else:
        fallback = config.statement
        for candidate in config.statements:
            if form.profile is not None and candidate.when.holds(form.profile):
                fallback, decisive = candidate, candidate.decisive
                break
    cue = "acknowledgement" if fallback is config.acknowledgement else None
    marker = Evidence(fallback.id, fallback.move, cue, fallback.weight, text, start, end)
    return SentenceAnalysis(
        text, start, end, fallback.move, _confidence(0, 1), (*evidence, marker), decisive=decisive
    )


def decide_reply(sentences: list[SentenceAnalysis]) -> tuple[Move, float]:
    """The reply's move: precedence over decisive sentences, else over weak ones by weight."""
    decisive = [s for s in sentences if s.decisive]
    if decisive:
        move = next(m for m in PRECEDENCE if any(s.move == m for s in decisive))
        confidence = max(s.confidence for s in decisive if s.move == move)
        return move, confidence
    # Listening noises, courtesies and agenda talk ("Okay.", "Thanks for coming in.", "Let's
    # step back.") give way to any sentence with content; they decide only a reply of nothing else.
    substantive = [s for s in sentences if not _only_acknowledges(s)] or sentences
    scores: dict[Move, float] = defaultdict(float)
    for sentence in substantive:
        for item in sentence.evidence:
            if item.move:
                scores[item.move] += item.weight
    move = max(PRECEDENCE, key=lambda m: (scores[m], -PRECEDENCE.index(m)))
    confidence = max((s.confidence for s in substantive if s.move == move), default=0.3)
    return move, min(confidence, 0.6)


#: Cues of sentences that carry no move of their own: listening noises, courtesies, agenda talk.
MINOR_CUES = frozenset({"acknowledgement", "agenda"})


def _only_acknowledges(sentence: SentenceAnalysis) -> bool:
    return bool(sentence.evidence) and all(e.cue in MINOR_CUES for e in sentence.evidence)
