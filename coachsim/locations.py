"""Every path coachsim reads or writes, in one place.

Packaged data (rules, corpus, scenarios) is found inside an installed wheel under
``coachsim/_data/`` and, in a source checkout, at the repository's top level.
User data lives under ``$COACHSIM_HOME`` or the platformdirs user data dir.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "coachsim"
HOME_ENV = "COACHSIM_HOME"


def _packaged_dir(name: str) -> Path:
    """A top-level data folder: ``coachsim/_data/<name>`` in a wheel, else the source tree's."""
    bundled = Path(str(resources.files("coachsim"))) / "_data" / name
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / name


def classifiers_dir() -> Path:
    """Rule files, lexicon and labelled corpus for the move classifier."""
    return _packaged_dir("classifiers")


def rules_dir() -> Path:
    return classifiers_dir() / "rules"


def corpus_dir() -> Path:
    return classifiers_dir() / "corpus"


def builtin_scenarios_dir() -> Path:
    return _packaged_dir("scenarios")


def user_home() -> Path:
    """Root of the user's own data: ``$COACHSIM_HOME`` if set, else the platform data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def transcripts_dir() -> Path:
    return user_home() / "transcripts"


def user_scenarios_dir() -> Path:
    return user_home() / "scenarios"


def progress_db_path() -> Path:
    return user_home() / "progress.sqlite3"


def display_path(path: Path) -> str:
    """``path`` as a person reads it: under their home folder it starts with ``~``."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError, OSError):
        return str(path)
