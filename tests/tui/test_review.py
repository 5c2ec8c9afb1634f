"""A coach reviewing a meeting export: read every turn, relabel, comment, watch the totals follow,
and find it all again on the next open."""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from textual.geometry import Region

from coachsim.progress.index import IndexUnavailable, ProgressIndex
from coachsim.review import sidecar
from coachsim.review.sidecar import new_review
from coachsim.transcript.model import Transcript
from coachsim.tui.screens.review import ReviewScreen, SpeakerPicker
from coachsim.tui.widgets.review_turns import TurnList

from .conftest import flat, long_meeting, ready, screen_text, wait_until

MEETING = Path(__file__).resolve().parent.parent / "data" / "imports" / "meeting.vtt"
LONG_REPORT = (
    "Honestly the launch keeps me up at night, because I have three versions of the positioning,"
    " Marcus wants the bold one, Dana wants the safe one, the customers we interviewed liked a"
    " third that nobody in the room championed, and I am the one who has to stand up on Thursday"
    " and defend whichever we pick."
)
LONG_MANAGER = (
    "So if I am hearing you right, the choice itself is not what worries you most, it is standing"
    " up on Thursday without knowing who will back you, so what would it take to walk in sure of it?"
)


def drawn(widget) -> str:
    """Every line ``widget`` draws (also those scrolled out of view), as one flat string."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return flat(" ".join(line.text for line in lines))


def review_screen(app) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def open_review(app, pilot) -> ReviewScreen:
    await ready(app, pilot)
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
    screen = review_screen(app)
    await wait_until(pilot, lambda: screen.query_one(TurnList).row_count > 0, "the turns listed")
    return screen


async def test_review_a_meeting_with_relabels_saved_and_the_manager_remembered(
    make_app, tmp_path: Path
) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    app = make_app(start="review", review_source=source)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakerPicker), "the speaker picker")
        await wait_until(pilot, lambda: "Priya Shah" in screen_text(app), "the speakers listed")
        await pilot.press("enter")  # the first speaker, Alex Morgan
        screen = await open_review(app, pilot)
        assert [a.move for a in screen.analyses.values()] == ["coaching", "coaching", "telling"]
        shown = screen_text(app)
        assert "COACHING" in shown and "TELLING" in shown and "Filter: all turns (5)" in shown
        assert "telling 1" in shown and "1 regression" in shown
        await pilot.press("n")  # jump to the regression
        await wait_until(pilot, lambda: screen._current() == 5, "the cursor on the regression")
        assert "telling.imperative" in screen_text(app)  # its breakdown in the side panel
        await pilot.press("3")  # the coach calls it mentoring
        await wait_until(pilot, lambda: "→MENTORING" in screen_text(app), "the relabel shown")
        assert "mentoring 1" in screen_text(app) and "telling 0" in screen_text(app)
        await pilot.press("c")
        await pilot.press(*"advice")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Comment: advice" in screen_text(app), "the comment shown")
        await pilot.press("home")
        await wait_until(pilot, lambda: screen._current() == 1, "the cursor on the first turn")
        await pilot.press("a")  # agree with the first label
        await wait_until(pilot, lambda: "✓ agreed" in screen_text(app), "the agreement shown")
        assert "2 reviewed" in screen_text(app) and "Cohen's kappa" in screen_text(app)
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.query_one(TurnList).row_count == 2, "coaching turns only")
        assert "Filter: coaching replies (2)" in screen_text(app)
        await wait_until(pilot, lambda: not screen.save_problem and screen._saves_written == 3, "saved")
    saved = json.loads((tmp_path / "meeting.vtt.review.json").read_text())
    assert saved["manager"] == "Alex Morgan"
    assert saved["turns"]["5"]["label"] == "mentoring" and saved["turns"]["5"]["comment"] == "advice"
    assert saved["turns"]["1"]["label"] == "coaching"
    assert source.read_bytes() == MEETING.read_bytes()

    again = make_app(start="review", review_source=source)  # no --manager: the sidecar knows
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_review(again, pilot)
        assert not any(isinstance(s, SpeakerPicker) for s in again.screen_stack)
        await wait_until(pilot, lambda: "→MENTORING" in screen_text(again), "the saved relabel shown")
        assert "Review · meeting.vtt · Alex Morgan" in screen_text(again)  # the heading


async def test_a_different_manager_than_the_sidecar_reviewed_is_one_line(make_app, tmp_path: Path) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    review = new_review(source, "Alex Morgan")
    review.relabel(1, "Hi Priya. What's on your mind?", "coaching", "coaching")
    sidecar.save_review(review, source)
    app = make_app(start="review", review_source=source, manager="Priya Shah")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.return_code is not None, "the app to exit")
    assert app.return_code == 2


async def test_regressions_and_the_mix_follow_the_coachs_labels(make_app, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(
        "Alex: What's on your mind?\nSam: The release.\nAlex: Just ship it.\n"
        "Sam: Okay.\nAlex: Tell Dana today.\n",
        encoding="utf-8",
    )
    app = make_app(start="review", review_source=source, manager="Alex")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.totals.regressions == (3, 5)
        await wait_until(pilot, lambda: "2 regressions" in screen_text(app), "two regressions")
        await pilot.press("4")  # the first reply was not coaching after all: it is telling
        await wait_until(pilot, lambda: "0 regressions" in screen_text(app), "no regression left")
        assert screen.totals.regressions == () and "telling 3" in screen_text(app)
        assert "⚠" not in "".join(screen.query_one(TurnList).render_line(y).text for y in range(5))
        await pilot.press("0")  # clear the label: back to the classifier's
        await wait_until(pilot, lambda: "2 regressions" in screen_text(app), "the regressions back")
        await pilot.press("n")
        await wait_until(pilot, lambda: screen._current() == 3, "the first regression")
        await pilot.press("n")
        await wait_until(pilot, lambda: screen._current() == 5, "the second regression")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_long_turns_by_both_speakers_read_in_full(make_app, tmp_path: Path, size) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(
        f"Alex: What's on your mind?\nSam: {LONG_REPORT}\nAlex: {LONG_MANAGER}\n", encoding="utf-8"
    )
    app = make_app(start="review", review_source=source, manager="Alex")
    async with app.run_test(size=size) as pilot:
        screen = await open_review(app, pilot)
        shown = drawn(screen.query_one(TurnList))
        assert f"2 Sam {LONG_REPORT}" in shown and f"COACHING {LONG_MANAGER}" in shown
        await pilot.press("down")
        await wait_until(pilot, lambda: screen._current() == 2, "the report's long turn selected")
        assert "Turn 2 · Sam" in screen_text(app)
        assert LONG_REPORT in drawn(screen.query_one("#detail"))


async def test_at_80x24_the_breakdown_comment_box_and_kappa_are_reachable(make_app, tmp_path: Path) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    app = make_app(start="review", review_source=source, manager="Alex Morgan")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.has_class("-narrow")
        await pilot.press("n")
        await wait_until(
            pilot, lambda: "telling.imperative" in screen_text(app), "the breakdown under the list"
        )
        await pilot.press("4")
        assert "kappa" in screen_text(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: "Comment on this reply" in screen_text(app), "the comment box")
        await pilot.press("escape")
        await pilot.press("t")
        await wait_until(pilot, lambda: "Cohen's kappa" in screen_text(app), "the totals pane")
        assert "rows: you" in screen_text(app)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: "clear your label" in screen_text(app), "the review's keys in help")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.has_class("show-help"), "help closed")


async def test_a_failed_save_is_one_line_and_the_edit_is_kept(make_app, tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    real_write = sidecar.write_atomic

    def disk_full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(sidecar, "write_atomic", disk_full)
    app = make_app(start="review", review_source=source, manager="Alex Morgan")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: "Not saved" in screen_text(app), "the failure shown")
        problem = [line for line in screen_text(app).splitlines() if "Not saved" in line]
        assert len(problem) == 1 and "No space left on device" in problem[0]
        assert screen.review.turns[1].label == "feedback" and "→FEEDBACK" in screen_text(app)
        monkeypatch.setattr(sidecar, "write_atomic", real_write)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" not in screen_text(app), "the retry saved")
    assert json.loads((tmp_path / "meeting.vtt.review.json").read_text())["turns"]["1"]["label"] == "feedback"


async def test_each_save_is_recorded_in_the_progress_index(make_app, tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "meeting.vtt"
    shutil.copy(MEETING, source)
    recorded: list[tuple[Path, int]] = []

    def record_review(self, path, transcript, review) -> None:
        recorded.append((path, len(review.labelled)))
        if len(recorded) > 1:
            raise IndexUnavailable("cannot write the progress index: disk full")

    monkeypatch.setattr(ProgressIndex, "record_review", record_review, raising=False)
    app = make_app(start="review", review_source=source, manager="Alex Morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: recorded == [(source, 1)], "the review recorded")
        await pilot.press("down", "down", "a")
        await wait_until(
            pilot, lambda: "Progress not updated" in screen_text(app), "one line about the index"
        )
        line = [row for row in screen_text(app).splitlines() if "Progress not updated" in row]
        assert len(line) == 1 and "disk full" in line[0] and isinstance(app.screen, ReviewScreen)
        assert "Not saved" not in screen_text(app)  # the sidecar itself was saved


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_2000_turn_meeting_opens_scrolls_relabels_and_takes_a_comment(
    make_app, classifier, tmp_path: Path, size: tuple[int, int]
) -> None:
    from coachsim.transcript.importers import read_conversation

    source = long_meeting(classifier, tmp_path)
    transcript = read_conversation(source).transcript
    assert isinstance(transcript, Transcript) and len(transcript.turns) == 2000
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        started = time.perf_counter()
        await app.push_screen(ReviewScreen(transcript, source, new_review(source, None)))
        screen = review_screen(app)
        await wait_until(pilot, lambda: "Hi Priya" in screen_text(app), "the first turns on screen")
        first_frame = time.perf_counter() - started
        assert "Filter: all turns (2,000)" in screen_text(app)
        await pilot.press("end")
        await wait_until(pilot, lambda: screen._current() == 2000, "the last turn")
        await wait_until(pilot, lambda: "2000" in screen_text(app), "the last turn on screen")
        started = time.perf_counter()
        await pilot.press("1")
        await wait_until(pilot, lambda: "→COACHING" in screen_text(app), "the relabel on screen")
        relabel = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("pageup")
        page = time.perf_counter() - started
        await pilot.press("p")  # the regression before: a manager reply, whatever the page size
        await pilot.press("c", *"reads as advice", "enter")
        await wait_until(pilot, lambda: "Comment: reads as advice" in screen_text(app), "the comment shown")
        await wait_until(pilot, lambda: screen._saves_written >= 2, "the relabel and the comment saved")
        await pilot.press("f")
        await wait_until(pilot, lambda: "Filter: coaching replies" in screen_text(app), "filtered")
    saved = json.loads(sidecar.sidecar_path(source).read_text(encoding="utf-8"))
    assert [t["comment"] for t in saved["turns"].values() if t["comment"]] == ["reads as advice"]
    relabel_ms, page_ms = relabel * 1000, page * 1000
    print(f"\n2,000 turns: first frame {first_frame:.2f}s, relabel {relabel_ms:.0f}ms, page {page_ms:.0f}ms")
