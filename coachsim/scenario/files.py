"""Where scenario files live, found without parsing them (cheap enough for start-up)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from coachsim import locations
from coachsim.errors import DataFileError
from coachsim.safetext import visible

#: A scenario id: lowercase words joined by hyphens. It is also the file's name, so an id can
#: never name a path outside the scenario folders.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_ID_LENGTH = 100


def check_scenario_id(scenario_id: str) -> str:
    """``scenario_id`` if it is a well-formed id, else a one-line error (before any file is touched)."""
    if len(scenario_id) <= MAX_ID_LENGTH and re.fullmatch(ID_PATTERN, scenario_id):
        return scenario_id
    shown = visible(scenario_id[:60] + ("…" if len(scenario_id) > 60 else ""), one_line=True)
    raise DataFileError(
        f"not a scenario id: '{shown}' (ids are lowercase letters, digits and hyphens);"
        " run coachsim scenarios list"
    )


def scenario_dirs(extra: Iterable[Path] = (), include_user: bool = True) -> list[tuple[Path, str]]:
    """Folders searched for scenarios, in override order, with their origin names."""
    sources: list[tuple[Path, str]] = [(locations.builtin_scenarios_dir(), "built-in")]
    if include_user:
        sources.append((locations.user_scenarios_dir(), "user"))
    return sources + [(Path(d), "extra") for d in extra]


def known_ids(extra: Iterable[Path] = ()) -> list[str]:
    """Ids of every scenario file in the folders (by file name), sorted."""
    return sorted({p.stem for d, _ in scenario_dirs(extra) if d.is_dir() for p in d.glob("*.yaml")})


def find_scenario_file(scenario_id: str, extra: Iterable[Path] = ()) -> Path:
    """The file that defines ``scenario_id`` (the last folder wins), or a one-line error."""
    check_scenario_id(scenario_id)
    extra = list(extra)
    found = [
        d / f"{scenario_id}.yaml" for d, _ in scenario_dirs(extra) if (d / f"{scenario_id}.yaml").is_file()
    ]
    if not found:
        known = ", ".join(visible(i, one_line=True) for i in known_ids(extra)) or "none"
        raise DataFileError(f"no scenario with id '{scenario_id}'; known ids: {known}")
    return found[-1]
