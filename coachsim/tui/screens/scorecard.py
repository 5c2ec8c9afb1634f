"""The end of a session: the verdict, the move mix against the goal, the timeline, each alert
with a question to try, and where the transcript was saved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coachsim.classify.moves import MOVES
from coachsim.locations import display_path
from coachsim.render.moves import MOVE_COLOURS, MOVE_STYLES
from coachsim.safetext import visible
from coachsim.tui.text import goal_short, reflow
from coachsim.tui.widgets.footer import SteadyFooter

if TYPE_CHECKING:
    from coachsim.progress.pressure import PressureComparison
    from coachsim.scenario.alternatives import Rephrasing
    from coachsim.scenario.loader import LoadedScenario
    from coachsim.transcript.model import Transcript

HINT = "↓ more below: ↑/↓ or PgDn to scroll"


def timeline(transcript: Transcript) -> Text:
    """One coloured cell per reply: its move's initial, ! where it regressed."""
    strip = Text()
    for turn in transcript.manager_turns:
        move = turn.move or "?"
        cell = f" {move[0].upper()}{'!' if turn.regression else ' '}"
        strip.append(cell, style=MOVE_STYLES.get(move, "reverse"))
        strip.append(" ")
    return strip or Text("no replies", style="dim")


def move_mix(counts: dict[str, int]) -> Table:
    """Each move's count and share in its own column, so a narrow terminal never splits a label."""
    replies = sum(counts.values()) or 1
    table = Table.grid(padding=(0, 2))
    for _ in MOVES:
        table.add_column(no_wrap=True)
    table.add_row(*(Text(f" {move} ", style=MOVE_STYLES[move]) for move in MOVES))
    table.add_row(
        *(
            Text(f" {counts.get(move, 0)} ({counts.get(move, 0) / replies:.0%})", style=MOVE_COLOURS[move])
            for move in MOVES
        )
    )
    return table


def pressure_text(transcript: Transcript, history: PressureComparison | None) -> Text | None:
    """Under pressure: the time limit, replies the clock sent, pushes; then, once the history has
    sessions both with and without pressure, the two mixes side by side."""
    from coachsim.progress.pressure import comparison_line

    line = comparison_line(history) if history is not None else None
    if transcript.pressure_s is None and line is None:
        return None
    text = Text()
    if transcript.pressure_s is not None:
        sent = sum(1 for t in transcript.turns if t.timed_out)
        pushed = sum(1 for t in transcript.turns if t.pressed)
        text.append("\nPressure ", style="bold")
        text.append(
            f"{transcript.pressure_s} s a reply · {sent} sent by the clock · pushed {pushed} time"
            f"{'' if pushed == 1 else 's'}"
        )
    if line is not None:
        text.append(f"\n{line}", style="bold" if transcript.pressure_s is not None else "")
    return text


