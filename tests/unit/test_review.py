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
