"""The room's roster: participants join and record, the facilitator reads the room, concurrently."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coachsim.scenario.model import Scenario
from coachsim.transcript.model import Transcript, TranscriptTurn
from coachsim.workshop.roster import Roster, RosterUnavailable, find_slips, roster_path

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

AT = "2026-03-01T10:00:{:02d}+00:00"


def report(text: str, beat: str = "open", second: int = 0) -> TranscriptTurn:
    return TranscriptTurn(speaker="report", text=text, at=AT.format(second), beat=beat)


def reply(
    text: str,
    move: str,
    beat: str = "open",
    second: int = 0,
    regression: bool = False,
    cues: dict | None = None,
) -> TranscriptTurn:
    return TranscriptTurn(
        speaker="manager",
        text=text,
        at=AT.format(second),
        beat=beat,
        move=move,  # type: ignore[arg-type]
        confidence=0.9,
        cues=cues or {},
        regression=regression,
    )


def conversation(*turns: TranscriptTurn, status: str = "unfinished") -> Transcript:
    return Transcript(
        scenario="just-tell-me",
        seed=1,
        started_at=AT.format(0),
        status=status,  # type: ignore[arg-type]
        turns=list(turns),
    )


def two_beat_scenario() -> Scenario:
    """``open`` pulls for an answer ("just tell me"), ``after`` does not."""
    return Scenario.model_validate(
        {
            "id": "just-tell-me",
            "title": "Just tell me",
            "summary": "They want the answer.",
            "difficulty": 1,
            "persona": {"name": "Sam", "role": "engineer"},
            "brief": "Sam asks.",
            "goal": {"text": "Coach."},
            "max_turns": 10,
            "on_max_turns": "end",
            "start": "open",
            "beats": {
                "open": {"says": "Just tell me.", "pull": True, "next": [{"go": "after"}]},
                "after": {"says": "OK.", "next": [{"go": "end"}]},
                "end": {"ending": True, "outcome": "Done."},
            },
        }
    )


def test_a_missing_roster_is_an_empty_room(tmp_path: Path) -> None:
    roster = Roster(tmp_path / "room.sqlite3")
    assert roster.state("monday").participants == []
    assert roster.latest_room() is None
    assert not (tmp_path / "room.sqlite3").exists()  # reading creates nothing


def test_the_roster_lives_in_the_data_home(_isolated_user_data: Path) -> None:
    assert roster_path() == _isolated_user_data / "room.sqlite3"


def test_join_record_and_read_back() -> None:
    roster = Roster()
    scenario = two_beat_scenario()
    roster.join("monday", "a1", "Ada", show_name=True, scenario="just-tell-me")
    roster.join("monday", "b2", "Bo", show_name=False)
    transcript = conversation(
        report("Just tell me which one.", second=1),
        reply("What's on your mind?", "coaching", second=2),
        report("Version A or B?", beat="after", second=3),
        reply("Go with B.", "telling", beat="after", second=4, regression=True),
        status="finished",
    )
    roster.record("monday", "a1", transcript, scenario, alert="Telling after coaching")

    state = roster.state("monday")
    ada, bo = state.participants
    assert (ada.name, ada.scenario, ada.turns, ada.regressions) == ("Ada", "just-tell-me", 2, 1)
    assert ada.counts == {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 1}
    assert (ada.status, ada.last_alert) == ("finished", "Telling after coaching")
    assert (bo.turns, bo.status, bo.scenario) == (0, "practising", None)
    assert state.counts == {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 1}
    [slip] = state.slips
    assert (slip.participant_id, slip.reply, slip.kind, slip.move) == ("a1", 2, "regression", "telling")
    assert (slip.text, slip.prompt) == ("Go with B.", "Version A or B?")
    assert roster.latest_room() == "monday"
    assert roster.state("tuesday").participants == []


def test_record_is_idempotent_and_keeps_the_last_alert() -> None:
    roster = Roster()
    roster.join("monday", "a1", "Ada", show_name=True)
    transcript = conversation(report("Hi."), reply("Do this.", "telling", regression=True))
    roster.record("monday", "a1", transcript, None, alert="Try a question")
    roster.record("monday", "a1", transcript, None, alert=None)
    state = roster.state("monday")
    assert len(state.slips) == 1
    assert state.participants[0].last_alert == "Try a question"


def test_slip_kinds() -> None:
    scenario = two_beat_scenario()
    transcript = conversation(
        report("Just tell me.", second=1),
        reply("Have you thought about asking Kim?", "coaching", second=2, cues={"advice_question": True}),
        report("Seriously, which one?", second=3),
        reply("Pick B.", "telling", second=4, regression=True),  # after a pull, and a regression
        report("OK.", beat="after", second=5),
        reply("Then ship it.", "telling", beat="after", second=6),  # telling, but nothing pulled for it
        reply("Pending", "coaching", beat="after", second=7),
    )
    transcript.turns[-1].move = None  # not labelled yet: never a slip
    kinds = [(s.reply, s.kind) for s in find_slips("a1", transcript, scenario)]
    assert kinds == [(1, "advice_question"), (2, "telling_after_pull"), (2, "regression")]
    prompts = [s.prompt for s in find_slips("a1", transcript, scenario)]
    assert prompts == ["Just tell me.", "Seriously, which one?", "Seriously, which one?"]
    # without the scenario, a pull cannot be known
    assert [s.kind for s in find_slips("a1", transcript, None)] == ["advice_question", "regression"]


def test_common_slips_most_common_first() -> None:
    roster = Roster()
    scenario = two_beat_scenario()
    advice = {"advice_question": True}
    roster.record(
        "monday",
        "a1",
        conversation(report("Tell me."), reply("Why not ask Kim?", "coaching", cues=advice)),
        scenario,
        None,
    )
    roster.record(
        "monday",
        "b2",
        conversation(
            report("Tell me."),
            reply("Why not ask Kim?", "coaching", cues=advice),
            reply("Do B.", "telling", beat="after", regression=True),
        ),
        scenario,
        None,
    )
    state = roster.state("monday")
    assert state.common_slips() == [("advice_question", 2), ("regression", 1)]
    assert state.to_dict()["slips"] == {"advice_question": 2, "telling_after_pull": 0, "regression": 1}


def test_the_debrief_shows_names_only_when_allowed() -> None:
    roster = Roster()
    roster.join("monday", "a1", "Ada Lovelace", show_name=False)
    roster.join("monday", "b2", "Bo", show_name=True)
    roster.record("monday", "c3", conversation(), None, None)  # never joined: no name at all
    state = roster.state("monday")
    assert [p.shown_name(n) for n, p in enumerate(state.participants, 1)] == [
        "Participant 1",
        "Bo",
        "Participant 3",
    ]
    assert state.shown_name("a1") == "Participant 1"
    # the facilitator's own table and JSON list the names typed; the debrief uses the ones above
    assert [p.listed_name(n) for n, p in enumerate(state.participants, 1)] == [
        "Ada Lovelace",
        "Bo",
        "Participant 3",
    ]
    data = state.to_dict()
    assert [(p["name"], p["show_name"]) for p in data["participants"]] == [
        ("Ada Lovelace", False),
        ("Bo", True),
        ("Participant 3", False),
    ]


def test_rejoining_keeps_the_place_and_the_counts() -> None:
    roster = Roster()
    roster.join("monday", "a1", "Ada", show_name=False)
    roster.join("monday", "b2", "Bo", show_name=False)
    roster.record("monday", "a1", conversation(report("Hi."), reply("What else?", "coaching")), None, None)
    roster.leave("monday", "a1")
    assert roster.state("monday").participants[0].status == "left"
    roster.join("monday", "a1", "Ada", show_name=True)
    ada = roster.state("monday").participants[0]
    assert (ada.id, ada.name, ada.show_name, ada.turns, ada.status) == ("a1", "Ada", True, 1, "practising")
    roster.leave("monday", "a1", "finished")
    assert roster.state("monday").participants[0].status == "finished"
    with pytest.raises(ValueError):
        roster.leave("monday", "a1", "gone")


def test_the_latest_room_is_the_one_updated_last() -> None:
    roster = Roster()
    roster.join("monday", "a1", "Ada", show_name=False)
    roster.join("tuesday", "b2", "Bo", show_name=False)
    assert roster.latest_room() == "tuesday"
    roster.record("monday", "a1", conversation(), None, None)
    assert roster.latest_room() == "monday"


def test_the_roster_is_private(umask: int) -> None:
    roster = Roster()
    roster.join("monday", "a1", "Ada", show_name=False)
    for path in roster.db_path.parent.glob("room.sqlite3*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_damaged_roster_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "room.sqlite3"
    path.write_bytes(b"this is not a database, not at all" * 100)
    roster = Roster(path)
    for call in (
        lambda: roster.state("monday"),
        roster.latest_room,
        lambda: roster.join("m", "a", "A", False),
    ):
        with pytest.raises(RosterUnavailable) as raised:
            call()
        message = raised.value.message
        assert "room.sqlite3" in message and "damaged" in message and "move it aside" in message
        assert "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only files")
def test_a_read_only_roster_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "room.sqlite3"
    Roster(path).join("monday", "a1", "Ada", show_name=False)
    path.chmod(0o400)
    try:
        with pytest.raises(RosterUnavailable) as raised:
            Roster(path).record("monday", "a1", conversation(), None, None)
        assert "cannot update the room roster" in raised.value.message
        assert "\n" not in raised.value.message
    finally:
        path.chmod(0o600)


def test_a_roster_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "home").write_text("a file where the data home should be")
    with pytest.raises(RosterUnavailable) as raised:
        Roster(tmp_path / "home" / "room.sqlite3").join("monday", "a1", "Ada", show_name=False)
    assert "cannot create the room roster" in raised.value.message
    assert "\n" not in raised.value.message


def test_a_busy_roster_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "room.sqlite3"
    Roster(path).join("monday", "a1", "Ada", show_name=False)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(RosterUnavailable) as raised:
            Roster(path, busy_timeout=0.05).record("monday", "a1", conversation(), None, None)
        assert "busy" in raised.value.message
        assert Roster(path).state("monday").participants[0].name == "Ada"  # readers are not blocked
    finally:
        holder.execute("ROLLBACK")
        holder.close()


PROCESSES = 6
RECORDS = 15


def _participant(path: str, number: int, start: Barrier) -> None:
    """One participant's process: join, then record a growing conversation RECORDS times."""
    roster = Roster(Path(path))
    start.wait()
    roster.join("room", f"p{number}", f"Person {number}", show_name=number % 2 == 0)
    turns: list[TranscriptTurn] = []
    for n in range(1, RECORDS + 1):
        turns.append(report(f"Line {n}"))
        move = "coaching" if n % 3 else "telling"
        turns.append(reply(f"Reply {n} from {number}", move, regression=move == "telling"))
        roster.record("room", f"p{number}", conversation(*turns), None, alert=f"alert {n}")


