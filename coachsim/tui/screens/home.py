"""Home: pick a scenario (with your best past result) or open a recent session."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from coachsim.errors import CoachsimError
from coachsim.safetext import as_text, visible
from coachsim.tui.widgets.help import HelpDrawer


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter,s", "start", "Start", priority=True),
        Binding("d", "demo", "Demo"),
        Binding("v", "review", "Review session"),
        Binding("f1,question_mark", "app.toggle_help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home"):
            yield Static("Pick a scenario and press Enter. Be lazy, be curious, be often.", id="home-intro")
            yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            yield Static("Recent sessions (press v on one to review it)", id="recent-title")
            yield DataTable(id="recent", cursor_type="row")
        yield HelpDrawer(id="help")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "coachsim"
        self.sub_title = "practise coaching conversations"
        self.query_one("#home-intro", Static).update("Loading scenarios…")
        self.query_one("#scenarios", DataTable).focus()

    def catalog_ready(self) -> None:
        self.query_one("#home-intro", Static).update(
            "Pick a scenario and press Enter. Be lazy, be curious, be often."
        )
        self.refresh_tables()

    def on_screen_resume(self) -> None:
        if self.app.catalog is not None:
            self.refresh_tables()

    def refresh_tables(self) -> None:
        from coachsim.practice import open_index  # deferred: not needed for the first frame

        catalog = self.app.catalog
        if catalog is None:
            return
        index = open_index()
        table = self.query_one("#scenarios", DataTable)
        table.clear(columns=True)
        table.add_columns("Scenario", "Level", "Tags", "Your best")
        ordered = sorted(catalog.scenarios.values(), key=lambda s: (s.scenario.difficulty, s.scenario.title))
        try:
            bests = {loaded.scenario.id: index.best(loaded.scenario.id) for loaded in ordered}
            records = index.sessions()[-8:]
        except CoachsimError as error:  # the index is busy: show the scenarios without history
            self.notify(visible(error.message), severity="warning", markup=False)
            bests, records = {}, []
        for loaded in ordered:
            scenario = loaded.scenario
            best = bests.get(scenario.id)
            best_text = (
                "–"
                if best is None
                else (f"{'goal met' if best.goal_met else 'goal missed'}, {best.coaching_share:.0%} coaching")
            )
            table.add_row(
                as_text(scenario.title, one_line=True),
                "●" * scenario.difficulty,
                as_text(", ".join(scenario.tags), one_line=True),
                best_text,
                key=scenario.id,
            )
        recent = self.query_one("#recent", DataTable)
        recent.clear(columns=True)
        recent.add_columns("When", "Scenario", "Status", "Moves (C/F/M/T)", "Goal")
        for record in reversed(records):
            counts = record.counts
            goal = "–" if record.goal_met is None else ("met" if record.goal_met else "missed")
            recent.add_row(
                record.started_at[:16].replace("T", " "),
                as_text(record.scenario or "imported", one_line=True),
                record.status,
                f"{counts['coaching']}/{counts['feedback']}/{counts['mentoring']}/{counts['telling']}",
                goal,
                key=record.path,
            )

    def _selected_scenario(self) -> str | None:
        table = self.query_one("#scenarios", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_start(self) -> None:
        if self.focused is not None and self.focused.id == "recent":
            self.action_review()
            return
        scenario_id = self._selected_scenario()
        if scenario_id:
            self.app.start_practice(scenario_id)

    def action_demo(self) -> None:
        scenario_id = self._selected_scenario()
        if scenario_id:
            self.app.start_demo(scenario_id, "coach")

    def action_review(self) -> None:
        recent = self.query_one("#recent", DataTable)
        if recent.row_count == 0:
            self.notify("No sessions yet: practise one first.")
            return
        path = Path(recent.coordinate_to_cell_key(recent.cursor_coordinate).row_key.value)
        try:
            self.app.review(path)
        except CoachsimError as error:
            self.notify(visible(error.message), severity="error", markup=False)
