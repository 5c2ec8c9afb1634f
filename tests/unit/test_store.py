"""Atomic, private saving: the file is whole or untouched, 0600, in folders made 0700."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coachsim import locations
from coachsim.errors import SaveError
from coachsim.transcript.model import Transcript
from coachsim.transcript.store import load_transcript, save_transcript, write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_saved_transcript_and_its_new_folders_are_private(umask: int) -> None:
    path = locations.transcripts_dir() / "t.json"
    save_transcript(Transcript("s", 1, "2026-03-01T10:00:00+00:00"), path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(locations.user_home()) == 0o700
    assert load_transcript(path).scenario == "s"


def test_replacing_a_file_leaves_only_the_new_one(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.md"
    write_atomic(target, "first\n")
    write_atomic(target, "second\n")
    assert target.read_text() == "second\n" and sorted(p.name for p in target.parent.iterdir()) == [
        "report.md"
    ]


def test_text_that_is_not_unicode_is_a_save_error(tmp_path: Path) -> None:
    target = tmp_path / "t.json"
    with pytest.raises(SaveError, match=r"not valid Unicode \(at position 2\)"):
        write_atomic(target, "ab\ud800")
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_ensure_private_dir_creates_every_missing_folder_0700(tmp_path: Path, umask: int) -> None:
    deep = tmp_path / "a" / "b" / "c"
    assert locations.ensure_private_dir(deep) == deep
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", deep)] == [0o700] * 3


def test_an_existing_transcripts_folder_is_made_private_but_a_chosen_home_is_left(tmp_path: Path) -> None:
    home = locations.user_home()
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    folder = locations.transcripts_dir()
    folder.mkdir()
    os.chmod(folder, 0o777)
    save_transcript(Transcript("s", 1, "x"), folder / "t.json")
    assert mode(folder) == 0o700
    assert mode(home) == 0o755  # $COACHSIM_HOME is the user's choice: only what coachsim makes is changed


def test_another_coachsim_creating_the_folder_first_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = os.mkdir

    def racing_mkdir(path: os.PathLike[str] | str, mode: int = 0o777) -> None:
        real_mkdir(path, mode)
        raise FileExistsError(17, "File exists", str(path))

    monkeypatch.setattr(os, "mkdir", racing_mkdir)
    write_atomic(tmp_path / "new" / "t.json", "{}")
    assert (tmp_path / "new" / "t.json").read_text() == "{}"


def test_the_default_data_home_is_coachsims_own_and_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "share" / "coachsim"
    default.mkdir(parents=True)
    os.chmod(default, 0o777)
    monkeypatch.delenv(locations.HOME_ENV)
    monkeypatch.setattr(locations, "user_data_dir", lambda *args, **kwargs: str(default))
    locations.ensure_private_dir(locations.user_home())
    assert mode(default) == 0o700 and mode(default.parent) != 0o700


def test_a_lone_surrogate_is_saved_as_an_escape_and_read_back(tmp_path) -> None:
    from coachsim.transcript.model import Transcript, TranscriptTurn
    from coachsim.transcript.store import load_transcript, save_transcript

    path = tmp_path / "t.json"
    turn = TranscriptTurn(speaker="report", text="half \ud800 a character", at="2026-01-01T00:00:00+00:00")
    save_transcript(
        Transcript(scenario=None, seed=None, started_at="2026-01-01T00:00:00+00:00", turns=[turn]), path
    )
    path.read_bytes().decode("utf-8")  # valid UTF-8 on disk
    assert load_transcript(path).turns[0].text == "half \ud800 a character"


def test_one_atomic_writer_serves_private_data_and_reports(tmp_path: Path, umask: int) -> None:
    """Transcripts and sidecars are written private (0600); an ``-o`` report keeps an existing
    file's permissions and a new one gets 0666 less the umask. Both go through one writer."""
    from coachsim.outputs import replace_file

    private = tmp_path / "t.json"
    write_atomic(private, "{}")
    report = tmp_path / "report.md"
    replace_file(report, "# new")
    assert mode(private) == 0o600 and mode(report) == 0o666 & ~umask
    os.chmod(report, 0o640)
    replace_file(report, "# again")
    assert mode(report) == 0o640 and report.read_text(encoding="utf-8") == "# again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md", "t.json"]
