"""Shared fixtures: one loaded classifier per test run, and a private COACHSIM_HOME per test."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from coachsim import locations
from coachsim.classify.classifier import Classifier, cached_classifier
from coachsim.cli.main import main

REPO = Path(__file__).resolve().parent.parent

# Property tests are derandomised (the same examples every run: a suite that never flakes) and
# have no per-example deadline (a busy 2-core CI machine is slow, not wrong).
settings.register_profile(
    "coachsim",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("coachsim")


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's own data and model choice out of every test."""
    home = tmp_path / "coachsim-home"
    monkeypatch.setenv(locations.HOME_ENV, str(home))
    monkeypatch.delenv("COACHSIM_SPACY_MODEL", raising=False)
    monkeypatch.delenv("COACHSIM_DEBUG", raising=False)
    return home


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return cached_classifier(None)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    def invoke(*args: str, stdin: bytes | str = b"") -> Result:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(int(code), captured.out, captured.err)

    return invoke


@pytest.fixture(params=[0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test under each of these umasks: what coachsim writes must be private whatever it is."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)
