"""Labelling an archive: many conversation files through one classifier stream.

Every file's manager replies go through a single ``Classifier.iter_classify`` call, so with
``jobs`` > 1 spaCy's worker pool starts once for the whole archive. Files are read lazily as the
stream asks for replies, and each file comes out labelled (or failed, with its one-line reason)
as soon as its last reply is done: memory holds the files in flight, never the whole archive.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachsim.errors import CoachsimError
from coachsim.labelling import check_manager, labelled_transcript, reply_items
from coachsim.transcript.importers import Conversation, read_conversation
from coachsim.transcript.model import Transcript

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.classify.classifier import Classifier

#: File name endings a folder is searched for (a file named on the command line is always read).
IMPORTABLE_SUFFIXES = (".json", ".vtt", ".srt", ".txt")
#: Review sidecars (``FILE.review.json``) sit beside their conversation and are not one.
SIDECAR_SUFFIX = ".review.json"


@dataclass(frozen=True)
class ArchiveInput:
    """One file to report on; ``name`` is how its own report is named (its path below the folder
    it was found in, or its file name)."""

    path: Path
    name: Path


@dataclass
class LabelledFile:
    source: ArchiveInput
    transcript: Transcript


@dataclass
class FailedFile:
    """A file that could not be labelled; ``message`` is one line naming the file."""

    source: ArchiveInput
    message: str


ArchiveResult = LabelledFile | FailedFile


def find_inputs(paths: Sequence[Path], skip: Path | None = None) -> list[ArchiveInput]:
    """The files named in ``paths``, with each folder replaced by its importable files (sorted,
    searched below but not into hidden folders, sidecars left out), each file once. ``skip`` is a
    folder not to search (where the reports go). A path that does not exist stays, to fail on its
    own line."""
    found: list[ArchiveInput] = []
    for path in paths:
        if not path.is_dir():
            found.append(ArchiveInput(path, Path(path.name)))
            continue
        found.extend(ArchiveInput(file, file.relative_to(path)) for file in _folder_files(path, skip))
    unique: dict[str, ArchiveInput] = {}  # a file named twice (or inside a folder also named) once
    for source in found:
        unique.setdefault(os.path.realpath(source.path), source)
    return list(unique.values())


def _folder_files(folder: Path, skip: Path | None) -> list[Path]:
    skipped = os.path.realpath(skip) if skip is not None else None
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and os.path.realpath(Path(root, d)) != skipped]
        present = set(names)
        files.extend(
            Path(root, name)
            for name in names
            # ``meeting.vtt.json`` beside ``meeting.vtt`` is a report on it, written by -o DIR
            if _importable(name) and name.rsplit(".", 1)[0] not in present
        )
    return sorted(files)


def _importable(name: str) -> bool:
    lower = name.lower()
    return (
        not name.startswith(".")
        and lower.endswith(IMPORTABLE_SUFFIXES)
        and not lower.endswith(SIDECAR_SUFFIX)
    )


@dataclass
class _ReadFile:
    """A file read and checked, waiting for its replies' analyses from the stream."""

    source: ArchiveInput
    conversation: Conversation
    items: list[dict[str, Any]] = field(default_factory=list)


def label_archive(
    inputs: Sequence[ArchiveInput],
    manager: str | None,
    format_in: str | None,
    load_classifier: Callable[[], Classifier],
    *,
    jobs: int = 1,
    batch_size: int = 256,
    on_read: Callable[[ArchiveInput, int], None] | None = None,
    on_reply: Callable[[], None] | None = None,
) -> Iterator[ArchiveResult]:
    """Each input labelled (or failed), in order. ``manager`` names whose turns to label in
    imported files (coachsim transcripts know theirs). The classifier is loaded only once a file
    has replies to label. ``on_read(input, replies)`` and ``on_reply()`` report progress."""
    reads = (_read(source, manager, format_in) for source in inputs)
    pending: deque[_ReadFile | FailedFile] = deque()  # read, in order, results not yet handed out
    stream: Iterator[ReplyAnalysis] | None = None

    def queued(read: _ReadFile | FailedFile) -> Iterator[dict[str, Any]]:
        pending.append(read)
        if on_read is not None:
            on_read(read.source, len(read.items) if isinstance(read, _ReadFile) else 0)
        if isinstance(read, _ReadFile):
            yield from read.items

    def rest() -> Iterator[dict[str, Any]]:
        for read in reads:
            yield from queued(read)

    ahead: list[ReplyAnalysis] = []  # one analysis pulled only to make the stream read on

    def analysis() -> ReplyAnalysis:
        assert stream is not None
        result = ahead.pop() if ahead else next(stream)
        if on_reply is not None:
            on_reply()
        return result

    try:
        while True:
            if not pending:
                if stream is None:  # nothing labelled yet: read on without the classifier
                    read = next(reads, None)
                    if read is None:
                        return
                    if isinstance(read, _ReadFile) and read.items:
                        classifier = load_classifier()
                        stream = classifier.iter_classify(
                            chain(queued(read), rest()), batch_size=batch_size, n_process=jobs
                        )
                    else:
                        for _ in queued(read):
                            pass
                    continue
                try:
                    ahead.append(next(stream))  # reads more files into ``pending``
                except StopIteration:
                    if not pending:
                        return
                continue
            head = pending.popleft()
            if isinstance(head, FailedFile):
                yield head
                continue
            analyses = [analysis() for _ in head.items]
            conversation = head.conversation
            transcript = conversation.transcript or labelled_transcript(conversation, manager or "", analyses)
            yield LabelledFile(head.source, transcript)
    finally:
        if isinstance(stream, Generator):
            stream.close()  # stops spaCy's workers when the caller stops early


def _read(source: ArchiveInput, manager: str | None, format_in: str | None) -> _ReadFile | FailedFile:
    """``source`` read and its replies checked, or the one-line reason it cannot be labelled."""
    path = source.path
    try:
        conversation = read_conversation(path, format_in)
        if conversation.transcript is not None:
            return _ReadFile(source, conversation)
        if manager is None:
            return FailedFile(
                source,
                f"{path}: say whose turns to label with --manager;"
                f" speakers found: {', '.join(conversation.speakers)}",
            )
        check_manager(conversation, manager)
        return _ReadFile(source, conversation, reply_items(conversation, manager))
    except RecursionError:
        return FailedFile(source, f"{path}: JSON nested too deeply to read; is this a coachsim transcript?")
    except CoachsimError as problem:
        message = problem.message
        return FailedFile(source, message if message.startswith(str(path)) else f"{path}: {message}")
