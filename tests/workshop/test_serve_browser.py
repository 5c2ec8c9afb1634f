"""A real browser in the room: headless Chromium (Debian's ``chromium``) opens the join link,
the participant presses Enter and types a reply, and the move chip reaches the page's terminal.

The page draws its terminal on a canvas, so the test reads what the terminal was given: every
frame the page's websocket receives (what xterm.js renders), with the escape sequences removed.
A screenshot is saved beside the test's data for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from coachsim.workshop.probe import ESCAPES

from .conftest import ServedRoom

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (uv sync)")

#: Where Debian's chromium package puts the browser; COACHSIM_CHROMIUM overrides.
CHROMIUM = os.environ.get("COACHSIM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
    " or set COACHSIM_CHROMIUM",
)


class TerminalFeed:
    """Every frame the page's websocket receives (what its terminal renders), escapes removed."""

    def __init__(self, page) -> None:
        self.text = ""
        self.page = page
        page.on("websocket", lambda socket: socket.on("framereceived", self.received))

    def received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.text += ESCAPES.sub("", payload.decode("utf-8", "replace"))

    def wait_for(self, pattern: str, timeout_s: float = 90.0) -> None:
        """Let the page run until ``pattern`` has reached its terminal (checked after each event
        round, not on a timer that decides anything)."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout_s
        while not compiled.search(self.text):
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never reached the page; it showed: {self.text[-500:]!r}")
            self.page.wait_for_timeout(50)  # hands control to Playwright so frames are delivered


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
        except playwright_api.Error as error:
            pytest.skip(f"Chromium at {CHROMIUM} cannot start here: {str(error).splitlines()[0]}")
        yield launched
        launched.close()


def test_a_browser_joins_practises_and_sees_its_chip(
    browser, served_room: ServedRoom, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    feed = TerminalFeed(page)
    response = page.goto(f"{served_room.base_url}/?code={served_room.code}&name=Ana")
    assert response is not None and response.status == 200
    feed.wait_for("Your name")
    page.locator(".textual-terminal").click()
    page.keyboard.press("Enter")  # the name came with the link
    feed.wait_for("Priya")
    page.keyboard.type("What's on your mind?")
    feed.wait_for(r"on your mind\?")
    page.keyboard.press("Enter")
    feed.wait_for(r"mind\?\s+COACHING")
    page.screenshot(path=str(tmp_path / "browser-practice.png"))
    state = served_room.wait_for_room(
        lambda s: any(p["name"] == "Ana" and p["turns"] == 1 for p in s["participants"]), "Ana's reply"
    )
    assert next(p for p in state["participants"] if p["name"] == "Ana")["counts"]["coaching"] == 1
    page.close()


def test_a_browser_with_the_wrong_code_gets_403(browser, served_room: ServedRoom) -> None:
    page = browser.new_page()
    response = page.goto(f"{served_room.base_url}/?code=guess")
    assert response is not None and response.status == 403
    assert "403" in page.content() and "textual" not in page.content().lower()
    page.close()
