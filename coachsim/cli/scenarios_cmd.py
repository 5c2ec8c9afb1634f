"""``coachsim scenarios``: list, show, validate and export the schema of scenario files.

Titles, briefs, beat names and file names are user data: they reach the terminal as Rich
``Text`` (never markup) with control characters made visible, and each problem is one line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from coachsim.cli import output
from coachsim.errors import ExitCode
from coachsim.safetext import as_text, visible
from coachsim.scenario.loader import (
    Catalog,
    ScenarioProblem,
    check_examples,
    load_catalog,
    load_scenario_file,
    scenario_files,
)
from coachsim.scenario.model import Scenario, When

#: Characters JSON may carry raw but a terminal must not see (C1 controls, bidi overrides, lone
#: surrogates); ``json.dumps`` already escapes C0 controls.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json(data: Any) -> str:
    """``data`` as JSON, readable Unicode kept, every character a terminal would act on escaped."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))


def _cell(text: str) -> Text:
    return as_text(text, one_line=True)


def _report_loading(catalog: Catalog) -> None:
    for notice in catalog.notices:
        output.warn(visible(notice, one_line=True))
    for problem in catalog.problems:
        output.warn(f"skipped: {problem}")


def list_scenarios(extra_dirs: list[Path], as_json: bool) -> ExitCode:
    catalog = load_catalog(extra_dirs)
    _report_loading(catalog)
    rows = [
        {
            "id": s.scenario.id,
            "title": s.scenario.title,
            "difficulty": s.scenario.difficulty,
            "tags": list(s.scenario.tags),
            "origin": s.origin,
        }
        for s in sorted(catalog.scenarios.values(), key=lambda s: (s.scenario.difficulty, s.scenario.id))
    ]
    if as_json:
        output.write_line(_json(rows))
        return ExitCode.OK
    table = Table(title="Scenarios", title_justify="left")
    for column in ("id", "title", "difficulty", "tags"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            _cell(row["id"]), _cell(row["title"]), "●" * row["difficulty"], _cell(", ".join(row["tags"]))
        )
    output.stdout_console().print(table)
    return ExitCode.OK


def show_scenario(scenario_id: str, extra_dirs: list[Path]) -> ExitCode:
    catalog = load_catalog(extra_dirs)
    _report_loading(catalog)
    loaded = catalog.get(scenario_id)
    scenario = loaded.scenario
    console = output.stdout_console()
    console.print(
        as_text(scenario.title, one_line=True, style="bold"),
        as_text(f"  ({scenario.id}, {loaded.path})", one_line=True, style="dim"),
    )
    console.print(as_text(scenario.summary))
    persona = scenario.persona
    console.print(
        Text.assemble(
            ("\nPersona  ", "bold"), as_text(f"{persona.name}, {persona.role}. {persona.background}")
        )
    )
    if persona.mood:
        console.print(Text.assemble(("Mood     ", "bold"), as_text(persona.mood)))
    console.print(Text.assemble(("Brief    ", "bold"), as_text(scenario.brief.strip())))
    console.print(Text.assemble(("Goal     ", "bold"), as_text(scenario.goal.text)))
    target = scenario.goal.target.model_dump(exclude_none=True)
    if target:
        console.print(Text.assemble(("Target   ", "bold"), ", ".join(f"{k}={v}" for k, v in target.items())))
    table = Table(
        title=_cell(f"Beats (start: {scenario.start}, max {scenario.max_turns} turns)"), title_justify="left"
    )
    table.add_column("beat")
    table.add_column("kind")
    table.add_column("goes to")
    for name, beat in scenario.beats.items():
        kind = "ending" if beat.ending else ("advice-bait" if beat.pull else "")
        if beat.telling_ok:
            kind = (kind + " telling ok").strip()
        goes = beat.outcome or ", ".join(
            f"{_describe(t.when)} → {t.go}" if t.when else f"otherwise → {t.go}" for t in beat.next
        )
        table.add_row(_cell(name), kind, _cell(goes))
    console.print(table)
    return ExitCode.OK


def _describe(when: When) -> str:
    parts = []
    if when.move:
        parts.append("/".join(when.moves))
    if when.cue:
        parts.append(
            f"cue {when.cue}" if isinstance(when.cue, str) else f"{next(iter(when.cue.values()))} question"
        )
    if when.contains:
        parts.append("says " + "/".join(when.contains))
    return " + ".join(parts)


def validate(paths: list[Path], extra_dirs: list[Path], model: str | None, check_runs: bool) -> ExitCode:
    """Validate files (default: built-in and user scenarios) and replay their example runs."""
    files: list[Path] = []
    if paths:
        for path in paths:
            files += scenario_files(path) if path.is_dir() else [path]
    else:
        catalog = load_catalog(extra_dirs)
        files = [s.path for s in catalog.scenarios.values()]
        problems: list[ScenarioProblem] = list(catalog.problems)
        files += sorted({Path(p.where.split(":", 1)[0]) for p in problems} - set(files))
    all_problems: list[ScenarioProblem] = []
    loaded_ok = []
    seen_ids: dict[str, Path] = {}
    for path in files:
        if not path.exists():
            all_problems.append(ScenarioProblem(str(path), "", "no such file"))
            continue
        loaded, problems = load_scenario_file(path)
        all_problems += problems
        if loaded is not None:
            if loaded.scenario.id in seen_ids:
                all_problems.append(
                    loaded.problem(
                        ("id",),
                        f"id '{loaded.scenario.id}' is already used by {seen_ids[loaded.scenario.id]}",
                    )
                )
                continue
            seen_ids[loaded.scenario.id] = path
            loaded_ok.append(loaded)
    if check_runs and loaded_ok:
        from coachsim.classify.classifier import cached_classifier

        classifier = cached_classifier(model)
        for loaded in loaded_ok:
            all_problems += check_examples(loaded, classifier)
    for problem in all_problems:
        output.error(str(problem))
    bad_files = {p.where.split(":", 1)[0] for p in all_problems}
    output.warn(
        f"{len(files)} file(s) checked, {len(files) - len(bad_files)} valid, {len(all_problems)} problem(s)"
    )
    return ExitCode.BAD_INPUT if all_problems else ExitCode.OK


def schema() -> ExitCode:
    data = Scenario.model_json_schema()
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = "coachsim scenario"
    output.write_line(json.dumps(data, indent=2))
    return ExitCode.OK
