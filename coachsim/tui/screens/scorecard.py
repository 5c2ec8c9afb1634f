"""The end of a session: move mix against the goal, the timeline, each regression and the ending."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import MOVES
from coachsim.locations import display_path
from coachsim.practice import PracticeRun
from coachsim.render.moves import MOVE_COLOURS, MOVE_STYLES
from coachsim.safetext import visible
from coachsim.scenario.alternatives import suggest
from coachsim.scenario.loader import LoadedScenario
from coachsim.transcript.model import Transcript


def timeline(transcript: Transcript) -> Text:
    """One coloured cell per reply: its move's initial, ! where it regressed."""
    strip = Text()
    for turn in transcript.manager_turns:
        move = turn.move or "?"
        cell = f" {move[0].upper()}{'!' if turn.regression else ' '}"
        strip.append(cell, style=MOVE_STYLES.get(move, "reverse"))
        strip.append(" ")
    return strip or Text("no replies", style="dim")


def scorecard(transcript: Transcript, path: Path, loaded: LoadedScenario | None) -> Group:
    summary = transcript.summary or {}
    counts = summary.get("counts", {})
    replies = sum(counts.values()) or 1
    parts: list = []
    title = loaded.scenario.title if loaded else (transcript.scenario or "Conversation")
    status = "finished" if transcript.status == "finished" else "unfinished (you ended early)"
    parts.append(Text.assemble((visible(title, one_line=True), "bold"), f"  ·  {status}"))
    if transcript.outcome:
        parts.append(Text.assemble(("Ending: ", "bold"), visible(transcript.outcome)))
    if loaded:
        parts.append(Text.assemble(("Goal: ", "bold"), visible(loaded.scenario.goal.text)))
    met = summary.get("goal_met")
    if met is not None:
        parts.append(
            Text.assemble(
                ("Goal met ✓  " if met else "Goal not met ✗  ", "bold green" if met else "bold red"),
                visible(str(summary.get("goal_reason", ""))),
            )
        )
    mix = Text("\nMove mix  ")
    for move in MOVES:
        mix.append(
            f" {move} {counts.get(move, 0)} ({counts.get(move, 0) / replies:.0%}) ", style=MOVE_STYLES[move]
        )
        mix.append(" ")
    parts.append(mix)
    target = loaded.scenario.goal.target if loaded else None
    if target is not None and target.min_coaching_share is not None:
        parts.append(Text(f"Target: at least {target.min_coaching_share:.0%} coaching", style="dim"))
    parts.append(Text.assemble(("\nTimeline  ", "bold"), timeline(transcript)))
    first = summary.get("turns_to_first_telling")
    parts.append(
        Text(
            f"Regressions: {len(summary.get('regressions', []))}"
            f"   First telling: {f'turn {first}' if first else 'none'}"
            f"   Talk ratio: {summary.get('talk_ratio') or '–'}   Coaching Habit questions: "
            f"{', '.join(summary.get('coaching_habit_questions', [])) or 'none'}"
        )
    )
    asked: list[str] = []
    for turn in transcript.manager_turns:
        if turn.regression and turn.move:
            analysis = ReplyAnalysis.from_dict(turn.text, turn.to_dict())
            pull = bool(
                loaded and turn.beat in loaded.scenario.beats and loaded.scenario.beats[turn.beat].pull
            )
            alternative = suggest(analysis, pull=pull, used=tuple(asked))
            parts.append(
                Text.assemble(
                    ("\n⚠ ", "bold"),
                    (f"“{visible(turn.text, one_line=True)}”", "italic"),
                    (f"  {turn.move.upper()}", f"bold {MOVE_COLOURS[turn.move]}"),
                    f"\n  {visible(alternative.message)} Try: ",
                    (f"“{visible(alternative.suggestion)}”", "bold"),
                )
            )
        asked.append(turn.text)
    parts.append(Text.assemble(("\nTranscript saved to ", "dim"), (display_path(path), "underline")))
    return Group(*parts)


class ScorecardScreen(Screen):
    """Keys: r retry, p pick another scenario, q quit."""

    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("p,escape", "pick", "Pick another"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, transcript: Transcript, path: Path, loaded: LoadedScenario | None) -> None:
        super().__init__()
        self.transcript = transcript
        self.path = path
        self.loaded = loaded

    @classmethod
    def from_run(cls, run: PracticeRun, loaded: LoadedScenario) -> ScorecardScreen:
        return cls(run.session.transcript(), run.path, loaded)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="scorecard"):
            yield Static(scorecard(self.transcript, self.path, self.loaded), id="scorecard-body")
        yield Footer()

    def action_retry(self) -> None:
        if self.loaded is None:
            return
        from coachsim.tui.screens.practice import PracticeScreen

        self.app.switch_to_home()
        self.app.push_screen(PracticeScreen(self.loaded, self.app.next_seed()))

    def action_pick(self) -> None:
        self.app.switch_to_home()
