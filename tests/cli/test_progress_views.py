"""``coachsim progress`` you can believe: unfinished is never "met", reviewed meetings are their own
kind, the chart reads whole when piped at 80 or 120 columns, the HTML page escapes what files say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from coachsim import locations
from coachsim.practice import open_index
from coachsim.progress.chart import bar_width
from coachsim.review.sidecar import Review, TurnReview
from coachsim.transcript.model import Transcript, TranscriptTurn
from tests.conftest import REPO
from tests.factories import session_dict

LONG_ID = "doing-the-work-properly-and-with-care-every-time"


def write_session(name: str, **fields: Any) -> Path:
    moves = fields.pop("moves", ["coaching", "coaching"])
    data = session_dict(fields.pop("started_at", "2026-03-01T10:00:00+00:00"))
    data["turns"] = [
        {"speaker": "manager", "text": "What else?", "at": "", "move": m, "confidence": 0.9} for m in moves
    ]
    data.update(fields)
    folder = locations.transcripts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def unfinished_summary(moves: list[str]) -> dict[str, Any]:
    """What a session stopped after a few replies stores: a goal verdict it never earned."""
    counts = {m: moves.count(m) for m in ("coaching", "feedback", "mentoring", "telling")}
    return {"replies": len(moves), "counts": counts, "regressions": [], "goal_met": True}


def record_meeting(tmp_path: Path, name: str, moves: list[str], labels: dict[int, str]) -> Path:
    source = tmp_path / name
    source.write_text("WEBVTT\n", encoding="utf-8")
    turns = [
        TranscriptTurn(speaker="manager", text="Try this.", at="", name="Sam", move=m, confidence=0.9)
        for m in moves
    ]
    transcript = Transcript(scenario=None, seed=None, started_at="", status="finished", turns=turns)
    review = Review(source=source.name, source_sha256="0" * 64, manager="Sam")
    for number, label in labels.items():
        review.turns[number] = TurnReview("Try this.", moves[number - 1], label)
    open_index().record_review(source, transcript, review)
    return source


def test_an_unfinished_session_is_never_met(cli) -> None:
    write_session("a.json", status="unfinished", summary=unfinished_summary(["coaching", "coaching"]))
    data = json.loads(cli("progress", "--json").out)
    [session] = data["sessions"]
    assert session["status"] == "unfinished" and session["goal_met"] is None
    table = cli("progress").out
    goal_cells = [line.split()[-1] for line in table.splitlines() if line.startswith("2026-03-01 10:00")]
    assert goal_cells == ["unfinished"]
    assert "met" not in table.replace("unfinished", "") and "goal was not judged" in table
    assert "(unfinished)" in table  # its bar says so too


def test_a_finished_session_keeps_its_goal(cli) -> None:
    summary = {**unfinished_summary(["coaching"]), "goal_met": False}
    write_session("a.json", status="finished", summary=summary, moves=["coaching"])
    [session] = json.loads(cli("progress", "--json").out)["sessions"]
    assert session["goal_met"] is False
    assert any(line.rstrip().endswith("missed") for line in cli("progress").out.splitlines())


def test_a_recorded_review_is_a_meeting_even_after_rebuild(cli, tmp_path: Path) -> None:
    write_session("a.json")
    record_meeting(tmp_path, "1on1-priya.vtt", ["telling", "telling", "coaching", "telling"], {1: "coaching"})
    locations.progress_db_path().unlink()
    result = cli("progress", "--rebuild", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    [meeting] = data["meetings"]
    assert meeting["kind"] == "meeting" and meeting["manager"] == "Sam"
    assert meeting["coaching_share"] == 0.5 and meeting["regressions"] == 2 and meeting["relabelled"] == 1
    assert [p["kind"] for p in data["timeline"]] == ["practice", "meeting"]  # date order
    assert all(s["kind"] == "practice" for s in data["sessions"])
    table = cli("progress").out
    assert "Reviewed meetings" in table and "1on1-priya.vtt" in table and "50% of 4" in table
    assert "meeting 1on1-priya.vtt" in table


def test_only_meetings_still_shows_progress(cli, tmp_path: Path) -> None:
    record_meeting(tmp_path, "notes.txt", ["coaching"], {})
    out = cli("progress").out
    assert "No practice sessions yet" not in out and "meeting notes.txt" in out


def busy_home(tmp_path: Path) -> None:
    write_session("a.json", scenario=LONG_ID, moves=["coaching"] * 9 + ["telling"])
    write_session(
        "b.json", started_at="2026-03-02T10:00:00+00:00", scenario="just-tell-me", moves=["telling"]
    )
    write_session(
        "c.json",
        started_at="2026-03-03T10:00:00+00:00",
        scenario=LONG_ID,
        status="unfinished",
        moves=["coaching"] * 3,
    )
    record_meeting(tmp_path, "2026-03-04 weekly-1on1-with-priya-about-the-launch.vtt", ["coaching"] * 4, {})


def broken_inside_a_word(out: str, whole: str) -> list[str]:
    """Pieces of ``whole`` in ``out`` that start or end anywhere but at a hyphen."""
    bad = []
    for token in out.split():
        start = whole.find(token) if "-" in token and token != whole else -1
        if start >= 0 and not (
            (start == 0 or whole[start - 1] == "-")
            and (token.endswith("-") or start + len(token) == len(whole))
        ):
            bad.append(token)
    return bad


def bar_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if "█" in line or "░" in line]


@pytest.mark.parametrize("columns", [80, 120])
def test_piped_output_fits_and_keeps_ids_whole(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    busy_home(tmp_path)
    monkeypatch.setenv("COLUMNS", str(columns))
    out = cli("progress").out
    assert "…" not in out
    assert all(cell_len(line) <= columns for line in out.splitlines())
    bars = bar_lines(out)
    assert len(bars) == 4  # one bar per conversation, none broken over two lines
    assert all(line[:4] == "2026" and " regr" in line for line in bars)
    assert [line[:10] for line in bars] == sorted(line[:10] for line in bars)
    full_bar = next(line for line in bars if "100%" in line)
    assert "█" * bar_width(columns) in full_bar and "░" not in full_bar  # one whole, unbroken bar
    joined = "".join(line.strip() for line in out.splitlines())
    assert LONG_ID in joined and "weekly-1on1-with-priya-about-the-launch.vtt" in joined
    assert broken_inside_a_word(out, LONG_ID) == []
    if columns == 120:
        assert any(LONG_ID in line for line in bars)


def test_really_piped_at_80_columns(tmp_path: Path) -> None:
    busy_home(tmp_path)
    env = {**os.environ, "COLUMNS": "80", locations.HOME_ENV: str(locations.user_home())}
    run = subprocess.run(
        [sys.executable, "-m", "coachsim", "progress"], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert run.returncode == 0, run.stderr
    assert "…" not in run.stdout and "\x1b[" not in run.stdout
    assert all(cell_len(line) <= 80 for line in run.stdout.splitlines())
    assert len(bar_lines(run.stdout)) == 4


def test_html_page_escapes_hostile_ids_and_names(cli, tmp_path: Path) -> None:
    write_session("a.json", scenario="<script>alert(1)</script>")
    record_meeting(tmp_path, '"><img src=x onerror=alert(2)>.vtt', ["coaching", "telling"], {})
    page = tmp_path / "progress.html"
    result = cli("progress", "--html", str(page))
    assert result.code == 0 and "progress page written to" in result.err
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html
    assert html.count("<svg") == 1 and html.count("<g><title>") == 2  # a bar for each conversation
    assert "http" not in html.replace("http-equiv", "")  # self-contained: nothing fetched


def test_html_refuses_to_overwrite_a_transcript(cli) -> None:
    transcript = write_session("a.json")
    before = transcript.read_bytes()
    result = cli("progress", "--html", str(transcript))
    assert result.code != 0 and "input file" in result.err and len(result.err.strip().splitlines()) == 1
    assert transcript.read_bytes() == before
