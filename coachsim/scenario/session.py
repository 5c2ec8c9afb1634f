"""One practice conversation: the report's lines, the manager's labelled replies, the scores.

Pure domain logic: the CLI, the TUI and the tests drive the same ``Session``. The same
scenario, seed and replies always give the same conversation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.moves import is_regression
from coachsim.errors import CoachsimError
from coachsim.scenario.model import Beat, Scenario
from coachsim.scenario.routing import next_beat
from coachsim.scenario.scoring import GoalResult, ScoredReply, Scores, check_goal, score
from coachsim.scenario.verdict import Verdict, verdict
from coachsim.transcript.model import Dispute, Transcript, TranscriptTurn

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Turn:
    """The result of one manager reply. On the reply that ends the conversation ``ended`` is True,
    ``to_beat`` is the ending and ``report_line`` the report's closing line (show it before the
    scorecard)."""

    number: int
    reply: ReplyAnalysis
    from_beat: str
    to_beat: str
    report_line: str | None
    ended: bool
    outcome: str | None
    regression: bool
    telling_ok: bool
    pull: bool

    @property
    def closing_line(self) -> str | None:
        """The report's last words, on the turn that ends the conversation."""
        return self.report_line if self.ended else None


#: How many earlier turns a reply is labelled against.
CONTEXT_TURNS = 6


class SessionEnded(CoachsimError):
    """A reply was sent after the conversation ended (naturally or with ``end()``)."""

    def __init__(self) -> None:
        super().__init__("the conversation has ended; start a new session to practise again")


