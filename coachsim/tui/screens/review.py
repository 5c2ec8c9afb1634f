"""Review a labelled conversation: read every turn in full, relabel (1-4, a, 0), comment (c),
filter (f), jump between regressions (n/p), and watch the mix, the regressions and the agreement
follow your labels. Relabels and comments are saved beside the file in a worker; a failed save is
one line, and the edits stay in memory for the next save."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.errors import CoachsimError
from coachsim.review.sidecar import Review, save_review, sidecar_path
from coachsim.review.totals import FILTERS, Filter, ReviewTotals, filter_name, review_totals
from coachsim.safetext import as_text, visible
from coachsim.transcript.model import MAX_COMMENT_CHARS, Transcript
from coachsim.tui.widgets.footer import SteadyFooter
from coachsim.tui.widgets.review_panels import review_help, totals_line, totals_view, turn_detail
from coachsim.tui.widgets.review_turns import TurnList, TurnRow


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


class SidecarSaved(Message):
    """A sidecar write finished: ``problem`` is None when it worked, else one line saying why not."""

    def __init__(self, problem: str | None) -> None:
        super().__init__()
        self.problem = problem


class ProgressNotRecorded(Message):
    """The progress index could not record the saved review (one line), or (None) it can again."""

    def __init__(self, problem: str | None) -> None:
        super().__init__()
        self.problem = problem


class TalkFigures(Message):
    """The talk and timing figures (None with a note when they cannot be computed)."""

    def __init__(self, figures: dict[str, Any] | None, note: str | None) -> None:
        super().__init__()
        self.figures = figures
        self.note = note


def snapshot(review: Review) -> Review:
    """A copy of ``review`` a worker thread can save while the coach keeps editing the original."""
    turns = {number: replace(turn) for number, turn in review.turns.items()}
    return Review(review.source, review.source_sha256, review.manager, turns)


class ReviewScreen(Screen[None]):
    """The turns, wrapped in full, beside (under, on a narrow terminal) the selected turn's text
    and breakdown and the live totals."""

    CSS_PATH = Path(__file__).parent.parent / "review.tcss"
    BINDINGS = [
        Binding("1", "relabel('coaching')", "Label", key_display="1-4"),
        Binding("2", "relabel('feedback')", "Feedback", show=False),
        Binding("3", "relabel('mentoring')", "Mentoring", show=False),
        Binding("4", "relabel('telling')", "Telling", show=False),
        Binding("a", "accept", "Agree"),
        Binding("0", "clear_label", "Clear label", show=False),
        Binding("c", "comment", "Comment"),
        Binding("n", "jump(1)", "Next ⚠"),
        Binding("p", "jump(-1)", "Prev ⚠", show=False),
        Binding("f", "cycle_filter", "Filter"),
        Binding("t", "toggle_totals", "Totals"),
        Binding("ctrl+s", "save_again", "Save"),
        Binding("f1,question_mark", "toggle_help", "Help", key_display="?"),
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
        self.totals: ReviewTotals = review_totals(transcript, review)
        self.talk: dict[str, Any] | None = None
        self.talk_note: str | None = "computing…"
        self._analyses: dict[int, ReplyAnalysis] = {}
        self._saves_asked = 0
        self._saves_written = 0
        self._write_lock = threading.Lock()
        #: Why the progress index did not record the last save (None once it does).
        self.index_problem: str | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.heading(), id="review-heading")
        yield Static(totals_line(self.totals), id="review-totals-line")
        yield Static("", id="review-problem")
        with Horizontal(id="review-body"):
            yield TurnList(id="turns")
            with VerticalScroll(id="review-pane"):
                yield Static("", id="detail")
                yield Static("", id="totals")
        yield Input(
            placeholder="Comment on this reply: Enter saves, Esc cancels",
            id="comment",
            max_length=MAX_COMMENT_CHARS,
        )
        with VerticalScroll(id="help"):
            yield Static(review_help())
        yield SteadyFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#comment", Input).display = False
        self.query_one("#review-problem", Static).display = False
        turns = self.query_one(TurnList)
        turns.show(self.rows(), keep=None)
        turns.focus()
        self.show_totals()
        self.compute_talk()

    # -- what is shown -----------------------------------------------------------------------

    @property
    def wanted(self) -> Filter:
        return FILTERS[self.filter_index]

    def heading(self) -> Text:
        shown = sum(1 for n in range(1, len(self.transcript.turns) + 1) if self.totals.shows(n, self.wanted))
        heading = Text.assemble(("Review · ", "bold"), (visible(self.source.name, one_line=True), "bold"))
        if self.review.manager:
            heading.append(f" · {visible(self.review.manager, one_line=True)}", style="dim")
        heading.append("  Filter: ", style="dim")
        heading.append(
            f"{filter_name(self.wanted)} ({shown:,})",
            style="bold reverse" if self.wanted != "all" else "bold",
        )
        return heading

    def analysis(self, number: int) -> ReplyAnalysis | None:
        """The classifier's breakdown of turn ``number`` (None for an unlabelled turn), read once."""
        turn = self.transcript.turns[number - 1]
        if turn.speaker != "manager" or not turn.move:
            return None
        if number not in self._analyses:
            self._analyses[number] = ReplyAnalysis.from_dict(turn.text, turn.to_dict())
        return self._analyses[number]

    @property
    def analyses(self) -> dict[int, ReplyAnalysis]:
        """Every labelled reply's breakdown, by turn number."""
        found = (n for n, move in self.totals.classifier_moves.items() if move)
        return {n: a for n in found if (a := self.analysis(n)) is not None}

    def row(self, number: int) -> TurnRow:
        turn = self.transcript.turns[number - 1]
        coach = self.review.turns.get(number)
        return TurnRow(
            number=number,
            who=turn.name or turn.speaker,
            text=turn.text,
            manager=turn.speaker == "manager",
            move=turn.move if turn.speaker == "manager" else None,
            uncertain=bool(turn.uncertain),
            regression=number in self._regressions,
            label=coach.label if coach else None,
            commented=bool(coach and coach.comment),
        )

    def rows(self) -> list[TurnRow]:
        self._regressions = set(self.totals.regressions)
        wanted = self.wanted
        return [self.row(n) for n in range(1, len(self.transcript.turns) + 1) if self.totals.shows(n, wanted)]

    def _current(self) -> int | None:
        return self.query_one(TurnList).current

    def on_turn_list_highlighted(self, _: TurnList.Highlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        number = self._current()
        detail = self.query_one("#detail", Static)
        if number is None:
            detail.update(Text(f"No {filter_name(self.wanted)} here: f shows more.", style="dim"))
            return
        turn = self.transcript.turns[number - 1]
        detail.update(turn_detail(number, turn, self.analysis(number), self.review.turns.get(number)))

    def show_totals(self) -> None:
        self.query_one("#review-totals-line", Static).update(totals_line(self.totals))
        self.query_one("#totals", Static).update(totals_view(self.totals, self.talk, self.talk_note))

    def show_problem(self) -> None:
        """One line under the heading: a save that failed, else a progress index that did not update."""
        problem = self.query_one("#review-problem", Static)
        if self.save_problem is not None:
            line = Text.assemble(
                ("Not saved: ", "bold"),
                visible(self.save_problem, one_line=True),
                " · your edits are kept; Ctrl+S tries again",
            )
        elif self.index_problem is not None:
            line = Text.assemble(
                ("Progress not updated: ", "bold"),
                visible(self.index_problem, one_line=True),
                " · the review itself is saved",
            )
        problem.display = self.save_problem is not None or self.index_problem is not None
        if problem.display:
            problem.update(line)
        self.refresh_bindings()

    # -- edits -------------------------------------------------------------------------------

    def changed(self, number: int) -> None:
        """Turn ``number``'s review changed: recompute the totals, redraw the rows whose label or
        regression mark changed, and save."""
        before = set(self.totals.regressions)
        self.totals = review_totals(self.transcript, self.review)
        self._regressions = set(self.totals.regressions)
        touched = {number} | (before ^ self._regressions)
        self.query_one(TurnList).update_rows(self.row(n) for n in sorted(touched))
        self.show_totals()
        self.show_detail()
        self.save()

    def labelled_turn(self) -> int | None:
        """The selected turn if it is a labelled manager reply (else a one-line notice)."""
        number = self._current()
        if number is None:
            return None
        if number not in self.totals.classifier_moves:
            self.notify("Only the manager's labelled replies can be relabelled or commented on.", timeout=3)
            return None
        return number

    def action_relabel(self, move: str) -> None:
        number = self.labelled_turn()
        if number is None:
            return
        turn = self.transcript.turns[number - 1]
        self.review.relabel(number, turn.text, self.totals.classifier_moves[number], move)
        self.changed(number)

    def action_accept(self) -> None:
        number = self.labelled_turn()
        if number is not None:
            self.action_relabel(self.totals.classifier_moves[number])

    def action_clear_label(self) -> None:
        number = self.labelled_turn()
        coach = self.review.turns.get(number) if number is not None else None
        if number is None or coach is None or coach.label is None:
            return
        if coach.comment:
            coach.label = None
        else:
            del self.review.turns[number]
        self.changed(number)

    def action_comment(self) -> None:
        number = self.labelled_turn()
        if number is None:
            return
        self.commenting = number
        coach = self.review.turns.get(number)
        box = self.query_one("#comment", Input)
        box.value = coach.comment if coach else ""
        box.display = True
        box.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        number = self.commenting
        if number is not None:
            turn = self.transcript.turns[number - 1]
            self.review.comment(
                number, turn.text, self.totals.classifier_moves[number], message.value.strip()
            )
            self.changed(number)
        message.input.clear()
        self.close_comment()

    def close_comment(self) -> None:
        self.commenting = None
        self.query_one("#comment", Input).display = False
        self.query_one(TurnList).focus()

    # -- saving, off the UI thread -----------------------------------------------------------

    def save(self) -> None:
        """Save a copy of the review in a worker; saves land in order (an older copy never
        overwrites a newer one)."""
        self._saves_asked += 1
        self.write_sidecar(snapshot(self.review), self._saves_asked)

    @work(thread=True, group="sidecar", exit_on_error=False)
    def write_sidecar(self, review: Review, sequence: int) -> None:
        with self._write_lock:
            if sequence < self._saves_written:
                return  # a newer copy is already on disk
            try:
                save_review(review, self.source)
            except CoachsimError as error:
                self.post_message(SidecarSaved(error.message))
                return
            except OSError as error:
                reason = error.strerror or str(error)
                self.post_message(SidecarSaved(f"{sidecar_path(self.source).name}: {reason}"))
                return
            self._saves_written = sequence
            self.post_message(SidecarSaved(None))
            if self.record_progress(review) and self.index_problem is not None:
                self.post_message(ProgressNotRecorded(None))

    def record_progress(self, review: Review) -> bool:
        """Record the saved review in the progress index (in the save's worker thread); False when
        the index could not take it (a one-line message is posted)."""
        from coachsim.practice import open_index

        try:
            open_index().record_review(self.source, self.transcript, review)
        except CoachsimError as error:  # IndexUnavailable, or SaveError for its record file
            self.post_message(ProgressNotRecorded(error.message))
            return False
        return True

    def on_sidecar_saved(self, message: SidecarSaved) -> None:
        self.save_problem = message.problem
        self.show_problem()

    def on_progress_not_recorded(self, message: ProgressNotRecorded) -> None:
        if message.problem != self.index_problem:
            self.index_problem = message.problem
            self.show_problem()

    def action_save_again(self) -> None:
        self.save()

    # -- talk and timing ---------------------------------------------------------------------

    @work(thread=True, group="talk", exit_on_error=False)
    def compute_talk(self) -> None:
        try:
            from coachsim.talk import talk_metrics  # another module of #13; absent in older trees
        except ImportError:
            self.post_message(TalkFigures(None, "not available in this version"))
            return
        try:
            figures = talk_metrics(self.transcript).to_dict()
        except (CoachsimError, ValueError) as error:
            self.post_message(TalkFigures(None, f"cannot be computed: {error}"))
            return
        self.post_message(TalkFigures(figures, None))

    def on_talk_figures(self, message: TalkFigures) -> None:
        self.talk, self.talk_note = message.figures, message.note
        self.show_totals()

    # -- moving around -----------------------------------------------------------------------

    def action_jump(self, step: int) -> None:
        turns = self.query_one(TurnList)
        shown = set(turns.numbers)
        regressions = [n for n in self.totals.regressions if n in shown]
        if not regressions:
            self.notify("No regressions in view.", timeout=3)
            return
        here = turns.current or 0
        if step > 0:
            target = next((n for n in regressions if n > here), regressions[0])
        else:
            target = next((n for n in reversed(regressions) if n < here), regressions[-1])
        turns.select(target)

    def action_cycle_filter(self) -> None:
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        turns = self.query_one(TurnList)
        turns.show(self.rows(), keep=turns.current)
        self.query_one("#review-heading", Static).update(self.heading())

    def action_toggle_totals(self) -> None:
        self.toggle_class("show-totals")

    def action_toggle_help(self) -> None:
        self.toggle_class("show-help")
        if self.has_class("show-help"):
            self.query_one("#help").focus()
        else:
            self.query_one(TurnList).focus()

    def action_back(self) -> None:
        """Escape: close the help or the comment box, or return to the list, else leave."""
        if self.has_class("show-help"):
            self.action_toggle_help()
        elif self.query_one("#comment", Input).display:
            self.close_comment()
        elif not isinstance(self.focused, TurnList):
            self.query_one(TurnList).focus()
        else:
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_again":
            return self.save_problem is not None
        return True
