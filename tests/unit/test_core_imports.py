"""The domain core stays free of UI code, and the CLI starts without importing spaCy."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "coachsim.classify.classifier",
    "coachsim.classify.evaluate",
    "coachsim.classify.rules",
    "coachsim.locations",
    "coachsim.scenario.session",
    "coachsim.scenario.loader",
    "coachsim.practice",
    "coachsim.transcript.store",
    "coachsim.progress.index",
    "coachsim.talk",
    "coachsim.report",
    "coachsim.labelling",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; assert 'textual' not in sys.modules, 'textual imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_and_classifier_modules_defer_spacy() -> None:
    code = (
        "import sys, coachsim.cli.main, coachsim.classify.classifier;"
        " assert 'spacy' not in sys.modules, 'spacy imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
