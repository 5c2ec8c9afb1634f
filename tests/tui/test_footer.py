"""The footer rebuilds its keys only when the keys it shows change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from coachsim.tui.widgets.footer import SteadyFooter

from .conftest import wait_until


class Keys(Screen[None]):
    BINDINGS = [Binding("s", "save", "Save"), Binding("x", "export", "Export")]
    can_export = False

    def compose(self) -> ComposeResult:
        yield Static("keys")
        yield SteadyFooter(show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_export if action == "export" else True


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def shown(screen: Screen[None]) -> list[str]:
    return [key.description for key in screen.query(FooterKey)]


async def test_the_footer_keeps_its_keys_until_they_change() -> None:
    app = KeysApp()
    async with app.run_test(size=(60, 8)) as pilot:
        screen = app.screen
        assert isinstance(screen, Keys)
        await wait_until(pilot, lambda: shown(screen) == ["Save"], "the footer's first keys")
        first = list(screen.query(FooterKey))
        for _ in range(5):  # focus changes, suspends and resumes all say the bindings changed
            screen.refresh_bindings()
            await pilot.pause()
        assert list(screen.query(FooterKey)) == first  # the same widgets: not rebuilt
        screen.can_export = True
        screen.refresh_bindings()
        await wait_until(pilot, lambda: shown(screen) == ["Save", "Export"], "the new key shown")
