"""User text on its way to a terminal: control characters made visible, markup made inert.

Replies, transcripts, speaker names and scenario titles come from people and files. Before any
of it reaches a terminal, :func:`visible` turns every control character (C0, DEL, C1), bidi
override and lone surrogate into a visible escape such as ``\\x1b``, so no escape sequence can
move the cursor, set a title or open a link. :func:`as_text` wraps the result as a Rich
``Text``, which Rich and Textual never parse as markup.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

#: C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
#: and lone surrogates (which no terminal encoding can write).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``). With
    ``one_line``, tabs and newlines are escaped too (for names, titles and table cells)."""
    pattern = _UNSAFE_IN_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)


def as_text(text: str, *, one_line: bool = False, style: str = "") -> Text:
    """User text as a Rich ``Text``: never parsed as markup, control characters visible."""
    return Text(visible(text, one_line=one_line), style=style)


#: Unicode categories that draw nothing on their own: controls, format characters (zero-width
#: space and joiners, the BOM, bidi marks), surrogates, separators, combining marks.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})
#: Letters and symbols that render as blank space (Hangul fillers, the blank Braille pattern).
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(text: str) -> bool:
    """Whether ``text`` has at least one character that shows (zero-width characters alone do not)."""
    return any(
        not char.isspace()
        and char not in _BLANK_GLYPHS
        and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )
