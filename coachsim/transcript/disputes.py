"""Disputed labels as gold: each reply a manager said they meant as another move, with its context.

``coachsim eval --disputes`` scores the classifier against them: the reply's text, the turns before
it (as the practice session gave them to the classifier) and the disputed move as the gold label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coachsim.classify.evaluate import LabelledReply
from coachsim.errors import CoachsimError, DataFileError
from coachsim.scenario.session import CONTEXT_TURNS
from coachsim.transcript.model import Transcript
from coachsim.transcript.store import load_transcript


@dataclass
class DisputeGold:
    """The disputed replies found, how many transcripts were read, and the files skipped (one line each)."""

    items: list[LabelledReply] = field(default_factory=list)
    transcripts: int = 0
    skipped: list[str] = field(default_factory=list)


def disputed_replies(transcript: Transcript, source: str = "") -> list[LabelledReply]:
    """Every disputed manager turn of ``transcript`` as a gold reply (label: the move meant)."""
    items = []
    for index, turn in enumerate(transcript.turns):
        if turn.speaker != "manager" or turn.dispute is None:
            continue
        before = transcript.turns[max(0, index - CONTEXT_TURNS) : index]
        fields = {
            "context": [{"speaker": t.speaker, "text": t.text} for t in before],
            "scenario": transcript.scenario or "imported",
            "labelled_as": turn.move,
            "file": source,
        }
        items.append(LabelledReply(turn.text, turn.dispute.move, fields))
    return items


def transcript_files(folder: Path) -> list[Path]:
    """The transcript files in ``folder`` (or ``folder`` itself if it is one file)."""
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise CoachsimError(f"{folder}: no such folder; give a folder of coachsim transcripts")
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".review.json") and p.is_file())


def read_disputes(folder: Path) -> DisputeGold:
    """The disputed replies of every transcript in ``folder``; an unreadable or malformed transcript
    is skipped and named in ``skipped``, so one bad file never hides the others."""
    gold = DisputeGold()
    for path in transcript_files(folder):
        try:
            transcript = load_transcript(path)
        except DataFileError as error:
            gold.skipped.append(error.message)
            continue
        gold.transcripts += 1
        gold.items += disputed_replies(transcript, path.name)
    return gold
