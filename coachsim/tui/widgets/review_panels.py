"""What the review's panels show: the live totals line, the selected turn in full, the totals with
the agreement table, the talk and timing figures, and the review's keys. Pure rendering: every
figure comes computed from :mod:`coachsim.review.totals` and :mod:`coachsim.talk`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import MOVES
from coachsim.render.analysis import reply_view
from coachsim.render.moves import MOVE_COLOURS, chip
from coachsim.review.sidecar import TurnReview
from coachsim.review.totals import ReviewTotals
from coachsim.safetext import visible
from coachsim.transcript.model import TranscriptTurn

#: Each key on its own row, so a narrow drawer wraps the words, never the keys.
REVIEW_KEYS = (
    ("↑ ↓ PgUp PgDn", "move between turns (Home, End; or click)"),
    ("n / p", "next / previous regression"),
    ("f", "filter: all, each move, relabelled"),
    ("1-4", "relabel: coaching, feedback, mentoring, telling"),
    ("a", "agree with the classifier's label"),
    ("0", "clear your label"),
    ("c", "comment on the reply (Enter saves, Esc cancels)"),
    ("t", "totals: mix, agreement, talk and timing"),
    ("Tab", "to the panel (arrows scroll it), Esc back"),
    ("Ctrl+S", "save again after a failed save"),
    ("Esc", "close the comment box, or leave the review"),
)
CELL = 5


def kappa_text(totals: ReviewTotals) -> str:
    kappa = totals.agreement.kappa
    return "–" if kappa is None else f"{kappa:.2f}"


class Fitting:
    """The first of ``forms`` that fits the width it is drawn at on one line (the last otherwise)."""

    def __init__(self, *forms: Text) -> None:
        self.forms = forms

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fits = (form for form in self.forms if form.cell_len <= options.max_width)
        yield next(fits, self.forms[-1])


def totals_line(totals: ReviewTotals) -> Fitting:
    """One line: the mix counted with the coach's labels, the regressions and the agreement so far,
    in words when there is room, in initials when there is not."""
    count = len(totals.regressions)
    regressions = Text(f"⚠ {count} regression{'s' * (count != 1)}", style="bold red" if count else "dim")
    kappa = f"kappa {kappa_text(totals)}"
    reviewed = f" ({totals.agreement.n} reviewed)"
    forms = []
    for initials, detail in ((False, True), (False, False), (True, False)):
        line = Text()
        for index, move in enumerate(MOVES):
            if index:
                line.append(" · " if not initials else " ", style="dim")
            name = move[0].upper() if initials else move
            line.append(f"{name} {totals.counts[move]}", style=MOVE_COLOURS[move])
        line.append("  ")
        line.append_text(regressions if not initials else Text(f"⚠ {count}", style=regressions.style))
        line.append(f"  {kappa}{reviewed if detail else ''}", style="bold")
        forms.append(line)
    return Fitting(*forms)


def clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{rest:02d}" if minutes >= 60 else f"{minutes}:{rest:02d}"


def turn_detail(
    number: int, turn: TranscriptTurn, analysis: ReplyAnalysis | None, coach: TurnReview | None
) -> RenderableType:
    """The selected turn: who and when, its whole text, the coach's label and comment, and for a
    labelled reply the classifier's per-sentence breakdown."""
    head = Text.assemble(
        (f"Turn {number} · ", "bold"), (visible(turn.name or turn.speaker, one_line=True), "bold")
    )
    if turn.start_s is not None:
        head.append(f" · {clock(turn.start_s)}", style="dim")
    parts: list[RenderableType] = [head, Text(visible(turn.text))]
    if coach is not None and coach.label:
        verdict = "agree" if coach.label == coach.classifier else "relabelled"
        parts.append(Text.assemble(("You: ", "bold"), chip(coach.label), (f" ({verdict})", "dim")))
    if coach is not None and coach.comment:
        parts.append(Text.assemble(("Comment: ", "bold"), (visible(coach.comment), "italic")))
    if analysis is not None:
        parts.append(reply_view(analysis, title="classifier"))
    elif turn.speaker != "manager":
        parts.append(Text("The other person's turn: not labelled.", style="dim"))
    return Group(*parts)


