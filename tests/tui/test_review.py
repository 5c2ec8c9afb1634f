"""A coach reviewing a meeting export: pick the manager, relabel, comment, see agreement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coachsim.tui.screens.review import ReviewScreen, SpeakerPicker

from .conftest import ready, screen_text, wait_until

MEETING = Path(__file__).resolve().parent.parent / "data" / "imports" / "meeting.vtt"


async def test_review_a_meeting_with_relabels_saved_to_a_sidecar(make_app, tmp_path: Path) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    app = make_app(start="review", review_source=source)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakerPicker), "the speaker picker")
        await wait_until(pilot, lambda: "Priya Shah" in screen_text(app), "the speakers listed")
        await pilot.press("enter")  # the first speaker, Alex Morgan
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one("#turns").row_count > 0, "the turns listed")
        assert [a.move for a in screen.analyses.values()] == ["coaching", "coaching", "telling"]
        shown = screen_text(app)
        assert "COACHING" in shown and "TELLING" in shown
        await pilot.press("n")  # jump to the regression
        await wait_until(pilot, lambda: screen._current() == 5, "the cursor on the regression")
        assert "telling.imperative" in screen_text(app)  # its breakdown in the side panel
        await pilot.press("3")  # the coach calls it mentoring
        await wait_until(pilot, lambda: 5 in screen.review.turns, "the relabel recorded")
        await pilot.press("c")
        await pilot.press(*"advice")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.review.turns[5].comment == "advice", "the comment recorded")
        screen.query_one("#turns").move_cursor(row=0)
        await wait_until(pilot, lambda: screen._current() == 1, "the cursor on the first turn")
        await pilot.press("a")  # agree with the first label
        await wait_until(pilot, lambda: 1 in screen.review.turns, "the agreement recorded")
        shown = screen_text(app)
        assert "MENTORING ✎" in shown and "Cohen's kappa" in shown and "2 reviewed" in shown
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.query_one("#turns").row_count == 2, "coaching turns only")
    sidecar = json.loads((tmp_path / "meeting.vtt.review.json").read_text())
    assert sidecar["manager"] == "Alex Morgan"
    assert sidecar["turns"]["5"]["label"] == "mentoring" and sidecar["turns"]["5"]["comment"] == "advice"
    assert sidecar["turns"]["1"]["label"] == "coaching"
    assert source.read_bytes() == MEETING.read_bytes()

    again = make_app(start="review", review_source=source, manager="Alex Morgan")
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(again, pilot)
        await wait_until(pilot, lambda: "MENTORING ✎" in screen_text(again), "the saved relabel shown")
