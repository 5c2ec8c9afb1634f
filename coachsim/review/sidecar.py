"""The review sidecar: a coach's relabels and comments, saved next to the conversation file.

The original file is never modified. The sidecar records the original's SHA-256, so a
sidecar that no longer matches its file is reported instead of silently misapplied.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coachsim.classify.moves import MOVES, Move
from coachsim.errors import DataFileError
from coachsim.transcript.model import describe
from coachsim.transcript.store import json_text, os_reason, write_atomic

SCHEMA = "coachsim.review/1"


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + ".review.json")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class TurnReview:
    """The coach's view of one manager turn."""

    text: str
    classifier: str
    label: str | None = None
    comment: str = ""


@dataclass
class Review:
    source: str
    source_sha256: str
    manager: str | None
    turns: dict[int, TurnReview] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "manager": self.manager,
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "turns": {
                str(n): {"text": t.text, "classifier": t.classifier, "label": t.label, "comment": t.comment}
                for n, t in sorted(self.turns.items())
            },
        }

    def relabel(self, number: int, text: str, classifier: str, label: str) -> None:
        if label not in MOVES:
            raise ValueError(f"unknown move {label!r}")
        review = self.turns.setdefault(number, TurnReview(text, classifier))
        review.label = label

    def comment(self, number: int, text: str, classifier: str, comment: str) -> None:
        self.turns.setdefault(number, TurnReview(text, classifier)).comment = comment

    @property
    def labelled(self) -> list[TurnReview]:
        return [t for t in self.turns.values() if t.label]


def new_review(source: Path, manager: str | None) -> Review:
    return Review(source=source.name, source_sha256=file_digest(source), manager=manager)


class _TurnReviewFile(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    text: str
    classifier: Move
    label: Move | None = None
    comment: str = ""


_TURN_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


class _ReviewFile(BaseModel):
    """The sidecar as stored; validated on load so a hand-edited file fails with a located line."""

    model_config = ConfigDict(strict=True, extra="forbid")
    source: str
    source_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    manager: str | None = None
    updated_at: str | None = None
    turns: dict[str, _TurnReviewFile] = {}

    @field_validator("turns")
    @classmethod
    def _numbered(cls, turns: dict[str, _TurnReviewFile]) -> dict[str, _TurnReviewFile]:
        for number in turns:
            if not _TURN_NUMBER.fullmatch(number):
                raise ValueError(f"turn {number!r} is not a turn number (1, 2, 3, …)")
        return turns


def _read_sidecar(path: Path) -> _ReviewFile:
    """Read and validate a sidecar file; any problem is one DataFileError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DataFileError(f"{path}: cannot read review sidecar: {os_reason(error)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise DataFileError(
            f"{path}: review sidecar is not readable JSON ({error}); move it aside to start over"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise DataFileError(f"{path}: not a {SCHEMA} sidecar")
    try:
        return _ReviewFile.model_validate({k: v for k, v in data.items() if k != "schema"})
    except ValidationError as error:
        raise DataFileError(
            f"{path}: {describe(error)}; fix it or move the sidecar aside to start over"
        ) from None


def load_review(source: Path) -> Review | None:
    """The sidecar for ``source`` if there is one; a stale or broken one raises DataFileError."""
    path = sidecar_path(source)
    if not path.exists():
        return None
    stored = _read_sidecar(path)
    if stored.source_sha256 != file_digest(source):
        raise DataFileError(
            f"{path}: this review no longer matches {source.name} (the file changed since it was reviewed);"
            " move the sidecar aside to review afresh"
        )
    review = Review(stored.source, stored.source_sha256, stored.manager)
    for number, turn in stored.turns.items():
        review.turns[int(number)] = TurnReview(turn.text, turn.classifier, turn.label, turn.comment)
    return review


def save_review(review: Review, source: Path) -> Path:
    path = sidecar_path(source)
    write_atomic(path, json_text(review.to_dict()))
    return path


def read_sidecar_gold(path: Path) -> list[tuple[str, str]]:
    """(text, coach label) pairs from a sidecar file, for ``coachsim eval``."""
    return [(t.text, t.label) for t in _read_sidecar(path).turns.values() if t.label is not None]
