"""``coachsim report``: every import format, every output format, and the bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"


def test_vtt_report_merges_a_speakers_cues_and_labels_the_manager(cli) -> None:
    result = cli("report", str(DATA / "meeting.vtt"), "--manager", "Alex Morgan", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    turns = data["turns"]
    assert [t["speaker"] for t in turns] == [
        "Alex Morgan",
        "Priya Shah",
        "Alex Morgan",
        "Priya Shah",
        "Alex Morgan",
    ]
    assert "and I can't pick one" in turns[1]["text"]
    assert [t.get("move") for t in turns if t["role"] == "manager"] == ["coaching", "coaching", "telling"]
    assert data["summary"]["counts"]["telling"] == 1
    assert data["regressions"][0]["n"] == 5 and data["regressions"][0]["try"]


@pytest.mark.parametrize(
    ("name", "manager", "moves"),
    [("notes.txt", "Alex", ["coaching", "telling"]), ("call.srt", "Alex", ["coaching", "telling"])],
)
def test_text_and_srt_imports(cli, name: str, manager: str, moves: list[str]) -> None:
    result = cli("report", str(DATA / name), "--manager", manager, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [t["move"] for t in data["turns"] if t["role"] == "manager"] == moves
    if name == "notes.txt":
        assert data["turns"][1]["text"] == "The release. The tests are flaky and I keep rerunning them."


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_every_output_format(cli, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"r.{fmt}"
    result = cli(
        "report", str(DATA / "meeting.vtt"), "--manager", "Alex Morgan", "--format", fmt, "-o", str(out)
    )
    assert result.code == 0 and result.out == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "md":
        assert "## Summary" in text and "| telling | 1 |" in text and "## Regressions" in text
    elif fmt == "html":
        assert text.startswith("<!doctype html>") and "<svg" in text and "http" not in text.split("<body>")[1]
    elif fmt == "csv":
        assert text.splitlines()[0] == (
            "n,speaker,role,move,confidence,regression,cues,text,disputed_move,start_s,end_s"
        )
        assert text.splitlines()[1].endswith(",1.0,4.0")  # Alex's first cue, 00:00:01 → 00:00:04
    else:
        assert json.loads(text)["summary"]["replies"] == 3


def test_a_coachsim_transcript_knows_its_manager(cli, tmp_path: Path) -> None:
    import shutil

    source = tmp_path / "t.json"
    made = cli("report", str(DATA / "meeting.vtt"), "--manager", "Alex Morgan", "--format", "json")
    assert made.code == 0
    from coachsim.transcript.model import Transcript, TranscriptTurn

    transcript = Transcript(
        scenario="just-tell-me", seed=1, started_at="2026-01-01T00:00:00+00:00", status="finished"
    )
    transcript.turns.append(TranscriptTurn(speaker="report", text="Just tell me.", at="", name="Priya"))
    transcript.turns.append(
        TranscriptTurn(
            speaker="manager",
            text="What's on your mind?",
            at="",
            move="coaching",
            confidence=0.8,
            sentences=[],
            cues={},
        )
    )
    source.write_text(json.dumps(transcript.to_dict()), encoding="utf-8")
    result = cli("report", str(source))
    assert result.code == 0 and "just-tell-me" in result.out
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_bad_inputs_are_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    def fails(path: Path, *extra: str, expect: str) -> None:
        result = cli("report", str(path), *extra)
        assert result.code == 2, result
        assert result.err.count("\n") == 1 and expect in result.err, result.err

    unknown = tmp_path / "x.bin"
    unknown.write_text("just some words without speakers\n", encoding="utf-8")
    fails(unknown, expect="unknown format")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    fails(empty, expect="the file is empty")
    no_voices = tmp_path / "nov.vtt"
    no_voices.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n", encoding="utf-8")
    fails(no_voices, "--manager", "Alex", expect="no speakers found")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Alex: caf\xe9\n")
    fails(bad, "--manager", "Alex", expect="not UTF-8")
    truncated = tmp_path / "t.json"
    truncated.write_text('{"schema": "coachsim.transcript/1", "turns": [', encoding="utf-8")
    fails(truncated, expect="not valid JSON")
    fails(DATA / "meeting.vtt", expect="speakers found: Alex Morgan, Priya Shah")
    fails(DATA / "meeting.vtt", "--manager", "Bob", expect="no speaker named 'Bob'")


def test_review_refuses_a_stale_sidecar_before_opening(cli, tmp_path: Path) -> None:
    from coachsim.review.sidecar import new_review, save_review

    source = tmp_path / "notes.txt"
    source.write_text((DATA / "notes.txt").read_text(), encoding="utf-8")
    save_review(new_review(source, "Alex"), source)
    source.write_text(source.read_text() + "Alex: One more thing.\n", encoding="utf-8")
    before = (tmp_path / "notes.txt.review.json").read_bytes()
    result = cli("review", str(source), "--manager", "Alex")
    assert result.code == 2 and result.err.count("\n") == 1 and "no longer matches notes.txt" in result.err
    assert (tmp_path / "notes.txt.review.json").read_bytes() == before
    missing = cli("review", str(source), "--manager", "Bob")
    assert missing.code == 2 and "no speaker named 'Bob'" in missing.err


def test_a_practice_report_gives_the_same_alert_as_the_app_with_the_beats_pull(cli, classifier) -> None:
    from coachsim.practice import PracticeRun
    from coachsim.scenario.alternatives import alert_for
    from coachsim.scenario.loader import load_catalog

    scenario = load_catalog().get("just-tell-me").scenario
    run = PracticeRun(scenario, seed=1, classifier=classifier)
    run.opening()
    run.reply("What's on your mind?")
    turn = run.reply("Just send it to the agency today.")
    assert turn.pull and turn.regression
    live = alert_for(turn, asked=run.asked, nlp=classifier.nlp)
    assert live is not None and live.situation == "telling_pull"
    run.dispute(2, "coaching", "I was checking her plan")
    data = json.loads(cli("report", str(run.path), "--format", "json").out)
    (regression,) = data["regressions"]
    assert (regression["n"], regression["headline"], regression["message"], regression["try"]) == (
        4,
        live.headline,
        live.message,
        live.suggestion,
    )
    assert regression["try"] == "What's your plan for getting it to the agency?"
    assert data["turns"][3]["dispute"] == {"move": "coaching", "comment": "I was checking her plan"}
    assert data["summary"]["verdict"].startswith("Goal not met: ")
    markdown = cli("report", str(run.path)).out
    assert (
        "telling (you meant coaching: I was checking her plan) ⚠" in markdown
        and "**Verdict:** Goal not met: " in markdown
    )
    assert f"{live.headline}. {live.message} Try: “{live.suggestion}”" in markdown


def test_talk_and_timing_in_every_format(cli, tmp_path: Path) -> None:
    outputs = {}
    for fmt in ("json", "md", "html", "csv"):
        out = tmp_path / f"timing.{fmt}"
        result = cli(
            "report", str(DATA / "timing.vtt"), "--manager", "Sam Lee", "--format", fmt, "-o", str(out)
        )
        assert result.code == 0, result.err
        outputs[fmt] = out.read_text(encoding="utf-8")
    summary = json.loads(outputs["json"])["summary"]
    assert summary["talk_seconds"] == {"Sam Lee": 13.5, "Jo Park": 22.5}
    assert summary["manager_talk_share"] == 0.375
    assert summary["longest_monologue_s"] == {"Sam Lee": 4.0, "Jo Park": 15.0}
    assert summary["median_response_pause_s"] == 0.5 and summary["interruptions"] == 1
    assert summary["questions"] == {"open": 2, "closed": 2} and summary["reflections"] == 2
    assert summary["reflection_to_question"] == 0.5 and summary["fillers_per_100_words"] == 10.0
    assert "## Talk and timing" in outputs["md"]
    assert "- Manager's share of talk time: 37.5%" in outputs["md"]
    assert 'aria-label="who spoke when"' in outputs["html"]
    assert "<title>Jo Park 0:05–0:20 (15 s): Honestly" in outputs["html"]
    assert outputs["html"].count('fill="#2e9d4a"><title>Sam Lee') == 2  # two coaching replies
    assert outputs["csv"].splitlines()[2].endswith(",5.0,20.0")  # Jo's merged cues


def test_a_report_without_timestamps_says_so(cli) -> None:
    result = cli("report", str(DATA / "notes.txt"), "--manager", "Alex", "--format", "json")
    summary = json.loads(result.out)["summary"]
    assert summary["talk_seconds"] is None and summary["median_response_pause_s"] is None
    assert summary["questions"]["open"] + summary["questions"]["closed"] == 2
    html = cli("report", str(DATA / "notes.txt"), "--manager", "Alex", "--format", "html").out
    assert "No timestamps in this conversation" in html
