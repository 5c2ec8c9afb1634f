"""``coachsim progress``: how practice is going, from the SQLite index.

Tables of practice sessions and reviewed meetings, then one coaching-share bar per conversation in
date order (:mod:`coachsim.progress.chart`), lift per scenario and the streak. Every line fits the
console's width, so it reads the same piped at 80 columns as in a 120-column terminal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from coachsim.cli import output
from coachsim.errors import ExitCode
from coachsim.outputs import safe_output_path, write_output
from coachsim.practice import open_index
from coachsim.progress.chart import Line, chart_lines, wrap_cells
from coachsim.progress.html import result, to_html
from coachsim.progress.pressure import compare_pressure, comparison_line
from coachsim.progress.trends import timeline, trends
from coachsim.render.moves import MOVE_COLOURS
from coachsim.safetext import visible

_STYLES = {"filled": MOVE_COLOURS["coaching"], "empty": "grey42", "date": "dim"}


def show_progress(as_json: bool, rebuild: bool, html: Path | None = None) -> ExitCode:
    index = open_index()
    if html is not None:  # refuse a target that is one of the inputs before doing any work
        safe_output_path(html, [index.db_path], what="progress page")
    if rebuild:
        count = index.rebuild()
        output.warn(f"progress index rebuilt from {count} transcript(s)")
    sessions = index.sessions()
    meetings = index.meetings()
    for line in dict.fromkeys(index.warnings):
        output.warn(line)
    data = trends(sessions, datetime.now(UTC).date(), meetings)
    data["drills"] = _drill_results()
    comparison = compare_pressure(sessions)
    data["pressure"] = comparison.to_dict()
    if html is not None:
        inputs = [index.db_path, *(Path(s.path) for s in sessions), *(Path(m.source) for m in meetings)]
        page = to_html(data, timeline(sessions, meetings))
        written = write_output(html, page, inputs=inputs, what="progress page")
        if written is not None:
            output.warn(f"progress page written to {written}")
        return ExitCode.OK
    if as_json:
        output.write_line(output.json_line(data))
        return ExitCode.OK
    console = output.stdout_console()
    if not data["sessions"] and not data["meetings"] and not data["drills"]["weeks"]:
        console.print("No practice sessions yet. Run `coachsim` to practise one.")
        return ExitCode.OK
    if data["sessions"]:
        console.print(_sessions_table(data["sessions"], console.width), "")
    if data["meetings"]:
        console.print(_meetings_table(data["meetings"], console.width), "")
    _print_chart(console, chart_lines(timeline(sessions, meetings), console.width))
    if data["lift"]:
        console.print(_lift_table(data["lift"], console.width), "")
    if data["drills"]["weeks"]:
        console.print(_drills_table(data["drills"]), "")
        if data["drills"]["recurring"]:
            console.print("Moments that keep coming back:")
            for moment in data["drills"]["recurring"]:
                console.print(Text(f"  {moment['slips']} slips · {_safe(moment['prompt'] or moment['id'])}"))
            console.print("")
    pressure = comparison_line(comparison)
    if pressure:
        console.print(Text(pressure), "")
    console.print(f"Practice streak: {data['streak_days']} day(s)")
    return ExitCode.OK


def _drill_results() -> dict[str, Any]:
    """Drill pass rates per week and the moments that keep coming back (empty when the drill cards
    cannot be read: one warning line, the rest of progress still shows)."""
    from coachsim.drill.deck import Deck, DeckUnavailable
    from coachsim.drill.results import drill_progress, recurring_moments

    try:
        cards = Deck.open().cards()
    except DeckUnavailable as problem:
        output.warn(problem.message)
        cards = []
    prompts: dict[str, str | None] = {}
    if recurring_moments(cards):
        from coachsim.cli.drill_cmd import moment_prompts

        prompts = moment_prompts()
    return drill_progress(cards, prompts)


def _drills_table(drills: dict[str, Any]) -> Table:
    table = Table(title="Drills per week", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for header in ("week", "answered", "passed", "pass rate"):
        table.add_column(header, justify="left" if header == "week" else "right", no_wrap=True)
    for week in drills["weeks"]:
        table.add_row(week["week"], str(week["answered"]), str(week["passed"]), f"{week['pass_rate']:.0%}")
    return table


MIN_ID_CELLS = 12
_GAP_CELLS = 3  # between two columns of a SIMPLE_HEAD table without edges


def _fitted_table(
    title: str, headers: tuple[str, ...], rows: list[list[str]], ids: set[int], width: int
) -> Table:
    """A table that fits ``width``: the other columns keep their natural width and never wrap; the
    ``ids`` columns (scenario ids, file names, people) share the rest and wrap at hyphens and spaces,
    whole, never cut with "…"."""
    natural = [max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    fixed = sum(n for i, n in enumerate(natural) if i not in ids) + _GAP_CELLS * (len(headers) - 1)
    room = width - fixed
    cells: dict[int, int] = {}
    for left, i in enumerate(sorted(ids, key=lambda i: natural[i]), start=0):
        fair = room // (len(ids) - left)  # narrow columns keep their width, the widest takes the rest
        cells[i] = min(natural[i], max(MIN_ID_CELLS, fair))
        room -= cells[i]
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i, header in enumerate(headers):
        table.add_column(header, no_wrap=i not in ids, overflow="fold")
    for row in rows:
        table.add_row(
            *(Text("\n".join(wrap_cells(c, cells[i]))) if i in ids else Text(c) for i, c in enumerate(row))
        )
    return table


def _safe(text: str) -> str:
    return visible(text, one_line=True)


def _when(stamp: str) -> str:
    return _safe(stamp[:16].replace("T", " "))


def _share(entry: dict[str, Any]) -> str:
    return f"{entry['coaching_share']:.0%} of {entry['replies']}"


def _sessions_table(sessions: list[dict[str, Any]], width: int) -> Table:
    rows = [
        [
            _when(s["started_at"]),
            _safe(s["scenario"] or "imported"),
            _share(s),
            str(s["regressions"]),
            f"turn {s['turns_to_first_telling']}" if s["turns_to_first_telling"] else "none",
            "unfinished" if s["status"] != "finished" else result(s),
        ]
        for s in sessions
    ]
    headers = ("when", "scenario", "coaching", "regr.", "1st telling", "goal")
    table = _fitted_table("Practice sessions", headers, rows, {1}, width)
    if any(s["status"] != "finished" for s in sessions):
        table.caption = "unfinished: left early, so the goal was not judged"
        table.caption_justify = "left"
    return table


def _meetings_table(meetings: list[dict[str, Any]], width: int) -> Table:
    rows = [
        [
            _when(m["reviewed_at"]),
            _safe(Path(m["source"]).name),
            _safe(m["manager"] or "–"),
            _share(m),
            str(m["regressions"]),
            str(m["relabelled"]),
        ]
        for m in meetings
    ]
    headers = ("reviewed", "meeting", "manager", "coaching", "regr.", "relabelled")
    return _fitted_table(
        "Reviewed meetings (your real 1:1s, with the coach's labels)", headers, rows, {1, 2}, width
    )


def _lift_table(lifts: list[dict[str, Any]], width: int) -> Table:
    rows = [
        [
            _safe(row["scenario"]),
            str(row["sessions"]),
            f"{row['first_coaching_share']:.0%}",
            f"{row['best_coaching_share']:.0%}",
            f"{row['lift']:+.0%}",
        ]
        for row in lifts
    ]
    headers = ("scenario", "sessions", "first", "best", "lift")
    return _fitted_table("First versus best, per scenario", headers, rows, {0}, width)


def _print_chart(console: Console, lines: list[Line]) -> None:
    if not lines:
        return
    console.print(Text("Coaching share over time (one bar per conversation, oldest first)", style="italic"))
    for line in lines:
        text = Text(no_wrap=True, overflow="fold")
        for piece in line:
            style = _STYLES.get(piece.role or "", "")
            if piece.role == "regressions" and not piece.text.lstrip().startswith("0 "):
                style = "bold " + MOVE_COLOURS["telling"]
            text.append(piece.text, style=style)
        text.rstrip()
        console.print(text)
    console.print()
