"""The ``coachsim.transcript/1`` format: one typed definition, used in memory and to validate files.

:class:`Transcript`, :class:`TranscriptTurn` and :class:`Dispute` are pydantic dataclasses: built in
code they are checked as they are made, and :meth:`Transcript.from_dict` validates a file into the
same classes, so a bad file is one DataFileError naming the file, the JSON path and the problem.
Attributes may be reassigned freely (sessions relabel turns). The summary is computed from the
turns on every read; only the scenario's goal is kept from the file (see ``summary.py``).
"""

from __future__ import annotations

from dataclasses import field, fields
from datetime import datetime
from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, Strict, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic.dataclasses import dataclass
from typing_extensions import TypedDict

from coachsim.classify.moves import MOVES, Move
from coachsim.errors import CoachsimError, DataFileError
from coachsim.transcript.problems import check_schema, describe, shown
from coachsim.transcript.summary import Goal, Scores, goal_of, score_turns, stored_goal

SCHEMA = "coachsim.transcript/1"
Speaker = Literal["report", "manager"]
HABIT_CUE = "coaching_habit_question"
#: The longest comment a dispute may carry.
MAX_COMMENT_CHARS = 2_000

#: Unknown fields are refused; each field's own type is exact (Strict): "5" is not a number.
_CONFIG = ConfigDict(extra="forbid")
Text = Annotated[str, Strict()]
Number = Annotated[float, Strict()]
Flag = Annotated[bool, Strict()]
Offset = Annotated[int, Strict(), Field(ge=0)]
Share = Annotated[float, Strict(), Field(ge=0, le=1)]
Seconds = Annotated[float, Strict(), Field(ge=0)]


class InvalidDispute(CoachsimError):
    """A dispute about a reply that is not there, not labelled yet, or with a move that is not one."""


class Evidence(TypedDict):
    """One rule that fired on a sentence (``ReplyAnalysis.to_dict()`` shape)."""

    __pydantic_config__ = _CONFIG  # type: ignore[misc]
    rule: Text
    move: Move | None
    cue: Text | None
    weight: Number
    text: Text
    start: Offset
    end: Offset
    value: NotRequired[Text | None]
    generic: NotRequired[Flag]


class Sentence(TypedDict):
    """One sentence of a labelled reply, its move and the evidence for it."""

    __pydantic_config__ = _CONFIG  # type: ignore[misc]
    text: Text
    start: Offset
    end: Offset
    move: Move
    confidence: Share
    decisive: NotRequired[Flag]
    evidence: NotRequired[list[Evidence]]


@dataclass(frozen=True, config=_CONFIG)
class Dispute:
    """The manager says "I meant <move>" about a labelled reply. Scores keep the classifier's label;
    the dispute is shown beside it and is gold for ``coachsim eval --disputes``."""

    move: Move
    comment: Annotated[Text | None, Field(max_length=MAX_COMMENT_CHARS)]
    at: Text

    @model_validator(mode="before")
    @classmethod
    def _comment_may_be_left_out(cls, data: Any) -> Any:
        return {"comment": None, **data} if isinstance(data, dict) else data

    @field_validator("at")
    @classmethod
    def _iso_time(cls, at: str) -> str:
        try:
            datetime.fromisoformat(at)
        except ValueError:
            raise ValueError(f"should be an ISO date and time, not {shown(at)}") from None
        return at

    def to_dict(self) -> dict[str, Any]:
        return {"move": self.move, "comment": self.comment, "at": self.at}


