"""``coachsim report``: a non-interactive report on a transcript or a meeting export."""

from __future__ import annotations

from pathlib import Path

from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode
from coachsim.outputs import is_stdout, safe_output_path, write_output
from coachsim.report import FORMATS, RENDERERS, report_data
from coachsim.transcript.importers import Conversation, read_conversation, to_transcript


def read_input(path: Path, format_in: str | None) -> Conversation:
    """The conversation in ``path``; a file nested too deeply to parse is a one-line error."""
    try:
        return read_conversation(path, format_in)
    except RecursionError:
        raise CoachsimError(
            f"{path}: JSON nested too deeply to read; is this a coachsim transcript?"
        ) from None


def make_report(
    path: Path, manager: str | None, fmt: str, out: Path | None, format_in: str | None, model: str | None
) -> ExitCode:
    if fmt not in FORMATS:
        raise CoachsimError(f"unknown --format '{fmt}'; one of {', '.join(FORMATS)}")
    if out is not None:
        safe_output_path(out, [path], "report")  # refused now, before any labelling
    conversation = read_input(path, format_in)
    if conversation.transcript is None and manager is None:
        raise CoachsimError(
            f"{path}: say whose turns to label with --manager;"
            f" speakers found: {', '.join(conversation.speakers)}"
        )
    classifier = None
    if conversation.transcript is None:
        from coachsim.classify.classifier import cached_classifier

        classifier = cached_classifier(model)
    transcript = to_transcript(conversation, manager or "", classifier)
    title = f"Conversation report: {transcript.scenario or path.name}"
    text = RENDERERS[fmt](report_data(transcript, title))
    if out is None or is_stdout(out):
        # stdout may be a terminal: JSON keeps its data with escapes, other formats show them.
        safe = output.json_safe(text) if fmt == "json" else output.text_safe(text)
        output.write_line(safe.rstrip("\n"))
        return ExitCode.OK
    write_output(out, text, inputs=[path], what="report")
    output.warn(f"report written to {out}")
    return ExitCode.OK
