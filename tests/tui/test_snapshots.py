"""SVG snapshots of the practice screen (mid-conversation, with help open, ended) and the scorecard,
each at 80x24 and 120x40 (home and the demo are in test_snapshots_demo_home.py, the review screen in
test_snapshots_review.py).

Update with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update`` after a deliberate
visual change, and look at every snapshot before committing: a cut-off word or a truncated label
is a failure, whatever the diff says.
"""

from __future__ import annotations

import pytest

from .conftest import fixed_app, ready, send, wait_until

SIZES = [(80, 24), (120, 40)]


async def settle(pilot) -> None:
    await ready(pilot.app, pilot)


async def two_replies(pilot) -> None:
    await settle(pilot)
    await send(pilot.app, pilot, "What's on your mind?")
    await send(pilot.app, pilot, "Just go with version B.")


@pytest.mark.parametrize("size", SIZES)
def test_practice(snap_compare, make_app, fixed_home, size) -> None:
    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me")
    assert snap_compare(app, terminal_size=size, run_before=two_replies)


@pytest.mark.parametrize("size", SIZES)
def test_practice_with_help(snap_compare, make_app, fixed_home, size) -> None:
    async def play(pilot) -> None:
        await two_replies(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: pilot.app.screen.has_class("show-help"), "the help open")

    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me")
    assert snap_compare(app, terminal_size=size, run_before=play)


@pytest.mark.parametrize("size", SIZES)
def test_practice_ended(snap_compare, make_app, fixed_home, size) -> None:
    async def play(pilot) -> None:
        await settle(pilot)
        for reply in pilot.app.catalog.get("just-tell-me").scenario.examples["regress"].replies:
            await send(pilot.app, pilot, reply)
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#ended")), "the end said")

    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me")
    assert snap_compare(app, terminal_size=size, run_before=play)


@pytest.mark.parametrize("size", SIZES)
def test_scorecard(snap_compare, make_app, fixed_home, size) -> None:
    async def play(pilot) -> None:
        await settle(pilot)
        for reply in pilot.app.catalog.get("just-tell-me").scenario.examples["regress"].replies:
            await send(pilot.app, pilot, reply)
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#ended")), "the end said")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#scorecard")), "the scorecard")
        await pilot.pause()

    app = fixed_app(make_app, start="practice", scenario_id="just-tell-me")
    assert snap_compare(app, terminal_size=size, run_before=play)
