"""SVG snapshots of the home, practice and scorecard screens at 80x24 and 120x40.

Update with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update`` after a deliberate
visual change, and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from coachsim import locations

from .conftest import send

SIZES = [(80, 24), (120, 40)]
FIXED_HOME = Path("/tmp/coachsim-snapshot-home")


@pytest.fixture
def fixed_home(monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with the same path in every run, so saved paths on screen do not vary."""
    import shutil

    shutil.rmtree(FIXED_HOME, ignore_errors=True)
    monkeypatch.setenv(locations.HOME_ENV, str(FIXED_HOME))
    yield FIXED_HOME
    shutil.rmtree(FIXED_HOME, ignore_errors=True)


def fixed_app(make_app, **options):
    return make_app(started=lambda: datetime(2026, 1, 2, 9, 30, tzinfo=UTC), **options)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


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
