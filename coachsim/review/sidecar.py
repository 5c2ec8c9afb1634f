"""The review sidecar: a coach's relabels and comments, saved next to the conversation file.

The original file is never modified. The sidecar records the original's SHA-256, so a
sidecar that no longer matches its file is reported instead of silently misapplied.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coachsim.classify.moves import MOVES
from coachsim.errors import DataFileError
from coachsim.transcript.store import write_atomic

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


def load_review(source: Path) -> Review | None:
    """The sidecar for ``source`` if there is one; a stale or broken one raises DataFileError."""
    path = sidecar_path(source)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(
            f"{path}: review sidecar is not readable JSON ({error}); move it aside to start over"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise DataFileError(f"{path}: not a {SCHEMA} sidecar")
    if data.get("source_sha256") != file_digest(source):
        raise DataFileError(
            f"{path}: this review no longer matches {source.name} (the file changed since it was reviewed);"
            " move the sidecar aside to review afresh"
        )
    review = Review(data.get("source", source.name), data["source_sha256"], data.get("manager"))
    for number, turn in (data.get("turns") or {}).items():
        label = turn.get("label")
        if label is not None and label not in MOVES:
            raise DataFileError(f"{path}: turn {number}: unknown label {label!r}")
        review.turns[int(number)] = TurnReview(
            turn["text"], turn["classifier"], label, turn.get("comment", "")
        )
    return review


def save_review(review: Review, source: Path) -> Path:
    path = sidecar_path(source)
    write_atomic(path, json.dumps(review.to_dict(), ensure_ascii=False, indent=1) + "\n")
    return path


def read_sidecar_gold(path: Path) -> list[tuple[str, str]]:
    """(text, coach label) pairs from a sidecar file, for ``coachsim eval``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataFileError(f"{path}: not a readable review sidecar ({error})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise DataFileError(f"{path}: not a {SCHEMA} sidecar")
    return [(t["text"], t["label"]) for t in (data.get("turns") or {}).values() if t.get("label") in MOVES]
