"""Build the app for tests: the real classifier (loaded once), a fixed seed and a fake clock."""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.tui.app import CoachsimApp
from coachsim.tui.widgets.chat import ReplyItem
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


@pytest.fixture
def held_catalog() -> Iterator[tuple[Callable[[], object], threading.Event]]:
    """A scenario loader that waits until the test releases it (the scenarios are "still loading")."""
    from coachsim.scenario.loader import load_catalog

    gate = threading.Event()

    def loader():
        gate.wait()
        return load_catalog(())

    yield loader, gate
    gate.set()  # the app waits for its loader thread on exit


#: How many rounds a wait may take before the test fails instead of hanging. Each round lets
#: the app handle its pending messages and waits for it to go idle (at least 20 ms, more on a
#: busy machine), so 10,000 rounds bound a hang (over 3 minutes), never a slow machine.
MAX_ROUNDS = 10_000


async def wait_until(pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app work until ``condition()`` holds. It checks the app's state after each round of
    message handling, never the clock, and never waits for every worker (a test may be holding
    one back on purpose)."""
    for _ in range(MAX_ROUNDS):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"the app never got to: {what}")


@asynccontextmanager
async def practising(make_app, scenario_id: str, size: tuple[int, int] = (80, 24), **options):
    """The practice screen on ``scenario_id``, loaded and settled: yields ``(app, pilot)``."""
    app = make_app(start="practice", scenario_id=scenario_id, **options)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        yield app, pilot


async def ready(app: CoachsimApp, pilot) -> None:
    """Wait until the scenarios and the classifier have loaded (or failed) and the screen settled."""
    await wait_until(pilot, lambda: app.load_state.settled, "scenarios and classifier loaded")
    await pilot.pause()


async def scenario_ready(app: CoachsimApp, pilot) -> None:
    """Wait until the scenarios have loaded and the reply box has focus (the classifier may still
    be loading)."""
    from coachsim.tui.state import Load

    def up() -> bool:
        return app.load_state.catalog == Load.READY and isinstance(app.focused, ReplyInput)

    await wait_until(pilot, up, "the scenario on screen and the reply box focused")


def type_keys(app: CoachsimApp, text: str) -> None:
    """Send ``text`` as the key events a terminal sends, one per character, in order.

    ``pilot.press`` waits for the app to go idle after every key (about 40 ms a key); a reply
    typed here arrives as fast as a quick typist's, and callers wait on what the box shows."""
    for character in text:
        key = character if character.isalnum() else _character_to_key(character)
        app.post_message(events.Key(key, character))


async def send(app: CoachsimApp, pilot, text: str) -> ReplyItem:
    """Type a reply as a person would, press Enter, and wait until it is labelled (or failed).

    Typing starts once the reply box has focus: on a busy machine the first key could
    otherwise arrive before the screen has focused it, and be lost."""
    await wait_until(pilot, lambda: isinstance(app.focused, ReplyInput), "the reply box has focus")
    screen = app.screen
    before = len(screen.query(ReplyItem))
    box = app.focused
    type_keys(app, text)
    await wait_until(pilot, lambda: box.text == text, f"{text!r} typed")
    await pilot.press("enter")

    def labelled() -> bool:
        items = list(screen.query(ReplyItem))
        return len(items) > before and items[-1].settled

    await wait_until(pilot, labelled, f"reply {text!r} labelled")
    await pilot.pause()
    return list(screen.query(ReplyItem))[-1]


_TEXT = re.compile(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


def screen_text(app: CoachsimApp) -> str:
    """What the terminal shows right now, as plain lines (read from a screenshot)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(cells)) for _, cells in sorted(rows.items()))


def flat(text: str) -> str:
    """``text`` with every run of whitespace as one space (to find wrapped lines on screen)."""
    return " ".join(text.split())


@pytest.fixture
def fixed_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own data home, shown on screen as ``~/coachsim`` so snapshots do not vary."""
    monkeypatch.setenv("HOME", str(tmp_path))
    home = tmp_path / "coachsim"
    monkeypatch.setenv(locations.HOME_ENV, str(home))
    return home


def fixed_app(make_app, **options):
    """The app with a fixed start time and a cursor that does not blink."""
    return make_app(started=lambda: datetime(2026, 1, 2, 9, 30, tzinfo=UTC), cursor_blink=False, **options)


MEETING = Path(__file__).resolve().parent.parent / "data" / "imports" / "meeting.vtt"


def long_meeting(classifier, tmp_path: Path, repeats: int = 400) -> Path:
    """meeting.vtt labelled, its five turns repeated: a 2,000-turn coachsim transcript."""
    from coachsim.labelling import label_conversation
    from coachsim.transcript.importers import read_conversation

    five = label_conversation(read_conversation(MEETING), "Alex Morgan", classifier)
    data = five.to_dict()
    data["turns"] = data["turns"] * repeats
    data.pop("summary", None)
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
