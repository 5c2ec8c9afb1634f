"""Loading scenarios from YAML with located errors, and checking their beat graphs.

Every problem reads ``file:line:column: field.path: problem`` and one bad file never
stops the others from loading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from coachsim.classify.moves import MOVES
from coachsim.errors import DataFileError
from coachsim.safetext import visible
from coachsim.scenario.files import check_scenario_id, scenario_dirs
from coachsim.scenario.graph import beat_edges, reach
from coachsim.scenario.model import Scenario
from coachsim.yamlpos import Located, read_located

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier

#: Scenario files larger than this are refused. The largest shipped scenario is 12 KB; 256 KB
#: holds about 4,500 beats and loads in well under a second, so no file can stall a start-up.
MAX_SCENARIO_BYTES = 256_000


@dataclass(frozen=True)
class ScenarioProblem:
    """One located problem in a scenario file."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        """One line: ``where: field: message``, control characters (from user files) made visible."""
        text = (
            f"{self.where}: {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"
        )
        return visible(text, one_line=True)


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: Path
    located: Located
    origin: str  # "built-in", "user" or "extra"

    def problem(self, path: tuple[str | int, ...], message: str) -> ScenarioProblem:
        return ScenarioProblem(self.located.where(path), ".".join(str(p) for p in path), message)


@dataclass
class Catalog:
    """Every scenario found, by id, plus the problems and notices met while loading.

    ``problems`` holds one located :class:`ScenarioProblem` per problem in a file that was skipped
    (a bad user file never stops the others, built-in ones included); ``notices`` says which
    scenarios replaced others. Front ends show each as one warning line.
    """

    scenarios: dict[str, LoadedScenario] = field(default_factory=dict)
    problems: list[ScenarioProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def get(self, scenario_id: str) -> LoadedScenario:
        """The scenario with this id, or a one-line error (a malformed id is refused as such)."""
        check_scenario_id(scenario_id)
        if scenario_id not in self.scenarios:
            known = ", ".join(sorted(self.scenarios)) or "none"
            raise DataFileError(f"no scenario with id '{scenario_id}'; known ids: {known}")
        return self.scenarios[scenario_id]


def load_scenario_file(
    path: Path, origin: str = "extra"
) -> tuple[LoadedScenario | None, list[ScenarioProblem]]:
    """Parse and validate one file: the scenario (or None) and every problem found. Nothing in a
    file makes it raise (yamlpos bounds aliases and nesting), so one bad file cannot stop a batch."""
    try:
        located = read_located(path, max_bytes=MAX_SCENARIO_BYTES)
    except DataFileError as error:
        return None, [ScenarioProblem(error.message.split(": ", 1)[0], "", error.message.split(": ", 1)[-1])]
    if not isinstance(located.data, dict):
        return None, [
            ScenarioProblem(located.where(()), "", "a scenario file is a YAML mapping (see AUTHORING.md)")
        ]
    try:
        scenario = Scenario.model_validate(located.data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(
                p
                for p in item["loc"]
                if not (isinstance(p, str) and p.startswith(("function-", "str", "list[")))
            )
            message = item["msg"].removeprefix("Value error, ")
            problems.append(ScenarioProblem(located.where(loc), ".".join(str(p) for p in loc), message))
        return None, problems
    loaded = LoadedScenario(scenario, path, located, origin)
    problems = check_graph(loaded)
    if scenario.id != path.stem:
        problems.insert(
            0, loaded.problem(("id",), f"id '{scenario.id}' must match the file name '{path.stem}'")
        )
    return (loaded if not problems else None), problems


def check_graph(loaded: LoadedScenario) -> list[ScenarioProblem]:
    """Unknown targets, missing defaults, unreachable beats and beats with no way to an ending.
    Linear in the beats: one traversal from the start, one backwards from the endings."""
    scenario = loaded.scenario
    beats = scenario.beats
    problems: list[ScenarioProblem] = []
    if scenario.start not in beats:
        problems.append(loaded.problem(("start",), f"unknown beat '{scenario.start}'"))
    if scenario.on_max_turns not in beats:
        problems.append(loaded.problem(("on_max_turns",), f"unknown beat '{scenario.on_max_turns}'"))
    elif not beats[scenario.on_max_turns].ending:
        problems.append(loaded.problem(("on_max_turns",), f"beat '{scenario.on_max_turns}' is not an ending"))
    for name, beat in beats.items():
        for index, transition in enumerate(beat.next):
            if transition.go not in beats:
                problems.append(
                    loaded.problem(("beats", name, "next", index, "go"), f"unknown beat '{transition.go}'")
                )
        if beat.ending:
            continue
        defaults = [i for i, t in enumerate(beat.next) if t.when is None]
        if defaults and defaults[0] != len(beat.next) - 1:
            problems.append(
                loaded.problem(
                    ("beats", name, "next", defaults[0]),
                    "a transition without `when` matches everything, so the ones after it never run",
                )
            )
        if not defaults:
            covered = {m for t in beat.next if t.when is not None and t.when.only_moves for m in t.when.moves}
            missing = [m for m in MOVES if m not in covered]
            if missing:
                problems.append(
                    loaded.problem(
                        ("beats", name, "next"),
                        f"no transition for {', '.join(missing)} and no default;"
                        " add a last entry without `when`",
                    )
                )
    for name, run in scenario.examples.items():
        if run.ending not in beats or not beats[run.ending].ending:
            problems.append(
                loaded.problem(("examples", name, "ending"), f"'{run.ending}' is not an ending beat")
            )
    if problems:
        return problems
    forward, reverse = beat_edges(scenario)
    reachable = reach(forward, [scenario.start]) | {scenario.on_max_turns}
    for name in beats:
        if name not in reachable:
            problems.append(
                loaded.problem(("beats", name), f"beat '{name}' cannot be reached from '{scenario.start}'")
            )
    can_end = reach(reverse, scenario.endings)
    for name in sorted(reachable - can_end):
        problems.append(
            loaded.problem(
                ("beats", name), f"no ending can be reached from beat '{name}' (a cycle with no exit)"
            )
        )
    return problems


def check_examples(loaded: LoadedScenario, classifier: Classifier) -> list[ScenarioProblem]:
    """Replay each example run through the real classifier; it must reach its declared ending."""
    from coachsim.scenario.session import Session

    problems = []
    for name, run in loaded.scenario.examples.items():
        session = Session(loaded.scenario, classifier, seed=0)
        session.opening()
        used = 0
        for reply in run.replies:
            if session.ended:
                break
            session.reply(reply)
            used += 1
        if not session.ended or session.beat_id != run.ending or used != len(run.replies):
            where = session.beat_id if session.ended else f"beat '{session.beat_id}' (not ended)"
            problems.append(
                loaded.problem(
                    ("examples", name),
                    f"run reaches {where} after {used} of {len(run.replies)} replies;"
                    f" expected ending '{run.ending}' after all of them",
                )
            )
    return problems


def scenario_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file()) if directory.is_dir() else []


def load_catalog(extra_dirs: Iterable[Path] = (), include_user: bool = True) -> Catalog:
    """Built-in scenarios, then user ones ($COACHSIM_HOME/scenarios), then ``extra_dirs``;
    a later file with the same id wins, with a notice. Bad files are reported, not fatal."""
    catalog = Catalog()
    for directory, origin in scenario_dirs(extra_dirs, include_user):
        seen_here: dict[str, Path] = {}
        for path in scenario_files(directory):
            loaded, problems = load_scenario_file(path, origin)
            catalog.problems += problems
            if loaded is None:
                continue
            scenario_id = loaded.scenario.id
            if scenario_id in seen_here:
                catalog.problems.append(
                    loaded.problem(("id",), f"id '{scenario_id}' is already used by {seen_here[scenario_id]}")
                )
                continue
            seen_here[scenario_id] = path
            if scenario_id in catalog.scenarios:
                previous = catalog.scenarios[scenario_id]
                catalog.notices.append(
                    f"{path}: scenario '{scenario_id}' replaces the {previous.origin} one"
                    f" from {previous.path}"
                )
            catalog.scenarios[scenario_id] = loaded
    return catalog
