"""Open a conversation for review: read it and its sidecar, ask whose turns are the manager's when
neither the file nor the sidecar says, label them once the classifier is ready, and show the review
screen.

Run as an app worker; a failure (a file that cannot be read, a stale sidecar) raises and reaches
the app's ``on_worker_state_changed``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from coachsim.errors import DataFileError
from coachsim.tui.services import Services

if TYPE_CHECKING:
    from coachsim.review.sidecar import Review


async def review_file(
    app: App[Any],
    services: Services,
    source: Path,
    manager: str | None,
    format_in: str | None,
    cancelled: Callable[[], None] = lambda: None,
) -> None:
    """Push a :class:`ReviewScreen` for ``source``; ``cancelled()`` if no manager was picked."""
    from coachsim.labelling import label_conversation
    from coachsim.review.sidecar import load_review, new_review
    from coachsim.transcript.importers import read_conversation
    from coachsim.tui.screens.review import LabellingNotice, ReviewScreen, SpeakerPicker

    conversation = await asyncio.to_thread(read_conversation, source, format_in)
    stored = await asyncio.to_thread(load_review, source)
    transcript = conversation.transcript
    if transcript is None:
        manager = remembered_manager(source, stored, manager, conversation.speakers)
        if manager is None:
            manager = await app.push_screen_wait(SpeakerPicker(conversation.speakers))
            if manager is None:
                cancelled()
                return
        notice = LabellingNotice(source.name)
        await app.push_screen(notice)
        try:
            classifier = await services.wait_for_classifier()
            notice.labelling()
            transcript = await asyncio.to_thread(label_conversation, conversation, manager, classifier)
        finally:
            if app.screen is notice:
                await notice.dismiss()
    review = stored if stored is not None else await asyncio.to_thread(new_review, source, manager)
    review.manager = review.manager or manager
    await app.push_screen(ReviewScreen(transcript, source, review))


def remembered_manager(
    source: Path, stored: Review | None, manager: str | None, speakers: list[str]
) -> str | None:
    """The manager to label: the one asked for, else the one the sidecar was reviewed with (when
    that speaker is still in the file); None to ask. Asking for another manager than a sidecar
    with labels was made for raises DataFileError (its turn numbers are that speaker's replies)."""
    from coachsim.review.sidecar import sidecar_path  # deferred: pydantic, after the first frame

    remembered = stored.manager if stored is not None else None
    if manager is None:
        return remembered if remembered in speakers else None
    if stored is not None and remembered not in (None, manager) and stored.turns:
        raise DataFileError(
            f"{sidecar_path(source).name} reviews {remembered}'s replies, not {manager}'s;"
            f" open it with --manager '{remembered}' or move the sidecar aside to review afresh"
        )
    return manager
