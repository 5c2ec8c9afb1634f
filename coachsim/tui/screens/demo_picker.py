"""Pick a demo: a scenario, then which of its example runs to step through; dismissed with the choice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coachsim.safetext import visible

if TYPE_CHECKING:
    from coachsim.scenario.loader import Catalog, LoadedScenario


@dataclass(frozen=True)
class DemoChoice:
    """The scenario and the example run a facilitator chose."""

    scenario_id: str
    run: str


def ordered(catalog: Catalog) -> list[LoadedScenario]:
    """Scenarios as the home screen lists them: easiest first, then by title."""
    return sorted(catalog.scenarios.values(), key=lambda s: (s.scenario.difficulty, s.scenario.title))


def run_prompt(loaded: LoadedScenario, run: str) -> Text:
    """One run as the picker lists it: its name, how many replies and which ending it reaches."""
    example = loaded.scenario.examples[run]
    count = len(example.replies)
    return Text.assemble(
        (visible(run, one_line=True) + "  ", "bold"),
        (f"{count} {'reply' if count == 1 else 'replies'}", "dim"),
    )


def run_details(loaded: LoadedScenario, run: str) -> Text:
    """What the highlighted run shows a room: its first reply and where it ends up."""
    scenario = loaded.scenario
    example = scenario.examples[run]
    ending = scenario.beats.get(example.ending)
    return Text.assemble(
        ("Opens with ", "dim"),
        (f"“{visible(example.replies[0], one_line=True)}”", "italic"),
        ("\nEnds ", "dim"),
        (visible(example.ending, one_line=True), "bold"),
        (": " + visible(ending.outcome or "", one_line=True)) if ending is not None else "",
    )


class DemoPicker(ModalScreen[DemoChoice | None]):
    """Enter on a scenario moves to its runs, Enter on a run starts it, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("right", "runs", "Runs", show=False),
        Binding("left", "scenarios", "Scenarios", show=False),
    ]

    def __init__(self, catalog: Catalog, scenario_id: str | None = None, run: str = "coach") -> None:
        super().__init__()
        self.catalog = catalog
        self.scenarios = [s for s in ordered(catalog) if s.scenario.examples]
        self.first = scenario_id
        self.preferred_run = run

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(
                Text.assemble(("Pick a demo  ", "bold"), ("a scenario, then which example run", "dim")),
                id="picker-head",
            )
            with Horizontal(id="picker-lists"):
                yield OptionList(
                    *(
                        Option(visible(s.scenario.title, one_line=True), id=s.scenario.id)
                        for s in self.scenarios
                    ),
                    id="picker-scenarios",
                )
                yield OptionList(id="picker-runs")
            yield Static("", id="picker-details")
            yield Static(
                Text("Enter choose · Tab or ←/→ switch list · Esc cancel", style="dim"), id="picker-keys"
            )

    def on_mount(self) -> None:
        scenarios = self.query_one("#picker-scenarios", OptionList)
        ids = [s.scenario.id for s in self.scenarios]
        scenarios.highlighted = ids.index(self.first) if self.first in ids else 0 if ids else None
        scenarios.focus()
        self.show_runs()

    @property
    def scenario(self) -> LoadedScenario | None:
        """The highlighted scenario."""
        index = self.query_one("#picker-scenarios", OptionList).highlighted
        return self.scenarios[index] if index is not None and index < len(self.scenarios) else None

    def show_runs(self) -> None:
        runs = self.query_one("#picker-runs", OptionList)
        runs.clear_options()
        loaded = self.scenario
        if loaded is None:
            self.query_one("#picker-details", Static).update(Text("No scenario has an example run."))
            return
        names = list(loaded.scenario.examples)
        runs.add_options([Option(run_prompt(loaded, name), id=name) for name in names])
        runs.highlighted = names.index(self.preferred_run) if self.preferred_run in names else 0
        self.show_details()

    def show_details(self) -> None:
        loaded, run = self.scenario, self.run
        if loaded is not None and run is not None:
            self.query_one("#picker-details", Static).update(run_details(loaded, run))

    @property
    def run(self) -> str | None:
        """The highlighted run of the highlighted scenario."""
        runs = self.query_one("#picker-runs", OptionList)
        if runs.highlighted is None or runs.option_count == 0:
            return None
        return runs.get_option_at_index(runs.highlighted).id

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        if message.option_list.id == "picker-scenarios":
            self.show_runs()
        else:
            self.show_details()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        if message.option_list.id == "picker-scenarios":
            self.action_runs()
            return
        loaded, run = self.scenario, message.option.id
        if loaded is not None and run is not None:
            self.preferred_run = run
            self.dismiss(DemoChoice(loaded.scenario.id, run))

    def action_runs(self) -> None:
        self.query_one("#picker-runs", OptionList).focus()

    def action_scenarios(self) -> None:
        self.query_one("#picker-scenarios", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
