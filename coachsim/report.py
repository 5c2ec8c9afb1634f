"""Reports on a labelled conversation: Markdown, self-contained HTML, CSV and JSON.

Built from a transcript (practised or imported), so the CLI and any future screen share it.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import TYPE_CHECKING, Any

from coachsim.classify.moves import MOVES
from coachsim.scenario.alternatives import Parser, conversation_alerts
from coachsim.scenario.verdict import verdict
from coachsim.transcript.model import Transcript

if TYPE_CHECKING:
    from coachsim.scenario.model import Scenario

FORMATS = ("md", "html", "csv", "json")
UNCERTAIN_HEADLINE = "Regression (uncertain label)"
UNCERTAIN_MESSAGE = "The label is a guess, so no alert was raised; look at this reply again."
COLOURS = {"coaching": "#2e9d4a", "feedback": "#1f7fd1", "mentoring": "#c9a400", "telling": "#c0392b"}


def practised_scenario(transcript: Transcript) -> Scenario | None:
    """The scenario a coachsim transcript was practised on, if it is still installed (None for an
    imported meeting or a removed scenario: then no beat counts as pulling for the answer)."""
    if not transcript.scenario:
        return None
    from coachsim.scenario.loader import load_catalog  # deferred: only practised transcripts need it

    loaded = load_catalog().scenarios.get(transcript.scenario)
    return loaded.scenario if loaded else None


def has_alerts(transcript: Transcript) -> bool:
    """Whether any reply may raise an alert (so a parser is worth loading for its suggestion)."""
    return any(t.regression or (t.cues or {}).get("advice_question") for t in transcript.manager_turns)


def report_data(
    transcript: Transcript, title: str, scenario: Scenario | None = None, nlp: Parser | None = None
) -> dict[str, Any]:
    """Everything a report shows: summary, per-turn rows, regressions with their alert.

    ``scenario`` (the practised one, when known) says which beats pulled for the answer and gives the
    verdict; ``nlp`` lets a suggestion be built from the reply itself, as in the practice app."""
    summary = dict(transcript.summary or {})
    if scenario is not None and transcript.scenario == scenario.id:
        summary["verdict"] = verdict(transcript, scenario).text
    else:
        scenario = None
    alerts = {id(a.turn): a.alert for a in conversation_alerts(transcript, scenario, nlp)}
    turns = []
    regressions = []
    advice_questions = []
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
            if turn.dispute is not None:
                row["dispute"] = {"move": turn.dispute.move, "comment": turn.dispute.comment}
            alert = alerts.get(id(turn))
            entry = {"n": number, "text": turn.text, "move": turn.move}
            if alert is not None:
                advice = {"headline": alert.headline, "message": alert.message, "try": alert.suggestion}
                row["alert"] = advice
                entry.update(advice)
            else:  # an uncertain label raises no alert
                entry.update(headline=UNCERTAIN_HEADLINE, message=UNCERTAIN_MESSAGE, **{"try": None})
            if turn.regression:
                regressions.append(entry)
            elif alert is not None:
                advice_questions.append(entry)
        turns.append(row)
    return {
        "title": title,
        "source": transcript.source,
        "scenario": transcript.scenario,
        "outcome": transcript.outcome,
        "summary": summary,
        "turns": turns,
        "regressions": regressions,
        "advice_questions": advice_questions,
    }


def _advice(entry: dict[str, Any]) -> str:
    """ "Headline. Message Try: “question”" as one plain line."""
    text = f"{entry['headline']}. {entry['message']}"
    return text + (f" Try: “{entry['try']}”" if entry.get("try") else "")


def _move_shown(turn: dict[str, Any]) -> str:
    """The label, and the move the manager says they meant."""
    dispute = turn.get("dispute")
    return turn.get("move", "") + (f" (you meant {dispute['move']})" if dispute else "")


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
    if s.get("verdict"):
        lines += [f"**Verdict:** {s['verdict']}", ""]
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
            f"| {t['n']} | {t['speaker']} | {_move_shown(t)}{' ⚠' if t.get('regression') else ''} | {', '.join(t.get('cues', []))} | {text} |"
        )
    for heading, entries in (
        ("Regressions", data["regressions"]),
        ("Advice questions", data["advice_questions"]),
    ):
        if entries:
            lines += ["", f"## {heading}", ""]
            lines += [f"- Turn {r['n']} ({r['move']}): “{r['text']}” — {_advice(r)}" for r in entries]
    return "\n".join(lines) + "\n"


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["n", "speaker", "role", "move", "confidence", "regression", "cues", "text", "disputed_move"]
    )
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
                (t.get("dispute") or {}).get("move", ""),
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
    regressions = "".join(_html_advice(r) for r in data["regressions"]) or "<li>None.</li>"
    advice_questions = "".join(_html_advice(r) for r in data["advice_questions"]) or "<li>None.</li>"
    verdict_line = f"<p><b>Verdict:</b> {esc(s['verdict'])}</p>" if s.get("verdict") else ""
    first = s.get("turns_to_first_telling")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(data["title"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }}
tr.manager {{ background: #f6f8fa; }} .cell {{ display: inline-block; min-width: 1.6em; margin: 1px; color: white; text-align: center; font-weight: bold; }}
</style></head><body>
<h1>{esc(data["title"])}</h1>
{verdict_line}
<p>Regressions: {len(s.get("regressions", []))} · First telling: {first if first else "none"} · Talk ratio: {s.get("talk_ratio") or "–"} · Coaching Habit questions: {esc(", ".join(s.get("coaching_habit_questions", [])) or "none")}</p>
<h2>Move mix</h2>
<svg width="600" height="28" role="img" aria-label="move mix">{"".join(bars)}</svg>
<h2>Timeline</h2><p>{cells or "no labelled replies"}</p>
<h2>Regressions</h2><ul>{regressions}</ul>
<h2>Advice questions</h2><ul>{advice_questions}</ul>
<h2>Turns</h2><table><tr><th>#</th><th>speaker</th><th>move</th><th>cues</th><th>text</th></tr>{rows}</table>
</body></html>
"""


def _html_advice(entry: dict[str, Any]) -> str:
    esc = html.escape
    suggestion = f" Try: <b>“{esc(entry['try'])}”</b>" if entry.get("try") else ""
    return (
        f"<li>Turn {entry['n']} ({entry['move']}): “{esc(entry['text'])}” — "
        f"{esc(entry['headline'])}. {esc(entry['message'])}{suggestion}</li>"
    )


def _html_row(turn: dict[str, Any]) -> str:
    esc = html.escape
    move = ""
    if "move" in turn:
        move = f'<b style="color:{COLOURS[turn["move"]]}">{turn["move"].upper()}</b>'
        if turn.get("regression"):
            move += " ⚠"
        if turn.get("dispute"):
            move += f" (you meant {esc(turn['dispute']['move'])})"
    cues = esc(", ".join(turn.get("cues", [])))
    return (
        f'<tr class="{turn["role"]}"><td>{turn["n"]}</td><td>{esc(turn["speaker"])}</td>'
        f"<td>{move}</td><td>{cues}</td><td>{esc(turn['text'])}</td></tr>"
    )


RENDERERS = {"md": to_markdown, "html": to_html, "csv": to_csv, "json": to_json}
