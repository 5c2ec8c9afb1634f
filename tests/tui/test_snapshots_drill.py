"""SVG snapshots of the drill screen after one answered moment, at 80x24 and 120x40.

Update with ``uv run pytest tests/tui/test_snapshots_drill.py --snapshot-update`` after a deliberate
visual change, and look at each one (``rsvg-convert FILE.raw -o x.png``): a cut-off word or a
truncated label is a failure.
"""

from __future__ import annotations

import pytest

from coachsim.tui.screens.drill import DrillScreen

from .conftest import fixed_app, ready, screen_text, send, wait_until

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_drill_after_one_answer(snap_compare, make_app, fixed_home, size) -> None:
    async def answer_one(pilot) -> None:
        app = pilot.app
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, DrillScreen), "the drill screen")
        await wait_until(pilot, lambda: "Moment 1 of 5" in screen_text(app), "the first moment")
        await send(app, pilot, "Just go with version B and send it today.")
        await wait_until(pilot, lambda: "slip — back tomorrow" in screen_text(app), "the verdict")

    assert snap_compare(fixed_app(make_app, start="drill"), terminal_size=size, run_before=answer_one)
