"""``coachsim progress``: how practice is going, from the SQLite index."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.table import Table
from rich.text import Text

from coachsim.cli import output
from coachsim.errors import ExitCode
from coachsim.practice import open_index
from coachsim.progress.trends import trends
from coachsim.render.moves import MOVE_COLOURS
from coachsim.safetext import as_text

BAR = 30


def show_progress(as_json: bool, rebuild: bool) -> ExitCode:
    index = open_index()
    if rebuild:
        count = index.rebuild()
        output.warn(f"progress index rebuilt from {count} transcript(s)")
    sessions = index.sessions()
    for line in index.warnings:
        output.warn(line)
    data = trends(sessions, datetime.now(UTC).date())
    if as_json:
        output.write_line(output.json_line(data))
        return ExitCode.OK
    console = output.stdout_console()
    if not data["sessions"]:
        console.print("No practice sessions yet. Run `coachsim` to practise one.")
        return ExitCode.OK
    table = Table(title="Sessions (coaching share per session)", title_justify="left")
    for column in ("when", "scenario", "coaching share", "regressions", "first telling", "goal"):
        table.add_column(column)
    for s in data["sessions"]:
        share = s["coaching_share"]
        bar = Text("█" * round(share * BAR), style=MOVE_COLOURS["coaching"]) + Text(f" {share:.0%}")
        goal = "–" if s["goal_met"] is None else ("met" if s["goal_met"] else "missed")
        first = s["turns_to_first_telling"]
        table.add_row(
            as_text(s["started_at"][:16].replace("T", " "), one_line=True),
            as_text(s["scenario"] or "imported", one_line=True),
            bar,
            str(s["regressions"]),
            f"turn {first}" if first else "none",
            goal + ("" if s["status"] == "finished" else " (unfinished)"),
        )
    console.print(table)
    if data["lift"]:
        lift = Table(title="First versus best, per scenario", title_justify="left")
        for column in ("scenario", "sessions", "first", "best", "lift"):
            lift.add_column(column)
        for row in data["lift"]:
            lift.add_row(
                as_text(row["scenario"], one_line=True), str(row["sessions"]),
                f"{row['first_coaching_share']:.0%}", f"{row['best_coaching_share']:.0%}",
                f"{row['lift']:+.0%}",
            )  # fmt: skip
        console.print(lift)
    console.print(f"Practice streak: {data['streak_days']} day(s)")
    return ExitCode.OK