def _copy(value: Any) -> Any:
    """A copy of JSON-shaped data (lists and dicts), much cheaper than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@dataclass(config=_CONFIG)
class TranscriptTurn:
    """One thing said. Manager turns carry the classifier's output and timing; ``start_s``/``end_s``
    are seconds from the start of an imported recording."""

    speaker: Speaker
    text: Text
    at: Text
    name: Text | None = None
    beat: Text | None = None
    move: Move | None = None
    confidence: Share | None = None
    uncertain: Flag | None = None
    sentences: list[Sentence] | None = None
    cues: dict[Text, Any] | None = None
    regression: Flag | None = None
    telling_ok: Flag | None = None
    typed_after_s: Number | None = None
    sent_after_s: Number | None = None
    dispute: Dispute | None = None
    start_s: Seconds | None = None
    end_s: Seconds | None = None
    #: Pressure mode: a report line said because the clock ran out on the manager.
    pressed: Flag | None = None
    #: Pressure mode: a manager reply sent by the clock running out (what was typed by then).
    timed_out: Flag | None = None

    @field_validator("cues")
    @classmethod
    def _cue_values(cls, cues: dict[str, Any] | None) -> dict[str, Any] | None:
        for name, value in (cues or {}).items():
            allowed = (str, type(None)) if name == HABIT_CUE else (bool, type(None))
            if not isinstance(value, allowed):
                kind = "a question name or null" if name == HABIT_CUE else "true, false or null"
                raise ValueError(f"cue {name!r} should be {kind}, not {shown(value)}")
        return cues

    @model_validator(mode="after")
    def _consistent(self) -> TranscriptTurn:
        if self.start_s is not None and self.end_s is not None and self.end_s < self.start_s:
            raise ValueError(f"end_s {self.end_s} is before start_s {self.start_s}")
        if self.move is not None and self.confidence is None:
            raise ValueError(f"move {self.move!r} has no confidence")
        if self.dispute is not None and (self.speaker != "manager" or self.move is None):
            raise ValueError("only a labelled manager turn can carry a dispute")
        if self.pressed and self.speaker != "report":
            raise ValueError("only a report turn can be pressed")
        if self.timed_out and self.speaker != "manager":
            raise ValueError("only a manager turn can be timed_out")
        return self

    def to_dict(self) -> dict[str, Any]:
        """The turn as stored: every field that is set, as a fresh JSON-ready dict."""
        data: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value is not None:
                data[spec.name] = value.to_dict() if isinstance(value, Dispute) else _copy(value)
        return data


@dataclass(config=_CONFIG)
class Transcript:
    """A whole conversation: who said what and how it was labelled. ``goal`` is the scenario's
    judgement (None for imports); :attr:`summary` is computed from the turns."""

    scenario: Text | None
    seed: Annotated[int, Strict()] | None
    started_at: Text
    ended_at: Text | None = None
    status: Literal["unfinished", "finished"] = "unfinished"
    outcome: Text | None = None
    ending: Text | None = None
    turns: list[TranscriptTurn] = field(default_factory=list)
    source: Text | None = None
    goal: Goal | None = None
    #: Pressure mode's seconds per reply, when the session was played under pressure.
    pressure_s: Annotated[int, Strict(), Field(ge=1)] | None = None

    @property
    def scores(self) -> Scores:
        """The move mix, regressions and talk ratio of the turns as they are now."""
        return score_turns(self.turns)

    @property
    def summary(self) -> dict[str, Any]:
        """The scores of the turns as they are now, and the goal when there is one (JSON-ready)."""
        summary = self.scores.to_dict()
        return {**summary, **self.goal.to_summary()} if self.goal is not None else summary

    @summary.setter
    def summary(self, summary: dict[str, Any]) -> None:
        """Keep the goal of a summary a session computed; its scores are always recomputed."""
        self.goal = goal_of(summary)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": SCHEMA}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name == "turns":
                data["turns"] = [turn.to_dict() for turn in self.turns]
                data["summary"] = self.summary
            elif spec.name != "goal" and (
                value is not None or spec.name in ("scenario", "outcome", "ended_at")
            ):
                data[spec.name] = value
        return data

    @classmethod
    def from_dict(cls, data: Any, source: str = "transcript") -> Transcript:
        """Rebuild and validate a transcript; a wrong schema, shape, type or value raises a one-line
        DataFileError naming ``source`` and the JSON path (``turns[3].move``)."""
        check_schema(data, SCHEMA, source, "transcript")
        stored = {k: v for k, v in data.items() if k not in ("schema", "summary")}
        if "goal" in stored:  # the goal lives in the summary, as sessions write it
            raise DataFileError(f"{source}: goal: unexpected field; remove it")
        try:
            transcript = _FILE.validate_python({"scenario": None, "seed": None, **stored})
        except ValidationError as error:
            raise DataFileError(f"{source}: {describe(error)}") from None
        transcript.goal = stored_goal(data.get("summary"), transcript.scores)
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


_FILE = TypeAdapter(Transcript)
