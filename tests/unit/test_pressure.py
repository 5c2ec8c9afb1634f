"""Pressure mode's rules: time limits, what the report says at zero, the reply clock, the history."""

from __future__ import annotations

import pytest

from coachsim.errors import CoachsimError, DataFileError
from coachsim.progress.index import SessionRecord
from coachsim.progress.pressure import compare_pressure, comparison_line
from coachsim.scenario.loader import load_catalog
from coachsim.scenario.model import Beat
from coachsim.scenario.pressure import (
    PressureSettings,
    ReplyClock,
    check_seconds,
    load_settings,
    push_line,
    seconds_for,
)
from coachsim.scenario.session import Session, SessionEnded

SETTINGS = PressureSettings(
    seconds_by_difficulty={1: 45, 2: 35, 3: 25},
    pushes=[["first push."], ["second push."], ["third push.", "third, again."]],
)


@pytest.fixture(scope="module")
def scenario():
    return load_catalog(()).get("just-tell-me").scenario


def beat(**fields) -> Beat:
    return Beat(says=["So which one?"], next=[{"go": "x"}], **fields)


def test_the_shipped_settings_load_and_get_shorter_with_difficulty() -> None:
    settings = load_settings()
    assert settings.seconds_for(1) > settings.seconds_for(2) > settings.seconds_for(3)
    assert all(lines for lines in settings.pushes)


def test_seconds_asked_then_the_scenarios_then_its_difficultys(scenario) -> None:
    assert seconds_for(scenario, 12) == 12
    assert seconds_for(scenario) == load_settings().seconds_for(scenario.difficulty)
    own = scenario.model_copy(update={"pressure_seconds": 50})
    assert seconds_for(own) == 50 and seconds_for(own, 10) == 10
    assert seconds_for(None) == load_settings().seconds_for(2)


@pytest.mark.parametrize("seconds", [0, 4, 601, -1])
def test_a_limit_out_of_range_is_one_clear_line(seconds: int) -> None:
    with pytest.raises(CoachsimError, match="must be 5 to 600 seconds"):
        check_seconds(seconds)


def test_a_pull_beat_repeats_its_line_then_pushes_harder() -> None:
    pull = beat(pull=True)
    first = push_line(pull, 1, "s", repeat="So which one?", settings=SETTINGS)
    assert first == "first push. So which one?"
    assert push_line(pull, 2, "s", repeat="So which one?", settings=SETTINGS) == "second push."
    assert push_line(pull, 9, "s", settings=SETTINGS) in {"third push.", "third, again."}


def test_a_beat_that_is_not_a_pull_only_pushes() -> None:
    assert push_line(beat(), 1, "s", repeat="So which one?", settings=SETTINGS) == "first push."


def test_a_beats_own_pressed_lines_come_first_and_the_last_repeats() -> None:
    own = beat(pull=True, pressed=["Please?", "I really need this."])
    lines = [push_line(own, n, "s", repeat="So which one?", settings=SETTINGS) for n in (1, 2, 3)]
    assert lines == ["Please?", "I really need this.", "I really need this."]


def test_pushes_are_the_same_for_the_same_seed() -> None:
    picks = {push_line(beat(), 3, "seed-1", settings=SETTINGS) for _ in range(5)}
    assert len(picks) == 1


def test_an_ending_beat_has_no_pressed_lines() -> None:
    with pytest.raises(ValueError, match="no `pressed` lines"):
        Beat(ending=True, outcome="done", pressed=["wait"])


def test_a_bad_settings_file_is_a_located_error(tmp_path) -> None:
    bad = tmp_path / "pressure.yaml"
    bad.write_text("seconds_by_difficulty: {1: 45}\npushes: [[]]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"pressure\.yaml.*pushes"):
        load_settings(bad)


def test_the_reply_clock_counts_down_pauses_and_expires() -> None:
    now = [0.0]
    clock = ReplyClock(10, lambda: now[0])
    assert clock.remaining() is None and not clock.expired
    clock.start()
    now[0] = 4
    assert clock.remaining() == 6
    clock.pause()
    now[0] = 100  # a dialog open for a long time
    assert clock.remaining() == 6 and not clock.expired
    clock.resume()
    now[0] = 105.5
    assert clock.remaining() == 0.5
    now[0] = 107
    assert clock.remaining() == 0 and clock.expired
    clock.stop()
    assert clock.remaining() is None and not clock.expired


def test_a_session_presses_on_the_same_beat_and_a_reply_resets_the_pushes(scenario, classifier) -> None:
    session = Session(scenario, classifier, seed=3, pressure_s=20)
    opening = session.opening()
    first = session.press()
    second = session.press()
    assert first.endswith(opening) and second != first
    turns = session.transcript().turns
    assert [t.pressed for t in turns] == [None, True, True]
    assert session.beat_id == scenario.start and session.turns_taken == 0
    turn = session.reply("What's on your mind?", timed_out=True)
    assert turn.reply.move == "coaching"
    assert session.transcript().turns[3].timed_out is True
    assert session.beat.pull and not session.beat.pressed
    after = session.press()  # a new pull beat: the first push again, repeating its line
    assert turn.report_line and after.endswith(turn.report_line)
    data = session.transcript().to_dict()
    assert data["pressure_s"] == 20


def test_press_after_the_end_raises(scenario, classifier) -> None:
    session = Session(scenario, classifier)
    session.opening()
    session.end()
    with pytest.raises(SessionEnded):
        session.press()


def record(pressure: int | None, **counts: int) -> SessionRecord:
    full = {"coaching": 0, "feedback": 0, "mentoring": 0, "telling": 0, **counts}
    return SessionRecord(
        path="p",
        scenario="s",
        started_at="2026-01-01T00:00:00",
        ended_at=None,
        status="finished",
        ending=None,
        replies=sum(full.values()),
        counts=full,
        regressions=0,
        turns_to_first_telling=None,
        goal_met=None,
        pressure_s=pressure,
    )


def test_the_history_compares_the_mix_with_and_without_pressure() -> None:
    records = [record(None, coaching=6, telling=2), record(20, coaching=1, telling=3), record(30)]
    comparison = compare_pressure([*records, record(None, coaching=2)])
    assert comparison.pressed.sessions == 1  # the empty session counts for neither side
    assert comparison.pressed.share("telling") == 0.75
    assert comparison.unpressed.sessions == 2 and comparison.unpressed.share("coaching") == 0.8
    line = comparison_line(comparison)
    assert line == (
        "Under pressure: coaching 25%, telling 75% (4 replies, 1 session)"
        " · without: coaching 80%, telling 20% (10 replies, 2 sessions)"
    )
    assert comparison.to_dict()["with_pressure"]["counts"]["telling"] == 3


def test_nothing_to_compare_without_both_sides() -> None:
    assert comparison_line(compare_pressure([record(None, coaching=3)])) is None
