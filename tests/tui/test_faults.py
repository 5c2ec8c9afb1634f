"""Faults a person meets while practising: a reply sent while the classifier is still loading,
quitting before it is labelled, and a disk that fills up mid-session. Nothing sent is lost."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coachsim import locations
from coachsim.transcript import store
from coachsim.tui.widgets.chat import ReplyItem

from .conftest import ready, scenario_ready, screen_text, send, type_keys, wait_until


def saved() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(locations.transcripts_dir().glob("*.json"))]


def manager_turns() -> list[dict]:
    return [t for data in saved() for t in data["turns"] if t["speaker"] == "manager"]


@pytest.fixture
def held_classifier(classifier):
    """A loader that waits until the test releases it (the classifier is "still loading")."""
    gate = threading.Event()

    def loader():
        gate.wait()
        return classifier

    yield loader, gate
    gate.set()


async def test_a_reply_is_on_disk_before_it_is_labelled(make_app, held_classifier) -> None:
    loader, gate = held_classifier
    app = make_app(start="practice", scenario_id="overwhelmed", loader=loader)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            await scenario_ready(app, pilot)
            box = app.focused
            type_keys(app, "What's on your mind?")
            await wait_until(pilot, lambda: box.text == "What's on your mind?", "the reply typed")
            await pilot.press("enter")
            await wait_until(pilot, lambda: bool(manager_turns()), "the reply saved")
            # A kill -9 now would leave exactly this file: the reply, not yet labelled.
            [turn] = manager_turns()
            assert turn["text"] == "What's on your mind?" and "move" not in turn
        finally:
            gate.set()
        item = app.screen.query_one(ReplyItem)
        await wait_until(pilot, lambda: item.settled, "the reply labelled")
        await wait_until(pilot, lambda: manager_turns()[0].get("move") == "coaching", "the label saved")
    turns = manager_turns()
    assert len(turns) == 1 and turns[0]["move"] == "coaching"  # updated, not duplicated


async def test_quitting_before_the_classifier_loads_keeps_the_reply(make_app, held_classifier) -> None:
    loader, gate = held_classifier
    app = make_app(start="practice", scenario_id="overwhelmed", loader=loader)
    async with app.run_test(size=(120, 40)) as pilot:
        await scenario_ready(app, pilot)
        box = app.focused
        type_keys(app, "And what else?")
        await wait_until(pilot, lambda: box.text == "And what else?", "the reply typed")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.screen.query(ReplyItem)), "the reply in the log")
        gate.set()  # the app waits for its loader thread on exit
        await pilot.press("ctrl+q")
    [data] = saved()
    assert data["status"] == "unfinished"
    assert [t["text"] for t in data["turns"] if t["speaker"] == "manager"] == ["And what else?"]


async def test_a_full_disk_shows_one_line_and_loses_nothing(make_app, monkeypatch) -> None:
    app = make_app(start="practice", scenario_id="overwhelmed")
    real_fsync = os.fsync
    full = threading.Event()

    def fsync(handle: int) -> None:  # the disk fills up as the transcript is flushed
        if full.is_set():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(handle)

    monkeypatch.setattr(store.os, "fsync", fsync)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await send(app, pilot, "What's on your mind?")
        full.set()
        await send(app, pilot, "And what else?")
        await wait_until(pilot, lambda: "Not saved" in screen_text(app), "the failure shown")
        assert "no space left on device" in screen_text(app).lower()
        assert not list(locations.transcripts_dir().glob(".*.tmp"))  # no half-written file left
        assert [i.text for i in app.screen.query(ReplyItem)] == ["What's on your mind?", "And what else?"]
        full.clear()  # space freed: the next save writes everything typed so far
        await send(app, pilot, "What's the real challenge here for you?")
        await wait_until(pilot, lambda: "Not saved" not in screen_text(app), "the status recovered")
    assert [t["text"] for t in manager_turns()] == [
        "What's on your mind?",
        "And what else?",
        "What's the real challenge here for you?",
    ]


def _manager_texts(folder: Path) -> list[str]:
    texts = []
    for path in folder.glob("*.json") if folder.exists() else ():
        try:
            turns = json.loads(path.read_text())["turns"]
        except FileNotFoundError:  # replaced by the next atomic save between glob and read
            continue
        texts += [t["text"] for t in turns if t["speaker"] == "manager"]
    return texts


def test_kill_9_between_send_and_label_loses_no_reply(tmp_path: Path) -> None:
    """A real process, killed with SIGKILL while its reply waits for the classifier."""
    home = tmp_path / "home"
    script = """
import threading
from coachsim.tui.app import CoachsimApp
from coachsim.tui.widgets.reply_input import ReplyInput
never = threading.Event()
app = CoachsimApp(start="practice", scenario_id="overwhelmed", loader=never.wait, seed=1)

async def drive(pilot):
    while not isinstance(app.focused, ReplyInput):
        await pilot.pause()
    app.focused.insert("What's on your mind?")
    await pilot.press("enter")
    while True:
        await pilot.pause()

import asyncio
async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await drive(pilot)
asyncio.run(main())
"""
    env = {**os.environ, locations.HOME_ENV: str(home)}
    process = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        folder = home / "transcripts"
        texts: list[str] = []
        for _ in range(6000):  # a bound on a hang, not a timing assumption: we wait on the file
            texts = _manager_texts(folder)
            if texts:
                break
            if process.poll() is not None:
                pytest.fail(f"the app exited with {process.returncode} before saving the reply")
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    assert texts == ["What's on your mind?"]


async def test_a_relabel_that_cannot_be_saved_is_shown_and_kept(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    from coachsim.review import sidecar
    from coachsim.tui.screens.review import ReviewScreen

    source = tmp_path / "notes.txt"
    source.write_text("Alex: What's on your mind?\nSam: The release.\nAlex: Just ship it.\n")

    def read_only(path, text):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(sidecar, "write_atomic", read_only)
    app = make_app(start="review", review_source=source, manager="Alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one("#turns").row_count == 3, "the turns listed")
        await pilot.press("2")  # relabel the first reply as feedback
        await wait_until(pilot, lambda: 1 in screen.review.turns, "the relabel kept in memory")
        await wait_until(pilot, lambda: "Not saved" in screen_text(app), "the failure shown")
        assert "Read-only" in screen_text(app)
        assert "FEEDBACK" in screen_text(app)
    assert not (tmp_path / "notes.txt.review.json").exists()
