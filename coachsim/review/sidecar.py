"""The review sidecar: a coach's relabels and comments, saved next to the conversation file.

The original file is never modified. The sidecar records the original's SHA-256, so a
sidecar that no longer matches its file is reported instead of silently misapplied. :class:`Review`
is a pydantic dataclass: the same class validates a hand-edited file into one located line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass

from coachsim.classify.moves import MOVES, Move
from coachsim.errors import DataFileError
from coachsim.transcript.problems import check_schema, describe, shown
from coachsim.transcript.store import json_text, os_reason, write_atomic

SCHEMA = "coachsim.review/1"


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + ".review.json")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_TURN_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONFIG = ConfigDict(extra="forbid")
Text = Annotated[str, Strict()]


def _turn_number(key: Any) -> int:
    """A turn number as a dict key: 1, 2, 3 in memory, "1", "2", "3" in the file."""
    if isinstance(key, int) and not isinstance(key, bool) and key >= 1:
        return key
    if isinstance(key, str) and _TURN_NUMBER.fullmatch(key):
        return int(key)
    raise ValueError(f"{shown(key)} is not a turn number (1, 2, 3, …)")


def _digest(value: str) -> str:
    if not _SHA256.fullmatch(value):
        raise ValueError(f"should be the file's SHA-256 (64 hex digits), not {shown(value)}")
    return value


TurnNumber = Annotated[int, BeforeValidator(_turn_number)]


@dataclass(config=_CONFIG)
class TurnReview:
    """The coach's view of one manager turn."""

    text: Text
    classifier: Move
    label: Move | None = None
    comment: Text = ""


@dataclass(config=_CONFIG)
class Review:
    """A coach's relabels and comments on one conversation file (the sidecar's content)."""

    source: Text
    source_sha256: Annotated[Text, AfterValidator(_digest)]
    manager: Text | None = None
    turns: dict[TurnNumber, TurnReview] = field(default_factory=dict)
    updated_at: Text | None = None

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
        review = self.turns.setdefault(number, TurnReview(text, classifier))  # type: ignore[arg-type]
        review.label = label

    def comment(self, number: int, text: str, classifier: str, comment: str) -> None:
        self.turns.setdefault(number, TurnReview(text, classifier)).comment = comment  # type: ignore[arg-type]

    @property
    def labelled(self) -> list[TurnReview]:
        return [t for t in self.turns.values() if t.label]


def new_review(source: Path, manager: str | None) -> Review:
    return Review(source=source.name, source_sha256=file_digest(source), manager=manager)


_REVIEW = TypeAdapter(Review)


def _read_sidecar(path: Path) -> Review:
    """Read and validate a sidecar file; any problem is one DataFileError naming the file and the
    JSON path (``turns["3"].label``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DataFileError(f"{path}: cannot read review sidecar: {os_reason(error)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise DataFileError(
            f"{path}: review sidecar is not readable JSON ({error}); move it aside to start over"
        ) from None
    try:
        check_schema(data, SCHEMA, str(path), "sidecar")
        return _REVIEW.validate_python({k: v for k, v in data.items() if k != "schema"})
    except ValidationError as error:
        raise DataFileError(
            f"{path}: {describe(error)}; fix it or move the sidecar aside to start over"
        ) from None
    except DataFileError as error:
        raise DataFileError(f"{error.message}; move the sidecar aside to start over") from None


def load_review(source: Path) -> Review | None:
    """The sidecar for ``source`` if there is one; a stale or broken one raises DataFileError."""
    path = sidecar_path(source)
    if not path.exists():
        return None
    review = _read_sidecar(path)
    if review.source_sha256 != file_digest(source):
        raise DataFileError(
            f"{path}: this review no longer matches {source.name} (the file changed since it was reviewed);"
            " move the sidecar aside to review afresh"
        )
    return review


def save_review(review: Review, source: Path) -> Path:
    path = sidecar_path(source)
    write_atomic(path, json_text(review.to_dict()))
    return path


def read_sidecar_gold(path: Path) -> list[tuple[str, str]]:
    """(text, coach label) pairs from a sidecar file, for ``coachsim eval``."""
    return [(t.text, t.label) for t in _read_sidecar(path).turns.values() if t.label is not None]
