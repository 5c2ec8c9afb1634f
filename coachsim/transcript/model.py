"""The ``coachsim.transcript/1`` format: plain JSON-ready data, equal after a round trip.

Loading validates every field against pydantic models of the file (the in-memory dataclasses stay
plain); a problem raises one DataFileError naming the file, the turn and the field. A stored summary
that is malformed or disagrees with the turns is recomputed from them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coachsim.classify.moves import MOVES, Move
from coachsim.errors import CoachsimError, DataFileError

SCHEMA = "coachsim.transcript/1"
Speaker = Literal["report", "manager"]
HABIT_CUE = "coaching_habit_question"
#: The longest comment a dispute may carry.
MAX_COMMENT_CHARS = 2_000


class InvalidDispute(CoachsimError):
    """A dispute about a reply that is not there, not labelled yet, or with a move that is not one."""


@dataclass(frozen=True)
class Dispute:
    """The manager says "I meant <move>" about a labelled reply. Scores keep the classifier's label;
    the dispute is shown beside it and is gold for ``coachsim eval --disputes``."""

    move: Move
    comment: str | None
    at: str


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
    dispute: Dispute | None = None
    start_s: float | None = None
    end_s: float | None = None

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
    def from_dict(cls, data: Any, source: str = "transcript") -> Transcript:
        """Rebuild and validate a transcript; a wrong schema, shape, type or value raises a one-line
        DataFileError naming ``source`` (and the turn and field)."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise DataFileError(f"{source}: not a {SCHEMA} transcript (missing or different 'schema')")
        try:
            model = _TranscriptFile.model_validate({k: v for k, v in data.items() if k != "schema"})
        except ValidationError as error:
            raise DataFileError(f"{source}: {describe(error)}") from None
        transcript = cls(
            scenario=model.scenario,
            seed=model.seed,
            started_at=model.started_at,
            ended_at=model.ended_at,
            status=model.status,
            outcome=model.outcome,
            ending=model.ending,
            turns=[_turn(turn) for turn in model.turns],
            source=model.source,
        )
        transcript.summary = _trusted_summary(model.summary, transcript)
        return transcript

    @property
    def manager_turns(self) -> list[TranscriptTurn]:
        return [t for t in self.turns if t.speaker == "manager"]

    def dispute(self, reply_number: int, move: str, comment: str | None, at: str) -> Dispute | None:
        """Record on the ``reply_number``-th manager turn (1-based) that the manager meant ``move``;
        a new dispute replaces an earlier one, and "I meant" the label itself withdraws it (returns
        None). Raises InvalidDispute (one line) when the reply is not there or not labelled, or the
        move is not one of the four."""
        replies = self.manager_turns
        if not 1 <= reply_number <= len(replies):
            count = f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}"
            raise InvalidDispute(f"there is no reply {reply_number}: this conversation has {count}")
        meant = move.strip().lower()
        if meant not in MOVES:
            raise InvalidDispute(f"'{move}' is not a move; say one of {', '.join(MOVES)}")
        turn = replies[reply_number - 1]
        if turn.move is None:
            raise InvalidDispute(f"reply {reply_number} has no label yet; dispute it once it is labelled")
        if meant == turn.move:
            turn.dispute = None
            return None
        note = comment.strip() if comment else ""
        if len(note) > MAX_COMMENT_CHARS:
            raise InvalidDispute(
                f"the comment is {len(note):,} characters, over the {MAX_COMMENT_CHARS:,} limit; shorten it"
            )
        turn.dispute = Dispute(move=meant, comment=note or None, at=at)
        return turn.dispute


def _turn(model: _Turn) -> TranscriptTurn:
    fields = model.model_dump(exclude_unset=True)
    if model.dispute is not None:
        fields["dispute"] = Dispute(model.dispute.move, model.dispute.comment, model.dispute.at)
    return TranscriptTurn(**fields)


# -- the file's shape, for validation -------------------------------------------------------------

_STRICT = ConfigDict(strict=True, extra="forbid")


class _Evidence(BaseModel):
    model_config = _STRICT
    rule: str
    move: Move | None
    cue: str | None
    weight: float
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    value: str | None = None
    generic: bool = False


class _Sentence(BaseModel):
    model_config = _STRICT
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    move: Move
    confidence: float = Field(ge=0, le=1)
    decisive: bool = True
    evidence: list[_Evidence] = []


class _Dispute(BaseModel):
    model_config = _STRICT
    move: Move
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)
    at: str

    @field_validator("at")
    @classmethod
    def _iso_time(cls, at: str) -> str:
        try:
            datetime.fromisoformat(at)
        except ValueError:
            raise ValueError(f"should be an ISO date and time, not {_show(at)}") from None
        return at


