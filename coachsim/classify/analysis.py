"""What the classifier returns: a reply's move, its sentences and the evidence behind them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from coachsim.classify.moves import CUES, Move


@dataclass(frozen=True, slots=True)
class Evidence:
    """One rule that fired: its id, what it supports, and the span it matched."""

    rule: str
    move: Move | None
    cue: str | None
    weight: float
    text: str
    start: int
    end: int
    value: str | None = None
    generic: bool = False


@dataclass(frozen=True, slots=True)
class SentenceAnalysis:
    """One sentence of a reply with its own move. ``decisive`` is False for sentences whose
    evidence was too weak to take part in the reply's precedence (e.g. "Okay.")."""

    text: str
    start: int
    end: int
    move: Move
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    decisive: bool = True

    @property
    def cues(self) -> set[str]:
        return {e.cue for e in self.evidence if e.cue}


@dataclass(frozen=True)
class ReplyAnalysis:
    """The classifier's verdict on one manager reply."""

    text: str
    move: Move
    confidence: float
    sentences: tuple[SentenceAnalysis, ...]
    cues: dict[str, Any] = field(default_factory=dict)
    #: The evidence is weak or conflicting: show the label as a guess, raise no alert on it alone.
    uncertain: bool = False

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(e for s in self.sentences for e in s.evidence)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as written by ``coachsim classify --jsonl`` and in transcripts."""
        return {
            "move": self.move,
            "confidence": self.confidence,
            "uncertain": self.uncertain,
            "sentences": [
                {
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                    "move": s.move,
                    "confidence": s.confidence,
                    "decisive": s.decisive,
                    "evidence": [asdict(e) for e in s.evidence],
                }
                for s in self.sentences
            ],
            "cues": dict(self.cues),
        }

    @classmethod
    def from_dict(cls, text: str, data: dict[str, Any]) -> ReplyAnalysis:
        """Rebuild an analysis saved with :meth:`to_dict` (transcripts keep it per turn)."""
        sentences = tuple(
            SentenceAnalysis(
                text=s["text"],
                start=s["start"],
                end=s["end"],
                move=s["move"],
                confidence=s["confidence"],
                decisive=s.get("decisive", True),
                evidence=tuple(Evidence(**e) for e in s.get("evidence", [])),
            )
            for s in data.get("sentences", [])
        )
        return cls(
            text=text,
            move=data["move"],
            confidence=data["confidence"],
            sentences=sentences,
            cues=dict(data.get("cues", {})),
            uncertain=bool(data.get("uncertain", False)),
        )


def cue_names(cues: Mapping[str, Any] | None) -> list[str]:
    """The cues that fired in ``cue_flags`` output, sorted, with the Coaching Habit question as
    ``coaching_habit_question:<name>`` (as reports and archive rows show them)."""
    cues = cues or {}
    names = sorted(k for k, v in cues.items() if v is True)
    if cues.get("coaching_habit_question"):
        names.append(f"coaching_habit_question:{cues['coaching_habit_question']}")
    return names


def cue_flags(evidence: tuple[Evidence, ...]) -> dict[str, Any]:
    """Every known cue as a flag; ``coaching_habit_question`` names the question or is None."""
    flags: dict[str, Any] = {cue: False for cue in CUES}
    flags["coaching_habit_question"] = None
    for item in evidence:
        if item.cue == "coaching_habit_question":
            flags["coaching_habit_question"] = flags["coaching_habit_question"] or item.value
        elif item.cue:
            flags[item.cue] = True
    return flags
