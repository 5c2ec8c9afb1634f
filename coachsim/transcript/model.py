"""The ``coachsim.transcript/1`` format: plain JSON-ready data, equal after a round trip."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from coachsim.errors import DataFileError

SCHEMA = "coachsim.transcript/1"
Speaker = Literal["report", "manager"]


@dataclass
class TranscriptTurn:
    """One thing said. Manager turns carry the classifier's output and timing."""

    speaker: Speaker
    text: str
    at: str
    name: str | None = None
    beat: str | None = None
    move: str | None = None
    confidence: float | None = None
    uncertain: bool | None = None
    sentences: list[dict[str, Any]] | None = None
    cues: dict[str, Any] | None = None
    regression: bool | None = None
    telling_ok: bool | None = None
    typed_after_s: float | None = None
    sent_after_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Transcript:
    """A whole conversation: who said what, how it was labelled, and the summary."""

    scenario: str | None
    seed: int | None
    started_at: str
    ended_at: str | None = None
    status: Literal["unfinished", "finished"] = "unfinished"
    outcome: str | None = None
    ending: str | None = None
    turns: list[TranscriptTurn] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": SCHEMA}
        for key, value in asdict(self).items():
            if key == "turns":
                data["turns"] = [turn.to_dict() for turn in self.turns]
            elif value is not None or key in ("scenario", "outcome", "ended_at"):
                data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "transcript") -> Transcript:
        """Rebuild a transcript; a wrong schema or shape raises DataFileError naming ``source``."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise DataFileError(f"{source}: not a {SCHEMA} transcript (missing or different 'schema')")
        try:
            turns = [TranscriptTurn(**turn) for turn in data.get("turns", [])]
            fields = {k: v for k, v in data.items() if k not in ("schema", "turns")}
            return cls(turns=turns, **fields)
        except TypeError as error:
            raise DataFileError(f"{source}: transcript has an unexpected field or value ({error})") from None

    @property
    def manager_turns(self) -> list[TranscriptTurn]:
        return [t for t in self.turns if t.speaker == "manager"]
