"""Scenario test helpers: the mini fixture scenario and a writer for broken variants."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "scenarios"
MINI = DATA / "mini-check-in.yaml"


@pytest.fixture
def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


@pytest.fixture
def write_scenario(tmp_path: Path):
    def write(text: str, name: str = "mini-check-in") -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
