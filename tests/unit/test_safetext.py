"""User text reaches a terminal as text: visible control characters, no markup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from coachsim.safetext import as_text, visible


def test_escape_sequences_become_visible() -> None:
    title = "\x1b]0;PWNED\x07Close"
    assert visible(title) == "\\x1b]0;PWNED\\x07Close"
    assert visible("a\u202eb") == "a\\u202eb"
    assert visible("lone \ud800") == "lone \\ud800"


def test_newlines_stay_unless_one_line_is_asked_for() -> None:
    assert visible("a\nb\tc") == "a\nb\tc"
    assert visible("a\nb\tc", one_line=True) == "a\\x0ab\\x09c"


def test_markup_is_text() -> None:
    console = Console(width=80, record=True, color_system=None)
    console.print(as_text("Close [/bold] now [link=https://evil.example]x[/link]"))
    assert "Close [/bold] now [link=https://evil.example]x[/link]" in console.export_text()


@given(st.text())
def test_nothing_unsafe_survives_and_it_can_be_written_as_utf8(text: str) -> None:
    shown = visible(text, one_line=True)
    shown.encode("utf-8")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
