"""``coachsim classify``: the readable view, stdin mode and the JSON-lines machine interface."""

from __future__ import annotations

import json
import subprocess
import sys

from coachsim import __version__


def test_version_and_help(cli) -> None:
    assert cli("--version").out.strip() == f"coachsim {__version__}"
    result = cli()
    assert result.code == 0
    assert "classify" in result.out and "eval" in result.out


def test_readable_view_shows_move_sentences_cues_and_evidence(cli) -> None:
    result = cli("classify", "Why don't you just call the client? I noticed you rewrote the spec.")
    assert result.code == 0
    assert "TELLING" in result.out and "FEEDBACK" in result.out
    assert "telling.advice_question" in result.out
    assert "cues:" in result.out and "advice_question" in result.out


def test_stdin_mode_reads_one_reply_per_line(cli) -> None:
    result = cli("classify", "-", stdin="What else?\n\nSend it to Dana.\n")
    assert result.code == 0
    assert "reply 1" in result.out and "reply 2" in result.out and "reply 3" not in result.out
    assert "COACHING" in result.out and "TELLING" in result.out


def test_empty_argument_is_reported_and_others_still_labelled(cli) -> None:
    result = cli("classify", "What else?", "   ")
    assert result.code == 2
    assert result.err.strip() == "coachsim: error: reply 2: empty reply: there is nothing to classify"
    assert "COACHING" in result.out


def test_no_replies_is_a_usage_error(cli) -> None:
    result = cli("classify")
    assert result.code == 2 and result.err.count("\n") == 1 and "no replies given" in result.err


def test_jsonl_keeps_fields_and_order_and_adds_labels(cli) -> None:
    lines = [
        {"id": 1, "text": "Send the report to Dana by Friday.", "team": "ops"},
        {"id": 2, "text": "What's on your mind?"},
        {"id": 3, "text": "In my experience, a call beats an email.", "nested": {"a": [1, 2]}},
    ]
    result = cli("classify", "--jsonl", stdin="".join(json.dumps(x) + "\n" for x in lines))
    assert result.code == 0 and result.err == ""
    out = [json.loads(line) for line in result.out.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3]
    assert [o["move"] for o in out] == ["telling", "coaching", "mentoring"]
    assert out[0]["team"] == "ops" and out[2]["nested"] == {"a": [1, 2]}
    assert out[1]["cues"]["coaching_habit_question"] == "kickstart"
    assert all({"confidence", "sentences", "cues"} <= o.keys() for o in out)


def test_jsonl_bad_lines_are_reported_after_the_good_ones(cli) -> None:
    stdin = (
        b'{"id": 1, "text": "Send it."}\n'
        b"this is not json\n"
        b'{"id": 2, "text": "   "}\n'
        b"\n"
        b'{"id": 3}\n'
        b"[1, 2]\n"
        b'{"id": 4, "text": "caf\xe9 \xff what else?"}\n'
    )
    result = cli("classify", "--jsonl", stdin=stdin)
    assert result.code == 2
    out = [json.loads(line) for line in result.out.splitlines()]
    assert [o["id"] for o in out] == [1, 2, 3, 4]
    assert out[1]["error"] == "empty reply: there is nothing to classify"
    assert "error" in out[2] and "move" not in out[2]
    assert out[3]["move"] == "coaching"
    assert result.err.splitlines() == [
        "coachsim: error: line 2: not valid JSON",
        "coachsim: error: line 6: not a JSON object",
    ]


def test_a_missing_model_is_one_line_and_exit_1(cli, monkeypatch) -> None:
    result = cli("classify", "--model", "en_core_web_nope", "hello")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "en_core_web_nope" in result.err
    monkeypatch.setenv("COACHSIM_SPACY_MODEL", "en_core_web_nope")
    assert cli("classify", "hello").code == 1


def test_the_installed_command_runs_without_a_traceback() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "coachsim", "classify", "--jsonl"],
        input=b'{"text": "Have you tried asking Priya?"}\nnope\n',
        capture_output=True,
        check=False,
    )
    assert process.returncode == 2
    assert json.loads(process.stdout)["move"] == "telling"
    assert process.stderr.decode() == "coachsim: error: line 2: not valid JSON\n"


def test_jsonl_context_changes_labels_through_its_rules_and_a_bad_one_is_an_item_error(cli) -> None:
    lines = [
        {
            "id": 1,
            "text": "Stuck how?",
            "context": [{"speaker": "report", "text": "I'm stuck on the migration."}],
        },
        {"id": 2, "text": "Sure, I'll call her today.", "context": "Could you call the client for me?"},
        {"id": 3, "text": "Stuck how?", "context": 42},
        {"id": 4, "text": "Stuck how?", "context": [{"speaker": "report"}]},
    ]
    result = cli("classify", "--jsonl", stdin="".join(json.dumps(x) + "\n" for x in lines))
    out = [json.loads(line) for line in result.out.splitlines()]
    assert [o.get("move") for o in out] == ["coaching", "coaching", None, None]
    assert "context must be" in out[2]["error"] and "'text'" in out[3]["error"]
    assert all("uncertain" in o for o in out[:2])
    rules = {e["rule"] for s in out[0]["sentences"] for e in s["evidence"]}
    assert "coaching.context.echo_question" in rules
