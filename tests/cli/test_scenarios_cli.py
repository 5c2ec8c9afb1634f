"""``coachsim scenarios``: list, show, validate, schema; user scenarios win with a notice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coachsim import locations

MINI = Path(__file__).resolve().parent.parent / "data" / "scenarios" / "mini-check-in.yaml"


def test_list_as_table_and_json(cli) -> None:
    table = cli("scenarios", "list")
    assert table.code == 0 and "just-tell-me" in table.out
    rows = json.loads(cli("scenarios", "list", "--json").out)
    assert len(rows) >= 12
    assert {"id", "title", "difficulty", "tags"} <= rows[0].keys()


def test_show_prints_brief_persona_goal_and_beats(cli) -> None:
    result = cli("scenarios", "show", "just-tell-me")
    assert result.code == 0
    for word in ("Persona", "Brief", "Goal", "Beats", "ending"):
        assert word in result.out
    missing = cli("scenarios", "show", "nope")
    assert missing.code == 2 and "no scenario with id 'nope'" in missing.err


def test_validate_all_built_in_scenarios(cli) -> None:
    result = cli("scenarios", "validate")
    assert result.code == 0, result.err
    assert "problem(s)" in result.err and " 0 problem(s)" in result.err


def test_validate_reports_each_problem_located_and_exits_2(cli, tmp_path: Path) -> None:
    bad = tmp_path / "mini-check-in.yaml"
    bad.write_text(MINI.read_text().replace("go: rollback", "go: nowhere"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [oops\n", encoding="utf-8")
    result = cli("scenarios", "validate", str(tmp_path), "--skip-runs")
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if line.startswith("coachsim: error:")]
    assert any(f"{bad}:32:13: beats.opening.next.2.go: unknown beat 'nowhere'" in e for e in errors)
    assert any(f"{broken}:" in e and "not valid YAML" in e for e in errors)


def test_user_scenarios_load_and_override_with_a_notice(cli, tmp_path: Path) -> None:
    user_dir = locations.user_scenarios_dir()
    user_dir.mkdir(parents=True)
    shutil.copy(MINI, user_dir / "mini-check-in.yaml")
    rows = json.loads(cli("scenarios", "list", "--json").out)
    assert any(r["id"] == "mini-check-in" and r["origin"] == "user" for r in rows)
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(MINI, extra / "mini-check-in.yaml")
    result = cli("scenarios", "list", "--scenarios", str(extra))
    assert "replaces the user one" in result.err


def test_schema_is_json_schema(cli) -> None:
    schema = json.loads(cli("scenarios", "schema").out)
    assert schema["title"] == "coachsim scenario"
    assert {"id", "beats", "examples", "goal"} <= schema["properties"].keys()
