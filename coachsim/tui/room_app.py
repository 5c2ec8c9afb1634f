"""``coachsim room``: the facilitator's live, projector-friendly view of a workshop room.

The roster is read in a thread worker every ``poll_s`` seconds (and on :meth:`RoomApp.refresh_room`);
the result is applied on the UI thread in one place. ``d`` opens the debrief: one slipped reply
at a time, named only when that participant allowed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError
from coachsim.render.moves import MOVE_COLOURS, MOVE_STYLES, chip
from coachsim.safetext import visible
from coachsim.tui.widgets.footer import SteadyFooter
from coachsim.workshop.roster import Participant, RoomState, Roster, Slip

NO_ROOM = "No room yet: start one with coachsim serve"
EMPTY_ROOM = "Nobody has joined yet: people join with the link or QR code that coachsim serve printed."
SLIP_LABELS = {
    "advice_question": "advice dressed as a question",
    "telling_after_pull": "telling after a pull",
    "regression": "regression",
}
SHORT_LABELS = {"advice_question": "advice question", "telling_after_pull": "telling after pull"}
#: At this width and above, the long labels and wider columns.
WIDE_FROM = 100
#: Cells the table keeps free for its scrollbar, and the fewest it leaves the last alert.
SCROLLBAR = 1
MIN_ALERT = 10
STATUS_STYLES = {"practising": "bold", "finished": "bold green3", "left": "dim"}


@dataclass(frozen=True)
class Moment:
    """One reply to debrief: every kind of slip it was, in the order the room saw it."""

    participant_id: str
    reply: int
    kinds: tuple[str, ...]
    slip: Slip


def moments(state: RoomState) -> list[Moment]:
    """The room's slips, one moment per reply (a reply can be several kinds of slip)."""
    found: dict[tuple[str, int], Moment] = {}
    for slip in state.slips:
        key = (slip.participant_id, slip.reply)
        known = found.get(key)
        kinds = (*known.kinds, slip.kind) if known else (slip.kind,)
        found[key] = Moment(slip.participant_id, slip.reply, kinds, known.slip if known else slip)
    return list(found.values())


def clip(text: str, width: int, style: str = "") -> Text:
    """User text on one line, cut to ``width`` cells with an ellipsis (never markup)."""
    cell = Text(visible(text, one_line=True), style=style, no_wrap=True)
    cell.truncate(max(width, 1), overflow="ellipsis")
    return cell


def mix_bar(counts: dict[str, int], width: int) -> Text:
    """A stacked bar of the move mix, one colour and initial per move."""
    total = sum(counts.values())
    if not total:
        return Text("·" * width, style="dim")
    bar, used = Text(), 0
    for index, move in enumerate(MOVES):
        cells = round(counts.get(move, 0) / total * width) if index < len(MOVES) - 1 else width - used
        cells = max(0, min(cells, width - used))
        bar.append(move[0].upper() * cells, style=MOVE_STYLES[move])
        used += cells
    return bar


def mix_counts(counts: dict[str, int]) -> Text:
    """``coaching 12 · feedback 3 · mentoring 2 · telling 5``, each in its move's colour."""
    text = Text()
    for index, move in enumerate(MOVES):
        if index:
            text.append(" · ", style="dim")
        text.append(f"{move} {counts.get(move, 0)}", style=f"bold {MOVE_COLOURS[move]}")
    return text


def slips_line(state: RoomState, wide: bool) -> Text:
    common = state.common_slips()
    if not common:
        return Text.assemble(("Slips  ", "bold"), ("none yet", "dim"))
    labels = SLIP_LABELS if wide else {**SLIP_LABELS, **SHORT_LABELS}
    parts = [f"{labels.get(kind, kind)} ×{count}" for kind, count in common]
    return Text.assemble(("Slips  ", "bold"), (" · ".join(parts), "bold yellow"))


def shared_scenario(state: RoomState) -> str | None:
    """The one scenario everyone practises (then the table needs no scenario column), else None."""
    scenarios = {p.scenario for p in state.participants}
    return next(iter(scenarios)) if len(scenarios) == 1 else None


