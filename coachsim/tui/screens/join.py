"""A workshop participant's first screen: a display name, whether the room may see it, a scenario.

Served by ``coachsim serve``: this is the bottom of the participant's screen stack, in place of the
home screen, so nothing here lists or opens saved sessions. With the room's scenario fixed
(``--scenario``) there is nothing to pick; otherwise the scenarios are listed once loaded.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from coachsim.safetext import visible
from coachsim.tui.widgets.footer import SteadyFooter
from coachsim.workshop.participant import Participant


class JoinScreen(Screen[None]):
    """Enter in the name box (or on a scenario) starts practising."""

    AUTO_FOCUS = "#join-name"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Leave")]

    def __init__(self, participant: Participant) -> None:
        super().__init__()
        self.participant = participant

    def compose(self) -> ComposeResult:
        with Vertical(id="join"):
            yield Static(Text(f"coachsim · {visible(self.participant.room, one_line=True)}", style="bold"))
            yield Static("Your name, as the facilitator will see it:", classes="join-label")
            yield Input(value=self.participant.name, placeholder="e.g. Sam", max_length=40, id="join-name")
            yield Checkbox("Show my name to the room when the debrief shows my replies", id="join-show")
            yield Static("", id="join-scenario")
            yield OptionList(id="join-scenarios")
            yield Static("", id="join-hint")
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#join-scenarios", OptionList).display = False
        self.show_hint()
        if self.app_catalog() is not None:
            self.catalog_ready()

    def app_catalog(self):  # the app's catalog once loaded
        return getattr(self.app, "catalog", None)

    def catalog_ready(self) -> None:
        catalog = self.app_catalog()
        if catalog is None:
            return
        fixed = self.participant.scenario
        label = self.query_one("#join-scenario", Static)
        if fixed:
            loaded = catalog.scenarios.get(fixed)
            title = loaded.scenario.title if loaded else fixed
            label.update(Text.assemble("Scenario: ", (visible(title, one_line=True), "bold")))
            return
        label.update("Pick a scenario (↑/↓, Enter):")
        options = self.query_one("#join-scenarios", OptionList)
        options.clear_options()
        for scenario_id in sorted(catalog.scenarios):
            scenario = catalog.scenarios[scenario_id].scenario
            options.add_option(
                Option(f"{visible(scenario.title, one_line=True)}  ({scenario_id})", id=scenario_id)
            )
        options.display = True
        options.highlighted = 0

    def catalog_failed(self) -> None:
        self.query_one("#join-scenario", Static).update(
            Text("The scenarios could not load.", style="bold red")
        )

    def show_hint(self, problem: str | None = None) -> None:
        hint = self.query_one("#join-hint", Static)
        if problem:
            hint.update(Text(problem, style="bold red"))
        elif self.participant.scenario:
            hint.update(Text("Type your name and press Enter to start.", style="dim"))
        else:
            hint.update(Text("Type your name, press Enter, then pick a scenario.", style="dim"))

    @property
    def typed_name(self) -> str:
        return " ".join(self.query_one("#join-name", Input).value.split())

    def on_input_submitted(self, _: Input.Submitted) -> None:
        if not self.typed_name:
            self.show_hint("Type a name first (any name you like).")
            return
        if self.participant.scenario:
            self.start(self.participant.scenario)
        else:
            options = self.query_one("#join-scenarios", OptionList)
            if options.option_count:
                options.focus()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        if not self.typed_name:
            self.show_hint("Type a name first (any name you like).")
            self.query_one("#join-name", Input).focus()
            return
        if message.option.id:
            self.start(message.option.id)

    def start(self, scenario_id: str) -> None:
        show = self.query_one("#join-show", Checkbox).value
        self.participant.joined(self.typed_name, show, scenario_id)
        self.show_hint()
        self.app.start_practice(scenario_id)  # type: ignore[attr-defined]
