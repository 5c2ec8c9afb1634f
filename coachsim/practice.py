"""A practice run: a Session whose transcript is saved atomically after every turn and
recorded in the progress index, so quitting or a crash loses nothing.

A reply is on disk the moment it is sent: until the classifier has labelled it (it may still be
loading), it is saved as a manager turn without a move, after the conversation so far. Labelling
turns it into a played turn and the next save replaces it.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coachsim import locations
from coachsim.progress.index import IndexUnavailable, ProgressIndex
from coachsim.scenario.model import Scenario
from coachsim.scenario.session import Session, SessionEnded, Turn
from coachsim.transcript.model import Dispute, Transcript, TranscriptTurn
from coachsim.transcript.store import save_transcript

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.classify.classifier import Classifier


def open_index() -> ProgressIndex:
    return ProgressIndex(locations.progress_db_path(), locations.transcripts_dir())


def transcript_path(scenario_id: str, started: datetime | None = None) -> Path:
    """Where a run of ``scenario_id`` started at ``started`` (default: now) is saved."""
    stamp = (started or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S-%f")
    return locations.transcripts_dir() / f"{stamp}-{scenario_id}.json"


def held_reply(
    text: str,
    typed_after_s: float | None = None,
    sent_after_s: float | None = None,
    timed_out: bool = False,
) -> TranscriptTurn:
    """A sent reply that is not labelled yet: a manager turn without a move."""
    return TranscriptTurn(
        speaker="manager",
        text=text,
        at=datetime.now(UTC).isoformat(timespec="seconds"),
        typed_after_s=typed_after_s,
        sent_after_s=sent_after_s,
        timed_out=timed_out or None,
    )


def save_unplayed(
    scenario_id: str, seed: int, replies: list[TranscriptTurn], started: datetime | None = None
) -> Path:
    """Replies sent before the scenario loaded, when the app closes first: kept as an unfinished
    transcript of ``scenario_id`` holding only those replies (unlabelled), so nothing typed is lost.
    Raises SaveError; an index that cannot be updated is left to its next rebuild."""
    from coachsim.scenario.files import check_scenario_id

    check_scenario_id(scenario_id)
    begun = started or datetime.now(UTC)
    transcript = Transcript(
        scenario=scenario_id, seed=seed, started_at=begun.isoformat(timespec="seconds"), turns=replies
    )
    path = transcript_path(scenario_id, begun)
    save_transcript(transcript, path)
    with suppress(IndexUnavailable):  # the transcript is saved; the index is rebuilt from transcripts
        open_index().record(transcript, path)
    return path


class PracticeRun:
    """Play a scenario and keep its transcript on disk, current after every turn."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        classifier: Classifier | None = None,
        index: ProgressIndex | None = None,
        started: datetime | None = None,
        pressure_s: int | None = None,
    ) -> None:
        self.session = Session(scenario, classifier, seed=seed, pressure_s=pressure_s)
        self.path = transcript_path(scenario.id, started)
        self.index = index or open_index()
        #: Replies sent but not yet labelled, oldest first.
        self.unlabelled: list[TranscriptTurn] = []
        #: Why the last save could not update the progress index (the transcript was saved; the
        #: index is rebuilt from transcripts). None when it worked.
        self.index_problem: str | None = None

    def save(self) -> Path:
        transcript = self.session.transcript()
        if self.unlabelled:
            transcript = replace(transcript, turns=[*transcript.turns, *self.unlabelled])
        save_transcript(transcript, self.path)
        try:
            self.index.record(transcript, self.path)
        except IndexUnavailable as error:
            self.index_problem = error.message
        else:
            self.index_problem = None
        return self.path

    def hold(
        self,
        text: str,
        typed_after_s: float | None = None,
        sent_after_s: float | None = None,
        timed_out: bool = False,
    ) -> None:
        """Keep a sent reply that is not labelled yet, and save it at once."""
        self.unlabelled.append(held_reply(text, typed_after_s, sent_after_s, timed_out))
        self.save()

    def press(self, save: bool = True) -> str:
        """Pressure mode: the clock ran out with nothing sent; the report's push, saved at once
        unless ``save=False``. Raises SessionEnded once the conversation has ended."""
        line = self.session.press()
        if save:
            self.save()
        return line

    def opening(self, save: bool = True) -> str:
        """The report's first line; saved at once unless ``save=False``."""
        line = self.session.opening()
        if save:
            self.save()
        return line

    def reply(
        self,
        text: str,
        analysis: ReplyAnalysis | None = None,
        typed_after_s: float | None = None,
        sent_after_s: float | None = None,
        save: bool = True,
        timed_out: bool = False,
    ) -> Turn:
        """Play one reply (the oldest held one, if it was held); saved at once unless
        ``save=False`` (the caller then calls ``save()``). Raises SessionEnded once the
        conversation has ended."""
        if self.session.ended:
            raise SessionEnded()
        if self.unlabelled and self.unlabelled[0].text == text:
            self.unlabelled.pop(0)
        turn = self.session.reply(
            text,
            typed_after_s=typed_after_s,
            sent_after_s=sent_after_s,
            analysis=analysis,
            timed_out=timed_out,
        )
        if save:
            self.save()
        return turn

    def stop(self) -> Path:
        """The user leaves early: the transcript stays marked unfinished."""
        if not self.session.ended:
            self.session.end()
        return self.save()

    def dispute(self, reply_number: int, move: str, comment: str | None = None) -> Dispute | None:
        """The manager meant ``move`` by reply ``reply_number`` (1-based): record it on that turn and
        save at once (the label itself withdraws a dispute: None). Scores keep the classifier's label.
        Raises InvalidDispute or SaveError."""
        dispute = self.session.dispute(reply_number, move, comment)
        self.save()
        return dispute

    @property
    def asked(self) -> tuple[str, ...]:
        """The manager's replies so far (to avoid suggesting a question already asked)."""
        return self.session.asked
