"""Build the app for tests: the real classifier (loaded once), a fixed seed and a fake clock."""

from __future__ import annotations

import html
import re

import pytest

from coachsim.classify.classifier import Classifier
from coachsim.tui.app import CoachsimApp
from coachsim.tui.widgets.reply_input import ReplyInput


class FakeClock:
    """Advances one second per call, so pauses are predictable."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def make_app(classifier: Classifier):
    def make(**options) -> CoachsimApp:
        options.setdefault("loader", lambda: classifier)
        options.setdefault("seed", 1)
        options.setdefault("clock", FakeClock())
        return CoachsimApp(**options)

    return make


async def ready(app: CoachsimApp, pilot) -> None:
    """Wait until the classifier worker has finished and the screen has settled."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def send(app: CoachsimApp, pilot, text: str) -> None:
    """Type a reply as a person would and press Enter; wait for its label.

    Typing starts once the reply box has focus: on a busy machine the first key could
    otherwise arrive before the screen has focused it, and be lost."""
    for _ in range(50):
        if isinstance(app.focused, ReplyInput):
            break
        await pilot.pause(0.02)
    assert isinstance(app.focused, ReplyInput), f"the reply box never got focus ({app.focused!r})"
    await pilot.press(*text)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


_TEXT = re.compile(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


def screen_text(app: CoachsimApp) -> str:
    """What the terminal shows right now, as plain lines (read from a screenshot)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(cells)) for _, cells in sorted(rows.items()))
