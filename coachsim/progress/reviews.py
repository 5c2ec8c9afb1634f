"""Reviewed real meetings as progress: one small record file per meeting, the index's source of truth.

A coach's review (``coachsim review``) relabels a real 1:1's manager turns. The progress index keeps
one row per reviewed meeting, and since the index must stay rebuildable from files, each meeting is
also written to ``<data home>/reviews/<sha256 of the source path>.json`` (private, atomic). The record
stores the effective label of every reply (the coach's label if set, else the classifier's move);
counts, coaching share and regressions are recomputed from those labels whenever it is read.

Since ``coachsim.meeting-review/2`` it also keeps the meeting's slip moments for ``coachsim drill``:
for each reply whose effective label is a regression, or that asked an advice question, the other
person's line before it, who said it, the turns before the reply and the effective move. That is
the meeting's own text, so the folder is private like the transcripts. ``/1`` records (labels
only) still load, with no moments.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coachsim import locations
from coachsim.classify.moves import MOVES, Move, is_regression
from coachsim.errors import DataFileError
from coachsim.scenario.session import CONTEXT_TURNS
from coachsim.transcript.model import Transcript, TranscriptTurn, describe
from coachsim.transcript.store import json_text, os_reason, write_atomic

if TYPE_CHECKING:
    from coachsim.review.sidecar import Review

SCHEMA = "coachsim.meeting-review/2"
#: Older records this version still reads: ``/1`` has no moments.
READABLE_SCHEMAS = ("coachsim.meeting-review/1", SCHEMA)
FOLDER_NAME = "reviews"


def meetings_dir() -> Path:
    """Where the user's meeting records live: ``reviews/`` beside the progress database."""
    return locations.progress_db_path().parent / FOLDER_NAME


@dataclass(frozen=True)
class MeetingMoment:
    """A point in a reviewed meeting where the manager slipped: reply number ``reply`` (1-based,
    the review's numbering) with effective ``move``, the other person's ``line`` before it and who
    said it (``speaker``, None if the import had no name), and up to ``CONTEXT_TURNS`` turns before
    the reply as ``{"speaker": "report" | "manager", "text": ...}``."""

    reply: int
    move: Move
    speaker: str | None
    line: str
    context: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "reply": self.reply,
            "move": self.move,
            "speaker": self.speaker,
            "line": self.line,
            "context": [dict(turn) for turn in self.context],
        }


@dataclass(frozen=True)
class MeetingRecord:
    """One reviewed meeting: its effective labels, in reply order, and what follows from them."""

    source: str
    manager: str | None
    reviewed_at: str
    labels: tuple[Move, ...]
    telling_ok: tuple[bool, ...]
    relabelled: int
    moments: tuple[MeetingMoment, ...] = ()

    @property
    def replies(self) -> int:
        return len(self.labels)

    @property
    def counts(self) -> dict[str, int]:
        return {move: self.labels.count(move) for move in MOVES}

    @property
    def coaching_share(self) -> float:
        return self.labels.count("coaching") / self.replies if self.replies else 0.0

    @property
    def regressions(self) -> list[int]:
        """Reply numbers (1-based) that were telling or mentoring after a coaching reply."""
        found, coached = [], False
        for number, (move, ok) in enumerate(zip(self.labels, self.telling_ok, strict=True), start=1):
            if is_regression(move, coached, ok):
                found.append(number)
            coached = coached or move == "coaching"
        return found


