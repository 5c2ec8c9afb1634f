"""``coachsim report``: a non-interactive report on a transcript or a meeting export."""

from __future__ import annotations

from pathlib import Path

from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode, ModelNotFoundError
from coachsim.labelling import label_conversation
from coachsim.outputs import is_stdout, safe_output_path, write_output
from coachsim.report import FORMATS, RENDERERS, has_alerts, practised_scenario, report_data
from coachsim.transcript.importers import Conversation, read_conversation


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
    from coachsim.classify.classifier import cached_classifier

    classifier = None
    if conversation.transcript is None:
        classifier = cached_classifier(model)
    transcript = label_conversation(conversation, manager or "", classifier)
    if classifier is None and has_alerts(transcript):
        try:  # the parse turns a telling reply into its coaching question, as the practice app does
            classifier = cached_classifier(model)
        except ModelNotFoundError:
            classifier = None  # the alerts fall back to Coaching Habit questions
    title = f"Conversation report: {transcript.scenario or path.name}"
    nlp = classifier.nlp if classifier else None
    text = RENDERERS[fmt](report_data(transcript, title, practised_scenario(transcript), nlp))
    if out is None or is_stdout(out):
        # stdout may be a terminal: JSON keeps its data with escapes, other formats show them.
        safe = output.json_safe(text) if fmt == "json" else output.text_safe(text)
        output.write_line(safe.rstrip("\n"))
        return ExitCode.OK
    write_output(out, text, inputs=[path], what="report")
    output.warn(f"report written to {out}")
    return ExitCode.OK
