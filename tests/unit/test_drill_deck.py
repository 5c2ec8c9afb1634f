"""The drill deck: sessions built from your slips (then the pack), cards moved by Leitner boxes
and kept in the progress database, rebuilt from the append-only log. Fixed clock throughout."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coachsim import locations
from coachsim.drill.deck import Deck, LogEntry, drills_log_path, parse_line, replay
from coachsim.drill.moments import Moment, known_moments, pack_moments
from coachsim.errors import CoachsimError
from coachsim.practice import open_index
from coachsim.scenario.loader import Catalog, load_catalog
from tests.factories import session_dict

DAY1 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = DAY1.date()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def save_session(name: str, *lines: tuple[str, str]) -> Path:
    """A saved just-tell-me transcript: a coaching reply, then each (report line, regression) pair."""
    turns: list[dict[str, Any]] = [
        {"speaker": "report", "text": "Hi.", "at": ""},
        {
            "speaker": "manager",
            "text": "What's on your mind?",
            "at": "",
            "move": "coaching",
            "confidence": 0.9,
        },
    ]
    for said, answer in lines:
        turns.append({"speaker": "report", "text": said, "at": ""})
        turns.append(
            {
                "speaker": "manager",
                "text": answer,
                "at": "",
                "move": "telling",
                "confidence": 0.9,
                "regression": True,
            }
        )
    data = session_dict()
    data["turns"] = turns
    path = locations.transcripts_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def log_lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in drills_log_path().read_text().splitlines()]


def test_a_brand_new_user_drills_the_packs_pull_moments(catalog: Catalog) -> None:
    deck = Deck.open()
    moments = known_moments(locations.transcripts_dir(), catalog)
    session = deck.session(moments, today=TODAY)
    assert len(session) == 5 and session == pack_moments(catalog)[:5]
    assert deck.cards() == [] and deck.due_count(TODAY) == 0


def test_two_saved_sessions_with_regressions_give_those_exact_moments_first(catalog: Catalog) -> None:
    save_session("20260301-100000-just-tell-me.json", ("Can you just decide?", "Ship it Friday."))
    save_session(
        "20260301-110000-just-tell-me.json",
        ("Priya won't answer.", "Email her boss."),
        ("And the demo?", "Cancel it."),
    )
    moments = known_moments(locations.transcripts_dir(), catalog)
    session = Deck.open().session(moments, today=TODAY)
    assert [m.prompt for m in session[:3]] == ["Can you just decide?", "Priya won't answer.", "And the demo?"]
    assert all(m.slipped_move == "telling" for m in session[:3])
    assert [m.from_pack for m in session] == [False, False, False, True, True]


def moment(n: int, pack: bool = False) -> Moment:
    source = f"pack:s:b{n}" if pack else f"/t/{n}.json"
    return Moment(id=f"m{n}", source=source, scenario="s", persona="P", reminder="r", prompt=f"line {n}")


def test_passing_and_slipping_move_the_cards_as_the_boxes_say() -> None:
    deck = Deck.open()
    passed = deck.record("m1", "coaching", DAY1)
    slipped = deck.record("m2", "mentoring", DAY1)
    assert (passed.box, passed.due) == (2, date(2026, 3, 5))
    assert (slipped.box, slipped.due) == (1, date(2026, 3, 3))
    assert deck.due_count(TODAY) == 0
    assert deck.due_count(date(2026, 3, 3)) == 1 and deck.due_count(date(2026, 3, 5)) == 2
    again = deck.record("m1", "coaching", datetime(2026, 3, 5, 9, tzinfo=UTC))
    assert (again.box, again.due) == (3, date(2026, 3, 12))
    back = deck.record("m1", "telling", datetime(2026, 3, 12, 9, tzinfo=UTC))
    assert (back.box, back.due) == (1, date(2026, 3, 13))
    assert [h.move for h in back.history] == ["coaching", "coaching", "telling"]
    assert Deck.open().cards() == [slipped, back]  # soonest due first, read back from the table
    assert log_lines()[0] == {"moment": "m1", "at": "2026-03-02T08:00:00+00:00", "move": "coaching"}


def test_a_session_puts_due_cards_first_oldest_due_then_new_slips_then_the_pack() -> None:
    deck = Deck.open()
    deck.record("m3", "telling", DAY1)  # due 3 March
    deck.record("m1", "telling", DAY1 - timedelta(days=3))  # due 28 February
    deck.record("m2", "coaching", DAY1)  # box 2, due 5 March: not today
    deck.record(
        "m7",
        "telling",
        DAY1,
    )  # pack card, due 3 March
    moments = [
        moment(1),
        moment(2),
        moment(3),
        moment(4),
        moment(5),
        moment(6, pack=True),
        moment(7, pack=True),
    ]
    session = deck.session(moments, n=5, today=date(2026, 3, 3))
    assert [m.id for m in session] == ["m1", "m3", "m7", "m4", "m5"]
    assert [m.id for m in deck.session(moments, n=10, today=date(2026, 3, 3))] == [
        "m1",
        "m3",
        "m7",
        "m4",
        "m5",
        "m6",
    ]
    assert [m.id for m in deck.session(moments, n=3, today=TODAY)] == ["m1", "m4", "m5"]


def test_the_table_is_rebuilt_from_the_log_when_it_is_lost() -> None:
    deck = Deck.open()
    deck.record("m1", "coaching", DAY1)
    deck.record("m1", "coaching", DAY1 + timedelta(days=3))
    deck.record("m2", "telling", DAY1)
    before = deck.cards()
    with sqlite3.connect(locations.progress_db_path()) as db:
        db.execute("DROP TABLE drill_cards")
        db.execute("DROP TABLE drill_meta")
    assert Deck.open().cards() == before
    locations.progress_db_path().unlink()
    assert Deck.open().cards() == before


def test_a_log_ahead_of_the_table_is_replayed_and_a_torn_last_line_is_skipped() -> None:
    Deck.open().record("m1", "coaching", DAY1)
    with drills_log_path().open("a") as log:  # another machine's answer, then a crash mid-line
        log.write(
            '{"moment": "m2", "at": "2026-03-02T09:00:00+00:00", "move": "telling"}\n{"moment": "m3", "at'
        )
    deck = Deck.open()
    assert [c.id for c in deck.cards()] == ["m2", "m1"]
    deck.record("m4", "coaching", DAY1)
    assert Deck.open().card("m4") is not None and log_lines  # the new line stands on its own
    assert drills_log_path().read_text().splitlines()[-1].startswith('{"moment": "m4"')


def test_reset_forgets_one_card_for_good_and_an_unknown_id_is_one_line_error() -> None:
    deck = Deck.open()
    deck.record("m1", "telling", DAY1)
    deck.record("m2", "telling", DAY1)
    with pytest.raises(CoachsimError, match="no drill card 'nope'; `coachsim drill --list`"):
        deck.reset("nope")
    deck.reset("m1", at=DAY1)
    assert [c.id for c in deck.cards()] == ["m2"]
    assert log_lines()[-1] == {"moment": "m1", "at": "2026-03-02T08:00:00+00:00", "move": "reset"}
    locations.progress_db_path().unlink()
    assert [c.id for c in Deck.open().cards()] == ["m2"]  # the reset is replayed too
    fresh = Deck.open().record("m1", "coaching", DAY1 + timedelta(days=1))
    assert fresh.box == 2 and len(fresh.history) == 1


def test_an_unknown_move_records_nothing() -> None:
    deck = Deck.open()
    with pytest.raises(CoachsimError, match="is not a move"):
        deck.record("m1", "shouting", DAY1)
    assert deck.cards() == [] and not drills_log_path().exists()


def test_the_deck_and_the_progress_index_share_the_database_without_touching_each_other() -> None:
    save_session("20260301-100000-just-tell-me.json", ("Decide?", "Ship it."))
    Deck.open().record("m1", "telling", DAY1)
    index = open_index()  # sees a database without its tables: builds them, leaves the deck's alone
    assert len(index.sessions()) == 1
    assert [c.id for c in Deck.open().cards()] == ["m1"]
    assert len(open_index().sessions()) == 1 and not open_index().rebuilt


def test_the_log_is_private() -> None:
    Deck.open().record("m1", "telling", DAY1)
    assert stat.S_IMODE(drills_log_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(locations.progress_db_path().stat().st_mode) == 0o600


def test_a_damaged_database_is_one_line_error_and_the_index_rebuild_brings_the_cards_back() -> None:
    Deck.open().record("m1", "telling", DAY1)
    locations.progress_db_path().write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{locations.progress_db_path()}{suffix}").unlink(missing_ok=True)
    with pytest.raises(CoachsimError, match="is damaged; run `coachsim progress --rebuild`") as raised:
        Deck.open()
    assert "\n" not in raised.value.message
    open_index().rebuild()
    assert [c.id for c in Deck.open().cards()] == ["m1"]


def test_a_hold_and_an_unsure_label_are_logged_and_replay_reproduces_pass_slip_and_hold() -> None:
    deck = Deck.open()
    deck.record("m1", "coaching", DAY1)  # pass: box 2
    held = deck.record("m1", "feedback", DAY1 + timedelta(days=3))  # hold: box 2, back the next day
    assert (held.box, held.due) == (2, date(2026, 3, 6))
    unsure = deck.record("m1", "telling", DAY1 + timedelta(days=4), uncertain=True)  # hold, not a slip
    assert (unsure.box, unsure.due) == (2, date(2026, 3, 7))
    slipped = deck.record("m2", "mentoring", DAY1)  # slip: box 1
    assert log_lines()[2] == {
        "moment": "m1",
        "at": "2026-03-06T08:00:00+00:00",
        "move": "telling",
        "uncertain": True,
    }
    assert "uncertain" not in log_lines()[1]  # a sure label writes the line as before
    locations.progress_db_path().unlink()
    rebuilt = Deck.open()
    assert rebuilt.card("m1") == unsure and rebuilt.card("m2") == slipped
    assert [a.outcome for a in unsure.history] == ["pass", "hold", "hold"]
    entries = [parse_line(line) for line in drills_log_path().read_text().splitlines()]
    assert replay(e for e in entries if e is not None) == {"m1": unsure, "m2": slipped}


def test_log_lines_without_uncertain_still_parse_and_a_bad_uncertain_is_no_entry() -> None:
    old = '{"moment": "m1", "at": "2026-03-02T08:00:00+00:00", "move": "telling"}'
    assert parse_line(old) == LogEntry("m1", DAY1, "telling", uncertain=False)
    sure = parse_line(old[:-1] + ', "uncertain": true}')
    assert sure is not None and sure.uncertain
    assert parse_line(old[:-1] + ', "uncertain": "yes"}') is None


def test_cards_replayed_by_the_old_rules_are_replayed_again_with_holds() -> None:
    deck = Deck.open()
    deck.record("m1", "coaching", DAY1)
    deck.record("m1", "feedback", DAY1 + timedelta(days=3))
    with sqlite3.connect(locations.progress_db_path()) as db:  # as the first drill release left it
        db.execute("UPDATE drill_cards SET box = 1, due = '2026-03-06'")
        db.execute("DELETE FROM drill_meta WHERE key = 'rules'")
    card = Deck.open().card("m1")
    assert card is not None and (card.box, card.due) == (2, date(2026, 3, 6))
