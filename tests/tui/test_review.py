"""A coach reviewing a meeting export: pick the manager, relabel, comment, see agreement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coachsim.tui.screens.review import ReviewScreen, SpeakerPicker
from coachsim.tui.widgets.chat import ReplyItem

from .conftest import ready, screen_text

MEETING = Path(__file__).resolve().parent.parent / "data" / "imports" / "meeting.vtt"


async def test_review_a_meeting_with_relabels_saved_to_a_sidecar(make_app, tmp_path: Path) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    app = make_app(start="review", review_source=source)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert isinstance(app.screen, SpeakerPicker)
        assert "Priya Shah" in screen_text(app)
        await pilot.press("enter")  # the first speaker, Alex Morgan
        await ready(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        items = list(app.screen.query(ReplyItem))
        assert [i.analysis.move for i in items] == ["coaching", "coaching", "telling"]
        await pilot.press("n")  # jump to the regression
        assert app.focused is items[2]
        await pilot.press("3")  # the coach calls it mentoring
        await pilot.press("c")
        await pilot.press(*"advice, not coaching")
        await pilot.press("enter")
        items[0].focus()
        await pilot.press("a")  # agree with the first label
        await pilot.pause()
        shown = screen_text(app)
        assert "coach: MENTORING" in shown and "Cohen's kappa" in shown and "2 reviewed" in shown
        await pilot.press("f")
        await pilot.pause()
        assert sum(1 for i in app.screen.query(ReplyItem) if i.display) == 2  # coaching only
    sidecar = json.loads((tmp_path / "meeting.vtt.review.json").read_text())
    assert sidecar["manager"] == "Alex Morgan"
    assert (
        sidecar["turns"]["5"]["label"] == "mentoring"
        and sidecar["turns"]["5"]["comment"] == "advice, not coaching"
    )
    assert sidecar["turns"]["1"]["label"] == "coaching"
    assert source.read_bytes() == MEETING.read_bytes()

    again = make_app(start="review", review_source=source, manager="Alex Morgan")
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(again, pilot)
        await pilot.pause()
        assert "coach: MENTORING" in screen_text(again)
