"""Word lists shared by rules and detectors, read from ``classifiers/lexicon.yaml``.

Token patterns may name a list as ``"@name"`` inside ``IN``/``NOT_IN``; the
loader expands it, so one list of, say, emotion words serves every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachsim.errors import DataFileError
from coachsim.yamlpos import read_located


@dataclass(frozen=True)
class Lexicon:
    """Named word lists plus the chat-spelling map used by the text normaliser."""

    lists: dict[str, frozenset[str]]
    spellings: dict[str, str]
    _unions: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.lists[name]

    def union(self, *names: str) -> frozenset[str]:
        """The words of all the named lists (computed once per combination)."""
        found = self._unions.get(names)
        if found is None:
            found = self._unions[names] = frozenset().union(*(self.lists[name] for name in names))
        return found

    def expand(self, value: Any, where: str) -> Any:
        """Replace ``"@name"`` strings inside lists with the named word list."""
        if isinstance(value, str) and value.startswith("@"):
            return sorted(self._named(value, where))
        if isinstance(value, dict):
            return {k: self.expand(v, where) for k, v in value.items()}
        if isinstance(value, list):
            out: list[Any] = []
            for item in value:
                if isinstance(item, str) and item.startswith("@"):
                    out.extend(sorted(self._named(item, where)))
                else:
                    out.append(self.expand(item, where))
            return out
        return value

    def _named(self, reference: str, where: str) -> frozenset[str]:
        if reference[1:] not in self.lists:
            raise DataFileError(f"{where}: unknown word list '{reference}' in a pattern")
        return self.lists[reference[1:]]


def load_lexicon(path: Path) -> Lexicon:
    located = read_located(path)
    data = located.data
    if not isinstance(data, dict):
        raise DataFileError(f"{located.where(())}: the lexicon is a mapping of list names to words")
    spellings = data.pop("chat_spellings", {})
    if not isinstance(spellings, dict):
        raise DataFileError(f"{located.where(('chat_spellings',))}: chat_spellings is a mapping")
    lists: dict[str, frozenset[str]] = {}
    for name, words in data.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataFileError(f"{located.where((name,))}: {name}: a list of words")
        lists[name] = frozenset(w.lower() for w in words)
    return Lexicon(lists=lists, spellings={str(k).lower(): str(v) for k, v in spellings.items()})
