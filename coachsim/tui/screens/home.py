"""Home: pick a scenario (previewed beside the list, with your best result) or open a recent session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from coachsim.errors import CoachsimError
from coachsim.safetext import as_text, visible
from coachsim.tui.screens.demo_picker import DemoChoice, DemoPicker, ordered
from coachsim.tui.widgets.footer import SteadyFooter
from coachsim.tui.widgets.help import HelpDrawer

if TYPE_CHECKING:
    from coachsim.progress.index import SessionRecord
    from coachsim.scenario.loader import LoadedScenario
    from coachsim.tui.app import CoachsimApp

INTRO = "Pick a scenario and press Enter. Be lazy, be curious, be often."
LEVELS = {1: "gentle", 2: "medium", 3: "hard"}


def best_cell(best: SessionRecord | None) -> str:
    """The "Your best" column: short enough for an 80-column terminal."""
    if best is None:
        return "–"
    return f"{'met' if best.goal_met else 'missed'}, {best.coaching_share:.0%} coaching"


def best_line(best: SessionRecord | None) -> str:
    if best is None:
        return "not played yet"
    regressions = f"{best.regressions} regression{'' if best.regressions == 1 else 's'}"
    goal = "goal met" if best.goal_met else "goal missed"
    return f"{goal}, {best.coaching_share:.0%} coaching, {regressions} ({best.started_at[:10]})"


def preview(loaded: LoadedScenario, best: SessionRecord | None, compact: bool = False) -> Text:
    """The highlighted scenario: summary, persona, difficulty, goal and your best result.
    ``compact`` (under the list on a narrow terminal) leaves out the title the list already shows."""
    scenario = loaded.scenario
    persona = scenario.persona
    mood = f" · {persona.mood}" if persona.mood else ""
    level = "●" * scenario.difficulty + "○" * (3 - scenario.difficulty)
    text = Text()
    if not compact:
        text.append(visible(scenario.title, one_line=True) + "\n", style="bold")
    text.append(visible(scenario.summary.strip()) + "\n")
    text.append("With ", style="dim")
    text.append(visible(persona.name, one_line=True), style="bold")
    text.append(visible(f", {persona.role}{mood}", one_line=True))
    text.append("   " if compact else "\n")
    text.append("Level ", style="dim")
    text.append(f"{level} {LEVELS.get(scenario.difficulty, '')}\n")
    text.append("Your best ", style="dim")
    text.append(best_line(best), style="bold" if best is not None else "italic")
    text.append("\nGoal ", style="dim")
    text.append(visible(scenario.goal.text.strip()))
    if scenario.tags and not compact:
        text.append("\nTags ", style="dim")
        text.append(visible(", ".join(scenario.tags), one_line=True))
    return text


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter,s", "start", "Start", priority=True),
        Binding("d", "demo", "Demo"),
        Binding("v", "review", "Review"),
        Binding("f1,question_mark", "app.toggle_help", "Help"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.bests: dict[str, SessionRecord | None] = {}

    @property
    def coach(self) -> CoachsimApp:
        return cast("CoachsimApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home"):
            yield Static(INTRO, id="home-intro")
            with Horizontal(id="home-main"):
                yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="preview-box"):
                    yield Static("", id="preview")
            yield Static("Recent sessions (press v on one to review it)", id="recent-title")
            yield DataTable(id="recent", cursor_type="row")
        yield HelpDrawer(id="help")

    def on_mount(self) -> None:
        # The key bar is the costliest widget to lay out (one widget per key, restyled as it
        # settles): it joins a refresh after the first frame, so the scenarios show sooner.
        self.call_after_refresh(self.mount_footer)
        pressed = getattr(self.app, "pressure", None) is not None
        self.title = "coachsim · pressure mode" if pressed else "coachsim"
        self.sub_title = "practise coaching conversations"
        self.query_one("#home-intro", Static).update("Loading scenarios…")
        self.query_one("#scenarios", DataTable).focus()

    async def mount_footer(self) -> None:
        await self.mount(SteadyFooter(show_command_palette=False))
        self.refresh_bindings()  # a footer mounted late draws its keys on the next bindings change

    def catalog_ready(self) -> None:
        self.query_one("#home-intro", Static).update(INTRO)
        self.refresh_tables()
        if self.coach.start == "demo" and not self.coach.scenario_id:
            self.open_demo_picker(None)

    def on_screen_resume(self) -> None:
        if self.coach.catalog is not None:
            self.refresh_tables()

    def refresh_tables(self) -> None:
        from coachsim.practice import open_index  # deferred: not needed for the first frame

        catalog = self.coach.catalog
        if catalog is None:
            return
        scenarios = ordered(catalog)
        try:
            index = open_index()
            self.bests = {loaded.scenario.id: index.best(loaded.scenario.id) for loaded in scenarios}
            sessions = index.sessions()
        except CoachsimError as error:  # the index is busy: show the scenarios without history
            self.notify(visible(error.message), severity="warning", markup=False)
            self.bests, sessions = {}, []
        records = sessions[-8:]
        table = self.query_one("#scenarios", DataTable)
        selected = self._selected_scenario()
        table.clear(columns=True)
        table.add_columns("Scenario", "Level", "Your best")
        for loaded in scenarios:
            scenario = loaded.scenario
            table.add_row(
                as_text(scenario.title, one_line=True),
                "●" * scenario.difficulty,
                best_cell(self.bests.get(scenario.id)),
                key=scenario.id,
            )
        ids = [loaded.scenario.id for loaded in scenarios]
        if selected in ids:
            table.move_cursor(row=ids.index(selected))
        self.show_preview()
        self.fill_recent(records)
        self.show_habit(sessions)

    def show_habit(self, records: list[SessionRecord]) -> None:
        """Drill cards due today and the practice streak, in the header once there is either."""
        from datetime import date

        from coachsim.drill.deck import Deck
        from coachsim.drill.results import answer_days
        from coachsim.progress.trends import streak_days

        today = date.today()
        try:
            deck = Deck.open()
            due, days = deck.due_count(today), answer_days(deck.cards())
        except CoachsimError:  # the cards cannot be read: the header stays as it is
            return
        streak = streak_days(records, today, also=days)
        parts = [f"{due} drill{'s' * (due != 1)} due (coachsim drill)"] if due else []
        parts += [f"{streak}-day streak"] if streak else []
        self.sub_title = " · ".join(parts) if parts else "practise coaching conversations"

    def fill_recent(self, records: list[SessionRecord]) -> None:
        recent = self.query_one("#recent", DataTable)
        recent.clear(columns=True)
        recent.add_columns("When", "Scenario", "Status", "Moves C/F/M/T", "Goal")
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
        self.set_class(not records, "no-recent")

    def show_preview(self) -> None:
        """Show the highlighted scenario beside (or below) the list."""
        scenario_id = self._selected_scenario()
        catalog = self.coach.catalog
        if scenario_id is None or catalog is None or scenario_id not in catalog.scenarios:
            return
        loaded = catalog.scenarios[scenario_id]
        compact = self.has_class("-narrow")
        self.query_one("#preview", Static).update(preview(loaded, self.bests.get(scenario_id), compact))

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_preview)  # after the breakpoint classes are set

    def on_data_table_row_highlighted(self, message: DataTable.RowHighlighted) -> None:
        if message.data_table.id == "scenarios":
            self.show_preview()

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
            self.coach.start_practice(scenario_id)

    def action_demo(self) -> None:
        if self.coach.catalog is not None:
            self.open_demo_picker(self._selected_scenario())

    def open_demo_picker(self, scenario_id: str | None) -> None:
        """Ask which scenario and example run to demo, then start it."""
        catalog = self.coach.catalog
        if catalog is None:
            return

        def chosen(choice: DemoChoice | None) -> None:
            if choice is not None:
                self.coach.start_demo(choice.scenario_id, choice.run)

        self.app.push_screen(DemoPicker(catalog, scenario_id, self.coach.run_name), chosen)

    def action_review(self) -> None:
        recent = self.query_one("#recent", DataTable)
        if recent.row_count == 0:
            self.notify("No sessions yet: practise one first.")
            return
        key = recent.coordinate_to_cell_key(recent.cursor_coordinate).row_key.value
        if key is None:
            return
        path = Path(key)
        try:
            self.coach.review(path)
        except CoachsimError as error:
            self.notify(visible(error.message), severity="error", markup=False)
