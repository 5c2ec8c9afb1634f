"""The facilitator's room view: participants join and reply, the room shows it, the debrief
walks through the slips one at a time; and ``coachsim room --json``.

Snapshots: ``uv run pytest tests/tui/test_room.py --snapshot-update``, then look at every one.
"""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable

from coachsim.errors import CoachsimError
from coachsim.scenario.loader import load_catalog
from coachsim.scenario.model import Scenario
from coachsim.transcript.model import Transcript, TranscriptTurn
from coachsim.tui.room_app import EMPTY_ROOM, NO_ROOM, RoomApp
from coachsim.workshop.roster import Roster

from .conftest import flat, screen_text, wait_until

SIZES = [(80, 24), (120, 40)]
#: Long enough that no poll fires during a test: the tests ask for each read themselves.
NEVER = 3600.0


def report(text: str, beat: str = "opening") -> TranscriptTurn:
    return TranscriptTurn(speaker="report", text=text, at="2026-03-01T10:00:00+00:00", beat=beat)


def reply(
    text: str, move: str, second: int, beat: str = "opening", regression: bool = False, advice: bool = False
) -> TranscriptTurn:
    return TranscriptTurn(
        speaker="manager",
        text=text,
        at=f"2026-03-01T10:00:{second:02d}+00:00",
        beat=beat,
        move=move,  # type: ignore[arg-type]
        confidence=0.9,
        cues={"advice_question": True} if advice else {},
        regression=regression,
    )


def conversation(*turns: TranscriptTurn) -> Transcript:
    return Transcript(
        scenario="just-tell-me", seed=1, started_at="2026-03-01T10:00:00+00:00", turns=list(turns)
    )


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_catalog((), include_user=False).get("just-tell-me").scenario


ADA = conversation(
    report("I need an answer on the launch plan."),
    reply("What's on your mind about it?", "coaching", 1),
    report("Which version would you pick?"),
    reply("Go with version B.", "telling", 3, regression=True),
)
BO = conversation(
    report("I need an answer on the launch plan."),
    reply("Have you thought about asking Marcus?", "coaching", 2, advice=True),
)


def seeded(scenario: Scenario) -> Roster:
    """Ada (name hidden) has told after coaching; Bo (name shown) asked advice as a question."""
    roster = Roster()
    roster.join("monday", "ada", "Ada", show_name=False, scenario="just-tell-me")
    roster.join("monday", "bo", "Bo Chen", show_name=True, scenario="just-tell-me")
    roster.record("monday", "ada", ADA, scenario, "Telling after coaching")
    roster.record("monday", "bo", BO, scenario, "Advice dressed as a question")
    return roster


async def shown(pilot, app: RoomApp, *texts: str) -> str:
    """Wait until the screen shows every one of ``texts``; returns the screen's text."""

    def there() -> bool:
        screen = flat(screen_text(app))
        return all(text in screen for text in texts)

    await wait_until(pilot, there, f"the screen showing {texts}")
    return screen_text(app)


async def test_the_room_shows_each_participant(scenario) -> None:
    app = RoomApp("monday", roster=seeded(scenario), poll_s=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(
            pilot,
            app,
            "Ada",  # the facilitator's table lists both
            "Bo Chen",
            "2 participants",
            "just-tell-me",
            "coaching 2 · feedback 0 · mentoring 0 · telling 1",
            "advice dressed as a question ×1 · telling after a pull ×1 · regression ×1",
            "Telling after coaching",
            "practising",
        )


async def test_a_new_reply_updates_its_row(scenario) -> None:
    roster = seeded(scenario)
    app = RoomApp("monday", roster=roster, poll_s=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, app, "Bo Chen", "Advice dressed as a question")
        longer = conversation(*BO.turns, report("Fine."), reply("What else?", "coaching", 9))
        longer.status = "finished"
        roster.record("monday", "bo", longer, scenario, "Nice: a Coaching Habit question")
        app.refresh_room()
        text = await shown(pilot, app, "Nice: a Coaching Habit question", "finished")
        assert "coaching 3" in text


async def test_the_room_reads_the_roster_on_its_own(scenario) -> None:
    roster = seeded(scenario)
    app = RoomApp("monday", roster=roster, poll_s=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, app, "Bo Chen")
        roster.leave("monday", "ada")
        await shown(pilot, app, "left")  # the next poll brings it, no refresh asked


async def test_the_debrief_shows_one_slip_at_a_time(scenario) -> None:
    app = RoomApp("monday", roster=seeded(scenario), poll_s=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, app, "Bo Chen")
        await pilot.press("d")
        first = await shown(pilot, app, "1 of 2", "Bo Chen · advice dressed as a question · reply 1")
        assert "“Have you thought about asking Marcus?”" in first and "COACHING" in first
        assert "The other person said “I need an answer on the launch plan.”" in flat(first)
        await pilot.press("n")
        second = await shown(
            pilot, app, "2 of 2", "Participant 1 · telling after a pull, regression · reply 2"
        )
        assert "“Which version would you pick?”" in second and "TELLING" in second
        assert "Ada" not in str(app.query_one("#debrief").render())  # she did not allow her name
        await pilot.press("p")
        await shown(pilot, app, "1 of 2")
        await pilot.press("d")  # d again moves on, like n
        await shown(pilot, app, "2 of 2")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.query_one("#debrief").display, "the debrief closed")
        assert "2 of 2" not in screen_text(app)


