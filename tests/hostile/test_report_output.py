"""Hostile speakers, texts, comments, titles and summary values in every report format: nothing
executable or structure-breaking survives, and the text itself still reads as it was written."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from coachsim.labelling import label_conversation
from coachsim.report import FORMULA_PREFIXES, report_data, to_csv, to_html, to_json, to_markdown
from coachsim.transcript.importers import Conversation, Utterance

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(1)" data-x="'
SPEAKERS = ["Sam | <b>Lee</b>\n# heading", '=HYPERLINK("http://evil.example","x")']
MANAGER_TEXT = "What's on your mind?\n| injected | row |\n`code` ]] [link](javascript:alert(1)) " + SCRIPT
REPORT_TEXT = "-2+3 ' or @SUM(A1) \\| " + ATTRIBUTE + " </td></tr><img src=x onerror=alert(1)>"
COMMENT = "I meant it\r\n<iframe src=javascript:alert(1)> | `x`"
TITLE = "Report </title><script>alert(2)</script>\n## not a heading"
HOSTILE_SUMMARY = {
    "talk_ratio": SCRIPT,
    "verdict": "Well done\n<svg onload=alert(3)>",
    "goal_met": False,
    "goal_reason": ATTRIBUTE,
    "turns_to_first_telling": "<b>1</b>",
    "coaching_habit_questions": [SCRIPT, "awe | `x`"],
    "manager_talk_share": SCRIPT,
    "talk_seconds": {SCRIPT: 1.5, ATTRIBUTE: None},
    "longest_monologue_s": {"=cmd|' /C calc'!A0": 2.0},
    "median_response_pause_s": "<i>0.5</i>",
    "response_pauses_s": [SCRIPT],
    "interruptions": ATTRIBUTE,
    "interruptions_by": {SCRIPT: 2},
    "words_per_minute": "@SUM(1+1)",
    "questions": {"open": SCRIPT, "closed": "|"},
    "reflections": "`rm -rf`",
    "reflection_to_question": "\n# heading",
    "fillers_per_100_words": ATTRIBUTE,
}


@pytest.fixture(scope="module")
def hostile_data(classifier) -> dict[str, Any]:
    """A labelled conversation with hostile names, texts and a dispute comment, then hostile
    summary values, role and title put straight into the report data."""
    manager, other = SPEAKERS
    conversation = Conversation(
        "hostile.txt",
        "text",
        [
            Utterance(other, REPORT_TEXT, None, 0.0, 2.0),
            Utterance(manager, MANAGER_TEXT, None, 2.5, 6.0),
            Utterance(other, "=1+1\n@me\t+tab", None, 5.0, 9.0),
            Utterance(manager, "Send it to " + SCRIPT + " today.", None, 9.5, 11.0),
        ],
    )
    transcript = label_conversation(conversation, manager, classifier)
    first_reply = transcript.manager_turns[0]
    meant = next(m for m in ("mentoring", "feedback") if m != first_reply.move)
    transcript.dispute(1, meant, COMMENT, "2026-03-01T10:00:00+00:00")
    data = report_data(transcript, TITLE)
    data["summary"].update(HOSTILE_SUMMARY)
    data["outcome"] = "ended\n---\n" + SCRIPT
    data["turns"][0]["role"] = 'report" onclick="alert(4)'
    return data


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


TEMPLATE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "b", "svg", "rect"}
TEMPLATE_TAGS |= {"text", "line", "dl", "dt", "dd", "span", "ul", "li", "table", "tr", "th", "td"}
TEMPLATE_ATTRIBUTES = {"lang", "charset", "width", "height", "role", "aria-label", "x", "y", "fill"}
TEMPLATE_ATTRIBUTES |= {"font-size", "x1", "x2", "y1", "y2", "stroke", "text-anchor", "class", "style"}
TEMPLATE_ATTRIBUTES |= {"title"}


def test_html_has_no_injected_element_or_attribute(hostile_data: dict[str, Any]) -> None:
    page = _Elements()
    page.feed(to_html(hostile_data))
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert tags <= TEMPLATE_TAGS, tags - TEMPLATE_TAGS
    for tag, attributes in page.tags:
        assert set(attributes) <= TEMPLATE_ATTRIBUTES, (tag, attributes)
        assert not any(name.startswith("on") for name in attributes)
        if "class" in attributes:
            assert attributes["class"] in {"manager", "report", "cell", "figures", "legend"}
        if "style" in attributes:
            assert re.fullmatch(r"(color|background):#[0-9a-f]{6}", attributes["style"] or ""), attributes
    assert [attrs.get("class") for tag, attrs in page.tags if tag == "tr"][1:] == [
        "report",
        "manager",
        "report",
        "manager",
    ]
    text = "".join(page.text)
    # The hostile values are shown as the text they are
    for shown in (SCRIPT, ATTRIBUTE.strip(), "onerror=alert(1)>", "<iframe src=javascript:alert(1)>"):
        assert shown in text
    assert "<title>Report </title><script>" not in to_html(hostile_data)


def _table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the table under ``heading``, split on unescaped pipes."""
    lines = markdown.split(f"## {heading}\n\n", 1)[1].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def _cells(line: str) -> list[str]:
    """A GFM table row's cells: a backslash escapes the next character, any other pipe splits."""
    cells, current, escaped = [], "", False
    for char in line:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            current, escaped = current + char, True
        elif char == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += char
    return cells[1:]


