"""Safe YAML loading that remembers where every value came from.

Validation errors in rule and scenario files must name ``file:line:column``;
this module loads with ``yaml.CSafeLoader`` (or ``SafeLoader``) and keeps the source position of
every mapping value and sequence item, keyed by its path. Hostile files (aliases that expand
exponentially or into themselves, deep nesting, control characters) get the same one-line error.
"""

from __future__ import annotations

import gc
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coachsim.errors import DataFileError
from coachsim.safetext import visible

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


def _make_loader(base: type) -> type:
    """A safe loader on ``base`` (``CSafeLoader`` or ``SafeLoader``) with YAML 1.2 booleans, only
    true/false, so "yes", "no", "on", "off" stay words, and located errors for bad scalars."""

    class Loader(base):
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            """PyYAML's constructors raise bare errors on some scalars (``2024-99-99``, a 5,000-digit
            int, ``!!int abc``); give them the node's position like every other YAML error."""
            try:
                return super().construct_object(node, deep=deep)
            except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
                raise yaml.constructor.ConstructorError(
                    None, None, f"cannot read this value ({error})", node.start_mark
                ) from None

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


#: On libyaml's parser when PyYAML was built with it (about 10x faster than the pure-Python one).
_SafeLoader = _make_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


#: Deepest nesting of mappings and sequences accepted (data files use fewer than ten levels).
MAX_DEPTH = 100
#: Most nodes that aliases may add to a document once expanded (no shipped data file uses aliases).
MAX_ALIAS_NODES = 100_000

#: Characters YAML does not allow in a stream (YAML 1.1, 5.1), as PyYAML's reader defines them.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _where(source: str, mark: Any) -> str:
    return f"{source}:{mark.line + 1}:{mark.column + 1}"


def _too_deep(where: str) -> DataFileError:
    return DataFileError(f"{where}: nested more than {MAX_DEPTH} levels deep; flatten the structure")


def _check_events(text: str, source: str) -> None:
    """Refuse recursive aliases, aliases that expand past :data:`MAX_ALIAS_NODES` nodes and nesting
    past :data:`MAX_DEPTH`, from the event stream: linear in the file, never in its expansion."""
    sizes: dict[str, int] = {}  # anchor -> expanded node count, once its node is complete
    open_anchors: set[str] = set()
    stack: list[list[Any]] = []  # per open collection: [anchor, expanded node count so far]
    added = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH:
                raise _too_deep(_where(source, event.start_mark))
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
                open_anchors.discard(anchor)
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            where = _where(source, event.start_mark)
            if event.anchor in open_anchors:
                raise DataFileError(
                    f"{where}: alias *{event.anchor} is inside the value it names (a recursive alias);"
                    f" refer to &{event.anchor} only after its value ends"
                )
            size = sizes.get(str(event.anchor), 1)
            added += size
            if added > MAX_ALIAS_NODES:
                raise DataFileError(
                    f"{where}: alias *{event.anchor} takes the expanded document past {MAX_ALIAS_NODES:,}"
                    " extra values (aliases of aliases multiply); write the values out instead"
                )
        else:
            continue
        if stack:
            stack[-1][1] += size


def _positions(node: yaml.Node, text: str, source: str) -> dict[PathKey, tuple[int, int]]:
    """The position of every value by path, refusing duplicate keys and deep nesting. Iterative, so
    no input can exhaust the stack; a node met twice means aliases, checked once by :func:`_check_events`
    before they are followed (so the walk is bounded by the alias budget)."""
    positions: dict[PathKey, tuple[int, int]] = {}
    seen: set[int] | None = set()
    stack: list[tuple[yaml.Node, PathKey]] = [(node, ())]
    while stack:
        node, path = stack.pop()
        if seen is not None:
            if id(node) in seen:
                _check_events(text, source)
                seen = None
            else:
                seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise _too_deep(_where(source, node.start_mark))
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        children: list[tuple[yaml.Node, PathKey]] = []
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        raise DataFileError(
                            f"{_where(source, key_node.start_mark)}: duplicate key"
                            f" '{visible(str(key_node.value), one_line=True)}'; each key may appear once"
                        )
                    keys.add(key_node.value)
                    children.append((value_node, (*path, str(key_node.value))))
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, (*path, index)) for index, item in enumerate(node.value)]
        stack.extend(reversed(children))
    return positions


def _bad_character(text: str, source: str, reason: str) -> DataFileError:
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return DataFileError(f"{source}: not valid YAML: {_one_line(reason)}")
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return DataFileError(
        f"{source}:{line}:{column}: character U+{ord(found.group()):04X} is not allowed in YAML;"
        " delete it (in a double-quoted string it can be written as an escape)"
    )


def _one_line(message: str) -> str:
    return visible(" ".join(message.split()), one_line=True)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is built: a YAML tree is hundreds of
    thousands of small acyclic objects, and collections triggered by allocating them rescan the
    whole heap each time (a 0.8 MB file took 4 s instead of 1 s). Reference counting still frees
    garbage meanwhile; the collector is only resumed if it was running."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def load_located(text: str, source: str) -> Located:
    """Parse ``text`` safely; raise DataFileError ``source:line:col: problem`` on bad YAML, on a
    recursive or runaway alias and on nesting deeper than :data:`MAX_DEPTH`."""
    loader: Any = None
    try:
        with _collector_paused():
            loader = _SafeLoader(text)
            node = loader.get_single_node()
            positions = _positions(node, text, source) if node is not None else {}
            data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as error:
        raise _bad_character(text, source, str(error)) from None
    except UnicodeEncodeError as error:  # a lone surrogate in a str (never from a UTF-8 file)
        raise _bad_character(text, source, str(error)) from None
    except RecursionError:  # the pure-Python composer recurses once per nesting level
        _check_events(text, source)
        raise _too_deep(f"{source}:1:1") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _where(source, mark) if mark else source
        problem = _one_line(error.problem or error.context or "invalid YAML")
        if "maximum nesting depth" in problem:
            raise _too_deep(where) from None
        raise DataFileError(f"{where}: not valid YAML: {problem}; fix the YAML at that point") from None
    except yaml.YAMLError as error:
        raise DataFileError(f"{source}: not valid YAML: {_one_line(str(error))}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Located(data=data, source=source, positions=positions)


def read_located(path: Path, max_bytes: int = 2_000_000) -> Located:
    """Read and parse a YAML file, refusing files too large or not UTF-8 with a located error, and
    anything but a regular file (a FIFO would block, ``/dev/zero`` would never end)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(f"{path}: not a regular file; give the path of a YAML file")
        with path.open("rb") as file:
            raw = file.read(max_bytes + 1)
        if len(raw) > max_bytes:
            size = max(info.st_size, len(raw))
            raise DataFileError(
                f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit; split it up"
            )
        text = raw.decode("utf-8")
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
