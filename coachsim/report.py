"""Reports on a labelled conversation: Markdown, self-contained HTML, CSV and JSON.

Built from a transcript (practised or imported), so the CLI and any future screen share it. Every
value from a file or a person is made inert for its format: HTML is rendered by an autoescaping
Jinja2 template, Markdown cells and lines escape what would break the table or open markup, and CSV
cells that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coachsim.classify.analysis import cue_names
from coachsim.classify.moves import MOVES
from coachsim.html_pages import MOVE_HEX, render_page
from coachsim.scenario.alternatives import Rephrasing, conversation_alerts
from coachsim.scenario.verdict import verdict
from coachsim.talk import talk_metrics
from coachsim.transcript.model import Transcript

if TYPE_CHECKING:
    from coachsim.scenario.model import Scenario

FORMATS = ("md", "html", "csv", "json")
UNCERTAIN_HEADLINE = "Regression (uncertain label)"
UNCERTAIN_MESSAGE = "The label is a guess, so no alert was raised; look at this reply again."
COLOURS = MOVE_HEX
#: The colour of a turn with no move (the other person's, or an unlabelled reply).
UNLABELLED_COLOUR = "#8a8f98"
NOT_KNOWN = "–"


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
    transcript: Transcript, title: str, scenario: Scenario | None = None, nlp: Rephrasing | None = None
) -> dict[str, Any]:
    """Everything a report shows: summary, per-turn rows, regressions with their alert.

    ``scenario`` (the practised one, when known) says which beats pulled for the answer and gives the
    verdict; ``nlp`` lets a suggestion be built from the reply itself, as in the practice app."""
    summary = dict(transcript.summary or {})
    summary.update(talk_metrics(transcript).to_dict())
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
            "start_s": turn.start_s,
            "end_s": turn.end_s,
        }
        if turn.speaker == "manager" and turn.move:
            row.update(
                move=turn.move,
                confidence=turn.confidence,
                regression=bool(turn.regression),
                cues=cue_names(turn.cues),
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


# -- figures shared by every readable format ------------------------------------------------------


def _number(value: Any, unit: str = "") -> str:
    """A figure as text; ``None`` (not computable) is shown as a dash, never as zero."""
    if value is None:
        return NOT_KNOWN
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return str(value)
    shown = f"{value:.3f}".rstrip("0").rstrip(".")
    return ("0" if shown == "-0" else shown) + unit


def _per_speaker(value: Any, unit: str = "") -> str:
    """ "Sam 13.5 s, Jo 22.5 s" from a speaker → figure map (a dash when not computable)."""
    if value is None:
        return NOT_KNOWN
    if not isinstance(value, dict):
        return str(value)
    return ", ".join(f"{speaker} {_number(figure, unit)}" for speaker, figure in value.items()) or NOT_KNOWN


def _share(value: Any, digits: int = 0) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:.{digits}%}"
    return _number(value)


def _questions(value: Any) -> str:
    if isinstance(value, dict):
        return f"{_number(value.get('open'))} open, {_number(value.get('closed'))} closed"
    return _number(value)


def _interruptions(summary: dict[str, Any]) -> str:
    shown = _number(summary.get("interruptions"))
    by = summary.get("interruptions_by")
    if isinstance(by, dict) and any(by.values()):
        shown += " (" + ", ".join(f"by {s} {_number(n)}" for s, n in by.items() if n) + ")"
    return shown


def talk_figures(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The "Talk and timing" lines as (label, value) text, for Markdown and HTML alike."""
    pauses = summary.get("response_pauses_s")
    median = _number(summary.get("median_response_pause_s"), " s")
    if isinstance(pauses, list) and pauses:
        median += f" (each: {', '.join(_number(p, ' s') for p in pauses)})"
    return [
        ("Talk time", _per_speaker(summary.get("talk_seconds"), " s")),
        ("Manager's share of talk time", _share(summary.get("manager_talk_share"), 1)),
        ("Longest monologue", _per_speaker(summary.get("longest_monologue_s"), " s")),
        ("Median pause before the manager speaks", median),
        ("Interruptions (starting before the other finished)", _interruptions(summary)),
        ("Words per minute", _per_speaker(summary.get("words_per_minute"))),
        ("Questions", _questions(summary.get("questions"))),
        ("Reflections", _number(summary.get("reflections"))),
        ("Reflection to question (MITI: 1 fair, 2 good)", _number(summary.get("reflection_to_question"))),
        ("Fillers per 100 words", _number(summary.get("fillers_per_100_words"))),
    ]


def _advice(entry: dict[str, Any]) -> str:
    """ "Headline. Message Try: “question”" as one plain line."""
    text = f"{entry['headline']}. {entry['message']}"
    return text + (f" Try: “{entry['try']}”" if entry.get("try") else "")


