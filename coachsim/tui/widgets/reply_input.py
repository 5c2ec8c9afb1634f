"""The reply box: Enter sends, Ctrl+N starts a new line; the first keystroke is timed."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from coachsim.safetext import has_visible_text


class ReplyInput(TextArea):
    """A TextArea whose Enter submits instead of breaking the line."""

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Started(Message):
        """The first keystroke since the box was last cleared."""

    def __init__(self, cursor_blink: bool = True, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)
        self.cursor_blink = cursor_blink
        self._started = False

    def take(self) -> str | None:
        """The text typed so far, if any is visible, and an empty box (the pressure clock sends it)."""
        text = self.text.strip()
        if not has_visible_text(text):
            return None
        self.clear()
        self._started = False
        return text

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            text = self.text.strip()
            if has_visible_text(text):
                self.post_message(self.Submitted(text))
                self.clear()
                self._started = False
            return
        if event.key == "ctrl+n":
            event.prevent_default()
            event.stop()
            self.insert("\n")
            return
        if not self._started and (event.is_printable or event.key == "backspace"):
            self._started = True
            self.post_message(self.Started())
        await super()._on_key(event)
