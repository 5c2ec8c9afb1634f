"""SVG snapshots of the review screen at 80x24 and 120x40: a relabelled, commented regression with
its full text and breakdown, and (narrow) the totals pane with the agreement table.

Update with ``uv run pytest tests/tui/test_snapshots_review.py --snapshot-update`` after a deliberate
visual change, and look at every snapshot: a cut-off word or a truncated label is a failure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachsim.tui.screens.review import ReviewScreen
from coachsim.tui.widgets.review_turns import TurnList

from .conftest import fixed_app, long_meeting, ready, screen_text, wait_until

SIZES = [(80, 24), (120, 40)]
MEETING = Path(__file__).resolve().parent.parent / "data" / "imports" / "meeting.vtt"


async def relabelled_regression(pilot) -> None:
    app = pilot.app
    await ready(app, pilot)
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
    screen = app.screen
    await wait_until(pilot, lambda: screen.query_one(TurnList).row_count > 0, "the turns listed")
    await wait_until(pilot, lambda: screen.talk_note != "computing…", "the talk figures")
    await pilot.press("a")  # agree with the first reply
    await pilot.press("n")  # the regression, with its breakdown beside (or under) the list
    await wait_until(pilot, lambda: screen._current() == 5, "the cursor on the regression")
    await pilot.press("3", "c", *"advice", "enter")
    await wait_until(pilot, lambda: "Comment: advice" in screen_text(app), "the comment shown")
    await wait_until(pilot, lambda: screen._saves_written == 3, "the sidecar saved")


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, make_app, fixed_home, tmp_path: Path, size) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    app = fixed_app(make_app, start="review", review_source=source, manager="Alex Morgan")
    assert snap_compare(app, terminal_size=size, run_before=relabelled_regression)


@pytest.mark.parametrize("size", SIZES)
def test_review_totals(snap_compare, make_app, fixed_home, tmp_path: Path, size) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)

    async def totals(pilot) -> None:
        await relabelled_regression(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: "Cohen's kappa" in screen_text(pilot.app), "the totals pane")

    app = fixed_app(make_app, start="review", review_source=source, manager="Alex Morgan")
    assert snap_compare(app, terminal_size=size, run_before=totals)


@pytest.mark.parametrize("size", SIZES)
def test_review_of_a_2000_turn_meeting(
    snap_compare, make_app, fixed_home, classifier, tmp_path, size
) -> None:
    """The end of a 2,000-turn meeting, its last reply relabelled and commented."""
    source = long_meeting(classifier, tmp_path)

    async def at_the_end(pilot) -> None:
        app = pilot.app
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one(TurnList).row_count > 0, "the turns listed")
        await wait_until(pilot, lambda: screen.talk_note != "computing…", "the talk figures")
        await pilot.press("end")
        await wait_until(pilot, lambda: screen._current() == 2000, "the last turn")
        await pilot.press("2", "c", *"names the impact", "enter")
        await wait_until(pilot, lambda: "Comment: names the impact" in screen_text(app), "the comment")
        await wait_until(pilot, lambda: screen._saves_written == 2, "the sidecar saved")

    app = fixed_app(make_app, start="review", review_source=source)
    assert snap_compare(app, terminal_size=size, run_before=at_the_end)
