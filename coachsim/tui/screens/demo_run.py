"""A scenario's example run replayed for a demo, and the branches a facilitator tries from it.

Plain Python (no Textual): the demo screen shows what this computes. The scripted replies are
classified once; any point of the run, with replies tried from it, is rebuilt as a real
:class:`Session` by replaying the stored labels, so the persona answers a tried reply exactly
as it would answer a practising user.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachsim.errors import CoachsimError
from coachsim.scenario.alternatives import Alert, alert_for
from coachsim.scenario.scoring import GoalResult
from coachsim.scenario.session import Session, Turn

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier
    from coachsim.scenario.model import Scenario

#: Every demo plays the same line variants, so a room sees what the facilitator rehearsed.
DEMO_SEED = 0


def alert_after(turn: Turn, asked: Sequence[str], classifier: Classifier) -> Alert | None:
    """The alert the practice screen raises for this turn (the one call to the domain's alert)."""
    return alert_for(turn, asked=asked, nlp=classifier.nlp)


@dataclass(frozen=True)
class DemoStep:
    """One manager reply, the turn it made (label, routing, the persona's answer) and its alert."""

    text: str
    turn: Turn
    alert: Alert | None
    tried: bool = False


@dataclass(frozen=True)
class DemoSummary:
    """The end of a run: the move mix, the regressions, the ending and the persona's last line."""

    counts: dict[str, int]
    regressions: list[int]
    goal: GoalResult
    ending: str | None
    outcome: str | None
    last_line: str | None


class DemoRun:
    """``DemoRun(scenario, "coach", classifier)``: the run's steps, and branches tried from any step."""

    def __init__(self, scenario: Scenario, run_name: str, classifier: Classifier) -> None:
        if run_name not in scenario.examples:
            known = ", ".join(scenario.examples) or "none"
            raise CoachsimError(f"scenario '{scenario.id}' has no example run '{run_name}'; runs: {known}")
        self.scenario = scenario
        self.run_name = run_name
        self.classifier = classifier
        session = Session(scenario, classifier, seed=DEMO_SEED)
        self.opening = session.opening()
        self.steps: list[DemoStep] = []
        for text in scenario.examples[run_name].replies:
            if session.ended:
                break
            self.steps.append(self._play(session, text))

    def replay(self, upto: int, tried: Sequence[DemoStep] = ()) -> Session:
        """The conversation after the first ``upto`` scripted steps and then the ``tried`` ones."""
        session = Session(self.scenario, self.classifier, seed=DEMO_SEED)
        session.opening()
        for step in [*self.steps[:upto], *tried]:
            session.reply(step.text, analysis=step.turn.reply)
        return session

    def try_reply(self, upto: int, tried: Sequence[DemoStep], text: str) -> DemoStep:
        """Label ``text`` after that point and route it: the persona answers (slow: classifies)."""
        session = self.replay(upto, tried)
        if session.ended:
            raise CoachsimError("the conversation has ended: step back (←) to try a reply earlier")
        return self._play(session, text, tried=True)

    def summary(self, upto: int, tried: Sequence[DemoStep] = ()) -> DemoSummary:
        """How the run went up to that point (shown once it has ended)."""
        session = self.replay(upto, tried)
        scores = session.scores
        return DemoSummary(
            counts=dict(scores.counts),
            regressions=list(scores.regressions),
            goal=session.goal,
            ending=session.ending,
            outcome=session.outcome,
            last_line=session.closing_line,
        )

    def _play(self, session: Session, text: str, tried: bool = False) -> DemoStep:
        turn = session.reply(text)
        return DemoStep(text, turn, alert_after(turn, session.asked, self.classifier), tried)
