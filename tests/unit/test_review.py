"""Review sidecars and coach-classifier agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coachsim.errors import DataFileError
from coachsim.review.agreement import cohens_kappa
from coachsim.review.sidecar import load_review, new_review, save_review, sidecar_path


def test_kappa_matches_a_hand_computed_value() -> None:
    coach = ["coaching", "coaching", "telling", "telling", "feedback", "coaching"]
    model = ["coaching", "telling", "telling", "telling", "feedback", "coaching"]
    agreement = cohens_kappa(coach, model)
    # p_o = 5/6; p_e = (3*2 + 2*3 + 1*1)/36 = 13/36; kappa = (30/36 - 13/36) / (23/36) = 17/23
    assert agreement.observed == pytest.approx(5 / 6, abs=1e-3)
    assert agreement.kappa == pytest.approx(17 / 23, abs=1e-3)
    assert agreement.confusion["coaching"]["telling"] == 1
    assert cohens_kappa([], []).kappa is None
    assert cohens_kappa(["telling"] * 3, ["telling"] * 3).kappa is None


def test_sidecar_round_trip_and_original_untouched(tmp_path: Path) -> None:
    source = tmp_path / "meeting.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    before = source.read_bytes()
    review = new_review(source, "Alex")
    review.relabel(3, "Send it.", "coaching", "telling")
    review.comment(3, "Send it.", "coaching", "clearly an instruction")
    path = save_review(review, source)
    assert path == sidecar_path(source) and path.name == "meeting.vtt.review.json"
    again = load_review(source)
    assert (
        again is not None
        and again.turns[3].label == "telling"
        and again.turns[3].comment == "clearly an instruction"
    )
    assert source.read_bytes() == before


def test_a_sidecar_that_no_longer_matches_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Alex: hi\n", encoding="utf-8")
    save_review(new_review(source, "Alex"), source)
    source.write_text("Alex: hi there\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"no longer matches notes\.txt"):
        load_review(source)
    sidecar_path(source).write_text("{oops", encoding="utf-8")
    with pytest.raises(DataFileError, match="not readable JSON"):
        load_review(source)


def test_eval_accepts_a_sidecar_as_gold(cli, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Alex: hi\n", encoding="utf-8")
    review = new_review(source, "Alex")
    review.relabel(1, "What else?", "coaching", "coaching")
    review.relabel(3, "Send it to Dana.", "telling", "telling")
    review.relabel(5, "Have you tried asking Priya?", "telling", "coaching")
    path = save_review(review, source)
    output = tmp_path / "m.json"
    result = cli("eval", str(path), "-o", str(output))
    assert result.code == 0
    metrics = json.loads(output.read_text())
    assert metrics["total"] == 3 and metrics["confusion"]["coaching"]["telling"] == 1


def _turn(speaker: str, text: str, move: str | None = None, telling_ok: bool = False):
    from coachsim.transcript.model import TranscriptTurn

    confidence = 0.9 if move else None
    return TranscriptTurn(
        speaker=speaker,  # type: ignore[arg-type]
        text=text,
        at="",
        move=move,
        confidence=confidence,
        telling_ok=telling_ok or None,
    )


def _conversation():
    from coachsim.transcript.model import Transcript

    turns = [
        _turn("manager", "What's on your mind?", "coaching"),
        _turn("report", "The release."),
        _turn("manager", "Just ship it.", "telling"),
        _turn("report", "Okay."),
        _turn("manager", "In my last job I shipped early.", "mentoring"),
    ]
    return Transcript(scenario=None, seed=None, started_at="", turns=turns)


def test_totals_apply_the_coachs_labels_to_the_mix_and_regressions(tmp_path: Path) -> None:
    from coachsim.review.totals import review_totals

    source = tmp_path / "notes.txt"
    source.write_text("Alex: hi\n", encoding="utf-8")
    transcript, review = _conversation(), new_review(source, "Alex")
    totals = review_totals(transcript, review)
    assert totals.counts == {"coaching": 1, "feedback": 0, "mentoring": 1, "telling": 1}
    assert totals.regressions == (3, 5) and totals.relabelled == () and totals.agreement.n == 0
    review.relabel(1, "What's on your mind?", "coaching", "telling")  # no coaching before: no regressions
    totals = review_totals(transcript, review)
    assert totals.counts["telling"] == 2 and totals.regressions == () and totals.relabelled == (1,)
    review.relabel(3, "Just ship it.", "telling", "coaching")  # coaching now comes at turn 3
    totals = review_totals(transcript, review)
    assert totals.regressions == (5,) and totals.share("coaching") == pytest.approx(1 / 3)
    assert totals.agreement.n == 2 and totals.agreement.observed == 0.0
    assert totals.agreement.confusion["telling"]["coaching"] == 1


def test_totals_filters_and_telling_marked_right(tmp_path: Path) -> None:
    from coachsim.review.totals import FILTERS, filter_name, review_totals

    source = tmp_path / "notes.txt"
    source.write_text("Alex: hi\n", encoding="utf-8")
    transcript = _conversation()
    transcript.turns[2].telling_ok = True
    review = new_review(source, "Alex")
    review.relabel(5, "In my last job I shipped early.", "mentoring", "feedback")
    totals = review_totals(transcript, review)
    assert totals.regressions == ()  # telling marked right, and the mentoring is now feedback
    numbers = range(1, 6)
    assert [n for n in numbers if totals.shows(n, "all")] == [1, 2, 3, 4, 5]
    assert [n for n in numbers if totals.shows(n, "feedback")] == [5]
    assert [n for n in numbers if totals.shows(n, "mentoring")] == []
    assert [n for n in numbers if totals.shows(n, "relabelled")] == [5]
    assert FILTERS[0] == "all" and filter_name("telling") == "telling replies"


def test_kappa_is_undefined_for_a_single_reviewed_reply() -> None:
    assert cohens_kappa(["telling"], ["coaching"]).kappa is None


def test_the_sidecar_remembers_the_manager_and_refuses_another(tmp_path: Path) -> None:
    from coachsim.tui.review_flow import remembered_manager

    source = tmp_path / "meeting.vtt"
    source.write_text("WEBVTT\n", encoding="utf-8")
    review = new_review(source, "Alex")
    speakers = ["Alex", "Sam"]
    assert remembered_manager(source, review, None, speakers) == "Alex"
    assert remembered_manager(source, None, None, speakers) is None
    assert remembered_manager(source, new_review(source, "Gone"), None, speakers) is None
    assert remembered_manager(source, review, "Sam", speakers) == "Sam"  # nothing labelled yet
    review.relabel(1, "hi", "coaching", "coaching")
    with pytest.raises(DataFileError, match="reviews Alex's replies, not Sam's"):
        remembered_manager(source, review, "Sam", speakers)
