"""``coachsim drill``: today's drill in the terminal, and ``--list [--json]``, ``--reset ID``, ``--due``.

Thin front end on :mod:`coachsim.drill`: stdout carries the data (the table, the JSON, the drill's
lines), stderr the one-line notes for people; exit codes come from :class:`ExitCode`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from rich import box
from rich.table import Table
from rich.text import Text

from coachsim import locations
from coachsim.cli import output
from coachsim.drill.deck import SESSION_SIZE, Deck
from coachsim.drill.moments import Moment, known_moments
from coachsim.drill.schedule import Card, interval, passes
from coachsim.errors import ExitCode
from coachsim.safetext import visible


class _Labelled(Protocol):
    @property
    def move(self) -> str: ...


class _Classifier(Protocol):
    def classify(self, text: str, context: Any = None) -> _Labelled: ...


def _moments() -> list[Moment]:
    from coachsim.scenario.loader import load_catalog

    return known_moments(locations.transcripts_dir(), load_catalog())


def moment_prompts() -> dict[str, str | None]:
    """Each known moment's line, by card id (for progress's moments that keep coming back)."""
    return {moment.id: moment.prompt for moment in _moments()}


def card_data(cards: list[Card], moments: list[Moment]) -> list[dict[str, Any]]:
    """The cards as ``--list --json`` prints them; a card whose moment is gone (its transcript was
    deleted) keeps its schedule with a null source and prompt."""
    by_id = {m.id: m for m in moments}
    rows = []
    for card in cards:
        found = by_id.get(card.id)
        rows.append(
            {
                "id": card.id,
                "source": found.source if found else None,
                "prompt": found.prompt if found else None,
                "due": card.due.isoformat(),
                "box": card.box,
                "interval": interval(card.box),
                "history": [{"at": at, "move": move} for at, move in card.history],
            }
        )
    return rows


def _one(text: str | None) -> Text:
    return Text(visible(text, one_line=True) if text else "–")


def list_cards(as_json: bool) -> ExitCode:
    """``coachsim drill --list [--json]``: every card, soonest due first."""
    deck = Deck.open()
    data = card_data(deck.cards(), _moments())
    if as_json:
        output.write_line(output.json_line({"cards": data}))
        return ExitCode.OK
    console = output.stdout_console()
    if not data:
        console.print("No drill cards yet. Run `coachsim drill` to drill today's moments.")
        return ExitCode.OK
    table = Table(title="Drill cards", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for header in ("id", "due", "box", "answers", "prompt"):
        table.add_column(header, no_wrap=header != "prompt", overflow="fold")
    for row in data:
        answers = " ".join("✓" if passes(h["move"]) else "✗" for h in row["history"])
        table.add_row(row["id"], row["due"], str(row["box"]), answers, _one(row["prompt"]))
    console.print(table)
    return ExitCode.OK


def reset_card(card_id: str) -> ExitCode:
    """``coachsim drill --reset ID``: forget one card (a one-line error if there is none)."""
    Deck.open().reset(card_id)
    output.warn(f"drill card {card_id} forgotten; it comes back as new")
    return ExitCode.OK


def due_exit_code(today: date | None = None) -> ExitCode:
    """``coachsim drill --due``: OK (0) when no card is due, FAILURE (1) when one is."""
    count = Deck.open().due_count(today)
    if count:
        output.warn(f"{count} drill card(s) due; run `coachsim drill`")
        return ExitCode.FAILURE
    return ExitCode.OK


def _comes_back(card: Card, today: date) -> str:
    days = (card.due - today).days
    return "tomorrow" if days == 1 else f"in {days} days"


def run_drill(
    classifier: _Classifier,
    n: int = SESSION_SIZE,
    read: Callable[[], str | None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
) -> ExitCode:
    """``coachsim drill``: today's moments one by one; each reply is labelled in context, scored
    (coaching passes) and its card scheduled. An empty line skips a moment; end of input stops."""
    deck = Deck.open()
    session = deck.session(_moments(), n=n, today=now().date())
    if not session:
        output.warn("nothing to drill today")
        return ExitCode.OK
    ask = read or _read_line
    passed = 0
    for number, moment in enumerate(session, start=1):
        output.write_line(f"[{number}/{len(session)}] {visible(moment.persona, one_line=True)}:")
        output.write_line(f"  ({visible(moment.reminder, one_line=True)})")
        output.write_line(f"  “{visible(moment.prompt, one_line=True)}”")
        reply = ask()
        if reply is None:
            break
        if not reply.strip():
            output.write_line("  skipped")
            continue
        move = classifier.classify(reply, list(moment.context)).move
        at = now()
        card = deck.record(moment.id, move, at)
        passed += passes(move)
        verdict = "pass" if passes(move) else "slip"
        output.write_line(f"  {move.upper()}: {verdict}, back {_comes_back(card, at.date())}")
    output.warn(f"{passed} of {len(session)} passed")
    return ExitCode.OK


def _read_line() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None
