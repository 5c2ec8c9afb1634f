"""Hostile use of the command line: usage errors, outputs that would destroy inputs, endless
inputs and escape sequences in user text. Every failure is one line or Typer's usage help."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachsim.cli import main as cli_main
from coachsim.cli import output
from coachsim.errors import CoachsimError
from coachsim.outputs import replace_file, safe_output_path, write_output
from coachsim.transcript import importers

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
MEETING = DATA / "meeting.vtt"
ESC = "\x1b]0;pwned\x07\x1b[31m"


def one_error_line(err: str) -> str:
    """The single stderr line, checked to carry no raw control character."""
    assert err.count("\n") == 1, err
    assert not any(ord(c) < 0x20 and c != "\n" for c in err), repr(err)
    return err.strip()


# --- 1. one error path ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["classify", "--bogus"], "No such option: --bogus"),
        (["eval"], "Missing argument"),
        (["eval", "x.jsonl", "--errors", "-1"], "--errors"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["report"], "Missing argument"),
    ],
)
def test_usage_errors_print_typers_usage_and_exit_2(cli, args: list[str], says: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert "Usage: coachsim" in result.err and says in result.err
    assert "unexpected" not in result.err and result.out == ""


def test_a_group_without_a_command_prints_its_help(cli) -> None:
    result = cli("scenarios")
    assert result.code == 2
    assert "List, show and validate scenarios." in result.out + result.err
    assert "validate" in result.out + result.err and "unexpected" not in result.err


def test_a_bug_is_one_line_that_asks_to_be_reported(cli, monkeypatch) -> None:
    def broken(as_json: bool, rebuild: bool, html: object = None) -> int:
        raise KeyError("sessions\nagain")

    monkeypatch.setattr("coachsim.cli.progress_cmd.show_progress", broken)
    result = cli("progress")
    assert result.code == 1
    line = one_error_line(result.err)
    assert line.startswith("coachsim: error: unexpected KeyError: 'sessions\\nagain'")
    assert "this is a bug; please report it" in line and "COACHSIM_DEBUG=1" in line


def test_coachsim_debug_shows_the_traceback(cli, monkeypatch) -> None:
    monkeypatch.setattr("coachsim.cli.progress_cmd.show_progress", lambda *_: {}["boom"])
    monkeypatch.setenv("COACHSIM_DEBUG", "1")
    with pytest.raises(KeyError):
        cli("progress")


def test_the_app_exit_status_is_the_commands_exit_status(cli, monkeypatch) -> None:
    class FakeApp:
        def __init__(self, **options: object) -> None:
            self.return_code: int | None = None

        def run(self) -> None:
            self.return_code = 3

    monkeypatch.setattr("coachsim.tui.app.CoachsimApp", FakeApp)
    assert cli("play").code == 3


def test_user_text_in_a_usage_error_is_not_sent_raw(cli) -> None:
    result = cli("classify", f"--x{ESC}")
    assert result.code == 2 and "\x1b" not in result.err


ARGUMENTS = st.sampled_from(
    [
        "classify",
        "eval",
        "report",
        "progress",
        "scenarios",
        "list",
        "show",
        "schema",
        "--json",
        "--jsonl",
        "--manager",
        "--format",
        "--format-in",
        "--errors",
        "--by",
        "-o",
        "--model",
        "--rebuild",
        "--",
        "-",
        "md",
        "json",
        "vtt",
        "Alex Morgan",
        "-1",
        "0",
        "nope.jsonl",
        "/dev/null",
        str(MEETING),
        "[bold]x[/]",
        ESC,
        "\udcff",
        "",
    ]
)


@given(args=st.lists(ARGUMENTS, max_size=5))
def test_nothing_a_user_types_is_an_unexpected_error(
    cli, tmp_path: Path, monkeypatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # relative -o names land in the test's folder
    result = cli(*args)
    assert "coachsim: error: unexpected" not in result.err, (args, result.err)
    assert result.code in (0, 1, 2), (args, result.err)
    assert "\x1b" not in result.err


# --- 2. an output never destroys an input ---------------------------------------------------


def test_report_refuses_to_overwrite_its_input(cli, tmp_path: Path) -> None:
    meet = tmp_path / "meet.vtt"
    meet.write_bytes(MEETING.read_bytes())
    (tmp_path / "link.vtt").symlink_to(meet)
    os.link(meet, tmp_path / "hard.vtt")
    for target in (meet, tmp_path / "link.vtt", tmp_path / "hard.vtt"):
        result = cli("report", str(meet), "--manager", "Alex Morgan", "-o", str(target))
        assert result.code == 2
        assert "is the input file" in one_error_line(result.err) and "choose another name" in result.err
    assert meet.read_bytes() == MEETING.read_bytes()


def test_eval_refuses_to_overwrite_the_corpus(cli, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "What else?", "label": "coaching"}\n', encoding="utf-8")
    before = corpus.read_bytes()
    result = cli("eval", str(corpus), "-o", str(corpus))
    assert result.code == 2 and "is the input file" in one_error_line(result.err)
    assert corpus.read_bytes() == before


def test_special_files_and_folders_are_refused(cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target, says in [
            (fifo, "is a FIFO"),
            (sock_path, "is a socket"),
            (tmp_path, "is a folder"),
            (tmp_path / "missing" / "r.md", "does not exist"),
        ]:
            result = cli("report", str(MEETING), "--manager", "Alex Morgan", "-o", str(target))
            assert result.code == 2 and says in one_error_line(result.err), result.err
        assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISSOCK(os.stat(sock_path).st_mode)
    finally:
        server.close()


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/stdout", "/dev/stderr", "/dev/zero"])
def test_device_paths_are_refused_before_anything_is_written(device: str) -> None:
    # Only the check runs here: a regression must not replace a device node on a root CI machine.
    with pytest.raises(CoachsimError, match="device"):
        safe_output_path(Path(device), [MEETING], "report")


def test_dash_means_stdout(cli, tmp_path: Path) -> None:
    result = cli("report", str(MEETING), "--manager", "Alex Morgan", "--format", "json", "-o", "-")
    assert result.code == 0 and json.loads(result.out)["summary"]["replies"] == 3
    corpus = tmp_path / "gold.jsonl"
    corpus.write_text('{"text": "What else?", "label": "coaching"}\n', encoding="utf-8")
    metrics = cli("eval", str(corpus), "-o", "-")
    assert metrics.code == 0
    assert json.loads(metrics.out)["total"] == 1  # stdout is the JSON alone; the tables went to stderr
    assert "Per-move scores" in metrics.err


def test_written_files_replace_the_old_one_whole_and_keep_its_mode(cli, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    link = tmp_path / "latest.md"
    link.symlink_to(out)
    result = cli("report", str(MEETING), "--manager", "Alex Morgan", "-o", str(link))
    assert result.code == 0 and "report written to" in result.err
    assert link.is_symlink() and out.read_text(encoding="utf-8").startswith("# Conversation report")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.md", "report.md"]  # no temp file left
    metrics = tmp_path / "metrics.json"
    corpus = tmp_path / "gold.jsonl"
    corpus.write_text('{"text": "What else?", "label": "coaching"}\n', encoding="utf-8")
    assert cli("eval", str(corpus), "-o", str(metrics)).code == 0
    assert json.loads(metrics.read_text(encoding="utf-8"))["total"] == 1


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "metrics.json"
    out.write_text("old", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(
        CoachsimError, match=r"metrics\.json: cannot write the metrics: No space left"
    ) as failed:
        write_output(out, "new", what="metrics")
    assert failed.value.exit_code == 1
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_lone_surrogate_is_written_as_an_escape(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    replace_file(out, json.dumps({"text": "a\ud800b"}, ensure_ascii=False))
    assert json.loads(out.read_text(encoding="utf-8")) == {"text": "a\ud800b"}


# --- 3. bounded reads -----------------------------------------------------------------------


def test_report_reads_a_device_only_up_to_the_limit(cli, monkeypatch) -> None:
    monkeypatch.setattr(importers, "MAX_IMPORT_BYTES", 10_000)
    result = cli("report", "/dev/zero", "--manager", "Alex")
    assert result.code == 2 and "over the import limit" in one_error_line(result.err)


def test_report_refuses_an_oversized_file_unread(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(importers, "MAX_IMPORT_BYTES", 100)
    big = tmp_path / "big.txt"
    big.write_text("Alex: What else?\n" * 50, encoding="utf-8")
    result = cli("report", str(big), "--manager", "Alex")
    assert result.code == 2 and "850 bytes, over the 100-byte import limit" in one_error_line(result.err)


def test_classify_stdin_stops_at_an_endless_line(monkeypatch, capsys) -> None:
    with open("/dev/zero", "rb") as zeros:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(zeros))
        code = cli_main.main(["classify", "-"])
    err = capsys.readouterr().err
    assert code == 2 and "stdin line 1: line is over 800,000 bytes" in one_error_line(err)


def test_a_transcript_nested_too_deeply_is_one_line(cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("{" + '"a":[' * 100_000, encoding="utf-8")
    result = cli("report", str(deep), "--format-in", "transcript")
    assert result.code == 2 and "deep.json" in one_error_line(result.err)


# --- 5. escape sequences in user text never reach the terminal raw --------------------------


@given(message=st.text())
def test_an_error_line_is_one_line_without_control_characters(capsys, message: str) -> None:
    output.error(message)
    err = capsys.readouterr().err
    assert err.startswith("coachsim: error: ") and err.endswith("\n")
    one_error_line(err)
    err.encode("utf-8")  # lone surrogates are escaped, not a UnicodeEncodeError


def test_a_hostile_transcript_reaches_stdout_escaped(cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(f"Alex: What else {ESC}[bold]is[/] on your mind?\nSam: Not \x9bmuch.\n", "utf-8")
    for fmt in ("md", "csv", "html"):
        result = cli("report", str(notes), "--manager", "Alex", "--format", fmt)
        assert result.code == 0, result.err
        assert "\x1b" not in result.out and "\x07" not in result.out and "\x9b" not in result.out
        assert "\\x1b]0;pwned\\x07" in result.out and "[bold]is[/]" in result.out
    data = cli("report", str(notes), "--manager", "Alex", "--format", "json")
    assert "\x1b" not in data.out and "\x9b" not in data.out
    assert json.loads(data.out)["turns"][1]["text"] == "Not \x9bmuch."  # the data itself is unchanged
    wrong = cli("report", str(notes), "--manager", f"Bob{ESC}")
    assert wrong.code == 2 and "Bob\\x1b]0;pwned" in one_error_line(wrong.err)


def test_classify_shows_escapes_and_markup_as_text(cli) -> None:
    result = cli("classify", f"What else {ESC}[bold red]is[/] on your mind?")
    assert result.code == 0
    assert "\x1b]" not in result.out and "\\x1b]0;pwned\\x07" in result.out
    assert "[bold red]is[/]" in result.out


def test_progress_shows_a_hostile_scenario_name_escaped(cli) -> None:
    from coachsim import locations

    folder = locations.transcripts_dir()
    folder.mkdir(parents=True)
    transcript = {
        "schema": "coachsim.transcript/1",
        "scenario": f"evil{ESC}[blink]x[/]",
        "seed": 1,
        "started_at": "2026-03-01T10:00:00+00:00",
        "status": "finished",
        "turns": [
            {"speaker": "report", "text": "Hi.", "at": "2026-03-01T10:00:01+00:00"},
            {
                "speaker": "manager",
                "text": "What else?",
                "at": "2026-03-01T10:00:02+00:00",
                "move": "coaching",
                "confidence": 0.9,
            },
        ],
    }
    (folder / "t.json").write_text(json.dumps(transcript), encoding="utf-8")
    table = cli("progress", "--rebuild")
    assert table.code == 0 and "rebuilt from 1 transcript" in table.err, table.err
    assert "\x1b" not in table.out and "evil\\x1b]0;pwned\\x07\\x1b[31m[blink]x[/]" in table.out
    as_json = cli("progress", "--json")
    assert as_json.code == 0 and "\x1b" not in as_json.out
    assert json.loads(as_json.out)["sessions"][0]["scenario"] == transcript["scenario"]


def test_eval_shows_hostile_replies_and_fields_as_text(cli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    records = [
        {"text": f"Send it {ESC}[bold]now[/] to Dana.", "label": "coaching", "team": f"ops{ESC}"},
        {"text": "What else?", "label": "coaching", "team": "[red]x[/]"},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = cli("eval", str(gold), "--errors", "5", "--by", "team")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "\\x1b]0;pwned\\x07" in result.out and "[bold]now[/]" in result.out and "[red]x[/]" in result.out