async def test_with_no_room_given_the_latest_one_is_shown(scenario) -> None:
    roster = seeded(scenario)
    roster.join("tuesday", "cy", "Cy", show_name=True)
    app = RoomApp(None, roster=roster, poll_s=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, app, "tuesday", "1 participant", "Cy")
        assert app.room == "tuesday"


async def test_no_room_at_all_says_how_to_start_one() -> None:
    app = RoomApp(None, roster=Roster(), poll_s=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, app, NO_ROOM)
        await pilot.press("d")  # nothing to debrief: no crash
        await shown(pilot, app, "No regressions or slips yet.")


async def test_an_empty_room_says_how_people_join() -> None:
    app = RoomApp("monday", roster=Roster(), poll_s=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, app, "0 participants", flat(EMPTY_ROOM))


async def test_a_damaged_roster_is_one_line_and_the_view_stays(tmp_path) -> None:
    path = tmp_path / "room.sqlite3"
    path.write_bytes(b"not a database " * 200)
    app = RoomApp("monday", roster=Roster(path), poll_s=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, app, "is damaged", "move it aside")
        path.unlink()
        app.refresh_room()
        await shown(pilot, app, "0 participants")
        assert "damaged" not in screen_text(app)


async def test_names_and_replies_are_never_markup(scenario) -> None:
    roster = Roster()
    roster.join("monday", "x", "[bold red]Eve\x1b[2J", show_name=True)
    roster.record(
        "monday", "x", conversation(report("[link]hi"), reply("[b]Do[/b] it.", "telling", 1)), scenario, None
    )
    app = RoomApp("monday", roster=roster, poll_s=NEVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, app, "[bold red]Eve\\x1")  # cut to fit the column
        await pilot.press("d")
        await shown(pilot, app, "[bold red]Eve\\x1b[2J · telling", "“[b]Do[/b] it.”", "“[link]hi”")


def crowd(roster: Roster, scenario: Scenario) -> None:
    """Five more people, two of them on another scenario, one finished."""
    for number in range(3, 8):
        roster.join("monday", f"p{number}", f"Person {number}", show_name=number % 2 == 0)
        transcript = conversation(*(ADA if number % 3 else BO).turns)
        if number in (4, 7):
            transcript.scenario = "missed-deadline"
        roster.record("monday", f"p{number}", transcript, scenario, "Advice dressed as a question")
    roster.leave("monday", "p5", "finished")


@pytest.mark.parametrize("everyone_on_one_scenario", [True, False])
@pytest.mark.parametrize("size", SIZES)
async def test_the_table_fits_the_terminal(scenario, size, everyone_on_one_scenario) -> None:
    roster = seeded(scenario)
    if not everyone_on_one_scenario:
        crowd(roster, scenario)
    app = RoomApp("monday", roster=roster, poll_s=NEVER)
    async with app.run_test(size=size) as pilot:
        text = await shown(pilot, app, "Bo Chen", "Last alert")
        table = app.query_one("#room-table", DataTable)
        assert table.virtual_size.width <= table.size.width  # no sideways scrolling
        assert ("Scenario" in text) is not everyone_on_one_scenario


async def room_with_debrief(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.reads > 0 and app.state is not None, "the room read")
    await pilot.pause()
    await pilot.press("d")
    await pilot.press("n")
    await wait_until(pilot, lambda: app.debrief_at == 1, "the second moment open")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_room(snap_compare, scenario, size) -> None:
    app = RoomApp("monday", roster=seeded(scenario), poll_s=NEVER)
    assert snap_compare(app, terminal_size=size, run_before=room_with_debrief)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_room_on_a_projector(snap_compare, scenario, size) -> None:
    roster = seeded(scenario)
    crowd(roster, scenario)
    app = RoomApp("monday", projector=True, roster=roster, poll_s=NEVER)
    assert snap_compare(app, terminal_size=size, run_before=room_with_debrief)


def test_room_as_json(scenario, capsys) -> None:
    from coachsim.cli.room_cmd import show_room

    seeded(scenario)
    assert show_room("monday", as_json=True, projector=False) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["room"] == "monday"
    assert [p["name"] for p in data["participants"]] == ["Ada", "Bo Chen"]
    assert data["participants"][0] == {
        "name": "Ada",
        "show_name": False,
        "scenario": "just-tell-me",
        "turns": 2,
        "counts": {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 1},
        "regressions": 1,
        "status": "practising",
        "last_alert": "Telling after coaching",
    }
    assert data["counts"] == {"coaching": 2, "feedback": 0, "mentoring": 0, "telling": 1}
    assert data["slips"] == {"advice_question": 1, "telling_after_pull": 1, "regression": 1}
    assert show_room(None, as_json=True, projector=False) == 0  # the latest room
    assert json.loads(capsys.readouterr().out)["room"] == "monday"


def test_room_as_json_with_no_room_at_all() -> None:
    from coachsim.cli.room_cmd import show_room

    with pytest.raises(CoachsimError, match="no room yet: start one with `coachsim serve`"):
        show_room(None, as_json=True, projector=False)
