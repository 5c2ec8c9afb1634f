"""Reviewed meetings in the progress index: the coach's labels count, a rebuild reads them back, the
record keeps the slip moments for the drill and a /1 record still loads."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

from coachsim import locations
from coachsim.progress.index import ProgressIndex
from coachsim.progress.reviews import load_meetings, record_file
from coachsim.review.sidecar import Review, TurnReview
from coachsim.transcript.model import Transcript, TranscriptTurn


def meeting(moves: list[str]) -> Transcript:
    """An imported 1:1: the report speaks, then the manager, once per move."""
    turns = []
    for move in moves:
        turns.append(TranscriptTurn(speaker="report", text="I'm stuck.", at="", name="Priya"))
        turns.append(
            TranscriptTurn(speaker="manager", text="…", at="", name="Sam", move=move, confidence=0.9)
        )
    return Transcript(scenario=None, seed=None, started_at="", status="finished", turns=turns)


def review_of(transcript: Transcript, labels: dict[int, str]) -> Review:
    review = Review(source="1on1.vtt", source_sha256="0" * 64, manager="Sam")
    replies = transcript.manager_turns
    for number, label in labels.items():
        turn = replies[number - 1]
        review.turns[number] = TurnReview(turn.text, turn.move or "", label)
    return review


def open_index() -> ProgressIndex:
    return ProgressIndex(locations.progress_db_path(), locations.transcripts_dir(), busy_timeout=0.2)


def test_the_coachs_labels_decide_counts_share_and_regressions(tmp_path: Path) -> None:
    source = tmp_path / "1on1.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    transcript = meeting(["telling", "coaching", "telling", "coaching"])
    # the coach says reply 1 was coaching and reply 4 was mentoring: reply 3 and 4 are regressions
    review = review_of(transcript, {1: "coaching", 4: "mentoring"})
    index = open_index()
    index.record_review(source, transcript, review, at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    [record] = index.meetings()
    assert record.source == str(source.resolve()) and record.manager == "Sam"
    assert record.counts == {"coaching": 2, "feedback": 0, "mentoring": 1, "telling": 1}
    assert record.coaching_share == 0.5 and record.regressions == [3, 4] and record.relabelled == 2
    assert record.reviewed_at == "2026-03-02T09:00:00+00:00"


def test_a_recorded_review_survives_a_rebuild_and_is_private(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Sam: hi\n", encoding="utf-8")
    transcript = meeting(["coaching", "telling"])
    index = open_index()
    index.record_review(source, transcript, review_of(transcript, {}))
    index.record_review(source, transcript, review_of(transcript, {2: "coaching"}))  # saved again: replaced
    stored = record_file(index.reviews_dir, source)
    assert stored.parent == locations.user_home() / "reviews"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    locations.progress_db_path().unlink()
    rebuilt = open_index()
    assert rebuilt.rebuilt
    [record] = rebuilt.meetings()
    assert record.counts["coaching"] == 2 and record.regressions == [] and record.coaching_share == 1.0


def test_a_damaged_record_is_skipped_with_one_warning_line(tmp_path: Path) -> None:
    source = tmp_path / "a.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    transcript = meeting(["coaching"])
    index = open_index()
    index.record_review(source, transcript, review_of(transcript, {}))
    bad = index.reviews_dir / ("f" * 64 + ".json")
    data = json.loads(record_file(index.reviews_dir, source).read_text(encoding="utf-8"))
    bad.write_text(json.dumps({**data, "labels": ["shouting"]}), encoding="utf-8")
    records, warnings = load_meetings(index.reviews_dir)
    assert len(records) == 1 and len(warnings) == 1
    assert warnings[0].startswith(f"skipped {bad}: labels") and "\n" not in warnings[0]
    assert index.rebuild() == 0 and len(index.meetings()) == 1 and len(index.warnings) == 1


def test_replies_not_yet_labelled_do_not_count() -> None:
    transcript = meeting(["coaching", "telling"])
    transcript.turns[-1].move = None
    index = open_index()
    index.record_review(Path("x.vtt"), transcript, review_of(transcript, {}))
    [record] = index.meetings()
    assert record.replies == 1 and record.coaching_share == 1.0


def test_the_record_keeps_each_slip_moment_decided_by_the_coachs_labels(tmp_path: Path) -> None:
    source = tmp_path / "1on1.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    transcript = Transcript(
        scenario=None,
        seed=None,
        started_at="",
        status="finished",
        turns=[
            TranscriptTurn(
                speaker="manager", text="Have you tried X?", at="", move="telling", confidence=0.9
            ),
            TranscriptTurn(speaker="report", text="The launch is slipping.", at="", name="Priya"),
            TranscriptTurn(speaker="manager", text="What's hard?", at="", move="coaching", confidence=0.9),
            TranscriptTurn(speaker="report", text="Marketing won't commit.", at="", name="Priya"),
            TranscriptTurn(speaker="manager", text="Ask them.", at="", move="coaching", confidence=0.6),
            TranscriptTurn(speaker="report", text="It's a safety recall.", at=""),
            TranscriptTurn(
                speaker="manager", text="Pull it now.", at="", move="telling", confidence=0.9, telling_ok=True
            ),
            TranscriptTurn(speaker="report", text="Who should I call?", at=""),
            TranscriptTurn(
                speaker="manager",
                text="Have you tried Legal?",
                at="",
                move="coaching",
                confidence=0.7,
                cues={"advice_question": True},
            ),
        ],
    )
    transcript.turns[0].cues = {"advice_question": True}  # a slip, but nothing before it to answer
    review = review_of(transcript, {3: "telling"})  # the coach: "Ask them." was telling, a regression
    index = open_index()
    index.record_review(source, transcript, review, at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    records, warnings = load_meetings(index.reviews_dir)
    assert warnings == []
    [record] = records
    assert [(m.reply, m.move, m.speaker, m.line) for m in record.moments] == [
        (3, "telling", "Priya", "Marketing won't commit."),
        (5, "coaching", None, "Who should I call?"),  # the advice question; telling_ok spared reply 4
    ]
    assert record.moments[0].context == (
        {"speaker": "manager", "text": "Have you tried X?"},
        {"speaker": "report", "text": "The launch is slipping."},
        {"speaker": "manager", "text": "What's hard?"},
        {"speaker": "report", "text": "Marketing won't commit."},
    )
    assert len(record.moments[1].context) == 6
    stored = json.loads(record_file(index.reviews_dir, source).read_text(encoding="utf-8"))
    assert stored["schema"] == "coachsim.meeting-review/2" and len(stored["moments"]) == 2
    assert index.meetings()[0].regressions == [3]  # the index row is unchanged: labels only


def test_a_version_one_record_still_loads_with_no_moments(tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    old = {
        "schema": "coachsim.meeting-review/1",
        "source": "/meetings/1on1.vtt",
        "manager": "Sam",
        "reviewed_at": "2026-03-02T09:00:00+00:00",
        "labels": ["coaching", "telling"],
        "telling_ok": [False, False],
        "relabelled": 0,
    }
    (folder / ("a" * 64 + ".json")).write_text(json.dumps(old), encoding="utf-8")
    (folder / ("b" * 64 + ".json")).write_text(json.dumps({**old, "moments": []}), encoding="utf-8")
    records, warnings = load_meetings(folder)
    [record] = records
    assert record.moments == () and record.regressions == [2] and record.manager == "Sam"
    assert len(warnings) == 1 and "moments: unexpected in a coachsim.meeting-review/1 record" in warnings[0]


def test_a_damaged_moment_skips_the_record_with_a_located_line(tmp_path: Path) -> None:
    source = tmp_path / "a.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    transcript = meeting(["coaching", "telling"])
    index = open_index()
    index.record_review(source, transcript, review_of(transcript, {}))
    path = record_file(index.reviews_dir, source)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [m["reply"] for m in data["moments"]] == [2]
    data["moments"][0]["context"][0]["speaker"] = "narrator"
    path.write_text(json.dumps(data), encoding="utf-8")
    records, warnings = load_meetings(index.reviews_dir)
    assert records == [] and len(warnings) == 1 and "moments" in warnings[0] and "\n" not in warnings[0]
