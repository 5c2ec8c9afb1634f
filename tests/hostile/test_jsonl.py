"""Hostile JSON lines for ``classify --jsonl`` and ``eval``: deep nesting, lone surrogates, a BOM,
invisible replies and endless lines are per-line errors, and the stream keeps going."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachsim import jsonl
from coachsim.classify.classifier import Classifier, InvalidReplyError, check_reply
from coachsim.cli import output
from coachsim.cli.main import main

DEEP = "[" * 100_000
INVISIBLE = ["\u200b", "\ufeff", "\u200d\u200c", " \u200b\t\u2060 ", "\u00ad", "\u3164", "\u0301"]


def lines_of(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def errors_of(err: str) -> list[str]:
    return [line.removeprefix("coachsim: error: ") for line in err.splitlines()]


# --- nesting ---------------------------------------------------------------------------------


def test_deep_nesting_is_a_per_line_error_and_the_other_lines_are_labelled(cli) -> None:
    stdin = f'{{"id": 1, "text": "What else?"}}\n{DEEP}\n{{"id": 3, "text": "x", "m": {DEEP}}}\n'
    stdin += '{"id": 4, "text": "Send it to Dana."}\n'
    result = cli("classify", "--jsonl", stdin=stdin)
    assert result.code == 2
    assert [o["id"] for o in lines_of(result.out)] == [1, 4]
    assert errors_of(result.err) == [
        "line 2: JSON nested more than 100 levels deep",
        "line 3: JSON nested more than 100 levels deep",
    ]


def test_eval_names_the_line_nested_too_deeply(cli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(f'{{"text": "What else?", "label": "coaching"}}\n{DEEP}\n', encoding="utf-8")
    result = cli("eval", str(gold))
    assert result.code == 2
    assert result.err == f"coachsim: error: {gold}:2: JSON nested more than 100 levels deep\n"


def test_brackets_inside_strings_do_not_count_as_nesting(cli) -> None:
    record = {"text": "What else?", "note": "[" * 500 + "{" * 500}
    result = cli("classify", "--jsonl", stdin=json.dumps(record) + "\n")
    assert result.code == 0 and lines_of(result.out)[0]["note"] == record["note"]


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab'),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=40,
)


@given(value=JSON_VALUES, limit=st.integers(min_value=0, max_value=8))
def test_too_deep_agrees_with_the_parsed_depth(value: object, limit: int) -> None:
    assert jsonl.too_deep(json.dumps(value), limit) == (depth(value) > limit)


def test_huge_integers_are_not_valid_json_rather_than_a_crash(cli) -> None:
    result = cli("classify", "--jsonl", stdin='{"text": "What else?", "n": ' + "9" * 5000 + "}\n")
    assert result.code == 2 and errors_of(result.err) == ["line 1: not valid JSON"]


# --- lone surrogates -------------------------------------------------------------------------


def test_a_lone_surrogate_anywhere_keeps_the_stream_going(cli) -> None:
    stdin = (
        '{"id": 1, "text": "What \\ud800 else?"}\n'
        '{"id": 2, "text": "Stuck how?", "who": "\\udfff", "context": "I am stuck \\ud83d."}\n'
        '{"id": 3, "text": "\\ud800"}\n'
        "not json\n"
        '{"id": 5, "text": "Send it to Dana."}\n'
    )
    result = cli("classify", "--jsonl", stdin=stdin)
    assert result.code == 2 and errors_of(result.err) == ["line 4: not valid JSON"]
    out = lines_of(result.out)  # each line is valid UTF-8 JSON: the surrogates are \\u escapes
    assert [o["id"] for o in out] == [1, 2, 3, 5]
    assert out[0]["text"] == "What \ud800 else?" and "move" in out[0]
    assert out[1]["who"] == "\udfff" and "move" in out[1]
    assert out[2]["error"] == "empty reply: there is nothing to classify"
    assert "\\ud800" in result.out.splitlines()[0]


@given(value=st.recursive(st.text(), lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(), c)))
def test_json_lines_keep_the_data_and_carry_nothing_a_terminal_acts_on(value: object) -> None:
    line = output.json_line(value)
    assert json.loads(line) == value
    line.encode("utf-8")
    assert not any(0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF or ord(c) < 0x20 for c in line)


# --- byte order mark -------------------------------------------------------------------------


def test_a_bom_before_the_first_line_is_ignored(cli, tmp_path: Path) -> None:
    result = cli("classify", "--jsonl", stdin=b'\xef\xbb\xbf{"id": 1, "text": "What else?"}\n')
    assert result.code == 0 and result.err == "" and lines_of(result.out)[0]["move"] == "coaching"
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(b'\xef\xbb\xbf{"text": "What else?", "label": "coaching"}\n')
    assert cli("eval", str(gold)).code == 0
    assert cli("classify", "-", stdin=b"\xef\xbb\xbfWhat else?\n").code == 0


# --- invisible replies -----------------------------------------------------------------------


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_reply_with_nothing_visible_is_empty(cli, classifier: Classifier, text: str) -> None:
    result = cli("classify", "--jsonl", stdin=json.dumps({"id": 1, "text": text}) + "\n")
    assert lines_of(result.out) == [
        {"id": 1, "text": text, "error": "empty reply: there is nothing to classify"}
    ]
    with pytest.raises(InvalidReplyError, match="empty reply"):
        classifier.classify(text)
    with pytest.raises(InvalidReplyError, match="empty reply"):
        classifier.classify_many(["What else?", text])
    shown = cli("classify", text)
    assert shown.code == 2 and "reply 1: empty reply" in shown.err


@given(text=st.text(alphabet=st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", " ", "\t"])))
def test_any_mix_of_invisible_characters_is_refused(text: str) -> None:
    with pytest.raises(InvalidReplyError):
        check_reply(text)


@pytest.mark.parametrize("text", ["?", "a\u200b", "\u200bOK", "e\u0301", "👍", "\u200d👍"])
def test_a_reply_with_something_visible_is_not_empty(text: str) -> None:
    check_reply(text)


def test_eval_refuses_an_invisible_gold_reply_with_its_line(cli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"text": "What else?", "label": "coaching"}\n\n{"text": "\\u200b", "label": "coaching"}\n'
    )
    result = cli("eval", str(gold))
    assert result.code == 2
    assert (
        result.err == f"coachsim: error: {gold}:3: field 'text': empty reply: there is nothing to classify\n"
    )


# --- long lines ------------------------------------------------------------------------------


class Endless(io.RawIOBase):
    """``size`` bytes of ``fill``, then ``tail``, produced on demand (never all in memory)."""

    def __init__(self, size: int, fill: bytes = b"a", tail: bytes = b"") -> None:
        self.left, self.fill, self.tail = size, fill, tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self.left <= 0:
            data, self.tail = self.tail[: len(buffer)], self.tail[len(buffer) :]
        else:
            data = self.fill * min(len(buffer), self.left)
            self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def test_an_over_long_line_is_skipped_without_holding_it() -> None:
    stream = io.BufferedReader(Endless(20_000_000, tail=b'\n{"text": "What else?"}\n'))
    tracemalloc.start()
    try:
        lines = list(jsonl.read_lines(stream, max_bytes=100_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(line.number, line.text, line.ended) for line in lines] == [
        (1, None, True),
        (2, '{"text": "What else?"}', True),
    ]
    assert peak < 5_000_000  # the 20 MB line was never held


def test_an_over_long_line_is_a_per_line_error(cli) -> None:
    long_text = "What else? " * (jsonl.MAX_LINE_BYTES // 10)
    stdin = f'{{"id": 1, "text": "{long_text}"}}\n{{"id": 2, "text": "Send it."}}\n'
    result = cli("classify", "--jsonl", stdin=stdin)
    assert result.code == 2 and [o["id"] for o in lines_of(result.out)] == [2]
    assert errors_of(result.err) == [f"line 1: {jsonl.too_long()}"]


def test_a_line_over_the_reply_limit_but_under_the_line_limit_is_an_item_error(cli) -> None:
    stdin = json.dumps({"id": 1, "text": "x " * 150_000}) + "\n"
    result = cli("classify", "--jsonl", stdin=stdin)
    assert "over the 200,000 limit" in lines_of(result.out)[0]["error"]


def test_an_endless_line_stops_the_reading(monkeypatch, capsys) -> None:
    monkeypatch.setattr(jsonl, "MAX_SKIP_BYTES", 5_000_000)
    with open("/dev/zero", "rb") as zeros:
        lines = list(jsonl.read_lines(zeros))
    assert [(line.number, line.text, line.ended) for line in lines] == [(1, None, False)]
    with open("/dev/zero", "rb") as zeros:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(zeros))
        code = main(["classify", "--jsonl"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert errors_of(captured.err) == [
        f"line 1: {jsonl.too_long()}; no line end within 5,000,000 bytes, so reading stopped there"
    ]


# --- any input -------------------------------------------------------------------------------

LINES = st.one_of(
    st.just(""),
    st.just("not json"),
    st.just("[1, 2]"),
    st.just(DEEP[:200]),
    st.text(max_size=30),
    st.builds(lambda t: json.dumps({"text": t}), st.text(max_size=30)),
    st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False), st.text(max_size=30)),
    st.builds(lambda t, c: json.dumps({"text": t, "context": c}), st.text(max_size=20), JSON_VALUES),
    st.just('{"text": "What \\udc00 else?"}'),
)


@given(lines=st.lists(LINES, max_size=8))
def test_any_stream_gets_one_output_per_object_and_one_error_per_bad_line(cli, lines: list[str]) -> None:
    stdin = "\n".join(lines).encode("utf-8", errors="surrogatepass") + b"\n"
    result = cli("classify", "--jsonl", stdin=stdin)
    assert result.code in (0, 2), result.err
    out = lines_of(result.out)
    problems = errors_of(result.err)
    assert all(problem.startswith("line ") for problem in problems), problems
    assert not any(p.startswith("unexpected") for p in problems)
    texts = [raw.decode("utf-8", errors="replace").rstrip("\r") for raw in stdin.split(b"\n")[:-1]]
    texts[0] = texts[0].removeprefix("\ufeff")
    assert len(out) + len(problems) == sum(1 for text in texts if text.strip())
    assert all(("move" in o) != ("error" in o) for o in out)
