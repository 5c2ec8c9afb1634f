"""Shared fixtures: one loaded classifier per test run, and a private COACHSIM_HOME per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachsim import locations
from coachsim.classify.classifier import Classifier, cached_classifier

REPO = Path(__file__).resolve().parent.parent


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
