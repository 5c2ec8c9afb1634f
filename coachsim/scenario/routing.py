"""Which beat comes next: the first transition whose conditions the reply meets."""

from __future__ import annotations

import re
from functools import lru_cache

from coachsim.classify.analysis import ReplyAnalysis
from coachsim.classify.textnorm import APOSTROPHES
from coachsim.scenario.model import Beat, When


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)")


def matches(when: When | None, analysis: ReplyAnalysis) -> bool:
    """True if the reply meets every condition given in ``when`` (None always matches)."""
    if when is None:
        return True
    if when.move is not None and analysis.move not in when.moves:
        return False
    if isinstance(when.cue, str) and not analysis.cues.get(when.cue):
        return False
    if isinstance(when.cue, dict) and (
        analysis.cues.get("coaching_habit_question") != when.cue["coaching_habit_question"]
    ):
        return False
    if when.contains is not None:
        text = analysis.text.translate(APOSTROPHES).lower()
        if not any(_phrase_pattern(phrase).search(text) for phrase in when.contains):
            return False
    return True


def next_beat(beat: Beat, analysis: ReplyAnalysis) -> str | None:
    """The id of the next beat, or None if no transition matches (validation prevents this)."""
    for transition in beat.next:
        if matches(transition.when, analysis):
            return transition.go
    return None
