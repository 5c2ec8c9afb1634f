"""Drill moments from saved transcripts and reviewed meetings (slips) and from the scenario packs
(pull beats)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from coachsim import locations
from coachsim.drill.moments import (
    MAX_REMINDER_CHARS,
    known_moments,
    meeting_moments,
    moment_id,
    pack_moments,
    slip_moments,
)
from coachsim.progress.reviews import load_meetings, meetings_dir
from coachsim.scenario.loader import Catalog, load_catalog
from coachsim.transcript.model import Transcript, TranscriptTurn
from tests.factories import session_dict
from tests.unit.test_progress_reviews import open_index, review_of


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


def report(text: str) -> dict[str, Any]:
    return {"speaker": "report", "text": text, "at": "", "name": "Sam", "beat": "opening"}


def reply(text: str, move: str, regression: bool = False, advice: bool = False) -> dict[str, Any]:
    turn: dict[str, Any] = {"speaker": "manager", "text": text, "at": "", "move": move, "confidence": 0.9}
    if regression:
        turn["regression"] = True
    if advice:
        turn["cues"] = {"advice_question": True}
    return turn


def transcript(*turns: dict[str, Any], scenario: str | None = "just-tell-me") -> Transcript:
    data = session_dict()
    data["scenario"] = scenario
    data["turns"] = list(turns)
    return Transcript.from_dict(data)


def test_a_regression_and_an_advice_question_are_moments_with_the_line_before_them(catalog: Catalog) -> None:
    path = Path("/home/me/transcripts/a.json")
    saved = transcript(
        report("Can you just tell me what to do?"),
        reply("What's on your mind?", "coaching"),
        report("The launch. It's slipping."),
        reply("Just move the date.", "telling", regression=True),
        report("Okay, and then?"),
        reply("Have you tried asking Priya?", "telling", advice=True),
    )
    moments = slip_moments([(path, saved)], catalog)
    assert [m.prompt for m in moments] == ["The launch. It's slipping.", "Okay, and then?"]
    first = moments[0]
    assert first.id == moment_id(str(path), 3) and first.source == str(path)
    assert first.slipped_move == "telling" and not first.from_pack
    persona = catalog.get("just-tell-me").scenario.persona.name
    assert first.persona == persona and first.scenario == "just-tell-me"
    assert first.reminder and "\n" not in first.reminder
    assert first.context == (
        {"speaker": "report", "text": "Can you just tell me what to do?"},
        {"speaker": "manager", "text": "What's on your mind?"},
        {"speaker": "report", "text": "The launch. It's slipping."},
    )
    assert len(moments[1].context) == 5


def test_context_holds_at_most_six_earlier_turns(catalog: Catalog) -> None:
    turns = [t for i in range(5) for t in (report(f"line {i}"), reply(f"What else {i}?", "coaching"))]
    saved = transcript(*turns, report("last line"), reply("Do this.", "telling", regression=True))
    (moment,) = slip_moments([(Path("b.json"), saved)], catalog)
    assert len(moment.context) == 6 and moment.context[-1] == {"speaker": "report", "text": "last line"}


def test_coaching_replies_and_a_slip_with_nothing_before_it_are_not_moments(catalog: Catalog) -> None:
    saved = transcript(
        reply("Do this.", "telling", regression=True), report("Why?"), reply("What else?", "coaching")
    )
    assert slip_moments([(Path("c.json"), saved)], catalog) == []


def test_an_imported_meeting_keeps_the_speakers_name_and_file(catalog: Catalog) -> None:
    saved = transcript(report("What should I do?"), reply("Try X.", "telling", advice=True), scenario=None)
    (moment,) = slip_moments([(Path("/x/meeting.json"), saved)], catalog)
    assert moment.persona == "Sam" and "meeting.json" in moment.reminder


def test_ids_are_stable_across_runs_and_differ_between_turns() -> None:
    assert moment_id("a.json", 3) == moment_id("a.json", 3)
    assert len({moment_id("a.json", 3), moment_id("a.json", 5), moment_id("b.json", 3)}) == 3


def test_every_pull_beat_of_the_pack_is_a_moment(catalog: Catalog) -> None:
    moments = pack_moments(catalog)
    pulls = {
        (sid, beat_id)
        for sid, loaded in catalog.scenarios.items()
        for beat_id, beat in loaded.scenario.beats.items()
        if beat.pull
    }
    assert {tuple(m.source.split(":")[1:]) for m in moments} == pulls and pulls
    promotion = next(m for m in moments if m.source == "pack:promotion-push:opening")
    scenario = catalog.get("promotion-push").scenario
    assert promotion.prompt == scenario.beats["opening"].says[0]
    assert promotion.persona == "Riley Moreno" and promotion.from_pack and promotion.slipped_move is None
    assert promotion.reminder.startswith("Calibration is in three weeks")


def test_known_moments_reads_the_saved_transcripts_skipping_bad_files(catalog: Catalog) -> None:
    folder = locations.transcripts_dir()
    folder.mkdir(parents=True)
    data = session_dict()
    data["turns"] = [report("Tell me."), reply("Do X.", "telling", advice=True)]
    (folder / "20260301-one.json").write_text(json.dumps(data))
    (folder / "20260302-broken.json").write_text("{not json")
    (folder / "20260301-one.review.json").write_text("{}")
    moments = known_moments(folder, catalog)
    assert moments[0].prompt == "Tell me." and moments[0].source.endswith("20260301-one.json")
    assert all(m.from_pack for m in moments[1:]) and len(moments) == 1 + len(pack_moments(catalog))


def reviewed_meeting(folder: Path) -> Path:
    """A real 1:1 the coach reviewed: the classifier called "Let's see." coaching, the coach says
    telling, which after a coaching reply is a regression. Returns the meeting file."""
    source = folder / "priya-1on1.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    turns = [
        TranscriptTurn(speaker="report", text="I'm swamped this week.", at="", name="Priya Shah"),
        TranscriptTurn(
            speaker="manager", text="What's on your plate?", at="", move="coaching", confidence=0.9
        ),
        TranscriptTurn(
            speaker="report", text="Should I drop the audit or the demo?", at="", name="Priya Shah"
        ),
        TranscriptTurn(speaker="manager", text="Let's see.", at="", move="coaching", confidence=0.6),
    ]
    meeting = Transcript(scenario=None, seed=None, started_at="", status="finished", turns=turns)
    open_index().record_review(
        source, meeting, review_of(meeting, {2: "telling"}), at=datetime(2026, 3, 2, 9, tzinfo=UTC)
    )
    return source


def test_a_coach_relabelled_regression_in_a_reviewed_meeting_is_a_drill_moment(
    tmp_path: Path, catalog: Catalog
) -> None:
    source = reviewed_meeting(tmp_path)
    records, _ = load_meetings(meetings_dir())
    (moment,) = meeting_moments(records)
    assert moment.prompt == "Should I drop the audit or the demo?"
    assert moment.persona == "Priya Shah" and moment.slipped_move == "telling" and moment.scenario is None
    assert moment.source == f"meeting:{source.resolve()}" and not moment.from_pack
    assert moment.id == moment_id(moment.source, 2)  # the same card on every run
    reviewed_on = datetime(2026, 3, 2, 9, tzinfo=UTC).astimezone().date().isoformat()
    assert moment.reminder == f"From your meeting priya-1on1.vtt (reviewed {reviewed_on})"
    assert moment.context == (
        {"speaker": "report", "text": "I'm swamped this week."},
        {"speaker": "manager", "text": "What's on your plate?"},
        {"speaker": "report", "text": "Should I drop the audit or the demo?"},
    )
    # known_moments: practice slips, then the meeting's, then the packs'
    folder = locations.transcripts_dir()
    folder.mkdir(parents=True)
    data = session_dict()
    data["turns"] = [report("Tell me."), reply("Do X.", "telling", advice=True)]
    (folder / "20260301-one.json").write_text(json.dumps(data))
    known = known_moments(folder, catalog)
    assert [m.prompt for m in known[:2]] == ["Tell me.", "Should I drop the audit or the demo?"]
    assert all(m.from_pack for m in known[2:]) and len(known) == 2 + len(pack_moments(catalog))


def test_a_meeting_moment_without_a_name_and_with_a_long_file_name_stays_one_short_line(
    tmp_path: Path,
) -> None:
    source = tmp_path / ("quarterly-" * 20 + "review.vtt")
    source.write_text("WEBVTT\n", encoding="utf-8")
    turns = [
        TranscriptTurn(speaker="manager", text="What's up?", at="", move="coaching", confidence=0.9),
        TranscriptTurn(speaker="report", text="Just tell me.", at=""),
        TranscriptTurn(speaker="manager", text="Do X.", at="", move="telling", confidence=0.9),
    ]
    meeting = Transcript(scenario=None, seed=None, started_at="", status="finished", turns=turns)
    open_index().record_review(source, meeting, review_of(meeting, {}))
    (moment,) = known_moments(locations.transcripts_dir(), Catalog(scenarios={}))
    assert moment.persona == "the other person" and moment.prompt == "Just tell me."
    assert len(moment.reminder) == MAX_REMINDER_CHARS and moment.reminder.endswith("…")


def test_the_drill_core_imports_without_textual_or_spacy() -> None:
    code = "import sys, coachsim.drill.deck, coachsim.drill.moments, coachsim.drill.schedule;"
    code += "print('textual' in sys.modules or 'spacy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
