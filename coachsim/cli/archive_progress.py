"""A progress bar on stderr for a long ``coachsim report`` run: over files when there are several,
over replies for one long file. Never on stdout, and only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING

from coachsim.archive import ArchiveInput

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

#: One file with at least this many replies to label gets a bar of its own.
LONG_FILE_REPLIES = 500
#: The bar is redrawn at most this often (seconds).
REFRESH_EVERY = 0.1


class ArchiveProgress:
    """Feeds a Rich progress bar from :func:`coachsim.archive.label_archive`'s callbacks.

    The bar refreshes only when told to, from this thread: Rich's refresh thread would be running
    while spaCy forks its workers for ``--jobs``, and a fork copies a thread's held locks."""

    def __init__(self, files: int, enabled: bool | None = None) -> None:
        self.files = files
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.replies = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._per_reply = False
        self._drawn = 0.0

    def __enter__(self) -> ArchiveProgress:
        if self.files > 1:
            self._start(self.files, "files")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.refresh()
            self._progress.stop()

    def _start(self, total: int, unit: str) -> None:
        if not self.enabled or self._progress is not None:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from coachsim.cli import output

        self._progress = Progress(
            TextColumn("labelling"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            TextColumn("[dim]{task.fields[replies]} replies"),
            TimeElapsedColumn(),
            console=output.stderr_console(),
            auto_refresh=False,
            transient=True,
            redirect_stdout=False,  # stdout carries the data (JSON lines); only stderr goes above the bar
        )
        self._task = self._progress.add_task("labelling", total=total, replies=0)
        self._progress.start()

    def file_read(self, source: ArchiveInput, replies: int) -> None:
        if self.files == 1 and replies >= LONG_FILE_REPLIES:
            self._per_reply = True
            self._start(replies, "replies")

    def reply_labelled(self) -> None:
        self.replies += 1
        self._update(advance=1 if self._per_reply else 0)

    def file_done(self) -> None:
        self._update(advance=0 if self._per_reply else 1, force=True)

    def _update(self, advance: int, force: bool = False) -> None:
        if self._progress is None or self._task is None:
            return
        self._progress.update(self._task, advance=advance, replies=self.replies)
        now = time.monotonic()
        if force or now - self._drawn >= REFRESH_EVERY:
            self._progress.refresh()
            self._drawn = now
