"""Tables for classifier evaluation: per-move scores, confusion matrix, breakdowns."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from coachsim.classify.evaluate import CalibrationReport, ConversationReport, LabelledReply, Metrics
from coachsim.classify.moves import MOVES
from coachsim.render.moves import MOVE_COLOURS


def scores_table(metrics: Metrics, title: str = "Per-move scores") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("move")
    for name in ("precision", "recall", "F1", "support"):
        table.add_column(name, justify="right")
    for move in MOVES:
        score = metrics.per_move[move]
        table.add_row(
            Text(move, style=MOVE_COLOURS[move]),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.support),
        )
    table.add_section()
    table.add_row("macro-F1", "", "", f"[bold]{metrics.macro_f1:.3f}[/]", str(metrics.total))
    table.add_row("accuracy", "", "", f"{metrics.accuracy:.3f}", "")
    return table


def confusion_table(metrics: Metrics) -> Table:
    table = Table(title="Confusion (rows: gold, columns: predicted)", title_justify="left")
    table.add_column("gold \\ predicted")
    for move in MOVES:
        table.add_column(move, justify="right")
    for gold in MOVES:
        row = metrics.confusion.get(gold, {})
        cells = [f"[bold]{row.get(p, 0)}[/]" if p == gold else str(row.get(p, 0) or "·") for p in MOVES]
        table.add_row(Text(gold, style=MOVE_COLOURS[gold]), *cells)
    return table


def breakdown_table(field: str, groups: dict[str, Metrics]) -> Table:
    table = Table(title=f"By {field} (F1 per move: C F M T)", title_justify="left")
    table.add_column(Text(field), no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("acc", justify="right")
    table.add_column("macro", justify="right")
    for move in MOVES:
        table.add_column(move[0].upper(), justify="right")
    for value, metrics in groups.items():
        table.add_row(
            Text(value),
            str(metrics.total),
            f"{metrics.accuracy:.3f}",
            f"{metrics.macro_f1:.3f}",
            *(f"{metrics.per_move[m].f1:.3f}" if metrics.per_move[m].support else "–" for m in MOVES),
        )
    return table


def errors_table(errors: Sequence[tuple[LabelledReply, str]]) -> Table:
    table = Table(title="Misclassified (most frequent confusions first)", title_justify="left")
    table.add_column("gold")
    table.add_column("predicted")
    table.add_column("reply", overflow="fold")
    for item, predicted in errors:
        table.add_row(
            Text(item.label, style=MOVE_COLOURS[item.label]),
            Text(predicted, style=MOVE_COLOURS[predicted]),
            item.text,
        )
    return table


def calibration_table(report: CalibrationReport) -> Table:
    table = Table(
        title=f"Calibration (expected calibration error {report.ece:.3f})",
        title_justify="left",
        caption=(
            f"confidence ≥ {report.confident_at}: {report.confident} replies,"
            f" {report.confident_accuracy:.1%} right · marked uncertain: {report.uncertain} replies,"
            f" {report.uncertain_accuracy:.1%} right"
        ),
        caption_justify="left",
    )
    table.add_column("confidence")
    table.add_column("replies", justify="right")
    table.add_column("mean confidence", justify="right")
    table.add_column("accuracy", justify="right")
    for row in report.rows:
        table.add_row(
            f"{row.low:.1f}–{row.low + 0.1:.1f}",
            str(row.replies),
            f"{row.mean_confidence:.3f}",
            f"{row.accuracy:.3f}",
        )
    return table


def metrics_view(
    metrics: Metrics,
    breakdowns: dict[str, dict[str, Metrics]],
    errors: Sequence[tuple[LabelledReply, str]],
    calibration: CalibrationReport | None = None,
    conversations: ConversationReport | None = None,
) -> RenderableType:
    parts: list[RenderableType] = [scores_table(metrics), confusion_table(metrics)]
    if calibration is not None:
        parts.append(calibration_table(calibration))
    if conversations is not None:
        parts.append(
            Text(
                f"Whole conversations: {conversations.conversations}, turn accuracy"
                f" {conversations.turn_accuracy:.3f}, first regression at the right turn in"
                f" {conversations.first_regression_right} of {conversations.conversations}"
            )
        )
    parts += [breakdown_table(field, groups) for field, groups in breakdowns.items()]
    if errors:
        parts.append(errors_table(errors))
    return Group(*parts)
