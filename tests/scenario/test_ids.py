"""A scenario id is an id, never a path: every lookup refuses anything else with one line."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachsim.errors import DataFileError
from coachsim.locations import builtin_scenarios_dir
from coachsim.scenario.files import ID_PATTERN, MAX_ID_LENGTH, check_scenario_id, find_scenario_file
from coachsim.scenario.loader import Catalog, load_catalog

CATALOG: Catalog = load_catalog(include_user=False)
HOSTILE = [
    "../../some/dir/evil",
    "/etc/passwd",
    "just-tell-me/../../x",
    "Just-Tell-Me",
    "just_tell_me",
    "just-tell-me\n",
    "-leading",
    "trailing-",
    "a--b",
    "",
    ".",
    "x" * (MAX_ID_LENGTH + 1),
    "evil\x1b[31m",
]


def test_every_shipped_scenario_id_is_a_well_formed_id() -> None:
    ids = [path.stem for path in builtin_scenarios_dir().glob("*.yaml")]
    assert len(ids) >= 12
    assert all(check_scenario_id(i) == i for i in ids)


@pytest.mark.parametrize("bad", HOSTILE)
def test_a_bad_id_is_refused_before_any_file_is_read(bad: str) -> None:
    for lookup in (find_scenario_file, CATALOG.get):
        with pytest.raises(DataFileError) as caught:
            lookup(bad)
        message = caught.value.message
        assert message.startswith("not a scenario id: '")
        assert message.endswith("; run coachsim scenarios list")
        assert "\n" not in message and "\x1b" not in message


@given(text=st.text(max_size=30))
def test_only_ids_matching_the_pattern_are_accepted(text: str) -> None:
    if re.fullmatch(ID_PATTERN, text):
        assert check_scenario_id(text) == text
    else:
        with pytest.raises(DataFileError, match=r"^not a scenario id: "):
            check_scenario_id(text)


def test_a_well_formed_unknown_id_is_still_a_missing_scenario() -> None:
    with pytest.raises(DataFileError, match=r"no scenario with id 'nope'; known ids: .*just-tell-me"):
        find_scenario_file("nope")
    with pytest.raises(DataFileError, match="no scenario with id 'nope'"):
        CATALOG.get("nope")
