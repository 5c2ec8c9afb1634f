"""Located YAML loading under hostile input: runaway and recursive aliases, deep nesting, control
characters and unreadable scalars each give one ``file:line:col: problem; what to do`` line."""

from __future__ import annotations

import gc
import itertools
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from coachsim import yamlpos
from coachsim.errors import DataFileError
from coachsim.yamlpos import MAX_ALIAS_NODES, MAX_DEPTH, load_located, read_located

LOCATED = re.compile(r"^doc\.yaml:(\d+):(\d+): [^\n]+; [^\n]+$")


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every hostile case is checked with libyaml's parser and with PyYAML's own (which recurses)."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlpos, "_SafeLoader", yamlpos._make_loader(yaml.SafeLoader))
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    return request.param


def refusal(text: str) -> str:
    with pytest.raises(DataFileError) as caught:
        load_located(text, "doc.yaml")
    message = caught.value.message
    assert "\n" not in message
    return message


def laughs(levels: int, width: int = 9) -> str:
    """The billion-laughs document: each level is ``width`` aliases of the one before."""
    names = [f"l{i}" for i in range(levels)]
    rows = [f"{names[0]}: &{names[0]} [" + ", ".join(['"x"'] * width) + "]"]
    rows += [f"{n}: &{n} [" + ", ".join([f"*{p}"] * width) + "]" for p, n in itertools.pairwise(names)]
    return "\n".join(rows) + "\n"


def expanded_extra(levels: int, width: int) -> int:
    """Nodes the aliases add: level k (k >= 1) holds ``width`` copies of level k-1's expansion."""
    sizes = [1 + width]
    for _ in range(1, levels):
        sizes.append(1 + width * sizes[-1])
    return sum(width * size for size in sizes[:-1])


@pytest.mark.parametrize("levels", [7, 9])
def test_billion_laughs_is_refused_at_the_alias_that_crosses_the_budget(loader: str, levels: int) -> None:
    message = refusal(laughs(levels))
    assert re.match(
        r"doc\.yaml:6:10: alias \*l4 takes the expanded document past 100,000 extra values", message
    )
    assert LOCATED.match(message)


@given(levels=st.integers(1, 12), width=st.integers(1, 12))
def test_aliases_load_within_the_budget_and_are_refused_beyond_it(levels: int, width: int) -> None:
    text = laughs(levels, width)
    if expanded_extra(levels, width) <= MAX_ALIAS_NODES:
        located = load_located(text, "doc.yaml")
        assert located.data[f"l{levels - 1}"] is not None
        assert located.positions[(f"l{levels - 1}",)][0] == levels
    else:
        assert "takes the expanded document past" in refusal(text)


def test_a_few_aliases_still_work_and_their_values_are_located() -> None:
    located = load_located("base: &b {move: coaching}\nfirst: *b\nsecond: [*b, *b]\n", "doc.yaml")
    assert located.data["second"][1] == {"move": "coaching"}
    assert located.where(("second", 1, "move")) == "doc.yaml:1:17"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: &a [*a]\n", "1:8"),
        ("a: &a {b: *a}\n", "1:11"),
        ("a: &a\n  - x\n  - [1, {y: *a}]\n", "3:13"),
    ],
)
def test_a_recursive_alias_is_refused_at_the_alias(loader: str, text: str, where: str) -> None:
    message = refusal(text)
    assert message.startswith(f"doc.yaml:{where}: alias *a is inside the value it names (a recursive alias)")


@pytest.mark.parametrize(("depth", "where"), [(150, "1:104"), (10_000, None)])
def test_deep_nesting_is_refused_with_a_location(loader: str, depth: int, where: str | None) -> None:
    message = refusal("a: " + "[" * depth + "]" * depth + "\n")
    assert LOCATED.match(message), message
    assert f"nested more than {MAX_DEPTH} levels deep; flatten the structure" in message
    if where:
        assert message.startswith(f"doc.yaml:{where}:")


def test_nesting_up_to_the_limit_loads(loader: str) -> None:
    depth = MAX_DEPTH - 1
    located = load_located("a: " + "[" * depth + "]" * depth + "\n", "doc.yaml")
    assert located.data["a"] is not None


_FORBIDDEN = st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x80", "\x9b", "\ufffe", "\ud800"])


@given(char=_FORBIDDEN, line=st.integers(0, 2), column=st.integers(0, 8))
def test_a_control_character_is_refused_where_it_is(char: str, line: int, column: int) -> None:
    rows = ["id: just-tell-me", "title: Just tell me", "summary: A short one."]
    row = rows[line]
    rows[line] = row[:column] + char + row[column:]
    message = refusal("\n".join(rows) + "\n")
    expected = (
        f"doc.yaml:{line + 1}:{column + 1}: character U+{ord(char):04X} is not allowed in YAML; delete it"
    )
    assert message.startswith(expected), message


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("when: 2024-99-99\n", "1:7", "month must be in 1..12"),
        ("n: " + "1" * 5000 + "\n", "1:4", "integer string conversion"),
        ("n: !!int abc\n", "1:4", "invalid literal"),
        ("t: !!timestamp 2020\n", "1:4", "cannot read this value"),
        ("x: !!python/object:os.system ls\n", "1:4", "could not determine a constructor"),
        ("? [a]\n: 1\n", "1:3", "unhashable key"),
    ],
)
def test_unreadable_values_are_located(loader: str, text: str, where: str, problem: str) -> None:
    message = refusal(text)
    assert message.startswith(f"doc.yaml:{where}: not valid YAML: ") and problem in message, message


def test_syntax_errors_say_what_to_do() -> None:
    message = refusal("title: [unclosed\n")
    assert LOCATED.match(message) and message.endswith("; fix the YAML at that point")


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        load_located("a: [1, 2]\n", "doc.yaml")
        with pytest.raises(DataFileError):
            load_located("a: &a [*a]\n", "doc.yaml")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


_YAMLISH = st.text(
    alphabet=st.sampled_from([*"ab: -[]{},&*!?|>'\"#%@`\n\t\\0x", "\x00", "\x85", "\u2028", "é"]),
    max_size=80,
)


@given(text=_YAMLISH)
def test_any_text_loads_or_gives_one_located_line(text: str) -> None:
    try:
        load_located(text, "doc.yaml")
    except DataFileError as error:
        assert "\n" not in error.message
        assert re.match(r"doc\.yaml(:\d+:\d+)?: ", error.message), error.message


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it would block until someone writes
    with pytest.raises(DataFileError, match=r"pipe\.yaml: not a regular file; give the path of a YAML file"):
        read_located(fifo)
    if Path("/dev/zero").exists():  # endless: never read
        with pytest.raises(DataFileError, match="not a regular file"):
            read_located(Path("/dev/zero"))


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 30, encoding="utf-8")
    limit = r"big\.yaml: file is 150 bytes, over the 100-byte limit; split it up"
    with pytest.raises(DataFileError, match=limit):
        read_located(big, max_bytes=100)
