"""``coachsim report``: a non-interactive report on a transcript or a meeting export, or on many.

One file gives one report (stdout or ``-o FILE``). Several files or a folder give one report per
file in ``-o DIR``, or, with ``--format jsonl|parquet``, one row per labelled turn across them all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coachsim.archive import (
    IMPORTABLE_SUFFIXES,
    ArchiveInput,
    FailedFile,
    LabelledFile,
    find_inputs,
    label_archive,
)
from coachsim.cli import output
from coachsim.cli.archive_progress import ArchiveProgress
from coachsim.errors import CoachsimError, ExitCode, ModelNotFoundError
from coachsim.labelling import label_conversation
from coachsim.outputs import is_stdout, safe_output_path, write_output
from coachsim.report import FORMATS, RENDERERS, has_alerts, practised_scenario, report_data
from coachsim.transcript.importers import FORMATS as IMPORT_FORMATS
from coachsim.transcript.importers import Conversation, read_conversation
from coachsim.transcript.model import Transcript
from coachsim.turn_rows import JsonlFileRows, JsonlRows, ParquetRows, turn_rows

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier

#: Formats with one row per labelled turn across every input.
ROW_FORMATS = ("jsonl", "parquet")
ALL_FORMATS = (*FORMATS, *ROW_FORMATS)


def read_input(path: Path, format_in: str | None) -> Conversation:
    """The conversation in ``path``; a file nested too deeply to parse is a one-line error."""
    try:
        return read_conversation(path, format_in)
    except RecursionError:
        raise CoachsimError(
            f"{path}: JSON nested too deeply to read; is this a coachsim transcript?"
        ) from None


def _check_format(fmt: str) -> None:
    if fmt not in ALL_FORMATS:
        raise CoachsimError(f"unknown --format '{fmt}'; one of {', '.join(ALL_FORMATS)}")


def make_report(
    path: Path, manager: str | None, fmt: str, out: Path | None, format_in: str | None, model: str | None
) -> ExitCode:
    """One report on one file, to stdout or ``out``."""
    _check_format(fmt)
    if out is not None:
        safe_output_path(out, [path], "report")  # refused now, before any labelling
    conversation = read_input(path, format_in)
    if conversation.transcript is None and manager is None:
        raise CoachsimError(
            f"{path}: say whose turns to label with --manager;"
            f" speakers found: {', '.join(conversation.speakers)}"
        )
    from coachsim.classify.classifier import cached_classifier

    classifier = None
    if conversation.transcript is not None:
        transcript = conversation.transcript
    else:
        classifier = cached_classifier(model)
        transcript = label_conversation(conversation, manager or "", classifier)
    text = report_text(transcript, path, fmt, classifier, model)
    if out is None or is_stdout(out):
        # stdout may be a terminal: JSON keeps its data with escapes, other formats show them.
        safe = output.json_safe(text) if fmt == "json" else output.text_safe(text)
        output.write_line(safe.rstrip("\n"))
        return ExitCode.OK
    write_output(out, text, inputs=[path], what="report")
    output.warn(f"report written to {out}")
    return ExitCode.OK


def report_text(
    transcript: Transcript, path: Path, fmt: str, classifier: Classifier | None, model: str | None
) -> str:
    """The report on ``transcript`` in ``fmt``. A parser, when one is loaded or can be, turns a
    telling reply into its coaching question, as the practice app does."""
    if classifier is None and has_alerts(transcript):
        from coachsim.classify.classifier import cached_classifier

        try:
            classifier = cached_classifier(model)
        except ModelNotFoundError:
            classifier = None  # the alerts fall back to Coaching Habit questions
    title = f"Conversation report: {transcript.scenario or path.name}"
    nlp = classifier.nlp if classifier else None
    return RENDERERS[fmt](report_data(transcript, title, practised_scenario(transcript), nlp))


def make_reports(
    paths: Sequence[Path],
    manager: str | None,
    fmt: str,
    out: Path | None,
    format_in: str | None,
    model: str | None,
    jobs: int = 1,
) -> ExitCode:
    """``coachsim report PATH...``: one file as :func:`make_report`; several files or folders as one
    report per file in the folder ``out``, or as rows (jsonl, parquet) across them all."""
    _check_format(fmt)
    if len(paths) == 1 and fmt in FORMATS and not paths[0].is_dir():
        return make_report(paths[0], manager, fmt, out, format_in, model)
    if format_in is not None and format_in not in IMPORT_FORMATS:
        raise CoachsimError(f"unknown --format-in '{format_in}'; one of {', '.join(IMPORT_FORMATS)}")
    if fmt in FORMATS:
        return _reports_in_folder(paths, manager, fmt, out, format_in, model, jobs)
    return _rows(paths, manager, fmt, out, format_in, model, jobs)


class _Classifier:
    """The classifier, loaded on first use (an archive of coachsim transcripts needs none)."""

    def __init__(self, model: str | None) -> None:
        self.model = model
        self.loaded: Classifier | None = None

    def get(self) -> Classifier:
        from coachsim.classify.classifier import cached_classifier

        if self.loaded is None:
            self.loaded = cached_classifier(self.model)
        return self.loaded


def _inputs(paths: Sequence[Path], skip: Path | None = None) -> list[ArchiveInput]:
    inputs = find_inputs(paths, skip)
    if not inputs:
        where = ", ".join(str(p) for p in paths)
        raise CoachsimError(
            f"{where}: no conversation files found (looked for {', '.join(IMPORTABLE_SUFFIXES)});"
            " name the files or another folder"
        )
    return inputs


def _report_folder(out: Path | None, fmt: str) -> Path:
    """The folder ``-o`` names for one report per input, created if missing."""
    if out is None or is_stdout(out):
        raise CoachsimError(
            f"several inputs give one report each: say which folder they go in with -o DIR"
            f" (meeting.vtt gives DIR/meeting.vtt.{fmt}), or use --format jsonl or parquet for one table"
        )
    if out.exists() and not out.is_dir():
        raise CoachsimError(
            f"{out}: is a file; several inputs give one report each: give a folder with -o DIR"
        )
    if not out.exists():
        if not out.parent.is_dir():
            raise CoachsimError(f"{out}: the folder {out.parent} does not exist; create it first")
        try:
            out.mkdir()
        except OSError as error:
            raise CoachsimError(
                f"{out}: cannot create the folder: {error.strerror}", ExitCode.FAILURE
            ) from None
    return out


def _report_targets(inputs: list[ArchiveInput], folder: Path, fmt: str) -> list[Path]:
    """Where each input's report goes; two inputs on one target, or a target that is an input or
    not a regular file, are refused before anything is labelled."""
    targets = [folder / f"{source.name}.{fmt}" for source in inputs]
    seen: dict[Path, Path] = {}
    sources = [source.path for source in inputs]
    for source, target in zip(inputs, targets, strict=True):
        if target in seen:
            raise CoachsimError(
                f"{target}: both {seen[target]} and {source.path} would be reported here;"
                " report them in separate runs or rename one"
            )
        seen[target] = source.path
        if target.exists() or target.is_symlink():
            safe_output_path(target, sources, "report")
    return targets


def _reports_in_folder(
    paths: Sequence[Path],
    manager: str | None,
    fmt: str,
    out: Path | None,
    format_in: str | None,
    model: str | None,
    jobs: int,
) -> ExitCode:
    folder = _report_folder(out, fmt)
    inputs = _inputs(paths, skip=folder)
    targets = dict(zip(inputs, _report_targets(inputs, folder, fmt), strict=True))
    sources = [source.path for source in inputs]
    classifier = _Classifier(model)
    run = _ArchiveRun(inputs, manager, format_in, classifier, jobs)
    written = 0
    with closing(run.labelled()) as labelled:
        for result in labelled:
            target = targets[result.source]
            try:
                text = report_text(result.transcript, result.source.path, fmt, classifier.loaded, model)
                target.parent.mkdir(parents=True, exist_ok=True)
                write_output(target, text, inputs=sources, what="report")
                written += 1
            except CoachsimError as problem:
                run.fail(problem.message)
            except OSError as error:  # a subfolder that cannot be made
                run.fail(f"{target.parent}: cannot create the folder: {error.strerror}")
    if written:
        output.warn(f"{written} report{'s' if written != 1 else ''} written to {folder}")
    return _finish(run.failed, len(inputs))


def _rows(
    paths: Sequence[Path],
    manager: str | None,
    fmt: str,
    out: Path | None,
    format_in: str | None,
    model: str | None,
    jobs: int,
) -> ExitCode:
    to_stdout = out is None or is_stdout(out)
    if fmt == "parquet" and to_stdout:
        raise CoachsimError("parquet is a binary file, not for stdout: give -o FILE.parquet")
    inputs = _inputs(paths)
    target = None if to_stdout or out is None else safe_output_path(out, [s.path for s in inputs], "rows")
    if target is None:
        sink: JsonlRows | ParquetRows = JsonlRows(sys.stdout, output.json_line)
    elif fmt == "jsonl":
        sink = JsonlFileRows(target, output.json_line)
    else:
        sink = ParquetRows(target)
    run = _ArchiveRun(inputs, manager, format_in, _Classifier(model), jobs)
    rows = 0
    try:
        with closing(run.labelled()) as labelled:
            for result in labelled:
                rows += sink.write(turn_rows(result.transcript, str(result.source.path)))
    except BaseException:
        sink.abort()
        raise
    sink.close()
    if target is not None:
        files = len(inputs) - run.failed
        output.warn(
            f"{rows} labelled turn{'s' if rows != 1 else ''} from {files} file{'s' if files != 1 else ''}"
            f" written to {out}"
        )
    return _finish(run.failed, len(inputs))


@dataclass
class _ArchiveRun:
    """One labelling stream over an archive, under a progress bar on stderr: ``labelled()`` yields
    each file that labelled; a file that failed (then or later, through ``fail``) is one line on
    stderr and counted in ``failed``."""

    inputs: Sequence[ArchiveInput]
    manager: str | None
    format_in: str | None
    classifier: _Classifier
    jobs: int
    failed: int = 0

    def fail(self, message: str) -> None:
        output.error(message)
        self.failed += 1

    def labelled(self) -> Iterator[LabelledFile]:
        with ArchiveProgress(len(self.inputs)) as bar:
            results = label_archive(
                self.inputs,
                self.manager,
                self.format_in,
                self.classifier.get,
                jobs=self.jobs,
                on_read=bar.file_read,
                on_reply=bar.reply_labelled,
            )
            for result in results:
                if isinstance(result, FailedFile):
                    self.fail(result.message)
                else:
                    yield result
                bar.file_done()


def _finish(failed: int, total: int) -> ExitCode:
    if not failed:
        return ExitCode.OK
    output.error(f"{failed} of {total} file{'s' if total != 1 else ''} failed")
    return ExitCode.FAILURE
