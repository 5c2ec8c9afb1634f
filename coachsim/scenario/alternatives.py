"""A coaching alternative to offer after a regression, from ``classifiers/alternatives.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coachsim import locations
from coachsim.classify.analysis import ReplyAnalysis
from coachsim.errors import DataFileError
from coachsim.yamlpos import read_located


class _Advice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str
    try_: list[str] = Field(alias="try", min_length=1)


@dataclass(frozen=True)
class Alternative:
    """What happened ("You moved from asking to telling.") and a question to try instead."""

    message: str
    suggestion: str


@lru_cache(maxsize=4)
def load_alternatives(path: Path | None = None) -> dict[str, _Advice]:
    located = read_located(path or locations.classifiers_dir() / "alternatives.yaml")
    if not isinstance(located.data, dict):
        raise DataFileError(f"{located.where(())}: alternatives are a mapping of situations")
    result = {}
    for name, value in located.data.items():
        try:
            result[name] = _Advice.model_validate(value)
        except ValidationError as error:
            first = error.errors()[0]
            loc = (name, *first["loc"])
            raise DataFileError(f"{located.where(loc)}: {'.'.join(map(str, loc))}: {first['msg']}") from None
    return result


def situation(analysis: ReplyAnalysis, pull: bool) -> str:
    """Which kind of slip this reply is."""
    if analysis.cues.get("advice_question"):
        return "advice_question"
    if analysis.move == "mentoring":
        return "mentoring"
    return "telling_pull" if pull else "telling"


def suggest(analysis: ReplyAnalysis, pull: bool = False, used: tuple[str, ...] = ()) -> Alternative:
    """The message and the first suggested question not already asked in this conversation."""
    advice = load_alternatives()[situation(analysis, pull)]
    asked = {u.strip().lower() for u in used}
    fresh = [q for q in advice.try_ if q.lower() not in asked]
    return Alternative(advice.message, (fresh or advice.try_)[0])
