"""Turning an imported conversation into a labelled transcript: the one place imports meet the
classifier (``transcript/`` only parses; the CLI, the review screen and benchmarks call this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coachsim.classify.classifier import check_reply
from coachsim.classify.moves import is_regression
from coachsim.errors import DataFileError
from coachsim.safetext import has_visible_text
from coachsim.scenario.session import CONTEXT_TURNS
from coachsim.transcript.importers import Conversation
from coachsim.transcript.model import Transcript, TranscriptTurn

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier


def label_conversation(conversation: Conversation, manager: str, classifier: Classifier) -> Transcript:
    """Label the manager's turns (batched through ``classify_many``) into a transcript."""
    if conversation.transcript is not None:
        return conversation.transcript
    if manager not in conversation.speakers:
        raise DataFileError(
            f"{conversation.source}: no speaker named '{manager}';"
            f" speakers: {', '.join(conversation.speakers)}"
        )
    replies = []
    for index, utterance in enumerate(conversation.utterances):
        if utterance.speaker == manager and has_visible_text(utterance.text):
            check_reply(utterance.text)
            earlier = conversation.utterances[max(0, index - CONTEXT_TURNS) : index]
            context = [
                {"speaker": "manager" if u.speaker == manager else "other", "text": u.text} for u in earlier
            ]
            replies.append({"text": utterance.text, "context": context})
    analyses = iter(classifier.classify_many(replies))
    transcript = Transcript(
        scenario=None, seed=None, started_at="", status="finished", source=conversation.source
    )
    coached = False
    for utterance in conversation.utterances:
        at = utterance.at or ""
        if utterance.speaker == manager and has_visible_text(utterance.text):
            analysis = next(analyses)
            regression = is_regression(analysis.move, coached)
            coached = coached or analysis.move == "coaching"
            transcript.turns.append(
                TranscriptTurn(
                    speaker="manager",
                    text=utterance.text,
                    at=at,
                    name=manager,
                    regression=regression,
                    start_s=utterance.start_s,
                    end_s=utterance.end_s,
                    **analysis.to_dict(),
                )
            )
        else:
            transcript.turns.append(
                TranscriptTurn(
                    speaker="report",
                    text=utterance.text,
                    at=at,
                    name=utterance.speaker,
                    start_s=utterance.start_s,
                    end_s=utterance.end_s,
                )
            )
    return transcript  # its summary is computed from these turns