def _move_shown(turn: dict[str, Any]) -> str:
    """The label, and the move the manager says they meant."""
    dispute = turn.get("dispute")
    if not dispute:
        return str(turn.get("move", ""))
    comment = f": {dispute['comment']}" if dispute.get("comment") else ""
    return f"{turn.get('move', '')} (you meant {dispute['move']}{comment})"


def _mix(summary: dict) -> list[tuple[str, int, float]]:
    counts = summary.get("counts", {})
    total = sum(counts.values()) or 1
    return [(m, counts.get(m, 0), counts.get(m, 0) / total) for m in MOVES]


def _joined(items: Any) -> str:
    return ", ".join(str(i) for i in items) if isinstance(items, list | tuple) else str(items)


# -- Markdown ----------------------------------------------------------------------------------------

#: Escaped with a backslash: backslash, backtick, pipe, and a "]" that would close a link or image.
_MD_SPECIAL = re.compile(r"[\\`|]|\](?=[(\[])")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def md(value: Any) -> str:
    """``value`` as inert Markdown for a table cell, heading or list item. Backslashes, backticks,
    ``|`` and a ``]`` before ``(`` or ``[`` (a link or image) are backslash-escaped; ``&`` and ``<``
    become entities (no HTML, no autolink); every line break becomes ``<br>``, so the text keeps
    its lines but stays in its cell."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    return _LINE_BREAKS.sub("<br>", text)


def to_markdown(data: dict[str, Any]) -> str:
    s = data["summary"]
    lines = [f"# {md(data['title'])}", ""]
    if data.get("outcome"):
        lines += [f"**Ending:** {md(data['outcome'])}", ""]
    if "goal_met" in s:
        met = "met" if s["goal_met"] else "not met"
        lines += [f"**Goal:** {met} ({md(s.get('goal_reason', ''))})", ""]
    if s.get("verdict"):
        lines += [f"**Verdict:** {md(s['verdict'])}", ""]
    lines += ["## Summary", "", "| move | replies | share |", "| --- | ---: | ---: |"]
    lines += [f"| {m} | {md(n)} | {md(_share(share))} |" for m, n, share in _mix(s)]
    first = s.get("turns_to_first_telling")
    lines += [
        "",
        f"- Regressions: {len(s.get('regressions', []))}",
        f"- Turns to first telling: {md(first) if first else 'none'}",
        f"- Talk ratio (manager words per report word): {md(s.get('talk_ratio') or NOT_KNOWN)}",
        f"- Coaching Habit questions: {md(_joined(s.get('coaching_habit_questions', [])) or 'none')}",
        "",
        "## Talk and timing",
        "",
    ]
    lines += [f"- {label}: {md(value)}" for label, value in talk_figures(s)]
    lines += [
        "",
        "## Timeline",
        "",
        " ".join(
            f"{md(str(t['move'])[:1].upper())}{'!' if t.get('regression') else ''}"
            for t in data["turns"]
            if "move" in t
        )
        or "no labelled replies",
        "",
        "## Turns",
        "",
        "| # | speaker | move | cues | text |",
        "| ---: | --- | --- | --- | --- |",
    ]
    for t in data["turns"]:
        move = _move_shown(t) + (" ⚠" if t.get("regression") else "")
        cells = (t["n"], t["speaker"], move, _joined(t.get("cues", [])), t["text"])
        lines.append("| " + " | ".join(md(cell) for cell in cells) + " |")
    for heading, entries in (
        ("Regressions", data["regressions"]),
        ("Advice questions", data["advice_questions"]),
    ):
        if entries:
            lines += ["", f"## {heading}", ""]
            lines += [
                f"- Turn {md(r['n'])} ({md(r['move'])}): “{md(r['text'])}” — {md(_advice(r))}"
                for r in entries
            ]
    return "\n".join(lines) + "\n"


# -- JSON and CSV ------------------------------------------------------------------------------------


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: What a spreadsheet reads as the start of a formula (OWASP CSV injection), with full-width forms.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: numbers stay numbers, ``None`` is empty, and text
    that starts like a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


CSV_COLUMNS = (
    "n",
    "speaker",
    "role",
    "move",
    "confidence",
    "regression",
    "cues",
    "text",
    "disputed_move",
    "start_s",
    "end_s",
)


def to_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for t in data["turns"]:
        row = [
            t["n"],
            t["speaker"],
            t["role"],
            t.get("move"),
            t.get("confidence"),
            t.get("regression"),
            ";".join(str(c) for c in t.get("cues", [])),
            t["text"],
            (t.get("dispute") or {}).get("move"),
            t.get("start_s"),
            t.get("end_s"),
        ]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


# -- HTML ----------------------------------------------------------------------------------------------

TIMELINE_WIDTH, LANE_HEIGHT, LABEL_WIDTH, AXIS_HEIGHT = 720.0, 26, 130, 22
_TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)


@dataclass(frozen=True)
class TimelineBar:
    """One timed turn in the SVG timeline: its lane, place, colour and tooltip."""

    x: float
    y: int
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class Timeline:
    """Who spoke when: one lane per speaker, a bar per timed turn, an axis with ticks."""

    lanes: list[tuple[str, int]]
    bars: list[TimelineBar]
    ticks: list[tuple[float, str]]
    width: float
    height: int


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return (
        f"{whole // 60}:{whole % 60:02d}"
        if whole < 3600
        else f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    )


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def timeline(turns: list[dict[str, Any]]) -> Timeline | None:
    """The layout of the turns that have a start and an end (None when no turn has both)."""
    timed = []
    for turn in turns:
        start, end = _seconds(turn.get("start_s")), _seconds(turn.get("end_s"))
        if start is not None and end is not None and end >= start:
            timed.append((turn, start, end))
    if not timed:
        return None
    origin = min(start for _, start, _ in timed)
    span = max(end for _, _, end in timed) - origin or 1.0
    scale = TIMELINE_WIDTH / span
    lanes = {name: index for index, name in enumerate(dict.fromkeys(str(t["speaker"]) for t, _, _ in timed))}
    bars = []
    for turn, start, end in timed:
        move = turn.get("move")
        colour = COLOURS.get(move, UNLABELLED_COLOUR) if isinstance(move, str) else UNLABELLED_COLOUR
        text = str(turn["text"])
        said = text if len(text) <= 140 else text[:139] + "…"
        label = f" · {move}" if move else ""
        bars.append(
            TimelineBar(
                x=round(LABEL_WIDTH + (start - origin) * scale, 1),
                y=lanes[str(turn["speaker"])] * LANE_HEIGHT + 4,
                width=round(max((end - start) * scale, 1.0), 1),
                colour=colour,
                title=f"{turn['speaker']} {_clock(start)}–{_clock(end)} ({end - start:g} s){label}: {said}",
            )
        )
    step = next((s for s in _TICK_STEPS if span / s <= 10), _TICK_STEPS[-1])
    first_tick = math.ceil(origin / step) * step
    ticks = [
        (round(LABEL_WIDTH + (at - origin) * scale, 1), _clock(at))
        for at in range(int(first_tick), int(origin + span) + 1, step)
    ]
    height = len(lanes) * LANE_HEIGHT + AXIS_HEIGHT
    return Timeline(
        lanes=[(name, index * LANE_HEIGHT + 4) for name, index in lanes.items()],
        bars=bars,
        ticks=ticks,
        width=LABEL_WIDTH + TIMELINE_WIDTH + 10,
        height=height,
    )


@dataclass(frozen=True)
class MixBar:
    """One move's part of the move-mix bar."""

    move: str
    count: int
    share: float
    x: float
    width: float
    colour: str


