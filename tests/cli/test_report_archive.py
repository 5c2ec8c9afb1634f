"""``coachsim report`` over many files: folders, per-file failures, JSON lines and Parquet rows,
``--jobs`` and the progress bar (stderr only, and only on a terminal)."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coachsim.turn_rows import FIELDS

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
REPO = Path(__file__).resolve().parents[2]


def alex_meeting(speaker: str = "Alex") -> str:
    """meeting.vtt with the manager called ``speaker``."""
    return (DATA / "meeting.vtt").read_text(encoding="utf-8").replace("Alex Morgan", speaker)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A folder of three good files for manager Alex (one in a subfolder), plus what a folder
    search must skip: a review sidecar, a hidden folder, a file of another kind."""
    folder = tmp_path / "archive"
    (folder / "week2").mkdir(parents=True)
    shutil.copy(DATA / "notes.txt", folder / "notes.txt")
    shutil.copy(DATA / "call.srt", folder / "call.srt")
    (folder / "week2" / "meeting.vtt").write_text(alex_meeting(), encoding="utf-8")
    (folder / "notes.txt.review.json").write_text("{}", encoding="utf-8")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "old.vtt").write_text("not a meeting", encoding="utf-8")
    (folder / "slides.pdf").write_bytes(b"%PDF")
    return folder


