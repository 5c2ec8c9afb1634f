"""Open a conversation for review: read it, ask whose turns are the manager's when the file does
not say, label them once the classifier is ready, and show the review screen.

Run as an app worker; a failure (a file that cannot be read, a stale sidecar) raises and reaches
the app's ``on_worker_state_changed``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App

from coachsim.tui.services import Services


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
    transcript = conversation.transcript
    if transcript is None:
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
    chosen = manager
    review = await asyncio.to_thread(lambda: load_review(source) or new_review(source, chosen))
    await app.push_screen(ReviewScreen(transcript, source, review))
