"""``coachsim progress``: a trend after a few practice sessions; --rebuild; --json."""

from __future__ import annotations

import json
from datetime import date

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.practice import PracticeRun
from coachsim.progress.index import SessionRecord
from coachsim.progress.trends import streak_days
from coachsim.scenario.loader import load_catalog


def practise(classifier: Classifier, replies: list[str]) -> None:
    scenario = load_catalog(include_user=False).get("just-tell-me").scenario
    run = PracticeRun(scenario, seed=1, classifier=classifier)
    run.opening()
    for reply in replies:
        if run.session.ended:
            break
        run.reply(reply)
    if not run.session.ended:
        run.stop()


def test_progress_shows_sessions_lift_and_streak(cli, classifier: Classifier) -> None:
    scenario = load_catalog(include_user=False).get("just-tell-me").scenario
    practise(classifier, scenario.examples["regress"].replies)
    practise(classifier, scenario.examples["coach"].replies)
    data = json.loads(cli("progress", "--json").out)
    shares = [s["coaching_share"] for s in data["sessions"]]
    assert len(shares) == 2 and shares[1] > shares[0]
    assert data["lift"][0]["scenario"] == "just-tell-me" and data["lift"][0]["lift"] > 0
    assert data["streak_days"] == 1
    table = cli("progress")
    assert table.code == 0 and "First versus best" in table.out and "Practice streak: 1 day" in table.out


def test_rebuild_recreates_the_index_from_transcripts(cli, classifier: Classifier) -> None:
    practise(classifier, ["What's on your mind?"])
    locations.progress_db_path().unlink()
    result = cli("progress", "--rebuild", "--json")
    assert "rebuilt from 1 transcript" in result.err
    assert len(json.loads(result.out)["sessions"]) == 1


def test_no_sessions_yet(cli) -> None:
    assert "No practice sessions yet" in cli("progress").out


def test_streak_counts_consecutive_days() -> None:
    def record(day: str) -> SessionRecord:
        return SessionRecord(
            "p", "s", f"{day}T10:00:00+00:00", None, "finished", None, 1, {"coaching": 1}, 0, None, None
        )

    records = [record("2026-03-01"), record("2026-03-02"), record("2026-03-04"), record("2026-03-05")]
    assert streak_days(records, date(2026, 3, 5)) == 2
    assert streak_days(records, date(2026, 3, 6)) == 2
    assert streak_days(records, date(2026, 3, 8)) == 0