def record_file(folder: Path, source: Path) -> Path:
    """Where the record of the meeting at ``source`` lives: named by the SHA-256 of its absolute path."""
    digest = hashlib.sha256(str(source.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{digest}.json"


def context_before(turns: list[TranscriptTurn], before: int) -> tuple[dict[str, str], ...]:
    """Up to ``CONTEXT_TURNS`` turns before ``turns[before]``, as the classifier takes them."""
    start = max(0, before - CONTEXT_TURNS)
    return tuple({"speaker": t.speaker, "text": t.text} for t in turns[start:before])


def meeting_record(
    source: Path, transcript: Transcript, review: Review, at: datetime | None = None
) -> MeetingRecord:
    """The record of ``review`` over ``transcript``: the coach's label where set, else the
    classifier's, and the slip moments those labels (and the advice-question cue) mark. A slip with
    no earlier line of the other person has nothing to answer and is not a moment."""
    labels: list[Move] = []
    telling_ok: list[bool] = []
    moments: list[MeetingMoment] = []
    relabelled, number, coached = 0, 0, False
    other: TranscriptTurn | None = None
    for index, turn in enumerate(transcript.turns):
        if turn.speaker != "manager":
            other = turn
            continue
        number += 1
        reviewed = review.turns.get(number)
        classifier = reviewed.classifier if reviewed is not None else turn.move
        label = reviewed.label if reviewed is not None and reviewed.label else classifier
        if label not in MOVES:
            continue  # not labelled yet: not a reply that counts
        relabelled += reviewed is not None and bool(reviewed.label) and reviewed.label != classifier
        ok = bool(turn.telling_ok)
        labels.append(label)
        telling_ok.append(ok)
        slipped = is_regression(label, coached, ok) or bool((turn.cues or {}).get("advice_question"))
        coached = coached or label == "coaching"
        if slipped and other is not None:
            context = context_before(transcript.turns, index)
            moments.append(MeetingMoment(number, label, other.name, other.text, context))
    manager = review.manager or next((t.name for t in transcript.manager_turns if t.name), None)
    stamp = (at or datetime.now(UTC)).isoformat(timespec="seconds")
    return MeetingRecord(
        str(source.resolve()), manager, stamp, tuple(labels), tuple(telling_ok), relabelled, tuple(moments)
    )


def save_meeting(record: MeetingRecord, folder: Path) -> Path:
    """Write the record atomically (0600, folder 0700); raises SaveError if it cannot be written."""
    path = record_file(folder, Path(record.source))
    data = {
        "schema": SCHEMA,
        "source": record.source,
        "manager": record.manager,
        "reviewed_at": record.reviewed_at,
        "labels": list(record.labels),
        "telling_ok": list(record.telling_ok),
        "relabelled": record.relabelled,
        "moments": [moment.to_dict() for moment in record.moments],
    }
    write_atomic(path, json_text(data))
    return path


class _ContextTurn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    speaker: Literal["report", "manager"]
    text: str


class _MomentFile(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    reply: int = Field(ge=1)
    move: Move
    speaker: str | None = None
    line: str
    context: list[_ContextTurn] = Field(max_length=CONTEXT_TURNS)


class _MeetingFile(BaseModel):
    """The record as stored; validated on load so a damaged file is skipped with a located line."""

    model_config = ConfigDict(strict=True, extra="forbid")
    source: str = Field(min_length=1)
    manager: str | None = None
    reviewed_at: str
    labels: list[Move]
    telling_ok: list[bool]
    relabelled: int = Field(ge=0)
    moments: list[_MomentFile] = []


def load_meeting(path: Path) -> MeetingRecord:
    """Read one record file; any problem is one DataFileError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DataFileError(f"{path}: cannot read meeting review: {os_reason(error)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise DataFileError(f"{path}: meeting review is not readable JSON ({error})") from None
    if not isinstance(data, dict) or data.get("schema") not in READABLE_SCHEMAS:
        raise DataFileError(f"{path}: not a {SCHEMA} record")
    if data["schema"] != SCHEMA and "moments" in data:
        raise DataFileError(f"{path}: moments: unexpected in a {data['schema']} record")
    try:
        stored = _MeetingFile.model_validate({k: v for k, v in data.items() if k != "schema"})
        datetime.fromisoformat(stored.reviewed_at)
    except ValidationError as error:
        raise DataFileError(f"{path}: {describe(error)}") from None
    except ValueError:
        raise DataFileError(f"{path}: reviewed_at {stored.reviewed_at!r} is not an ISO time") from None
    if len(stored.telling_ok) != len(stored.labels):
        raise DataFileError(f"{path}: telling_ok and labels should have one entry per reply each")
    return MeetingRecord(
        stored.source,
        stored.manager,
        stored.reviewed_at,
        tuple(stored.labels),
        tuple(stored.telling_ok),
        stored.relabelled,
        tuple(
            MeetingMoment(m.reply, m.move, m.speaker, m.line, tuple(t.model_dump() for t in m.context))
            for m in stored.moments
        ),
    )


def load_meetings(folder: Path) -> tuple[list[MeetingRecord], list[str]]:
    """Every readable record in ``folder``, and one warning line per file skipped."""
    try:
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError as error:
        return [], [f"cannot list {folder}: {os_reason(error)}"]
    records: list[MeetingRecord] = []
    warnings: list[str] = []
    for path in paths:
        try:
            records.append(load_meeting(path))
        except DataFileError as error:
            warnings.append(
                f"skipped {error.message}; review the meeting again or move the file aside,"
                " then `coachsim progress --rebuild`"
            )
    return records, warnings
