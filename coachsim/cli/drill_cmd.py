"""``coachsim drill``: today's drill in the terminal, and ``--list [--json]``, ``--reset ID``, ``--due``.

Thin front end on :mod:`coachsim.drill`: stdout carries the data (the table, the JSON, the drill's
lines), stderr the one-line notes for people; exit codes come from :class:`ExitCode`.
"""

from __future__ import annotations

import time
from collections import Counter
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
from coachsim.drill.pressure import moment_push, moment_seconds
from coachsim.drill.schedule import Answer, Card, interval, session_summary, verdict
from coachsim.errors import ExitCode
from coachsim.safetext import visible

#: What the plain drill asks with: a reply, or an empty line to skip the moment.
PROMPT = "your reply (empty line: skip)> "


class _Labelled(Protocol):
    @property
    def move(self) -> str: ...

    @property
    def uncertain(self) -> bool: ...


class _Classifier(Protocol):
    def classify(self, text: str, context: Any = None) -> _Labelled: ...


def _moments() -> list[Moment]:
    """Every known moment: your practice slips, your reviewed meetings' slips, the packs'."""
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
                "history": [_answer_data(answer) for answer in card.history],
            }
        )
    return rows


def _answer_data(answer: Answer) -> dict[str, Any]:
    """One answer for ``--list --json``: ``uncertain`` appears only for a label that was a guess."""
    data: dict[str, Any] = {"at": answer.at, "move": answer.move}
    if answer.uncertain:
        data["uncertain"] = True
    return data


#: How ``--list`` marks each answer: passed, slipped, held.
_MARKS = {"pass": "✓", "slip": "✗", "hold": "·"}


def _one(text: str | None) -> Text:
    return Text(visible(text, one_line=True) if text else "–")


def list_cards(as_json: bool) -> ExitCode:
    """``coachsim drill --list [--json]``: every card, soonest due first."""
    deck = Deck.open()
    cards = {card.id: card for card in deck.cards()}
    data = card_data(list(cards.values()), _moments())
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
        answers = " ".join(_MARKS[answer.outcome] for answer in cards[row["id"]].history)
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


def run_drill(
    classifier: _Classifier,
    n: int = SESSION_SIZE,
    read: Callable[[], str | None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    pressure: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ExitCode:
    """``coachsim drill``: today's moments one by one; each reply is labelled in context, scored
    (coaching passes, telling and mentoring slip, feedback or an uncertain label holds) and its
    card scheduled. An empty line skips a moment (nothing is recorded); end of input stops.

    With ``pressure`` (0: each moment's default) each moment says its time limit; a line cannot be
    cut off, so a reply over the limit is still labelled, and the speaker's push is shown after it."""
    from coachsim.scenario.loader import load_catalog

    catalog = load_catalog()
    deck = Deck.open()
    session = deck.session(known_moments(locations.transcripts_dir(), catalog), n=n, today=now().date())
    if not session:
        output.warn("nothing to drill today")
        return ExitCode.OK
    ask = read or _read_line
    outcomes: Counter[str] = Counter()
    for number, moment in enumerate(session, start=1):
        output.write_line(f"[{number}/{len(session)}] {visible(moment.persona, one_line=True)}:")
        output.write_line(f"  ({visible(moment.reminder, one_line=True)})")
        output.write_line(f"  “{visible(moment.prompt, one_line=True)}”")
        limit = moment_seconds(moment, catalog, pressure or None) if pressure is not None else None
        if limit is not None:
            output.write_line(f"  (you have {limit} s)")
        asked_at = clock()
        reply = ask()
        if reply is None:
            break
        over = clock() - asked_at - limit if limit is not None else 0.0
        if over > 0 and reply.strip():
            push = visible(moment_push(moment, 1, catalog), one_line=True)
            speaker = visible(moment.persona, one_line=True)
            output.write_line(f"  over time by {over:.0f} s: {speaker}: “{push}”")
        if not reply.strip():
            outcomes["skipped"] += 1
            output.write_line("  skipped")
            continue
        label = classifier.classify(reply, list(moment.context))
        at = now()
        card = deck.record(moment.id, label.move, at, label.uncertain)
        answer = card.history[-1]
        outcomes[answer.outcome] += 1
        head, rest = verdict(answer, card, at.date())
        chip = label.move.upper() + ("?" if label.uncertain else "")
        output.write_line(f"  {chip}: {head} — {rest}")
    output.warn(session_summary(outcomes["pass"], len(session), outcomes["hold"], outcomes["skipped"]))
    return ExitCode.OK


def _read_line() -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        return None
