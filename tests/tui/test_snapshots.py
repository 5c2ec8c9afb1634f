"""SVG snapshots of the home, practice and scorecard screens at 80x24 and 120x40.

Update with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update`` after a deliberate
visual change, and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from coachsim import locations

from .conftest import ready, send

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


async def settle(pilot) -> None:
    await ready(pilot.app, pilot)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, make_app, fixed_home, size) -> None:
    assert snap_compare(fixed_app(make_app), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_practice(snap_compare, make_app, fixed_home, size) -> None:
    async def play(pilot) -> None:
        await settle(pilot)
        await send(pilot.app, pilot, "What's on your mind?")
        await send(pilot.app, pilot, "Just go with version B.")

    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me")
    assert snap_compare(app, terminal_size=size, run_before=play)


@pytest.mark.parametrize("size", SIZES)
def test_scorecard(snap_compare, make_app, fixed_home, size) -> None:
    async def play(pilot) -> None:
        await settle(pilot)
        for reply in pilot.app.catalog.get("just-tell-me").scenario.examples["regress"].replies:
            await send(pilot.app, pilot, reply)
        await pilot.pause()

    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me")
    assert snap_compare(app, terminal_size=size, run_before=play)
