"""Reports on a labelled conversation: Markdown, self-contained HTML, CSV and JSON.

Built from a transcript (practised or imported), so the CLI and any future screen share it.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import MOVES
from coachsim.scenario.alternatives import suggest
from coachsim.transcript.model import Transcript

FORMATS = ("md", "html", "csv", "json")
COLOURS = {"coaching": "#2e9d4a", "feedback": "#1f7fd1", "mentoring": "#c9a400", "telling": "#c0392b"}


def report_data(transcript: Transcript, title: str) -> dict[str, Any]:
    """Everything a report shows: summary, per-turn rows, regressions with alternatives."""
    summary = dict(transcript.summary or {})
    turns = []
    regressions = []
    asked: list[str] = []
    for number, turn in enumerate(transcript.turns, start=1):
        row: dict[str, Any] = {
            "n": number,
            "speaker": turn.name or turn.speaker,
            "role": turn.speaker,
            "text": turn.text,
        }
        if turn.speaker == "manager" and turn.move:
            cues = turn.cues or {}
            row.update(
                move=turn.move,
                confidence=turn.confidence,
                regression=bool(turn.regression),
                cues=sorted(k for k, v in cues.items() if v is True)
                + (
                    [f"coaching_habit_question:{cues['coaching_habit_question']}"]
                    if cues.get("coaching_habit_question")
                    else []
                ),
                sentences=turn.sentences or [],
            )
            if turn.regression:
                alternative = suggest(ReplyAnalysis.from_dict(turn.text, turn.to_dict()), used=tuple(asked))
                regressions.append(
                    {
                        "n": number,
                        "text": turn.text,
                        "move": turn.move,
                        "message": alternative.message,
                        "try": alternative.suggestion,
                    }
                )
            asked.append(turn.text)
        turns.append(row)
    return {
        "title": title,
        "source": transcript.source,
        "scenario": transcript.scenario,
        "outcome": transcript.outcome,
        "summary": summary,
        "turns": turns,
        "regressions": regressions,
    }


def _mix(summary: dict) -> list[tuple[str, int, float]]:
    counts = summary.get("counts", {})
    total = sum(counts.values()) or 1
    return [(m, counts.get(m, 0), counts.get(m, 0) / total) for m in MOVES]


def to_markdown(data: dict[str, Any]) -> str:
    s = data["summary"]
    lines = [f"# {data['title']}", ""]
    if data.get("outcome"):
        lines += [f"**Ending:** {data['outcome']}", ""]
    if "goal_met" in s:
        lines += [f"**Goal:** {'met' if s['goal_met'] else 'not met'} ({s.get('goal_reason', '')})", ""]
    lines += ["## Summary", "", "| move | replies | share |", "| --- | ---: | ---: |"]
    lines += [f"| {m} | {n} | {share:.0%} |" for m, n, share in _mix(s)]
    first = s.get("turns_to_first_telling")
    lines += [
        "",
        f"- Regressions: {len(s.get('regressions', []))}",
        f"- Turns to first telling: {first if first else 'none'}",
        f"- Talk ratio (manager words per report word): {s.get('talk_ratio') or '–'}",
        f"- Coaching Habit questions: {', '.join(s.get('coaching_habit_questions', [])) or 'none'}",
        "",
        "## Timeline",
        "",
        " ".join(
            f"{t['move'][0].upper()}{'!' if t['regression'] else ''}" for t in data["turns"] if "move" in t
        )
        or "no labelled replies",
        "",
        "## Turns",
        "",
        "| # | speaker | move | cues | text |",
        "| ---: | --- | --- | --- | --- |",
    ]
    for t in data["turns"]:
        text = t["text"].replace("|", "\\|")
        lines.append(
            f"| {t['n']} | {t['speaker']} | {t.get('move', '')}{' ⚠' if t.get('regression') else ''} | {', '.join(t.get('cues', []))} | {text} |"
        )
    if data["regressions"]:
        lines += ["", "## Regressions", ""]
        for r in data["regressions"]:
            lines.append(f"- Turn {r['n']} ({r['move']}): “{r['text']}” — {r['message']} Try: “{r['try']}”")
    return "\n".join(lines) + "\n"


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["n", "speaker", "role", "move", "confidence", "regression", "cues", "text"])
    for t in data["turns"]:
        writer.writerow(
            [
                t["n"],
                t["speaker"],
                t["role"],
                t.get("move", ""),
                t.get("confidence", ""),
                t.get("regression", ""),
                ";".join(t.get("cues", [])),
                t["text"],
            ]
        )
    return buffer.getvalue()


def to_html(data: dict[str, Any]) -> str:
    """One self-contained page: inline CSS and an inline SVG bar chart, no network."""
    esc = html.escape
    s = data["summary"]
    bars, x = [], 0.0
    for move, count, share in _mix(s):
        width = share * 600
        if width:
            bars.append(
                f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="28" fill="{COLOURS[move]}"><title>{move}: {count}</title></rect>'
            )
            if width > 60:
                bars.append(
                    f'<text x="{x + 6:.1f}" y="19" fill="white" font-size="13">{move} {share:.0%}</text>'
                )
        x += width
    cells = "".join(
        f'<span class="cell" style="background:{COLOURS[t["move"]]}" title="{esc(t["text"])}">{t["move"][0].upper()}{"!" if t["regression"] else ""}</span>'
        for t in data["turns"]
        if "move" in t
    )
    rows = "".join(_html_row(t) for t in data["turns"])
    regressions = (
        "".join(
            f"<li>Turn {r['n']} ({r['move']}): “{esc(r['text'])}” — {esc(r['message'])} Try: <b>“{esc(r['try'])}”</b></li>"
            for r in data["regressions"]
        )
        or "<li>None.</li>"
    )
    first = s.get("turns_to_first_telling")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(data["title"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }}
tr.manager {{ background: #f6f8fa; }} .cell {{ display: inline-block; min-width: 1.6em; margin: 1px; color: white; text-align: center; font-weight: bold; }}
</style></head><body>
<h1>{esc(data["title"])}</h1>
<p>Regressions: {len(s.get("regressions", []))} · First telling: {first if first else "none"} · Talk ratio: {s.get("talk_ratio") or "–"} · Coaching Habit questions: {esc(", ".join(s.get("coaching_habit_questions", [])) or "none")}</p>
<h2>Move mix</h2>
<svg width="600" height="28" role="img" aria-label="move mix">{"".join(bars)}</svg>
<h2>Timeline</h2><p>{cells or "no labelled replies"}</p>
<h2>Regressions</h2><ul>{regressions}</ul>
<h2>Turns</h2><table><tr><th>#</th><th>speaker</th><th>move</th><th>cues</th><th>text</th></tr>{rows}</table>
</body></html>
"""


def _html_row(turn: dict[str, Any]) -> str:
    esc = html.escape
    move = ""
    if "move" in turn:
        move = f'<b style="color:{COLOURS[turn["move"]]}">{turn["move"].upper()}</b>'
        if turn.get("regression"):
            move += " ⚠"
    cues = esc(", ".join(turn.get("cues", [])))
    return (
        f'<tr class="{turn["role"]}"><td>{turn["n"]}</td><td>{esc(turn["speaker"])}</td>'
        f"<td>{move}</td><td>{cues}</td><td>{esc(turn['text'])}</td></tr>"
    )


RENDERERS = {"md": to_markdown, "html": to_html, "csv": to_csv, "json": to_json}
