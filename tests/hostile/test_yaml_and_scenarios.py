"""Hostile scenario files and ids at the command line (issue 11): a billion-laughs file, a recursive
alias, deep nesting or a NUL byte in the user's folder is one located ``skipped:`` line while every
other scenario still loads; an id that is a path is refused; titles are text, never markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coachsim import locations
from coachsim.scenario.loader import load_catalog

MINI = Path(__file__).resolve().parent.parent / "data" / "scenarios" / "mini-check-in.yaml"
BUILT_IN = {p.stem for p in locations.builtin_scenarios_dir().glob("*.yaml")}


def laughs(levels: int) -> str:
    rows = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    rows += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


#: file name -> (content, the start of its one located line)
HOSTILE = {
    "laughs.yaml": (laughs(7), ":6:10: alias *l4 takes the expanded document past 100,000 extra values"),
    "recursive.yaml": ("a: &a [*a]\n", ":1:8: alias *a is inside the value it names (a recursive alias)"),
    "deep.yaml": ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", ":1:1003: nested more than 100 levels deep"),
    "nul.yaml": ("id: nul\x00\n", ":1:8: character U+0000 is not allowed in YAML"),
}


def mini(scenario_id: str, title: str = "Mini check-in") -> str:
    text = MINI.read_text(encoding="utf-8").replace("id: mini-check-in", f"id: {scenario_id}")
    return text.replace("title: Mini check-in", f"title: {json.dumps(title)}")


@pytest.fixture
def user_dir() -> Path:
    folder = locations.user_scenarios_dir()
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def hostile_user_dir(user_dir: Path) -> Path:
    for name, (text, _) in HOSTILE.items():
        (user_dir / name).write_text(text, encoding="utf-8")
    (user_dir / "good-one.yaml").write_text(mini("good-one"), encoding="utf-8")
    return user_dir


def lines_about(err: str, folder: Path) -> dict[str, str]:
    """Each stderr line that names a file in ``folder``, by file name (one line per file)."""
    found: dict[str, str] = {}
    for line in err.splitlines():
        match = re.search(re.escape(str(folder)) + r"/([^:/]+\.yaml)(:.*)", line)
        if match:
            assert match.group(1) not in found, f"two lines about {match.group(1)}"
            found[match.group(1)] = match.group(2)
    return found


def test_hostile_user_files_do_not_stop_the_catalogue(hostile_user_dir: Path) -> None:
    catalog = load_catalog()
    assert set(catalog.scenarios) == BUILT_IN | {"good-one"}
    assert len(catalog.problems) == len(HOSTILE)
    for name, (_, says) in HOSTILE.items():
        (problem,) = [p for p in catalog.problems if p.where.startswith(str(hostile_user_dir / name))]
        assert str(problem).startswith(f"{hostile_user_dir / name}{says}"), str(problem)


def test_list_reports_each_bad_file_on_one_line_and_lists_the_rest(cli, hostile_user_dir: Path) -> None:
    result = cli("scenarios", "list", "--json")
    assert result.code == 0
    assert {row["id"] for row in json.loads(result.out)} == BUILT_IN | {"good-one"}
    about = lines_about(result.err, hostile_user_dir)
    assert set(about) == set(HOSTILE)
    for name, (_, says) in HOSTILE.items():
        assert about[name].startswith(says) and "; " in about[name], about[name]
    assert all(line.startswith("coachsim: skipped: ") for line in result.err.splitlines())


def test_validate_reports_each_bad_file_and_checks_the_good_ones(cli, hostile_user_dir: Path) -> None:
    result = cli("scenarios", "validate", "--skip-runs")
    assert result.code == 2
    about = lines_about(result.err, hostile_user_dir)
    assert set(about) == set(HOSTILE)
    total = len(BUILT_IN) + 1 + len(HOSTILE)
    assert f"{total} file(s) checked, {total - len(HOSTILE)} valid, {len(HOSTILE)} problem(s)" in result.err


def test_validate_given_the_folder_and_a_good_file(cli, hostile_user_dir: Path) -> None:
    good = locations.builtin_scenarios_dir() / "just-tell-me.yaml"
    result = cli("scenarios", "validate", "--skip-runs", str(hostile_user_dir), str(good))
    assert result.code == 2
    assert set(lines_about(result.err, hostile_user_dir)) == set(HOSTILE)
    assert f"{len(HOSTILE) + 2} file(s) checked, 2 valid, {len(HOSTILE)} problem(s)" in result.err


@pytest.mark.parametrize("command", [["demo"], ["play"], ["scenarios", "show"]])
@pytest.mark.parametrize("bad", ["../../some/dir/evil", "/tmp/evil", "evil/../../x", "Evil"])
def test_an_id_that_is_a_path_is_refused(cli, tmp_path: Path, command: list[str], bad: str) -> None:
    (tmp_path / "evil.yaml").write_text(mini("evil"), encoding="utf-8")
    result = cli(*command, bad)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"coachsim: error: not a scenario id: '{bad}' (ids are lowercase letters, digits and hyphens);"
        " run coachsim scenarios list"
    ]


def test_demo_from_a_relative_path_to_a_real_file_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text(mini("evil"), encoding="utf-8")
    relative = Path("..", "..", "..", "..", "..", "..", "..", "..", *tmp_path.parts[1:], "evil")
    result = cli("demo", str(relative), "--run", "nope")
    assert result.code == 2 and "not a scenario id" in result.err and "has no example run" not in result.err


MARKUP = "Oops [/bold] title [link=https://example.com]x[/link]"
CONTROL = "Bad \x1b[31m red \x9b \u202e title"


@pytest.fixture
def text_titles(user_dir: Path) -> None:
    (user_dir / "oops.yaml").write_text(mini("oops", MARKUP), encoding="utf-8")
    (user_dir / "ctl.yaml").write_text(mini("ctl", CONTROL), encoding="utf-8")


def test_titles_validate_as_text(cli, text_titles: None) -> None:
    assert cli("scenarios", "validate", "--skip-runs").code == 0


def test_list_shows_markup_and_control_characters_literally(
    cli, text_titles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one row per scenario, no wrapping inside a title
    result = cli("scenarios", "list")
    assert result.code == 0, result.err
    assert MARKUP in result.out
    assert "\x1b" not in result.out and "\x9b" not in result.out and "\u202e" not in result.out
    assert "Bad \\x1b[31m red \\x9b \\u202e title" in result.out


def test_list_json_escapes_what_a_terminal_would_act_on(cli, text_titles: None) -> None:
    out = cli("scenarios", "list", "--json").out
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e]", out.rstrip("\n"))
    titles = {row["id"]: row["title"] for row in json.loads(out)}
    assert titles["ctl"] == CONTROL and titles["oops"] == MARKUP


@pytest.mark.parametrize(("scenario_id", "title"), [("oops", MARKUP), ("ctl", CONTROL)])
def test_show_prints_the_title_literally(cli, text_titles: None, scenario_id: str, title: str) -> None:
    result = cli("scenarios", "show", scenario_id)
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.startswith(
        title.replace("\x1b", "\\x1b").replace("\x9b", "\\x9b").replace("\u202e", "\\u202e")
    )


def test_show_escapes_beat_names_and_lines(cli, user_dir: Path) -> None:
    text = mini("odd-beats").replace("  rollback:\n", '  "[bold]roll\\e]0;x\\aback":\n')
    text = text.replace("go: rollback", 'go: "[bold]roll\\e]0;x\\aback"')
    (user_dir / "odd-beats.yaml").write_text(text, encoding="utf-8")
    result = cli("scenarios", "show", "odd-beats")
    assert result.code == 0, result.err
    assert "[bold]roll\\x1b]0;x\\x07back" in result.out and "\x1b" not in result.out


def test_a_file_name_with_escapes_is_reported_visibly(cli, user_dir: Path) -> None:
    (user_dir / "bad\x1b[2Jname.yaml").write_text("id: [oops\n", encoding="utf-8")
    result = cli("scenarios", "list")
    assert result.code == 0
    assert "\x1b" not in result.err and "bad\\x1b[2Jname.yaml:" in result.err
