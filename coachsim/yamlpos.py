"""Safe YAML loading that remembers where every value came from.

Validation errors in rule and scenario files must name ``file:line:column``;
this module loads with ``yaml.CSafeLoader`` (or ``SafeLoader``) and keeps the source position of
every mapping value and sequence item, keyed by its path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coachsim.errors import DataFileError

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """Parsed YAML plus the (line, column) of each value, both 1-based."""

    data: Any
    source: str
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Sequence[str | int]) -> str:
        """``file:line:column`` of the deepest known ancestor of ``path``."""
        key = tuple(path)
        while key not in self.positions and key:
            key = key[:-1]
        line, column = self.positions.get(key, (1, 1))
        return f"{self.source}:{line}:{column}"


#: libyaml's parser when PyYAML was built with it (about 10x faster than the pure-Python one).
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 booleans: only true/false, so "yes", "no", "on", "off" stay words."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, column: int) -> None:
        super().__init__(key)
        self.key, self.line, self.column = key, line, column


def _record(node: yaml.Node, path: PathKey, positions: dict[PathKey, tuple[int, int]]) -> None:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    mark = key_node.start_mark
                    raise _DuplicateKey(key_node.value, mark.line + 1, mark.column + 1)
                seen.add(key_node.value)
                _record(value_node, (*path, str(key_node.value)), positions)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), positions)


def load_located(text: str, source: str) -> Located:
    """Parse ``text`` safely; raise DataFileError ``source:line:col: problem`` on bad YAML."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        problem = error.problem or error.context or "invalid YAML"
        raise DataFileError(f"{where}: not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise DataFileError(f"{source}: not valid YAML: {error}") from None
    finally:
        loader.dispose()
    positions: dict[PathKey, tuple[int, int]] = {}
    if node is not None:
        try:
            _record(node, (), positions)
        except _DuplicateKey as duplicate:
            raise DataFileError(
                f"{source}:{duplicate.line}:{duplicate.column}: duplicate key '{duplicate.key}';"
                " each key may appear once"
            ) from None
    return Located(data=data, source=source, positions=positions)


def read_located(path: Path, max_bytes: int = 2_000_000) -> Located:
    """Read and parse a YAML file, refusing files too large or not UTF-8 with a located error."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataFileError(
                f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit; split it up"
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise DataFileError(f"{path}: cannot read file: {error.strerror}") from None
    return load_located(text, str(path))


ModelT = TypeVar("ModelT", bound=BaseModel)


def read_model(path: Path, model: type[ModelT]) -> ModelT:
    """A YAML file validated as ``model``; the first problem is a ``file:line:col: field: msg`` error."""
    located = read_located(path)
    try:
        return model.model_validate(located.data)
    except ValidationError as error:
        first = error.errors()[0]
        where = located.where(tuple(first["loc"]))
        raise DataFileError(f"{where}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
