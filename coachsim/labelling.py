"""Turning an imported conversation into a labelled transcript: the one place imports meet the
classifier (``transcript/`` only parses; the CLI, the review screen and benchmarks call this)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coachsim.classify.classifier import check_reply
from coachsim.classify.moves import is_regression
from coachsim.errors import DataFileError
from coachsim.safetext import has_visible_text
from coachsim.scenario.session import CONTEXT_TURNS
from coachsim.transcript.importers import Conversation
from coachsim.transcript.model import Transcript, TranscriptTurn

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.classify.classifier import Classifier


def check_manager(conversation: Conversation, manager: str) -> None:
    """A one-line DataFileError when ``manager`` is not one of the conversation's speakers."""
    if manager not in conversation.speakers:
        raise DataFileError(
            f"{conversation.source}: no speaker named '{manager}';"
            f" speakers: {', '.join(conversation.speakers)}"
        )


def reply_items(conversation: Conversation, manager: str) -> list[dict[str, Any]]:
    """The manager's replies, each with the turns before it, as ``classify_many`` takes them.
    Raises InvalidReplyError for a reply that cannot be labelled."""
    items = []
    utterances = conversation.utterances
    for index, utterance in enumerate(utterances):
        if utterance.speaker == manager and has_visible_text(utterance.text):
            check_reply(utterance.text)
            earlier = utterances[max(0, index - CONTEXT_TURNS) : index]
            context = [
                {"speaker": "manager" if u.speaker == manager else "other", "text": u.text} for u in earlier
            ]
            items.append({"text": utterance.text, "context": context})
    return items


def label_conversation(conversation: Conversation, manager: str, classifier: Classifier) -> Transcript:
    """Label the manager's turns (batched through ``classify_many``) into a transcript."""
    if conversation.transcript is not None:
        return conversation.transcript
    check_manager(conversation, manager)
    analyses = classifier.classify_many(reply_items(conversation, manager))
    return labelled_transcript(conversation, manager, analyses)


def labelled_transcript(
    conversation: Conversation, manager: str, analyses: Sequence[ReplyAnalysis]
) -> Transcript:
    """The transcript of ``conversation`` with ``analyses`` (one per item of ``reply_items``, in
    order, made here or in one stream over an archive) on the manager's turns."""
    replies = iter(analyses)
    transcript = Transcript(
        scenario=None, seed=None, started_at="", status="finished", source=conversation.source
    )
    coached = False
    for utterance in conversation.utterances:
        at = utterance.at or ""
        if utterance.speaker == manager and has_visible_text(utterance.text):
            analysis = next(replies)
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
    if next(replies, None) is not None:
        raise ValueError("more analyses than the manager's replies")
    return transcript  # its summary is computed from these turns