def jsonl_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_folder_gives_one_report_per_file_named_after_it(cli, archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = cli("report", str(archive), "--manager", "Alex", "--format", "json", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out == ""
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["call.srt.json", "notes.txt.json", "week2/meeting.vtt.json"]
    meeting = json.loads((out / "week2" / "meeting.vtt.json").read_text(encoding="utf-8"))
    moves = [t["move"] for t in meeting["turns"] if t["role"] == "manager"]
    assert moves == ["coaching", "coaching", "telling"]
    assert result.err.strip() == f"coachsim: 3 reports written to {out}"


def test_several_files_each_report_matches_the_one_file_report(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(
        "report", str(DATA / "notes.txt"), str(DATA / "call.srt"), "--manager", "Alex", "-o", str(out)
    )
    assert result.code == 0, result.err
    for name in ("notes.txt", "call.srt"):
        alone = cli("report", str(DATA / name), "--manager", "Alex")
        assert alone.code == 0
        assert (out / f"{name}.md").read_text(encoding="utf-8").rstrip("\n") == alone.out.rstrip("\n")


def test_one_bad_file_is_its_own_line_and_the_rest_are_written(cli, archive: Path, tmp_path: Path) -> None:
    (archive / "other.vtt").write_text(alex_meeting("Robin"), encoding="utf-8")
    (archive / "broken.txt").write_bytes(b"Alex: caf\xe9\n")
    out = tmp_path / "reports"
    result = cli("report", str(archive), "--manager", "Alex", "-o", str(out))
    assert result.code == 1
    lines = result.err.splitlines()
    assert (
        f"coachsim: error: {archive / 'other.vtt'}: no speaker named 'Alex'; speakers: Robin, Priya Shah"
        in lines
    )
    assert any(line.startswith(f"coachsim: error: {archive / 'broken.txt'}: not UTF-8") for line in lines)
    assert lines[-1] == "coachsim: error: 2 of 5 files failed"
    assert sorted(p.name for p in out.rglob("*.md")) == ["call.srt.md", "meeting.vtt.md", "notes.txt.md"]


def test_jsonl_has_one_row_per_labelled_manager_turn(cli, archive: Path) -> None:
    result = cli("report", str(archive), "--manager", "Alex", "--format", "jsonl")
    assert result.code == 0, result.err
    assert result.err == ""  # no progress bar or summary: stderr is not a terminal
    rows = jsonl_rows(result.out)
    assert all(tuple(row) == FIELDS for row in rows)
    by_file = {}
    for row in rows:
        by_file.setdefault(Path(row["conversation"]).name, []).append(row)
    assert list(by_file) == ["call.srt", "notes.txt", "meeting.vtt"]  # sorted paths, subfolder last
    meeting = by_file["meeting.vtt"]
    assert [(r["turn"], r["move"], r["regression"]) for r in meeting] == [
        (1, "coaching", False),
        (3, "coaching", False),
        (5, "telling", True),
    ]
    assert meeting[0]["speaker"] == "Alex" and meeting[0]["text"] == "Hi Priya. What's on your mind?"
    assert (meeting[2]["start_s"], meeting[2]["end_s"]) == (15.5, 18.0)
    assert all(r["start_s"] is None and r["end_s"] is None for r in by_file["notes.txt"])
    assert all(isinstance(r["cues"], list) and all(isinstance(c, str) for c in r["cues"]) for r in rows)
    assert "coaching_habit_question:lazy" in by_file["call.srt"][0]["cues"]
    assert all(0 <= r["confidence"] <= 1 and isinstance(r["uncertain"], bool) for r in rows)


def test_a_coachsim_transcript_needs_no_manager(cli, tmp_path: Path) -> None:
    from coachsim.transcript.model import Transcript, TranscriptTurn

    transcript = Transcript(scenario="just-tell-me", seed=1, started_at="2026-01-01T00:00:00+00:00")
    transcript.turns.append(TranscriptTurn(speaker="report", text="Just tell me.", at="", name="Priya"))
    transcript.turns.append(
        TranscriptTurn(
            speaker="manager", text="What's on your mind?", at="", move="coaching", confidence=0.8, cues={}
        )
    )
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "s1.json").write_text(json.dumps(transcript.to_dict()), encoding="utf-8")
    shutil.copy(DATA / "notes.txt", folder / "notes.txt")
    result = cli("report", str(folder), "--format", "jsonl")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"coachsim: error: {folder / 'notes.txt'}: say whose turns to label with --manager;"
        " speakers found: Alex, Sam",
        "coachsim: error: 1 of 2 files failed",
    ]
    [row] = jsonl_rows(result.out)
    assert (row["turn"], row["speaker"], row["move"]) == (2, "manager", "coaching")


def test_parquet_reads_back_with_pyarrow(cli, archive: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = tmp_path / "turns.parquet"
    result = cli("report", str(archive), "--manager", "Alex", "--format", "parquet", "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert "7 labelled turns from 3 files written to" in result.err
    table = pq.read_table(target)
    assert table.schema.names == list(FIELDS)
    assert table.schema.field("cues").type == pa.list_(pa.string())
    assert table.schema.field("turn").type == pa.int32()
    assert table.schema.field("start_s").type == pa.float64()
    expected = jsonl_rows(cli("report", str(archive), "--manager", "Alex", "--format", "jsonl").out)
    assert table.to_pylist() == expected
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_jobs_two_gives_the_same_rows_as_jobs_one(cli, archive: Path, tmp_path: Path) -> None:
    for copy in range(6):  # enough replies for several batches across the two workers
        (archive / f"copy{copy}.vtt").write_text(alex_meeting(), encoding="utf-8")
    one = cli("report", str(archive), "--manager", "Alex", "--format", "jsonl", "--jobs", "1")
    two = cli("report", str(archive), "--manager", "Alex", "--format", "jsonl", "--jobs", "2")
    assert one.code == two.code == 0, two.err
    assert one.out == two.out and len(jsonl_rows(one.out)) == 25


def test_classify_many_with_two_processes_matches_one(classifier) -> None:
    corpus = REPO / "classifiers" / "corpus" / "dev.jsonl"
    items = [
        {"text": row["text"], "context": row.get("context")}
        for row in map(json.loads, corpus.read_text(encoding="utf-8").splitlines()[:120])
    ]
    one = classifier.classify_many(items, batch_size=16)
    two = classifier.classify_many(items, batch_size=16, n_process=2)
    assert [a.to_dict() for a in one] == [a.to_dict() for a in two]
    with pytest.raises(ValueError, match="n_process"):
        classifier.classify_many(items, n_process=0)


def test_the_archive_is_labelled_as_a_stream(classifier, tmp_path: Path) -> None:
    """The first file comes out before the last is read: the archive is never held whole."""
    from coachsim.archive import LabelledFile, find_inputs, label_archive

    for number in range(12):
        (tmp_path / f"m{number:02}.vtt").write_text(alex_meeting(), encoding="utf-8")
    inputs = find_inputs([tmp_path])
    read: list[str] = []
    files_read_at_result: list[int] = []
    for result in label_archive(
        inputs, "Alex", None, lambda: classifier, batch_size=2, on_read=lambda s, n: read.append(s.path.name)
    ):
        assert isinstance(result, LabelledFile)
        files_read_at_result.append(len(read))
    assert len(files_read_at_result) == 12
    assert files_read_at_result[0] < 12
    assert read == [f"m{number:02}.vtt" for number in range(12)]


def test_refusals_before_any_labelling(cli, archive: Path, tmp_path: Path) -> None:
    def refused(*args: str, expect: str) -> None:
        result = cli("report", *args)
        assert result.code == 2, result
        assert result.err.count("\n") == 1 and expect in result.err, result.err
        assert result.out == ""

    refused(str(archive), "--manager", "Alex", expect="say which folder they go in with -o DIR")
    refused(str(DATA / "notes.txt"), str(DATA / "call.srt"), "--manager", "Alex", "-o", "-", expect="-o DIR")
    refused(str(archive), "--format", "parquet", expect="give -o FILE.parquet")
    refused(str(archive), "--format", "jsonl", "-o", str(archive / "notes.txt"), expect="is the input file")
    refused(str(archive), "--format", "jsonl", "-o", str(tmp_path), expect="is a folder")
    a_file = tmp_path / "taken.md"
    a_file.write_text("x", encoding="utf-8")
    refused(str(archive), "--manager", "Alex", "-o", str(a_file), expect="is a file")
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copy(DATA / "notes.txt", twin / "notes.txt")
    refused(
        str(archive / "notes.txt"), str(twin / "notes.txt"), "-o", str(tmp_path / "r"), expect="rename one"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    refused(str(empty), "--format", "jsonl", expect="no conversation files found")
    refused(str(archive), "--format", "xml", expect="one of md, html, csv, json, jsonl, parquet")
    refused(str(archive), "--format", "jsonl", "--format-in", "doc", expect="unknown --format-in 'doc'")


def test_a_report_never_replaces_an_input_in_the_folder(cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "notes.txt", folder / "notes.txt")
    shutil.copy(DATA / "call.srt", folder / "call.srt")
    (folder / "call.srt.md").symlink_to(folder / "notes.txt")  # the report's name points at an input
    result = cli("report", str(folder), "--manager", "Alex", "-o", str(folder))
    assert result.code == 2 and "is the input file" in result.err
    assert (folder / "notes.txt").read_text(encoding="utf-8") == (DATA / "notes.txt").read_text()


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_goes_to_a_terminal_stderr_and_never_to_stdout(archive: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("COACHSIM_SPACY_MODEL", None)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "coachsim",
                "report",
                str(archive),
                "--manager",
                "Alex",
                "--format",
                "jsonl",
            ],
            stdout=subprocess.PIPE,
            stderr=follower,
            env=env,
            timeout=180,
            check=False,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 0
    assert len(jsonl_rows(done.stdout.decode("utf-8"))) == 7
    assert b"labelling" in shown and b"files" in shown
