"""The drill command's functions: the terminal drill, --list [--json], --reset ID and --due."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from coachsim import locations
from coachsim.cli.drill_cmd import due_exit_code, list_cards, reset_card, run_drill
from coachsim.drill.deck import Deck, drills_log_path
from coachsim.drill.moments import moment_id
from coachsim.errors import CoachsimError, ExitCode
from tests.factories import session_dict

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Label:
    move: str
    uncertain: bool = False


class FakeClassifier:
    """Coaching for a question, feedback for "I noticed …", telling otherwise, unsure when the
    reply ends in "…"; remembers the context it was given."""

    def __init__(self) -> None:
        self.contexts: list[Any] = []

    def classify(self, text: str, context: Any = None) -> Label:
        self.contexts.append(context)
        if text.startswith("I noticed"):
            return Label("feedback")
        return Label("coaching" if text.endswith("?") else "telling", uncertain=text.endswith("…"))


def lines(*replies: str | None) -> Iterator[str | None]:
    yield from replies


def save_slip() -> str:
    """One saved session with one regression; returns its moment id."""
    data = session_dict()
    data["turns"] = [
        {"speaker": "report", "text": "Just tell me.", "at": ""},
        {
            "speaker": "manager",
            "text": "Do X.",
            "at": "",
            "move": "telling",
            "confidence": 0.9,
            "regression": True,
        },
    ]
    path = locations.transcripts_dir() / "20260301-100000-just-tell-me.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data))
    return moment_id(str(path), 1)


def test_a_drill_meets_the_slip_first_and_schedules_each_answer(capsys: pytest.CaptureFixture[str]) -> None:
    slip = save_slip()
    classifier = FakeClassifier()
    replies = lines("What's the real challenge here for you?", "Do Y.", "")
    code = run_drill(classifier, n=3, read=lambda: next(replies), now=lambda: NOW)
    out = capsys.readouterr()
    assert code == ExitCode.OK
    assert "“Just tell me.”" in out.out and "COACHING: pass — back in 3 days" in out.out
    assert "TELLING: slip — back tomorrow" in out.out and "skipped" in out.out
    assert "1 of 3 passed · 1 skipped" in out.err
    assert classifier.contexts[0] == [{"speaker": "report", "text": "Just tell me."}]
    cards = {c.id: c for c in Deck.open().cards()}
    assert cards[slip].box == 2 and len(cards) == 2  # the skipped moment has no card


def test_an_empty_line_skips_and_the_prompt_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    replies = lines("", None)

    def fake_input(prompt: str) -> str:
        asked.append(prompt)
        reply = next(replies)
        if reply is None:
            raise EOFError
        return reply

    monkeypatch.setattr("builtins.input", fake_input)
    save_slip()
    assert run_drill(FakeClassifier(), n=2, now=lambda: NOW) == ExitCode.OK
    assert asked and all("empty line: skip" in prompt for prompt in asked)
    assert "skipped" in capsys.readouterr().out
    assert Deck.open().cards() == [] and not drills_log_path().exists()


def test_feedback_and_an_unsure_label_hold_in_the_plain_drill(capsys: pytest.CaptureFixture[str]) -> None:
    slip = save_slip()
    Deck.open().record(slip, "coaching", datetime(2026, 2, 20, 8, tzinfo=UTC))  # box 2, due now
    replies = lines("I noticed you paused there.", "Just do X…")
    run_drill(FakeClassifier(), n=2, read=lambda: next(replies), now=lambda: NOW)
    out = capsys.readouterr()
    assert "FEEDBACK: hold — not a slip, but not a coaching question; back tomorrow" in out.out
    assert "TELLING?: unsure of the label — back tomorrow" in out.out
    assert "0 of 2 passed · 2 held" in out.err
    card = Deck.open().card(slip)
    assert card is not None and (card.box, card.due) == (2, date(2026, 3, 3))
    unsure = [c for c in Deck.open().cards() if c.id != slip]
    assert [(c.box, c.history[-1].uncertain) for c in unsure] == [(1, True)]


def test_list_json_shows_each_card_with_its_moment(capsys: pytest.CaptureFixture[str]) -> None:
    slip = save_slip()
    Deck.open().record(slip, "telling", NOW)
    assert list_cards(as_json=True) == ExitCode.OK
    (card,) = json.loads(capsys.readouterr().out)["cards"]
    assert card == {
        "id": slip,
        "source": str(locations.transcripts_dir() / "20260301-100000-just-tell-me.json"),
        "prompt": "Just tell me.",
        "due": "2026-03-03",
        "box": 1,
        "interval": 1,
        "history": [{"at": "2026-03-02T08:00:00+00:00", "move": "telling"}],
    }
    Deck.open().record(slip, "coaching", NOW, uncertain=True)
    list_cards(as_json=True)
    (card,) = json.loads(capsys.readouterr().out)["cards"]
    assert card["history"][-1] == {"at": "2026-03-02T08:00:00+00:00", "move": "coaching", "uncertain": True}


def test_list_table_and_empty_deck(capsys: pytest.CaptureFixture[str]) -> None:
    assert list_cards(as_json=False) == ExitCode.OK
    assert "No drill cards yet" in capsys.readouterr().out
    slip = save_slip()
    Deck.open().record(slip, "telling", NOW)
    list_cards(as_json=False)
    out = capsys.readouterr().out
    assert slip in out and "2026-03-03" in out and "Just tell me." in out


def test_due_exits_one_when_a_card_is_due_and_zero_when_none_is(capsys: pytest.CaptureFixture[str]) -> None:
    assert due_exit_code(date(2026, 3, 2)) == ExitCode.OK
    Deck.open().record("m1", "telling", NOW)
    assert due_exit_code(date(2026, 3, 2)) == ExitCode.OK
    assert due_exit_code(date(2026, 3, 3)) == ExitCode.FAILURE == 1
    assert "1 drill card(s) due" in capsys.readouterr().err


def test_reset_forgets_a_card_and_an_unknown_one_is_a_one_line_error() -> None:
    Deck.open().record("m1", "telling", NOW)
    assert reset_card("m1") == ExitCode.OK and Deck.open().cards() == []
    with pytest.raises(CoachsimError) as raised:
        reset_card("m1")
    assert "\n" not in raised.value.message


def test_the_plain_drill_under_pressure_says_the_limit_and_labels_a_late_reply(
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_slip()
    ticks = iter([0.0, 50.0, 100.0, 105.0])  # the first reply 50 s after its line, the second 5 s
    replies = lines("What's on your mind?", "What else?")
    classifier = FakeClassifier()
    code = run_drill(
        classifier, n=2, read=lambda: next(replies), now=lambda: NOW, pressure=20, clock=lambda: next(ticks)
    )
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    assert out.count("(you have 20 s)") == 2
    assert out.count("over time by 30 s:") == 1  # only the late one; it is still labelled
    assert out.count("COACHING: pass") == 2