class Session:
    """Play a scenario: ``opening()``, then ``reply(text)`` until ``ended`` (an ending beat, the
    scenario's ``max_turns``, or ``end()``); after that ``reply`` raises SessionEnded."""

    def __init__(
        self,
        scenario: Scenario,
        classifier: Classifier | None,
        seed: int = 0,
        clock: Callable[[], str] = _now,
        pressure_s: int | None = None,
    ) -> None:
        self.scenario = scenario
        self.classifier = classifier
        self.seed = seed
        self._clock = clock
        self.beat_id = scenario.start
        self.ended = False
        self.outcome: str | None = None
        self._visits: dict[str, int] = {}
        self._replies: list[ScoredReply] = []
        self._report_words = 0
        self._coached = False
        #: How many times the clock has run out on the current beat (pressure mode).
        self._pushes = 0
        self.transcript_data = Transcript(
            scenario=scenario.id, seed=seed, started_at=clock(), pressure_s=pressure_s
        )

    @property
    def beat(self) -> Beat:
        return self.scenario.beats[self.beat_id]

    @property
    def turns_taken(self) -> int:
        return len(self._replies)

    @property
    def max_turns(self) -> int:
        """The scenario's own limit: after this many replies the conversation ends."""
        return self.scenario.max_turns

    @property
    def turns_left(self) -> int:
        """Replies the manager may still send (0 once the conversation has ended)."""
        return 0 if self.ended else max(self.max_turns - self.turns_taken, 0)

    @property
    def ending(self) -> str | None:
        """The ending beat reached, or None (still going, or ended early with ``end()``)."""
        return self.transcript_data.ending

    @property
    def closing_line(self) -> str | None:
        """The report's last line once an ending is reached (None if it has none, or before)."""
        if self.ending is None:
            return None
        last = self.transcript_data.turns[-1]
        return last.text if last.speaker == "report" and last.beat == self.ending else None

    @property
    def ended_early(self) -> bool:
        """The user stopped the conversation before an ending."""
        return self.ended and self.ending is None

    @property
    def asked(self) -> tuple[str, ...]:
        """The manager's replies so far, oldest first (what ``alert_for`` must not suggest again)."""
        return tuple(t.text for t in self.transcript_data.manager_turns)

    def context(self, limit: int = CONTEXT_TURNS) -> list[dict[str, str]]:
        """The conversation's last turns, oldest first, as the classifier takes them."""
        return [{"speaker": t.speaker, "text": t.text} for t in self.transcript_data.turns[-limit:]]

    def _line_for(self, beat_id: str) -> str | None:
        """A deterministic choice among the beat's variants, by seed, beat and visit."""
        says = self.scenario.beats[beat_id].says
        if not says:
            return None
        visit = self._visits.get(beat_id, 0)
        self._visits[beat_id] = visit + 1
        return random.Random(f"{self.seed}:{beat_id}:{visit}").choice(says)

    def _report_says(self, beat_id: str) -> str | None:
        line = self._line_for(beat_id)
        if line is not None:
            self._add_report_line(line, beat_id)
        return line

    def _add_report_line(self, line: str, beat_id: str, pressed: bool = False) -> None:
        self._report_words += _words(line)
        self.transcript_data.turns.append(
            TranscriptTurn(
                speaker="report",
                text=line,
                at=self._clock(),
                beat=beat_id,
                name=self.scenario.persona.name,
                pressed=pressed or None,
            )
        )

    def press(self) -> str:
        """Pressure mode: the clock ran out with nothing sent, so the report pushes (see
        :func:`coachsim.scenario.pressure.push_line`); the line joins the transcript, and the
        manager still answers the same beat. Raises SessionEnded once the conversation is over."""
        from coachsim.scenario.pressure import push_line

        if self.ended:
            raise SessionEnded()
        if not self.transcript_data.turns:
            raise RuntimeError("press() before opening()")
        self._pushes += 1
        said = [t for t in self.transcript_data.turns if t.speaker == "report" and not t.pressed]
        repeat = said[-1].text if said else None
        seed = f"{self.seed}:{self.beat_id}:{self.turns_taken}"
        line = push_line(self.beat, self._pushes, seed, repeat=repeat)
        self._add_report_line(line, self.beat_id, pressed=True)
        return line

    def opening(self) -> str:
        """The report's first line (call once, before any reply)."""
        if self.transcript_data.turns:
            raise RuntimeError("opening() was already called")
        line = self._report_says(self.beat_id)
        assert line is not None  # validation: non-ending beats have lines
        return line

    def reply(
        self,
        text: str,
        typed_after_s: float | None = None,
        sent_after_s: float | None = None,
        analysis: ReplyAnalysis | None = None,
        timed_out: bool = False,
    ) -> Turn:
        """Label the reply, follow the matching transition and return the report's next line.

        ``analysis`` may be passed when the reply was already classified (e.g. in a worker);
        ``timed_out`` marks a reply the pressure clock sent.
        """
        if self.ended:
            raise SessionEnded()
        if analysis is None:
            if self.classifier is None:
                raise RuntimeError("no classifier: pass the reply's analysis")
            analysis = self.classifier.classify(text, context=self.context())
        beat = self.beat
        from_beat = self.beat_id
        target = next_beat(beat, analysis)
        if target is None:  # validation guarantees a default; stay put defensively
            target = from_beat
        regression = is_regression(analysis.move, self._coached, beat.telling_ok)
        self._coached = self._coached or analysis.move == "coaching"
        self._replies.append(
            ScoredReply(
                move=analysis.move,
                words=_words(text),
                telling_ok=beat.telling_ok,
                habit_question=analysis.cues.get("coaching_habit_question"),
                typed_after_s=typed_after_s,
            )
        )
        self.transcript_data.turns.append(
            TranscriptTurn(
                speaker="manager",
                text=text,
                at=self._clock(),
                beat=from_beat,
                regression=regression,
                telling_ok=beat.telling_ok or None,
                typed_after_s=typed_after_s,
                sent_after_s=sent_after_s,
                timed_out=timed_out or None,
                **analysis.to_dict(),
            )
        )
        self._pushes = 0
        if not self.scenario.beats[target].ending and self.turns_taken >= self.scenario.max_turns:
            target = self.scenario.on_max_turns
        self.beat_id = target
        line = self._report_says(target)
        if self.beat.ending:
            self._finish(self.beat.outcome)
        return Turn(
            number=self.turns_taken,
            reply=analysis,
            from_beat=from_beat,
            to_beat=target,
            report_line=line,
            ended=self.ended,
            outcome=self.outcome,
            regression=regression,
            telling_ok=beat.telling_ok,
            pull=beat.pull,
        )

    def _finish(self, outcome: str | None) -> None:
        self.ended = True
        self.outcome = outcome
        self.transcript_data.status = "finished"
        self.transcript_data.ended_at = self._clock()
        self.transcript_data.outcome = outcome
        self.transcript_data.ending = self.beat_id

    def end(self) -> None:
        """The user stops early: no more replies are taken, and the transcript keeps status
        "unfinished". Ending an ended conversation changes nothing."""
        if self.ended:
            return
        self.ended = True
        self.transcript_data.ended_at = self._clock()

    def dispute(self, reply_number: int, move: str, comment: str | None = None) -> Dispute | None:
        """Record that the manager meant ``move`` by reply ``reply_number`` (1-based); the label itself
        withdraws a dispute (None). Scores keep the classifier's label; raises InvalidDispute for a
        reply or move that is not there."""
        return self.transcript_data.dispute(reply_number, move, comment, at=self._clock())

    @property
    def scores(self) -> Scores:
        return score(self._replies, self._report_words)

    @property
    def goal(self) -> GoalResult:
        return check_goal(self.scenario.goal.target, self._replies, self.scores)

    @property
    def verdict(self) -> Verdict:
        """One explanation combining the ending and the goal."""
        return verdict(self.transcript_data, self.scenario)

    def summary(self) -> dict:
        goal = self.goal
        return {
            **self.scores.to_dict(),
            "goal_met": goal.met,
            "goal_reason": goal.reason,
            "verdict": self.verdict.text,
        }

    def transcript(self) -> Transcript:
        """The conversation so far as a ``coachsim.transcript/1`` object (summary included)."""
        self.transcript_data.summary = self.summary()
        return self.transcript_data
