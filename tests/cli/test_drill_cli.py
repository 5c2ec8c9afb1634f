"""`coachsim drill` through the command line: --list --json, --due as an exit code, --reset, and a
drill whose replies come from stdin (the real classifier labels them)."""

from __future__ import annotations

import json

from tests.unit.test_drill_cmd import save_slip


def test_a_new_user_drills_pack_moments_and_the_cards_come_due(cli) -> None:
    assert cli("drill", "--list", "--json").out.strip() == '{"cards": []}'
    assert cli("drill", "--due").code == 0
    answers = "What's on your mind?\nJust go with version B and send it today.\n"
    result = cli("drill", "-n", "2", stdin=answers)
    assert result.code == 0, result.err
    assert "COACHING: pass" in result.out and "TELLING: slip — back tomorrow" in result.out
    cards = json.loads(cli("drill", "--list", "--json").out)["cards"]
    assert len(cards) == 2 and all(card["source"].startswith("pack:") for card in cards)
    assert sorted(card["box"] for card in cards) == [1, 2]
    assert [entry["move"] for card in cards for entry in card["history"]].count("telling") == 1


def test_a_saved_slip_is_the_first_moment_and_reset_forgets_it(cli) -> None:
    slip = save_slip()
    result = cli("drill", "-n", "1", stdin="What would you like to do?\n")
    assert result.code == 0, result.err
    [card] = json.loads(cli("drill", "--list", "--json").out)["cards"]
    assert card["id"] == slip and card["history"][0]["move"] == "coaching"
    assert cli("drill", "--reset", slip).code == 0
    assert json.loads(cli("drill", "--list", "--json").out)["cards"] == []
    refused = cli("drill", "--reset", "nope")
    assert refused.code == 2 and refused.err.count("\n") == 1 and "no drill card 'nope'" in refused.err


def test_progress_shows_drill_pass_rates_and_the_moments_that_keep_coming_back(cli) -> None:
    from datetime import UTC, datetime

    from coachsim.drill.deck import LogEntry, drills_log_path

    assert cli("drill", "-n", "1", stdin="Just go with version B and send it today.\n").code == 0
    [card] = json.loads(cli("drill", "--list", "--json").out)["cards"]
    again = LogEntry(card["id"], datetime(2099, 1, 1, 9, tzinfo=UTC), "telling")
    with drills_log_path().open("a", encoding="utf-8") as log:
        log.write(again.to_line() + "\n")
    drills = json.loads(cli("progress", "--json").out)["drills"]
    assert sum(week["answered"] for week in drills["weeks"]) == 2
    assert all(week["passed"] == 0 for week in drills["weeks"])
    assert drills["recurring"] == [{"id": card["id"], "prompt": card["prompt"], "slips": 2}]
    shown = cli("progress").out
    assert "Drills per week" in shown and "Moments that keep coming back" in shown
    assert "2 slips · " + card["prompt"][:30] in " ".join(shown.split())
