"""One located line per bad data file: ``turns[3].move: 'advising' is not a move``.

Transcripts and review sidecars are validated by pydantic; :func:`describe` turns the first problem
into a JSON path and a plain reason, and :func:`check_schema` refuses a file of another kind or of a
version this coachsim cannot read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from coachsim.classify.moves import MOVES
from coachsim.errors import DataFileError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r"'([^']*)'")
#: What a value of each pydantic type should have been, as a person says it.
_EXPECTED = {
    "string_type": "a string",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a JSON object",
    "model_type": "a JSON object",
    "dataclass_type": "a JSON object",
    "dataclass_exact_type": "a JSON object",
}


def shown(value: Any) -> str:
    """A value as it appears in the JSON file, cut short."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=True, default=repr)
    return text if len(text) <= 40 else text[:37] + "…"


def json_path(loc: tuple[int | str, ...]) -> str:
    """("turns", 3, "move") → "turns[3].move"; an object key that is not a name is quoted
    (``turns["one"]``)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":
            continue
        elif _NAME.fullmatch(part):
            path += f".{part}" if path else part
        else:
            path += f"[{json.dumps(part, ensure_ascii=True)}]"
    return path


def _reason(problem: Any) -> str:
    kind, value, context = problem["type"], problem.get("input"), problem.get("ctx") or {}
    if kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
        return "is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unexpected field; remove it"
    if kind == "literal_error":
        allowed = _QUOTED.findall(str(context.get("expected", "")))
        if set(allowed) == set(MOVES):
            return f"{shown(value)} is not a move ({', '.join(MOVES)})"
        return f"{shown(value)} is not one of {', '.join(allowed)}"
    if kind == "value_error":
        return str(problem["msg"]).removeprefix("Value error, ")
    if kind in _EXPECTED:
        return f"should be {_EXPECTED[kind]}, not {shown(value)}"
    if kind == "less_than_equal":
        return f"should be at most {context.get('le')}, not {shown(value)}"
    if kind == "greater_than_equal":
        return f"should be at least {context.get('ge')}, not {shown(value)}"
    if kind == "string_too_long":
        return f"is longer than {context.get('max_length'):,} characters"
    return f"{str(problem['msg']).removeprefix('Input ').lower()}, not {shown(value)}"


def describe(error: ValidationError) -> str:
    """The first problem of a ValidationError as "turns[3].move: 'x' is not a move"."""
    problems = error.errors(include_url=False)
    first = problems[0]
    path = json_path(tuple(first["loc"]))
    text = f"{path}: {_reason(first)}" if path else _reason(first)
    more = len(problems) - 1
    return text + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


def check_schema(data: Any, schema: str, source: str, kind: str) -> dict[str, Any]:
    """``data`` if it is a JSON object of ``schema``; else one DataFileError naming ``source``: another
    version of the same format is refused by name, anything else is "not a <schema> <kind>"."""
    found = data.get("schema") if isinstance(data, dict) else None
    family = schema.rsplit("/", 1)[0] + "/"
    if isinstance(found, str) and found.startswith(family) and found != schema:
        raise DataFileError(f"{source}: schema {shown(found)} is not supported; this coachsim reads {schema}")
    if not isinstance(data, dict) or found != schema:
        raise DataFileError(f"{source}: not a {schema} {kind} (missing or different 'schema')")
    return data
