"""Every path coachsim reads or writes, in one place.

Packaged data (rules, corpus, scenarios) is found inside an installed wheel under
``coachsim/_data/`` and, in a source checkout, at the repository's top level.
User data lives under ``$COACHSIM_HOME`` or the platformdirs user data dir, and is private to the
user whatever the umask: folders coachsim creates are 0700, the files it writes 0600.
"""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from importlib import resources
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "coachsim"
HOME_ENV = "COACHSIM_HOME"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


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


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents as folders only the user can open (0700, whatever the
    umask). coachsim's own existing folders (the transcripts folder, the default data home) lose any
    group or other access; other existing folders, such as a ``$COACHSIM_HOME`` you chose, are left alone.

    Raises OSError when a folder cannot be created."""
    missing = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # another coachsim made it first
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
    if not missing and _is_coachsim_folder(path):
        make_private(path)
    return path


def create_private_file(path: Path) -> None:
    """Create ``path`` empty, private to the user (0600 whatever the umask), unless it exists
    (another coachsim may make it at the same moment). Raises OSError when it cannot be created."""
    if path.exists():
        return
    with suppress(FileExistsError):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(handle, PRIVATE_FILE_MODE)  # the umask may have taken more away
        finally:
            os.close(handle)


def _is_coachsim_folder(path: Path) -> bool:
    own = [transcripts_dir()] + ([] if os.environ.get(HOME_ENV) else [user_home()])
    return any(path == folder for folder in own)


def make_private(path: Path) -> None:
    """Take group and other access away from ``path`` if it is the user's (never adds any)."""
    try:
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError:
        pass  # gone, or not ours to change: the files inside are private anyway


def display_path(path: Path) -> str:
    """``path`` as a person reads it: under their home folder it starts with ``~``."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError, OSError):
        return str(path)
