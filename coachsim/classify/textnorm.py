"""Tidy chat and transcript text before parsing, keeping a map back to the original.

The small English parser stumbles on "u", "whats", "um," and curly apostrophes;
rewriting those helps it, and the offset map lets every sentence and evidence
span still point into the text the user actually wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from coachsim.classify.speech import (
    MIN_SPLIT_WORDS,
    SpeechWords,
    line_break_edits,
    repeat_edits,
    split_edits,
    tag_edits,
)

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
#: Curly quotes and apostrophes, mapped to their plain forms (also used by scenario routing).
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_FILLER_TAIL = re.compile(r"[\s,.…-]*")
#: "you know" / "I mean" / "like" used as fillers, set off by punctuation.
_FILLER_PHRASE = re.compile(
    r"[,—–-]\s*(?:you know|i mean|like)\s*[,—–-]"  # ", you know, " between commas
    r"|(?:^|(?<=[.?!]))\s*(?:you know|i mean)\s*[,—–-]"  # "I mean, ..." opening a sentence
    r"|,\s*you know\b(?=\s*[.?!]|\s*$)",  # "..., you know." closing one
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NormalisedText:
    """Text for the parser and, per character, the index it came from in the original."""

    text: str
    origin: tuple[int, ...]
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of :attr:`text` onto the original text."""
        if start >= end or not self.origin:
            anchor = self.origin[start] if start < len(self.origin) else self.original_length
            return anchor, anchor
        first = self.origin[start]
        last = self.origin[min(end, len(self.origin)) - 1]
        return first, last + 1


#: The characters :func:`_clean_char` blanks that can occur in ASCII text.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    """Control, format and private-use characters (and U+FFFD) become spaces; tabs and
    newlines stay. Most replies are ASCII, which one regex pass handles."""
    if text.isascii():
        return _ASCII_CONTROL.sub(" ", text)
    return "".join(_clean_char(c) for c in text)


def _clean_char(char: str) -> str:
    if char in "\n\t":
        return char
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co") or char == "\ufffd":
        return " "
    return char


def _edits(cleaned: str, spellings: dict[str, str], fillers: frozenset[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, replacement)`` edits, in order."""
    if cleaned.isascii() and not _FILLER_PHRASE.search(cleaned):
        # The common case, checked in C: no word to respell or drop, and no lowercase "i".
        lowered = _WORD.findall(cleaned.lower())
        untouched = spellings.keys().isdisjoint(lowered) and fillers.isdisjoint(lowered)
        if untouched and ("i" not in lowered or "i" not in _WORD.findall(cleaned)):
            return []
    edits = [(m.start(), m.end(), "") for m in _FILLER_PHRASE.finditer(cleaned)]
    for match in _WORD.finditer(cleaned):
        word = match.group()
        lower = word.lower()
        filler = lower in fillers
        replacement = None if filler else spellings.get(lower)
        if not filler and replacement is None:
            if word != "i":
                continue
            replacement = "I"
        if any(start <= match.start() < end for start, end, _ in edits):
            continue
        if filler:
            tail = _FILLER_TAIL.match(cleaned, match.end())
            edits.append((match.start(), tail.end() if tail else match.end(), ""))
            continue
        assert replacement is not None
        if word[0].isupper() and not replacement[0].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        edits.append((match.start(), match.end(), replacement))
    return _merged(edits)


def _speech_edits(cleaned: str, fillers: frozenset[str], speech: SpeechWords) -> list[tuple[int, int, str]]:
    """Transcript noise and caption splitting (:mod:`coachsim.classify.speech`)."""
    edits = repeat_edits(cleaned)
    if "[" in cleaned or "(" in cleaned or "<" in cleaned:
        edits += tag_edits(cleaned)
    if "\n" in cleaned:
        edits += line_break_edits(cleaned, speech)
    words = cleaned.count(" ") + 1
    marks = cleaned.count(".") + cleaned.count("?") + cleaned.count("!")
    if words >= MIN_SPLIT_WORDS and words > (marks + 1) * (MIN_SPLIT_WORDS - 2):
        edits += split_edits(cleaned, speech, fillers)
    return edits


def _merged(*edit_lists: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Edits in order, each dropped if it overlaps one before it."""
    result: list[tuple[int, int, str]] = []
    for edit in sorted(e for edits in edit_lists for e in edits):
        if not result or edit[0] >= result[-1][1]:
            result.append(edit)
    return result


def normalise(
    text: str, spellings: dict[str, str], fillers: frozenset[str], speech: SpeechWords | None = None
) -> NormalisedText:
    """Replace chat spellings, drop filler words and phrases, fix "i", and (given ``speech``)
    tidy transcript noise and split unpunctuated captions; keep an offset map."""
    cleaned = _clean(text.translate(APOSTROPHES))
    pieces: list[str] = []
    origin: list[int] = []
    cursor = 0
    edits = _edits(cleaned, spellings, fillers)
    if speech is not None:
        edits = _merged(edits, _speech_edits(cleaned, fillers, speech))
    for start, end, replacement in edits:
        pieces.append(cleaned[cursor:start])
        origin.extend(range(cursor, start))
        pieces.append(replacement)
        # Spread a replacement over the characters of the word it replaces.
        origin.extend(start + min(i, end - start - 1) for i in range(len(replacement)))
        cursor = end
    pieces.append(cleaned[cursor:])
    origin.extend(range(cursor, len(cleaned)))
    result = "".join(pieces)
    if not result.strip():
        # Only fillers ("Mm.", "Hmm"): parse them as they are.
        return NormalisedText(cleaned, tuple(range(len(cleaned))), len(text))
    return NormalisedText(result, tuple(origin), len(text))