def _mix_bars(summary: dict[str, Any]) -> list[MixBar]:
    bars, x = [], 0.0
    for move, count, share in _mix(summary):
        width = share * 600
        if width:
            bars.append(MixBar(move, count, share, round(x, 1), round(width, 1), COLOURS[move]))
        x += width
    return bars


def _html_turn(turn: dict[str, Any]) -> dict[str, Any]:
    """A turn row for the template: the role as a known class, the move's colour and marks."""
    move = turn.get("move")
    dispute = turn.get("dispute") or {}
    return {
        "n": turn["n"],
        "role_class": "manager" if turn.get("role") == "manager" else "report",
        "speaker": turn["speaker"],
        "move": move,
        "colour": COLOURS.get(move, UNLABELLED_COLOUR) if isinstance(move, str) else UNLABELLED_COLOUR,
        "regression": bool(turn.get("regression")),
        "meant": dispute.get("move"),
        "comment": dispute.get("comment"),
        "cues": _joined(turn.get("cues", [])),
        "text": turn["text"],
    }


def to_html(data: dict[str, Any]) -> str:
    """One self-contained page: inline CSS and SVG (move mix and a who-spoke-when timeline), no
    script and no network; every value is escaped by the template."""
    s = data["summary"]
    turns = [_html_turn(t) for t in data["turns"]]
    first = s.get("turns_to_first_telling")
    return render_page(
        "report.html.j2",
        title=data["title"],
        verdict=s.get("verdict") or "",
        regressions_count=len(s.get("regressions", [])),
        first_telling=first if first else "none",
        talk_ratio=s.get("talk_ratio") or NOT_KNOWN,
        habit_questions=_joined(s.get("coaching_habit_questions", [])) or "none",
        mix=_mix_bars(s),
        figures=talk_figures(s),
        timeline=timeline(data["turns"]),
        labelled=[t for t in turns if t["move"]],
        regressions=data["regressions"],
        advice_questions=data["advice_questions"],
        turns=turns,
        colours=COLOURS,
    )


RENDERERS = {"md": to_markdown, "html": to_html, "csv": to_csv, "json": to_json}
