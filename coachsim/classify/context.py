"""The turns before a reply, and what the rules can read from them.

A reply is labelled against the conversation so far: restating what the person just said is a
reflection (coaching), a short question built from their words is an echo (coaching), and "Sure,
I'll call him" after they asked for exactly that serves their plan (coaching), where the same words
alone would be feedback or telling (docs/labels.md, "Context decides reflections").

Context is a list of ``{"speaker": ..., "text": ...}`` turns, oldest first. The speaker
``"manager"`` (any case) marks the manager's own earlier turns; any other speaker, a name or a
role such as ``report`` or ``client``, is the other person. A plain string is the other person's
last turn. Context turns are not parsed by spaCy: a word index of what the person said is enough,
and keeps a reply with context as fast as one without.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from coachsim.errors import CoachsimError

#: Speakers whose turns are the manager's own (everyone else is the other person).
MANAGER_SPEAKERS = frozenset({"manager", "you", "coach", "helper"})
#: How many of the other person's latest turns (since the manager last spoke, and just before)
#: count as "what they just said".
RECENT_TURNS = 2
#: Context longer than this many characters is cut from the start: only recent words matter.
MAX_CONTEXT_CHARS = 20_000

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


class InvalidContextError(CoachsimError):
    """``context`` is not a string or a list of ``{"speaker", "text"}`` objects."""


@dataclass(frozen=True, slots=True)
class ContextTurn:
    speaker: str
    text: str

    @property
    def is_manager(self) -> bool:
        return self.speaker.strip().lower() in MANAGER_SPEAKERS


def parse_context(value: Any) -> tuple[ContextTurn, ...]:
    """Validate ``context`` as given to the API or in a JSONL line; see the module docstring."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (ContextTurn("other", value),) if value.strip() else ()
    if isinstance(value, ContextTurn):
        return (value,)
    if not isinstance(value, Sequence) or isinstance(value, bytes | bytearray):
        raise InvalidContextError("context must be a string or a list of {speaker, text} objects")
    turns: list[ContextTurn] = []
    for number, turn in enumerate(value, start=1):
        if isinstance(turn, ContextTurn):
            turns.append(turn)
            continue
        if not isinstance(turn, Mapping):
            raise InvalidContextError(f"context turn {number} is not an object with 'speaker' and 'text'")
        text, speaker = turn.get("text"), turn.get("speaker", "other")
        if not isinstance(text, str):
            raise InvalidContextError(f"context turn {number}: 'text' is missing or not a string")
        if not isinstance(speaker, str):
            raise InvalidContextError(f"context turn {number}: 'speaker' must be a string")
        turns.append(ContextTurn(speaker or "other", text))
    return tuple(turns)


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A crude stem so "untangling", "untangled" and "untangle" meet (no parse needed)."""
    word = word.lower().replace("’", "'")
    for suffix in ("'s", "'re", "'ve", "'ll", "'d", "n't"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    for suffix in ("ingly", "ing", "edly", "ied", "ies", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # "stopp" -> "stop"
    return word.rstrip("e") if len(word) > 4 else word


@dataclass(frozen=True)
class HeardWords:
    """What the other person said recently (content words as stems), their last turn, and the
    whole context the rules may look back on."""

    stems: frozenset[str] = frozenset()
    #: The other person's latest turn, if the reply answers it (it is the last context turn).
    last_text: str = ""
    turns: tuple[ContextTurn, ...] = field(default=(), repr=False)

    @property
    def empty(self) -> bool:
        return not self.stems and not self.last_text


NO_CONTEXT = HeardWords()


def heard_words(turns: Iterable[ContextTurn], stop_words: frozenset[str]) -> HeardWords:
    """Index the other person's recent words (content words only, as stems)."""
    turns = tuple(turns)
    if not turns:
        return NO_CONTEXT
    recent: list[ContextTurn] = []
    for turn in reversed(turns):
        if turn.is_manager:
            if recent:
                break
            continue
        recent.append(turn)
        if len(recent) >= RECENT_TURNS:
            break
    text = " ".join(t.text for t in reversed(recent))[-MAX_CONTEXT_CHARS:]
    stems = frozenset(
        stem(word) for word in _WORD.findall(text) if word.lower() not in stop_words and len(word) > 1
    )
    last = turns[-1]
    return HeardWords(
        stems=stems,
        last_text="" if last.is_manager else last.text[-MAX_CONTEXT_CHARS:],
        turns=turns,
    )
