"""Drill moments: the points in your own history where you slipped, and the packs' pull beats.

A moment is the other person's line just before a slip (a manager reply marked as a regression,
or one with the ``advice_question`` cue), who said it, a one-line reminder of the situation and
the turns before it, so the reply can be classified in context. Slips come from your saved practice
transcripts and from the real meetings you reviewed (``coachsim review``, whose records keep each
slip with the coach's label deciding it). When you have too few slips, the scenario packs' pull
beats (``pull: true``, advice-bait moments) fill the session.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coachsim.errors import DataFileError
from coachsim.progress.reviews import MeetingRecord, context_before, load_meetings, meetings_dir
from coachsim.scenario.loader import Catalog
from coachsim.scenario.model import Scenario
from coachsim.transcript.model import Transcript, TranscriptTurn
from coachsim.transcript.store import load_transcript

#: Sources of pack moments start with this: ``pack:<scenario>:<beat>``.
PACK_PREFIX = "pack:"
#: Sources of moments from reviewed meetings: ``meeting:<the meeting file's absolute path>``.
MEETING_PREFIX = "meeting:"
#: The longest reminder shown (one line).
MAX_REMINDER_CHARS = 160
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass(frozen=True)
class Moment:
    """One point to drill. ``id`` is a stable hash of ``source`` and the turn, so the same slip in
    the same file is the same card on every run; ``slipped_move`` is None for pack moments."""

    id: str
    source: str
    scenario: str | None
    persona: str
    reminder: str
    prompt: str
    context: tuple[dict[str, str], ...] = field(default=())
    slipped_move: str | None = None

    @property
    def from_pack(self) -> bool:
        return self.source.startswith(PACK_PREFIX)


def moment_id(source: str, turn: int) -> str:
    """A short stable id for the moment at ``turn`` of ``source`` (a 0-based turn index for
    transcripts, the 1-based reply number for meetings)."""
    return hashlib.sha256(f"{source}#{turn}".encode()).hexdigest()[:12]


def reminder_of(scenario: Scenario) -> str:
    """One line about the situation: the brief's first sentence (else the goal's), shortened."""
    for text in (scenario.brief, scenario.goal.text):
        line = " ".join(text.split())
        if line:
            first = _SENTENCE_END.split(line, maxsplit=1)[0]
            if len(first) > MAX_REMINDER_CHARS:
                first = first[: MAX_REMINDER_CHARS - 1].rstrip() + "…"
            return first
    return scenario.summary


def is_slip(turn: TranscriptTurn) -> bool:
    """A manager reply that regressed, or that asked an advice question ("Have you tried …?")."""
    if turn.speaker != "manager":
        return False
    return bool(turn.regression) or bool((turn.cues or {}).get("advice_question"))


def slip_moments(transcripts: Iterable[tuple[Path, Transcript]], catalog: Catalog) -> list[Moment]:
    """Every slip in ``transcripts`` that follows a line of the other person, in the order given.

    A slip with no earlier report line (the manager spoke first) has nothing to answer and is left
    out. Transcripts of scenarios the catalog no longer has keep the speaker's name from the turn."""
    moments: list[Moment] = []
    for path, transcript in transcripts:
        loaded = catalog.scenarios.get(transcript.scenario) if transcript.scenario else None
        scenario = loaded.scenario if loaded is not None else None
        last_report: TranscriptTurn | None = None
        for number, turn in enumerate(transcript.turns):
            if turn.speaker == "report":
                last_report = turn
                continue
            if last_report is None or not is_slip(turn):
                continue
            persona = scenario.persona.name if scenario else (last_report.name or "the other person")
            reminder = reminder_of(scenario) if scenario else f"from your conversation in {path.name}"
            moments.append(
                Moment(
                    id=moment_id(str(path), number),
                    source=str(path),
                    scenario=transcript.scenario,
                    persona=persona,
                    reminder=reminder,
                    prompt=last_report.text,
                    context=context_before(transcript.turns, number),
                    slipped_move=turn.move,
                )
            )
    return moments


def _shortened(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= MAX_REMINDER_CHARS else line[: MAX_REMINDER_CHARS - 1].rstrip() + "…"


def _reviewed_on(reviewed_at: str) -> str:
    """The local date of a review time (``2026-03-02``), or the text as stored if it is not one."""
    try:
        return datetime.fromisoformat(reviewed_at).astimezone().date().isoformat()
    except ValueError:
        return reviewed_at


def meeting_moments(records: Iterable[MeetingRecord]) -> list[Moment]:
    """Every slip moment of the reviewed meetings, oldest review first, replies in order: the other
    person's line, by name (else "the other person"), reminded of the meeting file and review day."""
    moments: list[Moment] = []
    for record in sorted(records, key=lambda r: (r.reviewed_at, r.source)):
        source = f"{MEETING_PREFIX}{record.source}"
        reminder = _shortened(
            f"From your meeting {Path(record.source).name} (reviewed {_reviewed_on(record.reviewed_at)})"
        )
        for slip in record.moments:
            moments.append(
                Moment(
                    id=moment_id(source, slip.reply),
                    source=source,
                    scenario=None,
                    persona=slip.speaker or "the other person",
                    reminder=reminder,
                    prompt=slip.line,
                    context=slip.context,
                    slipped_move=slip.move,
                )
            )
    return moments


def pack_moments(catalog: Catalog) -> list[Moment]:
    """One moment per pull beat of every scenario (by scenario id, beats in file order): the beat's
    first line, with the scenario's persona and reminder."""
    moments: list[Moment] = []
    for scenario_id in sorted(catalog.scenarios):
        scenario = catalog.scenarios[scenario_id].scenario
        for beat_id, beat in scenario.beats.items():
            if not beat.pull or not beat.says:
                continue
            source = f"{PACK_PREFIX}{scenario_id}:{beat_id}"
            prompt = beat.says[0]
            moments.append(
                Moment(
                    id=moment_id(source, 0),
                    source=source,
                    scenario=scenario_id,
                    persona=scenario.persona.name,
                    reminder=reminder_of(scenario),
                    prompt=prompt,
                    context=({"speaker": "report", "text": prompt},),
                )
            )
    return moments


def saved_transcripts(folder: Path) -> Iterator[tuple[Path, Transcript]]:
    """The readable transcripts in ``folder``, oldest file name first (review sidecars and files
    that cannot be read are skipped: the progress index reports those)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".review.json"):
            continue
        try:
            yield path, load_transcript(path)
        except DataFileError:
            continue


def known_moments(transcripts_dir: Path, catalog: Catalog, reviews_dir: Path | None = None) -> list[Moment]:
    """Your slips from the saved transcripts, then those from the meetings recorded in
    ``reviews_dir`` (default: yours; a record that cannot be read is skipped, the progress index
    reports it), then the pack moments."""
    records, _ = load_meetings(reviews_dir or meetings_dir())
    practice = slip_moments(saved_transcripts(transcripts_dir), catalog)
    return practice + meeting_moments(records) + pack_moments(catalog)