def test_markdown_keeps_its_table_and_headings(hostile_data: dict[str, Any]) -> None:
    markdown = to_markdown(hostile_data)
    rows = _table_rows(markdown, "Turns")
    assert len(rows) == len(hostile_data["turns"]) == 4
    assert all(len(row) == 5 for row in rows)
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    assert [len(row) for row in _table_rows(markdown, "Summary")] == [3, 3, 3, 3]
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# Report &lt;/title>&lt;script>")
    assert headings[1:] == [
        "## Summary",
        "## Talk and timing",
        "## Timeline",
        "## Turns",
        *(["## Regressions"] if hostile_data["regressions"] else []),
        *(["## Advice questions"] if hostile_data["advice_questions"] else []),
    ]
    assert "<" not in markdown.replace("<br>", "")  # no raw HTML anywhere
    assert not re.search(r"(?<!\\)`", markdown)  # every backtick escaped: no code spans
    assert not re.search(r"(?<!\\)\][(\[]", markdown)  # no link or image syntax
    assert "I meant it<br>&lt;iframe" in rows[1][2]  # the dispute comment, inert, in its cell
    assert "What's on your mind?<br>\\| injected \\| row \\|" in rows[1][4]
    bullets = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert all("\n" not in b for b in bullets)
    assert any(b.startswith("- Talk time: &lt;script>") for b in bullets)


def test_csv_neutralises_formulas_and_keeps_its_columns(hostile_data: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(hostile_data))))
    header, body = rows[0], rows[1:]
    assert len(body) == 4 and all(len(row) == len(header) == 11 for row in body)
    for row in body:
        for column, cell in zip(header, row, strict=True):
            if column not in ("n", "confidence", "start_s", "end_s"):
                assert not cell.startswith(FORMULA_PREFIXES), (column, cell)
    speaker, text = header.index("speaker"), header.index("text")
    assert body[0][speaker] == "'" + SPEAKERS[1]
    assert body[0][text] == "'" + REPORT_TEXT
    assert body[2][text] == "'=1+1\n@me\t+tab"  # the newline stays inside the quoted cell
    assert body[0][header.index("role")] == 'report" onclick="alert(4)'  # text, quoted by csv
    assert [row[header.index("start_s")] for row in body] == ["0.0", "2.5", "5.0", "9.5"]


def test_json_carries_every_value_unchanged(hostile_data: dict[str, Any]) -> None:
    data = json.loads(to_json(hostile_data))
    assert data["title"] == TITLE
    assert data["summary"]["talk_ratio"] == SCRIPT
    assert data["turns"][1]["text"] == MANAGER_TEXT
    assert data["turns"][1]["dispute"]["comment"] == COMMENT.strip()


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_a_hostile_meeting_file_through_the_cli(cli, tmp_path: Path, fmt: str) -> None:
    meeting = tmp_path / "meeting.vtt"
    meeting.write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n"
        f'<v Eve" onmouseover="alert(1)>{SCRIPT} the release slipped\n\n'
        "00:00:02.500 --> 00:00:04.000\n"
        "<v =HYPERLINK(x) | `y`>Stuck how? [a](javascript:alert(1)) | `z`\n"
        f"second line {ATTRIBUTE}\n",
        encoding="utf-8",
    )
    out = tmp_path / f"report.{fmt}"
    result = cli("report", str(meeting), "--manager", "=HYPERLINK(x) | `y`", "--format", fmt, "-o", str(out))
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    if fmt == "html":
        page = _Elements()
        page.feed(text)
        assert {tag for tag, _ in page.tags} <= TEMPLATE_TAGS
        assert all("onmouseover" not in attrs for _, attrs in page.tags)
        assert 'Eve" onmouseover="alert(1)' in "".join(page.text)
    elif fmt == "md":
        assert all(len(row) == 5 for row in _table_rows(text, "Turns"))
        assert "<" not in text.replace("<br>", "")
        assert not re.search(r"(?<!\\)`|(?<!\\)\]\(", text)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[2][1] == "'=HYPERLINK(x) | `y`"
    else:
        assert json.loads(text)["turns"][0]["speaker"] == 'Eve" onmouseover="alert(1)'