def scorecard(
    transcript: Transcript,
    path: Path,
    loaded: LoadedScenario | None,
    nlp: Rephrasing | None = None,
    history: PressureComparison | None = None,
) -> Group:
    from coachsim.scenario.alternatives import conversation_alerts  # deferred: pydantic

    summary = transcript.summary or {}
    parts: list[RenderableType] = []
    title = loaded.scenario.title if loaded else (transcript.scenario or "Conversation")
    status = "finished" if transcript.status == "finished" else "unfinished (you ended early)"
    parts.append(Text.assemble((visible(title, one_line=True), "bold"), f"  ·  {status}"))
    met = summary.get("goal_met")
    if met is not None:
        mark = ("✓ ", "bold green") if met else ("✗ ", "bold red")
        verdict = summary.get("verdict")  # says "Goal (not) met: …" itself
        if verdict:
            parts.append(Text.assemble(mark, (visible(str(verdict)), "bold")))
        else:
            headline = "Goal met" if met else "Goal not met"
            reason = visible(str(summary.get("goal_reason", "")))
            parts.append(Text.assemble(mark, (f"{headline}: ", "bold"), reason))
    if transcript.outcome:
        parts.append(Text.assemble(("Ending: ", "bold"), visible(reflow(transcript.outcome))))
    if loaded:
        goal = loaded.scenario.goal
        parts.append(Text.assemble(("Goal: ", "bold"), visible(reflow(goal.text))))
        parts.append(Text(f"Target: {goal_short(goal)}", style="dim"))
    parts.append(Text("\nMove mix", style="bold"))
    parts.append(move_mix(summary.get("counts", {})))
    parts.append(Text.assemble(("\nTimeline  ", "bold"), timeline(transcript)))
    first = summary.get("turns_to_first_telling")
    questions = ", ".join(summary.get("coaching_habit_questions", [])) or "none"
    parts.append(
        Text(
            f"Regressions: {len(summary.get('regressions', []))} · "
            f"First telling: {f'turn {first}' if first else 'none'} · "
            f"Talk ratio: {summary.get('talk_ratio') or '–'} · Coaching Habit questions: {questions}"
        )
    )
    pressure = pressure_text(transcript, history)
    if pressure is not None:
        parts.append(pressure)
    scenario = loaded.scenario if loaded else None
    for raised in conversation_alerts(transcript, scenario, nlp):
        turn, alert = raised.turn, raised.alert
        move = turn.move or "telling"
        parts.append(
            Text.assemble(
                ("\n⚠ ", "bold"),
                (f"Reply {raised.number} ", "bold"),
                (f"“{visible(turn.text, one_line=True)}”", "italic"),
                "  ",
                (move.upper(), f"bold {MOVE_COLOURS.get(move, '')}".strip()),
            )
        )
        advice = Text.assemble((f"{visible(alert.headline)}. ", "bold"), visible(alert.message))
        if alert.suggestion:
            advice.append("\nTry: ")
            advice.append(f"“{visible(alert.suggestion)}”", style="bold")
        parts.append(Padding(advice, (0, 0, 0, 2)))
    for number, turn in enumerate(transcript.manager_turns, start=1):
        if turn.dispute is not None:
            comment = f": {visible(turn.dispute.comment)}" if turn.dispute.comment else ""
            parts.append(
                Text.assemble(
                    ("\nYou disputed ", "dim"),
                    f"reply {number} ({turn.move}): you meant ",
                    (turn.dispute.move, f"bold {MOVE_COLOURS.get(turn.dispute.move, '')}".strip()),
                    comment,
                )
            )
    parts.append(Text.assemble(("\nTranscript saved to ", "dim"), (display_path(path), "underline")))
    return Group(*parts)


class ScorecardScreen(Screen[str]):
    """Dismissed with "retry" (r) or "pick" (p, Esc); q quits."""

    BINDINGS = [
        Binding("r", "dismiss('retry')", "Retry"),
        Binding("p,escape", "dismiss('pick')", "Pick another"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(
        self,
        transcript: Transcript,
        path: Path,
        loaded: LoadedScenario | None,
        nlp: Rephrasing | None = None,
        history: PressureComparison | None = None,
    ) -> None:
        super().__init__()
        self.transcript = transcript
        self.path = path
        self.loaded = loaded
        self.nlp = nlp
        self.history = history

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="scorecard"):
            body = scorecard(self.transcript, self.path, self.loaded, self.nlp, self.history)
            yield Static(body, id="scorecard-body")
        yield Static("", id="scorecard-hint")
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        scroll = self.query_one("#scorecard", VerticalScroll)
        scroll.focus()
        self.watch(scroll, "scroll_y", self.update_hint, init=False)
        self.call_after_refresh(self.update_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self.update_hint)

    def update_hint(self) -> None:
        """Say there is more below while there is (the footer keys are no help for scrolling)."""
        scroll = self.query_one("#scorecard", VerticalScroll)
        more = scroll.max_scroll_y > 0 and scroll.scroll_y < scroll.max_scroll_y
        self.query_one("#scorecard-hint", Static).update(Text(HINT if more else "", style="bold"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss" and parameters == ("retry",):
            return self.loaded is not None
        return True
