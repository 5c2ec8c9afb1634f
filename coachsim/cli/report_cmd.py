"""``coachsim report``: a non-interactive report on a transcript or a meeting export."""

from __future__ import annotations

from pathlib import Path

from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode
from coachsim.report import FORMATS, RENDERERS, report_data
from coachsim.transcript.importers import read_conversation, to_transcript
from coachsim.transcript.store import write_atomic


def make_report(
    path: Path, manager: str | None, fmt: str, out: Path | None, format_in: str | None, model: str | None
) -> ExitCode:
    if fmt not in FORMATS:
        raise CoachsimError(f"unknown --format '{fmt}'; one of {', '.join(FORMATS)}")
    conversation = read_conversation(path, format_in)
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
    if out is None:
        output.write_line(text.rstrip("\n"))
    else:
        try:
            write_atomic(out, text)
        except OSError as error:
            raise CoachsimError(f"{out}: cannot write the report: {error.strerror}") from None
        output.warn(f"report written to {out}")
    return ExitCode.OK
