"""Review a labelled conversation: filter by move, jump between regressions, relabel (1-4),
comment (c), and see how far the coach and the classifier agree."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import MOVES
from coachsim.review.agreement import cohens_kappa
from coachsim.review.sidecar import Review, save_review
from coachsim.transcript.model import Transcript
from coachsim.tui.widgets.chat import ReplyItem, ReportLine
from coachsim.tui.widgets.stats import StatsPanel

FILTERS = (None, *MOVES)


class SpeakerPicker(Screen):
    """Which speaker is the manager? (for imports that do not say)."""

    BINDINGS = [Binding("escape", "app.quit", "Quit")]

    def __init__(self, speakers: list[str]) -> None:
        super().__init__()
        self.speakers = speakers

    def compose(self) -> ComposeResult:
        yield Static("Whose turns should be labelled? Pick the manager and press Enter.", id="picker-title")
        yield OptionList(*self.speakers, id="speakers")
        yield Footer()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self.app.review_manager_chosen(self.speakers[message.option_index])


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("n", "jump(1)", "Next regression"),
        Binding("p", "jump(-1)", "Previous regression"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("1", "relabel('coaching')", "Coaching", show=False),
        Binding("2", "relabel('feedback')", "Feedback", show=False),
        Binding("3", "relabel('mentoring')", "Mentoring", show=False),
        Binding("4", "relabel('telling')", "Telling", show=False),
        Binding("a", "accept", "Agree", show=False),
        Binding("c", "comment", "Comment"),
        Binding("escape", "close_comment", "Close", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, transcript: Transcript, source: Path, review: Review) -> None:
        super().__init__()
        self.transcript = transcript
        self.source = source
        self.review = review
        self.filter_index = 0

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                (f"Review · {self.source.name}", "bold"),
                ("  1-4 relabel · a agree · c comment · n/p regressions · f filter", "dim"),
            ),
            id="review-title",
        )
        with Horizontal(id="review"):
            yield VerticalScroll(id="log")
            with VerticalScroll(id="side"):
                yield StatsPanel(id="stats")
                yield Static("", id="agreement")
        yield Input(placeholder="Comment on this reply, Enter to save, Esc to cancel", id="comment")
        yield Footer()

    def on_mount(self) -> None:
        from coachsim.scenario.scoring import ScoredReply, score

        widgets = []
        for number, turn in enumerate(self.transcript.turns, start=1):
            if turn.speaker == "manager" and turn.move:
                analysis = ReplyAnalysis.from_dict(turn.text, turn.to_dict())
                item = ReplyItem(turn.text, number, analysis, bool(turn.regression))
                self._show_review(item)
                widgets.append(item)
            else:
                line = ReportLine(turn.name or turn.speaker, turn.text)
                line.turn_number = number  # type: ignore[attr-defined]
                widgets.append(line)
        self.query_one("#log", VerticalScroll).mount_all(widgets)
        replies = [ScoredReply(t.move, len(t.text.split())) for t in self.transcript.manager_turns if t.move]
        report_words = sum(len(t.text.split()) for t in self.transcript.turns if t.speaker == "report")
        self.query_one(StatsPanel).show(score(replies, report_words))
        self.query_one("#comment", Input).display = False
        self.show_agreement()
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        items = list(self.query(ReplyItem))
        if items:
            items[0].focus()

    def _show_review(self, item: ReplyItem) -> None:
        review = self.review.turns.get(item.number)
        notes = []
        if item.analysis is not None and item.has_class("regression"):
            notes.append("regression")
        if review and review.label:
            notes.append(f"coach: {review.label.upper()}")
        if review and review.comment:
            notes.append(f"“{review.comment}”")
        item.note = "  ".join(notes)
        item.refresh_view()

    def show_agreement(self) -> None:
        labelled = self.review.labelled
        agreement = cohens_kappa([t.label for t in labelled], [t.classifier for t in labelled])  # type: ignore[misc]
        table = Table(title="coach (rows) vs classifier", title_justify="left", padding=(0, 1))
        table.add_column("")
        for move in MOVES:
            table.add_column(move[:4], justify="right")
        for coach in MOVES:
            table.add_row(coach[:4], *(str(agreement.confusion[coach][m] or "·") for m in MOVES))
        kappa = "–" if agreement.kappa is None else f"{agreement.kappa:.2f}"
        head = Text(
            f"\nAgreement on {agreement.n} reviewed replies: {agreement.observed:.0%}, Cohen's kappa {kappa}"
        )
        self.query_one("#agreement", Static).update(Group(head, table))

    def _focused_item(self) -> ReplyItem | None:
        return self.focused if isinstance(self.focused, ReplyItem) else None

    def _save(self) -> None:
        save_review(self.review, self.source)

    def action_relabel(self, move: str) -> None:
        item = self._focused_item()
        if item is None or item.analysis is None:
            return
        self.review.relabel(item.number, item.text, item.analysis.move, move)
        self._save()
        self._show_review(item)
        self.show_agreement()

    def action_accept(self) -> None:
        item = self._focused_item()
        if item is not None and item.analysis is not None:
            self.action_relabel(item.analysis.move)

    def action_comment(self) -> None:
        if self._focused_item() is None:
            return
        self.commenting = self._focused_item()
        box = self.query_one("#comment", Input)
        box.display = True
        box.focus()

    def action_close_comment(self) -> None:
        box = self.query_one("#comment", Input)
        box.display = False
        if getattr(self, "commenting", None) is not None:
            self.commenting.focus()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        item = getattr(self, "commenting", None)
        if item is not None and item.analysis is not None:
            self.review.comment(item.number, item.text, item.analysis.move, message.value.strip())
            self._save()
            self._show_review(item)
        message.input.clear()
        self.action_close_comment()

    def action_jump(self, step: int) -> None:
        items = [i for i in self.query(ReplyItem) if i.has_class("regression") and i.display]
        if not items:
            self.notify("No regressions in view.")
            return
        current = self._focused_item()
        numbers = [i.number for i in items]
        if current is None:
            target = items[0] if step > 0 else items[-1]
        elif step > 0:
            target = next((i for i in items if i.number > current.number), items[0])
        else:
            target = next((i for i in reversed(items) if i.number < current.number), items[-1])
        assert target.number in numbers
        target.focus()
        target.scroll_visible(animate=False)

    def action_cycle_filter(self) -> None:
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        wanted = FILTERS[self.filter_index]
        for widget in self.query("#log > *"):
            if isinstance(widget, ReplyItem):
                widget.display = wanted is None or (
                    widget.analysis is not None and widget.analysis.move == wanted
                )
            else:
                widget.display = wanted is None
        self.notify(f"Showing {'all turns' if wanted is None else wanted + ' replies'}")
