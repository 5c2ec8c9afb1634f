"""SVG snapshots of the home screen, the demo picker and a demo mid-run at 80x24 and 120x40.

Update with ``uv run pytest tests/tui/test_snapshots_demo_home.py --snapshot-update`` after a
deliberate visual change, and look at each one (``rsvg-convert FILE.raw -o x.png``): a cut-off
word or a truncated label is a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from coachsim import locations
from coachsim.tui.screens.demo import DemoScreen
from coachsim.tui.screens.demo_picker import DemoPicker

from .conftest import ready, screen_text, wait_until

SIZES = [(80, 24), (120, 40)]


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


@pytest.mark.parametrize("size", SIZES)
def test_home_with_preview(snap_compare, make_app, fixed_home, size) -> None:
    async def highlight_third(pilot) -> None:
        await ready(pilot.app, pilot)
        await pilot.press("down", "down")
        name = pilot.app.catalog.get("peer-conflict").scenario.persona.name
        await wait_until(pilot, lambda: name in screen_text(pilot.app), "the third scenario previewed")

    assert snap_compare(fixed_app(make_app), terminal_size=size, run_before=highlight_third)


@pytest.mark.parametrize("size", SIZES)
def test_demo_picker(snap_compare, make_app, fixed_home, size) -> None:
    async def pick(pilot) -> None:
        app = pilot.app
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, DemoPicker), "the demo picker")
        await wait_until(pilot, lambda: "Opens with" in screen_text(app), "the run described")

    assert snap_compare(fixed_app(make_app, start="demo"), terminal_size=size, run_before=pick)


@pytest.mark.parametrize("size", SIZES)
def test_demo_mid_run(snap_compare, make_app, fixed_home, size) -> None:
    async def three_steps(pilot) -> None:
        app = pilot.app
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen), "the demo screen")
        await wait_until(pilot, lambda: "reply 0 of 4" in screen_text(app), "the run replayed")
        await pilot.press("space", "space", "space")
        await wait_until(pilot, lambda: "Try: “" in screen_text(app), "the third reply's alert")

    app = fixed_app(make_app, start="demo", scenario_id="feedback-then-coach", run="regress")
    assert snap_compare(app, terminal_size=size, run_before=three_steps)
