"""Transcript noise and caption text, tidied before parsing (docs/labels.md: real speech is labelled by
what was meant, not by its noise).

Each function returns ``(start, end, replacement)`` edits on the reply's text, which
:func:`coachsim.classify.textnorm.normalise` applies with its offset map, so evidence still points
at the words the user wrote:

- tags such as ``[inaudible]``, ``[crosstalk]`` or ``(laughs)`` are dropped;
- repeated words and false starts ("the the", "I, I tried", "we could- we could ship it") keep
  their first copy;
- a caption line break inside a sentence becomes a space;
- a long stretch with no full stop ("no worries at all um how are things in tegucigalpa") is split
  before the words that open a new sentence, and a split-off question gets its "?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

Edit = tuple[int, int, str]

_TAG = re.compile(
    r"[\[(<]\s*(?:inaudible|crosstalk|cross talk|laughs?|laughing|laughter|pause|long pause|silence|sighs?|"
    r"music|indistinct|unintelligible|coughs?|clears throat|background noise|overlapping|beat|"
    r"in role|out of role|both laugh|chuckles?|applause|noise|no audio|audio cuts out)"
    r"[^\])>]{0,30}[\])>]",
    re.IGNORECASE,
)
_REPEAT = re.compile(
    r"\b(?P<word>\w+(?:'\w+)?(?: \w+(?:'\w+)?)?)(?P<again>(?:\s*[,\-—–]+\s*|\s+)(?P=word))\b", re.IGNORECASE
)
_DANGLING = re.compile(r"\b\w{1,12}[-—–](?=\s+\w)")
_LINE_BREAK = re.compile(r"(?<=[\w,'\"])[ \t]*\n[ \t\n]*(?=\w)")
#: Words that repeat on purpose: "I had had enough", "I know that that hurts".
_KEEP_REPEATS = frozenset({"had", "that", "is"})
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[.?!]")
# A stretch with commas was punctuated by a person or a recogniser: its sentences are left alone.

#: Stretches shorter than this many words are left as they are.
MIN_SPLIT_WORDS = 8
#: A new sentence needs at least this many words before it in its stretch.
MIN_SENTENCE_WORDS = 3


@dataclass(frozen=True)
class SpeechWords:
    """Word lists for caption splitting, from the lexicon."""

    question_openers: frozenset[str]
    question_pairs: frozenset[str]  # two-word openers: "do you", "are we"
    statement_openers: frozenset[str]
    no_break_after: frozenset[str]


def tag_edits(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "") for m in _TAG.finditer(text)]


def repeat_edits(text: str) -> list[Edit]:
    """Drop the second copy of a repeated word or word pair, and a word cut off by a dash."""
    edits = [
        (m.start("again"), m.end("again"), "")
        for m in _REPEAT.finditer(text)
        if not m.group("word").isdigit() and m.group("word").lower() not in _KEEP_REPEATS
    ]
    for match in _DANGLING.finditer(text):
        following = text[match.end() :].lstrip().lower()
        word = match.group()[:-1].lower()
        if following.startswith(word) or len(word) <= 3 or word in ("you", "we", "they", "it"):
            edits.append((match.start(), match.end(), ""))
    return edits


def line_break_edits(text: str, words: SpeechWords) -> list[Edit]:
    """A caption line break is a space, or a sentence end before a word that opens a sentence."""
    edits: list[Edit] = []
    for match in _LINE_BREAK.finditer(text):
        following = text[match.end() :].split(None, 2)
        first = following[0].lower() if following else ""
        pair = " ".join(following[:2]).lower()
        before = text[: match.start()].split()[-1:]
        opens = (
            first in words.question_openers
            or pair in words.question_pairs
            or first in words.statement_openers
        )
        ends = bool(before) and before[0].lower() not in words.no_break_after
        edits.append((match.start(), match.end(), ". " if opens and ends else " "))
    return edits


def split_edits(text: str, words: SpeechWords, fillers: frozenset[str]) -> list[Edit]:
    """Insert sentence ends into long stretches of unpunctuated speech (see module docstring)."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    edits: list[Edit] = []
    stretch: list[tuple[str, int, int]] = []
    punctuated = False
    for token in [*tokens, (".", len(text), len(text))]:
        if token[0] in ".?!":
            if not punctuated:
                edits += _split_stretch(stretch, words, ends_with_mark=token[1] < len(text))
            stretch, punctuated = [], False
        elif token[0].lower() not in fillers:
            between = text[stretch[-1][2] : token[1]] if stretch else ""
            punctuated = punctuated or any(mark in between for mark in ",;:—–")
            stretch.append(token)
    return edits


def _split_stretch(
    stretch: list[tuple[str, int, int]], words: SpeechWords, ends_with_mark: bool
) -> list[Edit]:
    if len(stretch) < MIN_SPLIT_WORDS:
        return []
    lowered = [w.lower() for w, _, _ in stretch]
    starts = [0]
    for index in range(MIN_SENTENCE_WORDS, len(stretch) - 1):
        if index - starts[-1] < MIN_SENTENCE_WORDS or lowered[index - 1] in words.no_break_after:
            continue
        pair = f"{lowered[index]} {lowered[index + 1]}"
        if (
            lowered[index] in words.question_openers
            or pair in words.question_pairs
            or lowered[index] in words.statement_openers
        ):
            starts.append(index)
    edits: list[Edit] = []
    bounds = [*starts, len(stretch)]
    for first, after in pairwise(bounds):
        pair = f"{lowered[first]} {lowered[first + 1]}" if first + 1 < len(stretch) else ""
        asks = lowered[first] in words.question_openers or pair in words.question_pairs
        if after == len(stretch) and (ends_with_mark or not asks):
            break  # the stretch keeps its own end; only a final question gains its "?"
        end = stretch[after - 1][2]
        edits.append((end, end, "?" if asks else "."))
    return edits
