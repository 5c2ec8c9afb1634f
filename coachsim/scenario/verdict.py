"""One verdict for a practised conversation: the goal and the ending in a single explanation.

The scorecard showed the ending ("Kofi knows exactly what he did well…") beside "Goal not met ✗";
:func:`verdict` says both at once and, when one reply alone cost the goal, names it: "Goal not met:
the conversation ended well, but reply 3 ('Just send it') was telling after Kofi asked for your view."
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from coachsim.classify.moves import MOVES
from coachsim.scenario.model import Scenario
from coachsim.scenario.scoring import GoalResult, ScoredReply, check_goal, report_words, score, scored_replies
from coachsim.transcript.model import Transcript, TranscriptTurn

#: A quoted reply is cut to about this many characters.
QUOTE_CHARS = 40


@dataclass(frozen=True)
class Verdict:
    """``met``: the goal's target; ``ended_well``: the best ending was reached (None when the session
    was stopped early or the scenario names no best ending); ``reply``: the one reply (1-based) that
    cost the goal, if one did; ``text``: the explanation to show."""

    met: bool
    ended_well: bool | None
    text: str
    reply: int | None = None


def best_ending(scenario: Scenario) -> str | None:
    """The ending a coach-like run reaches: by convention the ``coach`` example run's ending."""
    run = scenario.examples.get("coach")
    return run.ending if run else None


def quote(text: str) -> str:
    """A reply as quoted in a sentence: one line, no closing punctuation, cut at a word near 40 chars."""
    line = " ".join(text.split()).rstrip(".!?…")
    if len(line) <= QUOTE_CHARS:
        return line
    cut = line[:QUOTE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _goal(scenario: Scenario, replies: list[ScoredReply], words: int) -> GoalResult:
    return check_goal(scenario.goal.target, replies, score(replies, words))


def _deciding_reply(scenario: Scenario, replies: list[ScoredReply], words: int) -> tuple[int, str] | None:
    """The only reply whose move, changed, would have met the goal, and the move that would have."""
    found = []
    for index, reply in enumerate(replies):
        for move in MOVES:  # coaching first: the usual fix
            if move == reply.move:
                continue
            changed = [*replies[:index], replace(reply, move=move), *replies[index + 1 :]]
            if _goal(scenario, changed, words).met:
                found.append((index, move))
                break
    return found[0] if len(found) == 1 else None


def _what_went_wrong(scenario: Scenario, number: int, turn: TranscriptTurn, needed: str) -> str:
    said = f"reply {number} ('{quote(turn.text)}') was {turn.move}"
    if needed != "coaching":
        return f"{said}; the goal needed {needed} there"
    beat = scenario.beats.get(turn.beat or "")
    if beat is not None and beat.pull and turn.move in ("telling", "mentoring"):
        return f"{said} after {scenario.persona.name.split()[0]} asked for your view"
    if turn.regression:
        return f"{said} after you had been coaching"
    return said


def verdict(transcript: Transcript, scenario: Scenario) -> Verdict:
    """Whether the goal was met and how the conversation ended, as one short explanation."""
    turns = [t for t in transcript.manager_turns if t.move]
    replies = scored_replies(transcript)
    words = report_words(transcript)
    goal = _goal(scenario, replies, words)
    if transcript.status != "finished":
        if not replies:
            return Verdict(False, None, "Goal not met: you ended the session before replying.")
        stopped = f"you ended the session after {len(replies)} repl{'y' if len(replies) == 1 else 'ies'}"
        if goal.met:
            return Verdict(True, None, f"Goal met so far, but {stopped}.")
        return Verdict(False, None, f"Goal not met: {stopped}; {goal.reason}.")
    best = best_ending(scenario)
    ended_well = None if best is None else transcript.ending == best
    if transcript.ending is not None and transcript.ending == scenario.on_max_turns:
        short = "you ran out of turns"
    else:
        short = "the conversation ended short of its best ending"
    if goal.met:
        text = {True: "Goal met, and the conversation ended well.", None: "Goal met."}.get(
            ended_well, f"Goal met, but {short}."
        )
        return Verdict(True, ended_well, text)
    deciding = _deciding_reply(scenario, replies, words)
    number = None
    cause = goal.reason
    if deciding is not None:
        index, needed = deciding
        number = index + 1
        cause = _what_went_wrong(scenario, number, turns[index], needed)
    if ended_well:
        text = f"Goal not met: the conversation ended well, but {cause}."
    elif ended_well is None:
        text = f"Goal not met: {cause}."
    else:
        text = f"Goal not met: {cause}; {short}."
    return Verdict(False, ended_well, text, number)
