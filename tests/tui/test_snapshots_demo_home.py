"""SVG snapshots of the home screen, the demo picker and a demo mid-run at 80x24 and 120x40.

Update with ``uv run pytest tests/tui/test_snapshots_demo_home.py --snapshot-update`` after a
deliberate visual change, and look at each one (``rsvg-convert FILE.raw -o x.png``): a cut-off
word or a truncated label is a failure.
"""

from __future__ import annotations

import pytest

from coachsim.tui.screens.demo import DemoScreen
from coachsim.tui.screens.demo_picker import DemoPicker

from .conftest import fixed_app, ready, screen_text, wait_until

SIZES = [(80, 24), (120, 40)]


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