class _Turn(BaseModel):
    model_config = _STRICT
    speaker: Speaker
    text: str
    at: str
    name: str | None = None
    beat: str | None = None
    move: Move | None = None
    confidence: float | None = Field(None, ge=0, le=1)
    uncertain: bool | None = None
    sentences: list[_Sentence] | None = None
    cues: dict[str, Any] | None = None
    regression: bool | None = None
    telling_ok: bool | None = None
    typed_after_s: float | None = None
    sent_after_s: float | None = None
    dispute: _Dispute | None = None
    start_s: float | None = Field(None, ge=0)
    end_s: float | None = Field(None, ge=0)

    @field_validator("cues")
    @classmethod
    def _cue_values(cls, cues: dict[str, Any] | None) -> dict[str, Any] | None:
        for name, value in (cues or {}).items():
            allowed = (str, type(None)) if name == HABIT_CUE else (bool, type(None))
            if not isinstance(value, allowed):
                kind = "a question name or null" if name == HABIT_CUE else "true, false or null"
                raise ValueError(f"cue {name!r} should be {kind}, not {_show(value)}")
        return cues

    @model_validator(mode="after")
    def _labelled_turns_have_a_confidence(self) -> _Turn:
        if self.start_s is not None and self.end_s is not None and self.end_s < self.start_s:
            raise ValueError(f"end_s {self.end_s} is before start_s {self.start_s}")
        if self.move is not None and self.confidence is None:
            raise ValueError(f"move {self.move!r} has no confidence")
        if self.dispute is not None and (self.speaker != "manager" or self.move is None):
            raise ValueError("only a labelled manager turn can carry a dispute")
        return self


class _TranscriptFile(BaseModel):
    model_config = _STRICT
    scenario: str | None = None
    seed: int | None = None
    started_at: str
    ended_at: str | None = None
    status: Literal["unfinished", "finished"] = "unfinished"
    outcome: str | None = None
    ending: str | None = None
    turns: list[_Turn] = []
    summary: Any = None  # checked on its own: a bad summary is recomputed, not fatal
    source: str | None = None


class _Summary(BaseModel):
    """What a session or an import stores as the summary (every field optional: older files)."""

    model_config = _STRICT
    replies: int = Field(0, ge=0)
    counts: dict[Move, Annotated[int, Field(ge=0)]] = {}
    shares: dict[Move, float] = {}
    regressions: list[int] = []
    turns_to_first_telling: int | None = Field(None, ge=1)
    coaching_habit_questions: list[str] = []
    talk_ratio: float | None = Field(None, ge=0)
    manager_words: int = Field(0, ge=0)
    report_words: int = Field(0, ge=0)
    median_pause_s: float | None = None
    coaching_streak: int = Field(0, ge=0)
    goal_met: bool | None = None
    goal_reason: str = ""
    verdict: str = ""


def _trusted_summary(stored: Any, transcript: Transcript) -> dict[str, Any]:
    """The stored summary if it is well-formed and agrees with the turns, else one recomputed."""
    if stored is None or stored == {}:
        return {}
    try:
        summary = _Summary.model_validate(stored)
    except ValidationError:
        summary = None
    if summary is not None:
        labelled = [t.move for t in transcript.manager_turns if t.move]
        if all(summary.counts.get(m, 0) == labelled.count(m) for m in MOVES) and all(
            1 <= n <= len(labelled) for n in summary.regressions
        ):
            return dict(stored)
    from coachsim.scenario.scoring import score_transcript  # deferred: scoring imports this module

    return score_transcript(transcript).to_dict()


# -- one located line per validation problem --------------------------------------------------------

_ITEM_NAMES = {"turns": "turn", "sentences": "sentence", "evidence": "evidence"}


def _show(value: Any) -> str:
    """A value as it appears in the JSON file, cut short."""
    shown = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=True, default=repr)
    return shown if len(shown) <= 40 else shown[:37] + "…"


def _where(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """("turns", 2, "move") → ("turn 3: ", "move")."""
    places: list[str] = []
    names: list[str] = []
    for position, part in enumerate(loc):
        previous = loc[position - 1] if position else None
        if previous in _ITEM_NAMES and (isinstance(part, int) or part.isdigit()):
            names.pop()  # "turns", 2 → "turn 3"; a sidecar's "turns", "3" → "turn 3"
            places.append(f"{_ITEM_NAMES[str(previous)]} {part + 1 if isinstance(part, int) else part}")
        elif part != "[key]":
            names.append(str(part))
    return "".join(f"{p}: " for p in places), ".".join(names)


def describe(error: ValidationError) -> str:
    """The first problem of a pydantic ValidationError as "turn 3: move 'x' is not one of …"."""
    problems = error.errors(include_url=False)
    first = problems[0]
    place, name = _where(tuple(first["loc"]))
    kind, value = first["type"], first.get("input")
    if kind == "missing":
        text = f"{name} is missing"
    elif kind == "extra_forbidden":
        text = f"unexpected field {name!r}"
    elif kind == "literal_error":
        expected = str((first.get("ctx") or {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        text = f"{name} {_show(value)} is not one of {expected}"
    elif kind == "value_error":
        text = str(first["msg"]).removeprefix("Value error, ")
        text = f"{name}: {text}" if name else text
    elif kind in ("model_type", "dict_type"):
        text = f"{name} should be a JSON object, not {_show(value)}".lstrip()
    else:
        text = f"{name} {str(first['msg']).removeprefix('Input ')}, not {_show(value)}".lstrip()
    more = len(problems) - 1
    return place + text + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
