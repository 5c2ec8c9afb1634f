"""``--pressure [SECONDS]`` on the command line: a bare flag, a value, and limits out of range."""

from __future__ import annotations

import pytest

from coachsim.cli.main import PRESSURE_DEFAULT, _optional_pressure_value


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["play", "x", "--pressure"], ["play", "x", f"--pressure={PRESSURE_DEFAULT}"]),
        (["play", "--pressure", "x"], ["play", f"--pressure={PRESSURE_DEFAULT}", "x"]),
        (["play", "--pressure", "20", "x"], ["play", "--pressure", "20", "x"]),
        (["play", "--pressure=15"], ["play", "--pressure=15"]),
        (["drill", "--pressure", "--plain"], ["drill", f"--pressure={PRESSURE_DEFAULT}", "--plain"]),
        (["play", "--", "--pressure"], ["play", "--", "--pressure"]),
    ],
)
def test_a_bare_pressure_flag_means_the_scenarios_default(argv: list[str], expected: list[str]) -> None:
    assert _optional_pressure_value(argv) == expected


@pytest.mark.parametrize("args", [("play", "just-tell-me", "--pressure", "3"), ("drill", "--pressure=601")])
def test_a_limit_out_of_range_is_one_line_and_exit_2(cli, args) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "must be 5 to 600 seconds" in result.err


def test_a_bare_pressure_flag_with_an_unknown_scenario_names_the_scenario(cli) -> None:
    result = cli("play", "--pressure", "nosuch")
    assert result.code == 2 and "no scenario with id 'nosuch'" in result.err