def confusion_table(totals: ReviewTotals) -> Text:
    """Coach (rows) against classifier (columns) in fixed-width cells that fit a 30-column panel."""
    label_width = max(len(m) for m in MOVES) + 1
    table = Text()
    table.append(" " * label_width)
    for move in MOVES:
        table.append(move[0].upper().rjust(CELL), style=f"bold {MOVE_COLOURS[move]}")
    for coach in MOVES:
        table.append("\n" + coach.ljust(label_width), style=MOVE_COLOURS[coach])
        for model in MOVES:
            count = totals.agreement.confusion[coach][model]
            style = "bold" if coach == model and count else ("" if count else "dim")
            table.append(str(count or "·").rjust(CELL), style=style)
    return table


def totals_view(
    totals: ReviewTotals, talk: Mapping[str, Any] | None, talk_note: str | None
) -> RenderableType:
    """The review's figures: the move mix and regressions with the coach's labels applied, the
    coach-classifier agreement, and the talk and timing figures."""
    mix = Table.grid(padding=(0, 1))
    mix.add_column(no_wrap=True)
    mix.add_column(justify="right", no_wrap=True)
    mix.add_column(justify="right", no_wrap=True)
    for move in MOVES:
        style = MOVE_COLOURS[move]
        mix.add_row(
            Text(move, style=style), str(totals.counts[move]), Text(f"{totals.share(move):.0%}", style=style)
        )
    relabelled = len(totals.relabelled)
    listed = ", ".join(str(n) for n in totals.regressions[:8]) + ("…" if len(totals.regressions) > 8 else "")
    where = f" (turn{'s' * (len(totals.regressions) > 1)} {listed})" if listed else ""
    agreement = totals.agreement
    parts: list[RenderableType] = [
        Text("Agreement", style="bold"),
        Text(f"{agreement.n} reviewed · {agreement.observed:.0%} agree · Cohen's kappa {kappa_text(totals)}"),
        Text("rows: you · columns: the classifier", style="dim"),
        confusion_table(totals),
        Text(""),
        Text("Move mix, with your labels", style="bold"),
        mix,
        Text(f"{relabelled} of {totals.replies} replies relabelled", style="dim"),
        Text.assemble(("Regressions ", "bold"), f"{len(totals.regressions)}{where}"),
        Text(""),
        Text("Talk and timing", style="bold"),
    ]
    if talk is not None:
        parts.append(talk_view(talk))
    else:
        parts.append(Text(talk_note or "not available", style="dim"))
    return Group(*parts)


def _seconds(value: Any) -> str:
    return f"{value:.1f}s" if isinstance(value, int | float) else "–"


def _per_speaker(table: Table, label: str, value: Any) -> None:
    """One row per speaker for a figure given by speaker name, else one row."""
    if not isinstance(value, Mapping):
        table.add_row(label, _seconds(value))
        return
    for index, (speaker, seconds) in enumerate(value.items()):
        name = visible(str(speaker), one_line=True)
        table.add_row(label if index == 0 else "", f"{_seconds(seconds)}  {name}")


def talk_view(talk: Mapping[str, Any]) -> Table:
    """The figures of ``coachsim.talk.talk_metrics(...).to_dict()``; an unknown one reads as a dash."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    share = talk.get("manager_talk_share")
    questions = talk.get("questions") or {}
    ratio = talk.get("reflection_to_question")
    fillers = talk.get("fillers_per_100_words")
    reflections = talk.get("reflections")
    interruptions = talk.get("interruptions")
    table.add_row("manager talk", "–" if share is None else f"{share:.0%} of the time")
    _per_speaker(table, "talk time", talk.get("talk_seconds"))
    _per_speaker(table, "longest stretch", talk.get("longest_monologue_s"))
    table.add_row("median pause", _seconds(talk.get("median_response_pause_s")))
    table.add_row("interruptions", "–" if interruptions is None else str(interruptions))
    table.add_row("questions", f"{questions.get('open', 0)} open · {questions.get('closed', 0)} closed")
    table.add_row("reflections", "–" if reflections is None else str(reflections))
    table.add_row("reflect : ask", "–" if ratio is None else f"{ratio:.2f}")
    table.add_row("fillers", "–" if fillers is None else f"{fillers:.1f} per 100 words")
    return table


def review_help() -> RenderableType:
    keys = Table.grid(padding=(0, 2))
    keys.add_column(style="bold", no_wrap=True)
    keys.add_column()
    for key, what in REVIEW_KEYS:
        keys.add_row(key, what)
    return Group(
        Text("Reviewing a conversation", style="bold"),
        Text(
            "Your labels count in the mix, the regressions and the agreement as soon as you"
            " press them, and are saved beside the file (never in it).",
            style="dim",
        ),
        Text(""),
        keys,
        Text("\n? or F1 closes this help.", style="dim"),
    )