def room_header(state: RoomState, width: int, projector: bool = False) -> Text:
    """Room and head count, the room's move mix as a bar and in numbers, the most common slips."""
    wide = width >= WIDE_FROM
    people = len(state.participants)
    head = Text.assemble(
        ("Room ", "bold"),
        (visible(state.room, one_line=True), "bold reverse"),
        f"  ·  {people} participant{'' if people == 1 else 's'}",
    )
    scenario = shared_scenario(state)
    if scenario:
        head.append("  ·  ")
        head.append(visible(scenario, one_line=True), style="bold")
    bar = mix_bar(state.counts, 24 if wide else 14)
    rows = 3 if projector else 1
    lines = [head]
    for row in range(rows):
        line = Text.assemble(("Mix   " if row == rows // 2 else "      ", "bold"), bar)
        if row == rows // 2:
            line.append("  ")
            line.append_text(mix_counts(state.counts))
        lines.append(line)
    lines.append(slips_line(state, wide))
    return Text("\n").join(lines)


def mix_cell(counts: dict[str, int], digits: int = 1) -> Text:
    """Each move's count on its move's colour, in MOVES order (the header reads C F M T)."""
    cell = Text()
    for index, move in enumerate(MOVES):
        if index:
            cell.append(" ")
        cell.append(f"{counts.get(move, 0):>{digits}}", style=MOVE_STYLES[move])
    return cell


@dataclass(frozen=True)
class Columns:
    """The table's column widths in cells (each column has one cell of padding either side)."""

    name: int
    #: None when everyone practises the same scenario (the header names it).
    scenario: int | None
    digits: int
    regressions: str
    alert: int

    def headers(self) -> list[tuple[str, int]]:
        letters = " ".join(f"{move[0].upper():>{self.digits}}" for move in MOVES)
        return [
            ("Name", self.name),
            *([("Scenario", self.scenario)] if self.scenario is not None else []),
            ("Turns", 5),
            (letters, 4 * self.digits + 3),
            (self.regressions, len(self.regressions)),
            ("Status", 10),
            ("Last alert", self.alert),
        ]

    def row(self, p: Participant, name: str) -> list[Text]:
        cells = [clip(name, self.name, "bold")]
        if self.scenario is not None:
            cells.append(clip(p.scenario or "–", self.scenario))
        cells.append(Text(str(p.turns)))
        cells.append(mix_cell(p.counts, self.digits))
        cells.append(Text(str(p.regressions), style="bold red" if p.regressions else ""))
        cells.append(Text(p.status, style=STATUS_STYLES.get(p.status, "")))
        cells.append(clip(p.last_alert or "", self.alert))
        return cells


def columns(state: RoomState, width: int) -> Columns:
    """Widths that fit ``width``: the scenario column, then long names, give way to the last alert
    (never "Participant N" itself)."""
    wide = width >= WIDE_FROM
    names = [p.listed_name(n) for n, p in enumerate(state.participants, start=1)]
    name = min(max([4, *(len(n) for n in names)]), 24 if wide else 16)
    scenario: int | None = None
    if shared_scenario(state) is None:
        scenario = min(max([8, *(len(p.scenario or "–") for p in state.participants)]), 22 if wide else 14)
    digits = max([1, *(len(str(n)) for p in state.participants for n in p.counts.values())])
    regressions = "Regressions" if wide else "Regr."

    def alert(name: int, scenario: int | None) -> int:
        cols = Columns(name, scenario, digits, regressions, 0)
        return width - sum(cells + 2 for _, cells in cols.headers()) - 2 - SCROLLBAR

    while alert(name, scenario) < MIN_ALERT and scenario is not None and scenario > 10:
        scenario -= 1
    while alert(name, scenario) < MIN_ALERT and name > len("Participant 1"):
        name -= 1
    return Columns(name, scenario, digits, regressions, max(6, alert(name, scenario)))


def debrief_text(state: RoomState, moment: Moment, index: int, total: int) -> Text:
    """``Participant 3 · regression · reply 4``, the line before it and the reply with its move."""
    labels = ", ".join(SLIP_LABELS.get(kind, kind) for kind in moment.kinds)
    slip = moment.slip
    text = Text.assemble(
        (f"{index + 1} of {total}  ", "dim"),
        (visible(state.shown_name(moment.participant_id), one_line=True), "bold"),
        " · ",
        (labels, "bold yellow"),
        f" · reply {moment.reply}\n",
    )
    if slip.prompt:
        text.append("The other person said ", style="dim")
        text.append(f"“{visible(slip.prompt, one_line=True)}”\n")
    text.append("The reply ", style="dim")
    text.append(f"“{visible(slip.text, one_line=True)}”", style="bold")
    text.append("  ")
    text.append_text(chip(slip.move))
    return text


class RoomApp(App[None]):
    """``RoomApp(room)``: one room's participants, mix and slips, re-read every ``poll_s`` seconds.
    With no room, it shows the most recently updated one."""

    CSS_PATH = "room.tcss"
    TITLE = "coachsim room"
    BINDINGS = [
        Binding("d", "debrief", "Debrief"),
        Binding("n", "step(1)", "Next"),
        Binding("p", "step(-1)", "Previous"),
        Binding("escape", "close_debrief", "Close"),
        Binding("f2", "toggle_projector", "Projector", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self, room: str | None, projector: bool = False, roster: Roster | None = None, poll_s: float = 1.0
    ) -> None:
        super().__init__()
        self.room = room
        self.projector = projector
        self.roster = roster or Roster()
        self.poll_s = poll_s
        #: The room as last read (None until then, or while there is no room at all).
        self.state: RoomState | None = None
        #: How many reads have been applied, and the last one's problem (a one-line message).
        self.reads = 0
        self.problem: str | None = None
        #: The debrief's position in :func:`moments`, None while it is closed.
        self.debrief_at: int | None = None
        self._reading = False
        self._again = False

    def compose(self) -> ComposeResult:
        yield Static(id="room-head")
        yield Static(id="room-hint")
        yield DataTable(id="room-table", cursor_type="none", show_cursor=False, zebra_stripes=True)
        yield Static(id="debrief")
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.screen.set_class(self.projector, "projector")
        self.query_one("#room-head", Static).update(Text("coachsim room: reading the roster…", style="bold"))
        self.query_one("#room-table", DataTable).focus()
        self.refresh_room()
        self.set_interval(self.poll_s, self.refresh_room)

    # Reading: one worker at a time; a refresh asked for meanwhile runs right after it.

    def refresh_room(self) -> None:
        """Read the roster again (in a thread); the screen updates when the read is done."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._read_room()

    @work(thread=True, group="room", exit_on_error=False)
    def _read_room(self) -> RoomState | None:
        room = self.room or self.roster.latest_room()
        return None if room is None else self.roster.state(room)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        if worker.group != "room" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self._reading = False
        self.reads += 1
        if event.state == WorkerState.SUCCESS:
            self.problem = None
        else:
            error = worker.error
            self.problem = error.message if isinstance(error, CoachsimError) else f"{error}"
        try:
            if event.state == WorkerState.SUCCESS:
                self.show_state(worker.result)
            self.show_hint()
        except NoMatches:  # a read that finished as the app closed: its widgets are gone
            return
        if self._again:
            self._again = False
            self.refresh_room()

    # Showing.

    def show_state(self, state: RoomState | None) -> None:
        changed = state != self.state
        self.state = state
        if state is not None:
            self.room = state.room  # a room found by latest_room() stays the one shown
        if changed:
            self.render_room()

    def render_room(self) -> None:
        state, width = self.state, self.size.width
        head = self.query_one("#room-head", Static)
        table = self.query_one("#room-table", DataTable)
        table.display = state is not None and bool(state.participants)
        if state is None:
            head.update(Text("coachsim room", style="bold"))
        else:
            head.update(room_header(state, width, self.projector))
            self.fill_table(table, state, width)
        self.show_debrief()

    def show_hint(self) -> None:
        """The one line under the header: a problem reading the roster, no room, or nobody in it."""
        if self.problem is not None:
            message = visible(self.problem, one_line=True)
        elif self.state is None:
            message = NO_ROOM if self.reads else ""
        else:
            message = "" if self.state.participants else EMPTY_ROOM
        hint = self.query_one("#room-hint", Static)
        hint.set_class(self.problem is not None, "problem")
        hint.update(Text(message, style="bold"))
        hint.display = bool(message)

    def fill_table(self, table: DataTable[Any], state: RoomState, width: int) -> None:
        """Rebuild the rows (widths follow the terminal), keeping the scroll position."""
        cols = columns(state, width)
        scroll = table.scroll_y
        table.clear(columns=True)
        for label, cells in cols.headers():
            table.add_column(Text(label, style="bold"), width=cells)
        for number, participant in enumerate(state.participants, start=1):
            table.add_row(*cols.row(participant, participant.listed_name(number)))
        table.scroll_y = scroll

    def on_resize(self) -> None:
        if self.state is not None:
            self.call_after_refresh(self.render_room)

    # The debrief.

    def show_debrief(self) -> None:
        panel = self.query_one("#debrief", Static)
        panel.set_class(self.debrief_at is not None, "open")
        if self.debrief_at is None:
            return
        found = moments(self.state) if self.state is not None else []
        if not found:
            panel.border_title = "Debrief"
            panel.update(Text("No regressions or slips yet.", style="bold"))
            return
        self.debrief_at = min(self.debrief_at, len(found) - 1)
        assert self.state is not None
        panel.border_title = "Debrief"
        panel.border_subtitle = "n next · p previous · Esc close"
        panel.update(debrief_text(self.state, found[self.debrief_at], self.debrief_at, len(found)))

    def action_debrief(self) -> None:
        """Open the debrief on the first moment, or move on to the next one."""
        if self.debrief_at is None:
            self.debrief_at = 0
            self.show_debrief()
            self.refresh_bindings()
        else:
            self.action_step(1)

    def action_step(self, by: int) -> None:
        count = len(moments(self.state)) if self.state is not None else 0
        if self.debrief_at is not None and count:
            self.debrief_at = (self.debrief_at + by) % count
            self.show_debrief()

    def action_close_debrief(self) -> None:
        self.debrief_at = None
        self.show_debrief()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("step", "close_debrief"):
            return self.debrief_at is not None
        return True

    def action_toggle_projector(self) -> None:
        self.projector = not self.projector
        self.screen.set_class(self.projector, "projector")
        if self.state is not None:
            self.render_room()
