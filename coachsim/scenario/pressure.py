"""Pressure mode: a clock on every reply, and the other person pushing when it runs out.

``coachsim play ID --pressure [SECONDS]`` and ``coachsim drill --pressure`` give each reply a time
limit: the seconds asked for, else the scenario's ``pressure_seconds``, else a default by difficulty
(``scenarios/pressure/pressure.yaml``). When the clock reaches zero with nothing typed, the other
person pushes: the beat's own ``pressed:`` lines if it has any, else a push from the shared file,
which on a pull beat also repeats the beat's line. What is typed when the clock runs out is sent as
it is, never lost. Pure logic: the screens own the timers, this module the rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from coachsim import locations
from coachsim.errors import CoachsimError, DataFileError
from coachsim.scenario.model import Beat, Scenario

#: The shortest and longest time limit a reply may be given.
MIN_SECONDS = 5
MAX_SECONDS = 600
FILE_NAME = "pressure.yaml"


class PressureSettings(BaseModel):
    """The shared pressure file: default seconds per difficulty, and the pushes by insistence."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    seconds_by_difficulty: dict[int, int] = Field(min_length=1)
    pushes: list[Annotated[list[str], Field(min_length=1)]] = Field(min_length=1)

    def seconds_for(self, difficulty: int) -> int:
        """The default for ``difficulty`` (the nearest difficulty the file has)."""
        nearest = min(self.seconds_by_difficulty, key=lambda level: abs(level - difficulty))
        return self.seconds_by_difficulty[nearest]


def settings_path() -> Path:
    return locations.builtin_scenarios_dir() / "pressure" / FILE_NAME


@cache
def load_settings(path: Path | None = None) -> PressureSettings:
    """The pressure file (read once); raises DataFileError naming the file, line and problem."""
    from coachsim.yamlpos import read_model  # deferred: only pressure mode needs it

    where = path or settings_path()
    settings = read_model(where, PressureSettings)
    if any(not all(line.strip() for line in lines) for lines in settings.pushes):
        raise DataFileError(f"{where}: pushes: a push line is empty; fix the file")
    return settings


def check_seconds(seconds: int) -> int:
    """``seconds`` if it is a usable time limit, else a one-line CoachsimError."""
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise CoachsimError(
            f"--pressure {seconds}: a reply's time limit must be {MIN_SECONDS} to {MAX_SECONDS} seconds"
        )
    return seconds


def seconds_for(scenario: Scenario | None, asked: int | None = None) -> int:
    """The time limit per reply: ``asked`` (checked), else the scenario's ``pressure_seconds``,
    else the default for its difficulty (difficulty 2 when there is no scenario)."""
    if asked:
        return check_seconds(asked)
    if scenario is not None and scenario.pressure_seconds is not None:
        return scenario.pressure_seconds
    return load_settings().seconds_for(scenario.difficulty if scenario is not None else 2)


def push_line(
    beat: Beat | None,
    times: int,
    seed: str,
    repeat: str | None = None,
    settings: PressureSettings | None = None,
) -> str:
    """What the other person says the ``times``-th time (1-based) the clock runs out on ``beat``.

    The beat's ``pressed:`` lines come first, in order, the last one repeating. Otherwise a push
    from the shared file, more insistent each time; the first push on a pull beat also repeats
    ``repeat`` (the line the beat said), so the pull comes back. ``seed`` picks among variants, so
    a conversation replays the same."""
    if times < 1:
        raise ValueError("times counts from 1")
    if beat is not None and beat.pressed:
        return beat.pressed[min(times, len(beat.pressed)) - 1]
    pushes = (settings or load_settings()).pushes
    push = random.Random(f"{seed}:{times}").choice(pushes[min(times, len(pushes)) - 1])
    if times == 1 and repeat and (beat is None or beat.pull):
        return f"{push} {repeat}"
    return push


@dataclass
class ReplyClock:
    """The countdown of one reply: started when the other person's line is shown, paused while a
    dialog covers the screen or the reply is being labelled. ``clock`` is seconds (monotonic)."""

    seconds: float
    clock: Callable[[], float]
    deadline: float | None = None
    paused_at: float | None = None

    def start(self) -> None:
        self.deadline = self.clock() + self.seconds
        self.paused_at = None

    def stop(self) -> None:
        self.deadline = self.paused_at = None

    @property
    def running(self) -> bool:
        return self.deadline is not None and self.paused_at is None

    def pause(self) -> None:
        if self.running:
            self.paused_at = self.clock()

    def resume(self) -> None:
        if self.deadline is not None and self.paused_at is not None:
            self.deadline += self.clock() - self.paused_at
            self.paused_at = None

    def remaining(self) -> float | None:
        """Seconds left (0 once it has run out), or None when stopped."""
        if self.deadline is None:
            return None
        now = self.paused_at if self.paused_at is not None else self.clock()
        return max(self.deadline - now, 0.0)

    @property
    def expired(self) -> bool:
        return self.running and self.remaining() == 0.0
