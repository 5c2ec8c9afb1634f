"""Where scenario files live, found without parsing them (cheap enough for start-up)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coachsim import locations
from coachsim.errors import DataFileError


def scenario_dirs(extra: Iterable[Path] = (), include_user: bool = True) -> list[tuple[Path, str]]:
    """Folders searched for scenarios, in override order, with their origin names."""
    sources: list[tuple[Path, str]] = [(locations.builtin_scenarios_dir(), "built-in")]
    if include_user:
        sources.append((locations.user_scenarios_dir(), "user"))
    return sources + [(Path(d), "extra") for d in extra]


def find_scenario_file(scenario_id: str, extra: Iterable[Path] = ()) -> Path:
    """The file that defines ``scenario_id`` (the last folder wins), or a one-line error."""
    found = [
        d / f"{scenario_id}.yaml" for d, _ in scenario_dirs(extra) if (d / f"{scenario_id}.yaml").is_file()
    ]
    if not found:
        known = sorted({p.stem for d, _ in scenario_dirs(extra) if d.is_dir() for p in d.glob("*.yaml")})
        raise DataFileError(f"no scenario with id '{scenario_id}'; known ids: {', '.join(known) or 'none'}")
    return found[-1]
