"""Review a labelled conversation: filter by move, jump between regressions, relabel (1-4),
comment (c), and see how far the coach and the classifier agree."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError
from coachsim.render.analysis import reply_view
from coachsim.render.moves import MOVE_COLOURS, chip
from coachsim.review.agreement import cohens_kappa
from coachsim.review.sidecar import Review, save_review
from coachsim.safetext import as_text, visible
from coachsim.transcript.model import Transcript
from coachsim.tui.widgets.stats import StatsPanel

FILTERS = (None, *MOVES)
#: Fixed column widths; the text column takes the rest of the table.
MOVE_WIDTH, COACH_WIDTH, WHO_WIDTH, MIN_TEXT, SCROLLBAR = 11, 11, 12, 12, 2


class SpeakerPicker(ModalScreen[str | None]):
    """Which speaker is the manager? (for imports that do not say). Dismissed with the name, or
    None on Escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, speakers: list[str]) -> None:
        super().__init__()
        self.speakers = speakers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Whose turns should be labelled? Pick the manager, then Enter.", id="picker-title")
            yield OptionList(*(as_text(s, one_line=True) for s in self.speakers), id="speakers")

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(self.speakers[message.option_index])


class LabellingNotice(ModalScreen[None]):
    """Shown while an imported conversation waits for the classifier and is labelled."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.file_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.message(waiting=True), id="labelling")

    def message(self, waiting: bool) -> Text:
        doing = "waiting for the classifier to load" if waiting else "labelling the manager's turns"
        return Text.assemble(("Review ", "bold"), visible(self.file_name, one_line=True), f": {doing}…")

    def labelling(self) -> None:
        self.query_one("#labelling", Static).update(self.message(waiting=False))


def fit(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut at a word with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = line[: max(width - 1, 1)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


class ReviewScreen(Screen[None]):
    """Turns in a table (virtualised, so thousands of turns stay quick); the side panel (below the
    table on a narrow terminal) shows the selected reply's breakdown, the summary and the
    coach-classifier agreement."""

    BINDINGS = [
        Binding("n", "jump(1)", "Next regression"),
        Binding("p", "jump(-1)", "Previous"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("1", "relabel('coaching')", "Coaching", show=False),
        Binding("2", "relabel('feedback')", "Feedback", show=False),
        Binding("3", "relabel('mentoring')", "Mentoring", show=False),
        Binding("4", "relabel('telling')", "Telling", show=False),
        Binding("a", "accept", "Agree", show=False),
        Binding("c", "comment", "Comment"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, transcript: Transcript, source: Path, review: Review) -> None:
        super().__init__()
        self.transcript = transcript
        self.source = source
        self.review = review
        self.filter_index = 0
        #: The turn being commented on, while the comment box is open.
        self.commenting: int | None = None
        #: Why the last sidecar save failed (None once one works again).
        self.save_problem: str | None = None
        #: How wide the text column is (it fills the table, so no word is cut at its edge).
        self.text_width = 0
        self.analyses: dict[int, ReplyAnalysis] = {
            n: ReplyAnalysis.from_dict(t.text, t.to_dict())
            for n, t in enumerate(transcript.turns, start=1)
            if t.speaker == "manager" and t.move
        }
        names = [t.name or t.speaker for t in transcript.turns] or ["who"]
        self.who_width = min(max(len(n) for n in names), WHO_WIDTH)
        self.number_width = max(len(str(len(transcript.turns))), 1)

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="review-title")
        with Horizontal(id="review"):
            yield DataTable(id="turns", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="review-side"):
                yield Static("", id="detail")
                yield StatsPanel(id="stats")
                yield Static("", id="agreement")
        yield Input(placeholder="Comment on this reply, Enter to save, Esc to cancel", id="comment")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        from coachsim.scenario.scoring import score_transcript

        self.fill_table(self.fitting_width(self.app.size.width))
        self.query_one(StatsPanel).show(score_transcript(self.transcript))
        self.query_one("#comment", Input).display = False
        self.show_agreement()
        self.query_one("#turns", DataTable).focus()
        self.show_detail()

    def on_resize(self) -> None:
        self.call_after_refresh(self.refit)

    def fitting_width(self, table_width: int) -> int:
        """The text column's width for a table ``table_width`` cells wide (its other columns fixed)."""
        fixed = self.number_width + self.who_width + MOVE_WIDTH + COACH_WIDTH
        return max(table_width - fixed - 2 * 5 - SCROLLBAR, MIN_TEXT)

    def refit(self) -> None:
        """Fit the text column to the table's real width once it is laid out."""
        table = self.query_one("#turns", DataTable)
        width = self.fitting_width(table.size.width)
        if table.size.width and width != self.text_width:
            self.fill_table(width)

    def _row(self, number: int) -> tuple[str, Text, Text, Text, Text]:
        turn = self.transcript.turns[number - 1]
        analysis = self.analyses.get(number)
        move = Text("")
        if analysis is not None:
            move = chip(analysis.move)
            if turn.regression:
                move.append(" ⚠", style="bold red")
        review = self.review.turns.get(number)
        coach = Text(review.label.upper(), style="bold") if review and review.label else Text("")
        if review and review.comment:
            coach.append(" ✎")
        who = as_text(fit(turn.name or turn.speaker, self.who_width), one_line=True)
        return (str(number), who, move, coach, as_text(fit(turn.text, self.text_width), one_line=True))

    def fill_table(self, text_width: int | None = None) -> None:
        table = self.query_one("#turns", DataTable)
        if text_width is not None and text_width != self.text_width:
            self.text_width = text_width
            table.clear(columns=True)
            table.add_column("#", key="n", width=self.number_width)
            table.add_column("who", key="who", width=self.who_width)
            table.add_column("move", key="move", width=MOVE_WIDTH)
            table.add_column("coach", key="coach", width=COACH_WIDTH)
            table.add_column("text", key="text", width=self.text_width)
        current = self._current()
        wanted = FILTERS[self.filter_index]
        table.clear()
        for number in range(1, len(self.transcript.turns) + 1):
            analysis = self.analyses.get(number)
            if wanted is not None and (analysis is None or analysis.move != wanted):
                continue
            table.add_row(*self._row(number), key=str(number))
        if current is not None and str(current) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current)))

    def _current(self) -> int | None:
        table = self.query_one("#turns", DataTable)
        if table.row_count == 0:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        number = self._current()
        detail = self.query_one("#detail", Static)
        analysis = self.analyses.get(number) if number else None
        if number is None or analysis is None:
            detail.update(Text("Select a manager reply to see its breakdown.", style="dim"))
            return
        parts = [reply_view(analysis, title=f"turn {number}")]
        review = self.review.turns.get(number)
        if review and review.comment:
            parts.append(Text(f"Coach: {visible(review.comment)}", style="italic"))
        detail.update(Group(*parts))

    def show_agreement(self) -> None:
        labelled = self.review.labelled
        agreement = cohens_kappa([t.label for t in labelled], [t.classifier for t in labelled])  # type: ignore[misc]
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column("", no_wrap=True)
        for move in MOVES:
            table.add_column(move[0].upper(), justify="right", style=MOVE_COLOURS[move], no_wrap=True)
        for coach in MOVES:
            table.add_row(coach, *(str(agreement.confusion[coach][m] or "·") for m in MOVES))
        kappa = "–" if agreement.kappa is None else f"{agreement.kappa:.2f}"
        head = Text.assemble(
            f"\nAgreement on {agreement.n} reviewed replies: {agreement.observed:.0%}, Cohen's kappa {kappa}",
            ("\nrows: you · columns: the classifier", "dim"),
        )
        self.query_one("#agreement", Static).update(Group(head, table))

    def _refresh_row(self, number: int) -> None:
        table = self.query_one("#turns", DataTable)
        row = self._row(number)
        for key, value in zip(("n", "who", "move", "coach", "text"), row, strict=True):
            table.update_cell(str(number), key, value)

    def action_relabel(self, move: str) -> None:
        number = self._current()
        analysis = self.analyses.get(number) if number else None
        if number is None or analysis is None:
            return
        self.review.relabel(number, analysis.text, analysis.move, move)
        self.save()
        self._refresh_row(number)
        self.show_agreement()

    def title_text(self) -> Text:
        title = Text.assemble(
            (f"Review · {visible(self.source.name, one_line=True)}", "bold"),
            ("  ·  1-4 relabel · a agree", "dim"),
        )
        if self.save_problem:
            title.append(f"\nNot saved: {visible(self.save_problem)}", style="bold red")
        return title

    def save(self) -> None:
        """Write the sidecar; a failure is one line under the title, and the labels stay in
        memory for the next save that works."""
        try:
            save_review(self.review, self.source)
        except (CoachsimError, OSError) as error:
            self.save_problem = error.message if isinstance(error, CoachsimError) else str(error)
        else:
            self.save_problem = None
        self.query_one("#review-title", Static).update(self.title_text())

    def action_accept(self) -> None:
        number = self._current()
        if number is not None and number in self.analyses:
            self.action_relabel(self.analyses[number].move)

    def action_comment(self) -> None:
        number = self._current()
        if number is None or number not in self.analyses:
            return
        self.commenting = number
        box = self.query_one("#comment", Input)
        box.display = True
        box.focus()

    def action_back(self) -> None:
        """Escape: close the comment box if it is open, else leave the review."""
        if self.query_one("#comment", Input).display:
            self.close_comment()
        else:
            self.dismiss(None)

    def close_comment(self) -> None:
        self.commenting = None
        self.query_one("#comment", Input).display = False
        self.query_one("#turns", DataTable).focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        number = self.commenting
        if number is not None:
            analysis = self.analyses[number]
            self.review.comment(number, analysis.text, analysis.move, message.value.strip())
            self.save()
            self._refresh_row(number)
            self.show_detail()
        message.input.clear()
        self.close_comment()

    def action_jump(self, step: int) -> None:
        table = self.query_one("#turns", DataTable)
        keys = [int(str(k.value)) for k in table.rows]
        regressions = [i for i, n in enumerate(keys) if self.transcript.turns[n - 1].regression]
        if not regressions:
            self.notify("No regressions in view.")
            return
        here = table.cursor_row
        if step > 0:
            target = next((i for i in regressions if i > here), regressions[0])
        else:
            target = next((i for i in reversed(regressions) if i < here), regressions[-1])
        table.move_cursor(row=target)

    def action_cycle_filter(self) -> None:
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        self.fill_table()
        wanted = FILTERS[self.filter_index]
        self.notify(f"Showing {'all turns' if wanted is None else wanted + ' replies'}")
