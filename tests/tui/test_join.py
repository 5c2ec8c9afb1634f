"""A workshop participant's app (``coachsim serve`` runs one per browser): the join screen takes a
name and the room's scenario, practice reports to the room, and nothing opens saved sessions."""

from __future__ import annotations

import pytest

from coachsim.tui import participant_app as participant_app_module
from coachsim.tui.participant_app import ParticipantApp
from coachsim.tui.screens.join import JoinScreen
from coachsim.tui.screens.practice import PracticeScreen
from coachsim.workshop.participant import Participant
from coachsim.workshop.roster import Roster

from .conftest import FakeClock, flat, screen_text, send, type_keys, wait_until


def participant_app(classifier, scenario: str | None = "just-tell-me", name: str = "") -> ParticipantApp:
    who = Participant(room="monday", id="p1", name=name, scenario=scenario)
    return ParticipantApp(who, loader=lambda: classifier, seed=1, clock=FakeClock())


async def test_a_participant_names_themselves_practises_and_the_room_sees_it(classifier) -> None:
    app = participant_app(classifier)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen), "the join screen")
        await wait_until(pilot, lambda: "Just tell me what to do" in screen_text(app), "the room's scenario")
        await pilot.press("enter")  # no name yet
        await wait_until(pilot, lambda: "Type a name first" in screen_text(app), "asked for a name")
        type_keys(app, "Sam")
        await wait_until(pilot, lambda: app.screen.query_one("#join-name").value == "Sam", "the name typed")
        await pilot.press("tab", "space")  # allow the name in the debrief
        await pilot.press("shift+tab", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "practising")
        await wait_until(pilot, lambda: app.load_state.settled, "loaded")
        reply = await send(app, pilot, "What's on your mind?")
        assert reply.analysis.move == "coaching"
        app.participant.close()  # wait for the reports queued for the room
        [sam] = Roster().state("monday").participants
        assert (sam.name, sam.show_name, sam.turns, sam.counts["coaching"]) == ("Sam", True, 1, 1)


async def test_the_participant_app_keeps_running_through_its_garbage_collector_freezes(
    classifier, monkeypatch
) -> None:
    """The app freezes start-up's objects out of the collector's scans, then again on a timer (a
    minute in a room; here a few milliseconds). It once crashed on the timer's first tick."""
    monkeypatch.setattr(participant_app_module, "FREEZE_EVERY_S", 0.01)
    app = participant_app(classifier)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.freezes >= 3, "the start-up freeze and two timed ones")
        assert app.is_running and isinstance(app.screen, JoinScreen)


async def test_without_a_fixed_scenario_the_participant_picks_one(classifier) -> None:
    app = participant_app(classifier, scenario=None, name="Kim")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Pick a scenario" in screen_text(app), "the scenario list")
        await pilot.press("enter")  # the name came with the link: on to the list
        await wait_until(pilot, lambda: app.focused is app.screen.query_one("#join-scenarios"), "the list")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeScreen), "practising the first one")


async def test_nothing_in_the_participant_app_opens_saved_sessions(classifier) -> None:
    app = participant_app(classifier, name="Kim")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, JoinScreen), "the join screen")
        assert len(app.screen_stack) == 2 and not app.ENABLE_COMMAND_PALETTE  # no home under it
        for key in ("ctrl+p", "v", "f1"):
            await pilot.press(key)
        assert isinstance(app.screen, JoinScreen)
        assert "Recent sessions" not in flat(screen_text(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_join(snap_compare, classifier, fixed_home, size) -> None:
    async def ready(pilot) -> None:
        await wait_until(pilot, lambda: "Just tell me what to do" in screen_text(pilot.app), "the scenario")

    app = participant_app(classifier, name="Sam")
    app.services.cursor_blink = False
    assert snap_compare(app, terminal_size=size, run_before=ready)