def test_concurrent_participants_and_a_reading_room(tmp_path: Path) -> None:
    path = tmp_path / "room.sqlite3"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    workers = [
        context.Process(target=_participant, args=(str(path), number, start)) for number in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    reader, reads = Roster(path), 0
    while any(worker.is_alive() for worker in workers):
        reader.state("room")  # never raises while six processes write
        reader.latest_room()
        reads += 1
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    state = reader.state("room")
    assert sorted(p.id for p in state.participants) == [f"p{n}" for n in range(PROCESSES)]
    for participant in state.participants:
        assert participant.turns == RECORDS
        assert participant.counts == {"coaching": 10, "feedback": 0, "mentoring": 0, "telling": 5}
        assert (participant.regressions, participant.last_alert) == (5, "alert 15")
    assert len(state.slips) == PROCESSES * 5
    assert reads > 0


def test_a_participants_row_adds_up_all_their_sessions() -> None:
    """Retry starts a new conversation: the room keeps the first one's counts and slips."""
    roster = Roster()
    roster.join("monday", "a1", "Ada", show_name=True)
    first = conversation(
        report("Just tell me."), reply("Do B.", "telling", regression=True), status="finished"
    )
    roster.record("monday", "a1", first, None, alert="Telling after coaching")
    second = conversation(report("Just tell me."), reply("What's on your mind?", "coaching", second=5))
    second.started_at = AT.format(30)
    roster.record("monday", "a1", second, None, alert=None)
    roster.record("monday", "a1", second, None, alert=None)  # again: still counted once
    [ada] = roster.state("monday").participants
    assert (ada.turns, ada.regressions, ada.status) == (2, 1, "practising")
    assert ada.counts == {"coaching": 1, "feedback": 0, "mentoring": 0, "telling": 1}
    assert [s.text for s in roster.state("monday").slips] == ["Do B."]


def test_a_roster_from_before_sessions_keeps_its_counts_and_slips(tmp_path: Path) -> None:
    """A schema 1 file (one conversation per participant) is carried over on first use."""
    import sqlite3

    path = tmp_path / "room.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            """CREATE TABLE participants (seq INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL,
                id TEXT NOT NULL, name TEXT NOT NULL, show_name INTEGER NOT NULL, scenario TEXT,
                turns INTEGER NOT NULL, coaching INTEGER NOT NULL, feedback INTEGER NOT NULL,
                mentoring INTEGER NOT NULL, telling INTEGER NOT NULL, regressions INTEGER NOT NULL,
                last_alert TEXT, status TEXT NOT NULL, joined_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                UNIQUE (room, id));
            CREATE TABLE slips (room TEXT NOT NULL, participant_id TEXT NOT NULL, reply INTEGER NOT NULL,
                kind TEXT NOT NULL, text TEXT NOT NULL, prompt TEXT, move TEXT NOT NULL, at TEXT NOT NULL,
                PRIMARY KEY (room, participant_id, reply, kind));
            INSERT INTO participants VALUES (1, 'monday', 'a1', 'Ada', 1, 'just-tell-me', 3, 1, 0, 0, 2, 1,
                NULL, 'practising', 't0', 't0');
            INSERT INTO slips VALUES ('monday', 'a1', 2, 'regression', 'Do B.', 'Which?', 'telling', 't1');
            PRAGMA user_version = 1;"""
        )
    db.close()
    roster = Roster(path)
    later = conversation(report("Again?"), reply("What else?", "coaching", second=9))
    later.started_at = AT.format(40)
    roster.record("monday", "a1", later, None, alert=None)
    state = roster.state("monday")
    [ada] = state.participants
    assert (ada.turns, ada.counts["coaching"], ada.counts["telling"], ada.regressions) == (4, 2, 2, 1)
    assert [s.text for s in state.slips] == ["Do B."]
