"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` recomposes (new key widgets, each styled and laid out) on every bindings
signal: each focus change, screen suspend and resume, and each ``refresh_bindings()``. Ending a
conversation, the scorecard and Retry raise about seventeen of those, nearly all leaving the same
keys; in a workshop room, where thirty apps share two cores, those rebuilds were the largest
single cost of a conversation's end.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

#: What one shown key looks like: its key, how it is displayed, its label, its action, whether it
#: is enabled, its tooltip and its group.
KeyLook = tuple[str, str, str, str, bool, str, Any]


class SteadyFooter(Footer):
    """A ``Footer`` that recomposes when the keys it would show differ from those it shows."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._shown: tuple[KeyLook, ...] | None = None
        self._check_pending = False

    def keys_to_show(self) -> tuple[KeyLook, ...]:
        """The keys ``Footer.compose`` would show now, with everything it draws them from."""
        app = self.app
        looks: list[KeyLook] = []
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show or (
                self.show_command_palette
                and app.ENABLE_COMMAND_PALETTE
                and binding.key == app.COMMAND_PALETTE_BINDING
            ):
                looks.append(
                    (
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        enabled,
                        tooltip,
                        binding.group,
                    )
                )
        return tuple(looks)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True  # a burst of signals (focus, suspend, resume) is one check
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        shown = self.keys_to_show()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
