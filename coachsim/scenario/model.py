"""A scenario as typed data, validated on load (see scenarios/AUTHORING.md for the format)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coachsim.classify.moves import COACHING_HABIT_QUESTIONS, CUES, Move
from coachsim.scenario.files import ID_PATTERN, MAX_ID_LENGTH


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Persona(_Strict):
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    background: str = ""
    mood: str = ""


class GoalTarget(_Strict):
    """Machine-checkable goal; every field optional."""

    min_coaching_share: float | None = Field(default=None, ge=0, le=1)
    max_telling: int | None = Field(default=None, ge=0)
    order: list[Move] | None = Field(default=None, min_length=2)


class Goal(_Strict):
    text: str = Field(min_length=1)
    target: GoalTarget = GoalTarget()


class When(_Strict):
    """Conditions on the manager's reply; all given ones must hold."""

    move: Move | list[Move] | None = None
    cue: str | dict[str, str] | None = None
    contains: list[str] | None = Field(default=None, min_length=1)

    @field_validator("cue")
    @classmethod
    def _known_cue(cls, cue: str | dict[str, str] | None) -> str | dict[str, str] | None:
        if isinstance(cue, str) and cue not in CUES:
            raise ValueError(f"unknown cue '{cue}'; known cues: {', '.join(CUES)}")
        if isinstance(cue, dict):
            if len(cue) != 1 or "coaching_habit_question" not in cue:
                raise ValueError("a cue mapping must be {coaching_habit_question: NAME}")
            value = cue["coaching_habit_question"]
            if value not in COACHING_HABIT_QUESTIONS:
                raise ValueError(
                    f"unknown Coaching Habit question '{value}'; one of {', '.join(COACHING_HABIT_QUESTIONS)}"
                )
        return cue

    @property
    def moves(self) -> tuple[str, ...]:
        if self.move is None:
            return ()
        return (self.move,) if isinstance(self.move, str) else tuple(self.move)

    @property
    def only_moves(self) -> bool:
        """True if the condition is on the move alone (so it covers those moves fully)."""
        return self.move is not None and self.cue is None and self.contains is None


class Transition(_Strict):
    when: When | None = None
    go: str = Field(min_length=1)


class Beat(_Strict):
    """Something the report says, and where the conversation goes next (or an ending)."""

    says: list[str] = Field(default_factory=list)
    pull: bool = False
    #: Pressure mode: what the report says, in turn, each time the clock runs out on this beat.
    pressed: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    telling_ok: bool = False
    ending: bool = False
    outcome: str | None = None
    next: list[Transition] = Field(default_factory=list)

    @field_validator("says", "pressed", mode="before")
    @classmethod
    def _one_line_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _shape(self) -> Beat:
        if self.ending:
            if not self.outcome:
                raise ValueError("an ending beat needs an `outcome`")
            if self.next:
                raise ValueError("an ending beat has no `next`")
            if self.pressed:
                raise ValueError("an ending beat has no `pressed` lines: the conversation is over")
        else:
            if not self.says:
                raise ValueError("a beat needs at least one line in `says`")
            if not self.next:
                raise ValueError("a beat that is not an ending needs `next` transitions")
        return self


class ExampleRun(_Strict):
    replies: list[str] = Field(min_length=1)
    ending: str


class Scenario(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    difficulty: int = Field(ge=1, le=3)
    tags: list[str] = Field(default_factory=list)
    persona: Persona
    brief: str = Field(min_length=1)
    goal: Goal
    max_turns: int = Field(ge=1, le=100)
    #: Pressure mode's seconds per reply (default: by difficulty, see scenarios/pressure/).
    pressure_seconds: int | None = Field(default=None, ge=5, le=600)
    on_max_turns: str
    start: str
    beats: dict[str, Beat] = Field(min_length=2)
    examples: dict[str, ExampleRun] = Field(default_factory=dict)

    @property
    def endings(self) -> dict[str, Beat]:
        return {name: beat for name, beat in self.beats.items() if beat.ending}
