"""Timing and talk metrics of a labelled conversation: who talked how long, pauses, interruptions,
questions, reflections and fillers.

Definitions (every figure that cannot be computed from the transcript is ``None``, never a guess):

- **talk seconds** of a speaker: the sum of ``end_s - start_s`` over their turns; ``None`` when any
  of their turns lacks a start or an end (text transcripts with start-only stamps, typed practice).
  Overlapping speech counts for both speakers.
- **manager talk share**: the manager's talk seconds over the sum of every speaker's; ``None`` when
  any speaker's talk seconds are unknown or nobody talked.
- **longest monologue** of a speaker: the longest run of their consecutive turns, from the run's
  first start to its last end (importers already merge one speaker's consecutive cues into a turn).
  ``None`` when any of their turns lacks a time.
- **response pause**: for each manager turn that follows another person's turn, the manager's start
  minus that turn's end. A negative pause is the manager starting before the other person finished
  (the floor-transfer offset of conversation analysis), so the median shows how quickly the manager
  comes in. ``None`` (list and median) when any such pair lacks a time or there is none.
- **interruption**: a turn that starts before the nearest earlier turn of another speaker ended.
  ``interruptions`` counts them all, ``interruptions_by`` per speaker who started talking over the
  other; ``None`` when any turn lacks a start or an end.
- **words per minute** of a speaker: their words over their talk seconds; ``None`` without talk time.
- **questions**: the manager's question sentences, open or closed, read from the classifier's
  evidence (cues ``open_question`` / ``closed_question``). A sentence ending in "?" with no question
  evidence (a declarative "You sent it?", an advice question) falls back to its first word after
  clause openers ("so", "and", ...): a wh-word (lexicon ``wh_words``) makes it open, else closed.
- **reflections**: the manager's coaching sentences with ``reflection`` evidence (restatements,
  "So you…", "It sounds like…") and echo questions built from the other person's words ("Stuck
  how?", rule ``coaching.context.echo_question``). Each sentence counts once: an echo question is a
  reflection, any other question-shaped sentence ("So you feel stuck?") a question, and a reflection
  cue on a sentence labelled other than coaching ("You should just ask") is ignored. ``None`` when a
  manager turn with words carries no sentence breakdown (not labelled).
- **reflection to question**: reflections over questions (MITI: 1:1 is fair, 2:1 good); ``None``
  with no questions.
- **fillers per 100 words**: the filler words and phrases of ``classifiers/fillers.yaml`` (see its
  comments for which ambiguous words count, and when) per 100 of the manager's words.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from coachsim.classify.lexicon import load_lexicon
from coachsim.errors import DataFileError
from coachsim.locations import classifiers_dir

MANAGER = "manager"
#: Reflection rules that match a question ("Stuck how?"): the question counts as a reflection.
ECHO_RULES = frozenset({"coaching.context.echo_question"})
_WORD = re.compile(r"[\w']+")
_SENTENCE_END = re.compile(r"(?<=[.?!…])\s+")
#: Punctuation that sets a filler phrase off from the words around it.
_SET_OFF_EDGE = r"[,;:.!?…—–]"


class Turn(Protocol):
    """What the metrics read from a transcript turn."""

    speaker: str
    name: str | None
    text: str
    move: str | None
    sentences: Any
    start_s: float | None
    end_s: float | None


class HasTurns(Protocol):
    @property
    def turns(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class TalkMetrics:
    """The figures of one conversation; speaker-keyed maps are in order of first appearance."""

    talk_seconds: dict[str, float | None] | None
    manager_talk_share: float | None
    longest_monologue_s: dict[str, float | None] | None
    response_pauses_s: list[float] | None
    median_response_pause_s: float | None
    interruptions: int | None
    interruptions_by: dict[str, int] | None
    words_per_minute: dict[str, float | None] | None
    open_questions: int
    closed_questions: int
    reflections: int | None
    reflection_to_question: float | None
    fillers_per_100_words: float | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary keys of ``coachsim report``."""
        return {
            "talk_seconds": self.talk_seconds,
            "manager_talk_share": self.manager_talk_share,
            "longest_monologue_s": self.longest_monologue_s,
            "median_response_pause_s": self.median_response_pause_s,
            "response_pauses_s": self.response_pauses_s,
            "interruptions": self.interruptions,
            "interruptions_by": self.interruptions_by,
            "words_per_minute": self.words_per_minute,
            "questions": {"open": self.open_questions, "closed": self.closed_questions},
            "reflections": self.reflections,
            "reflection_to_question": self.reflection_to_question,
            "fillers_per_100_words": self.fillers_per_100_words,
        }


def talk_metrics(transcript: HasTurns) -> TalkMetrics:
    """Every figure of the module docstring for ``transcript`` (a coachsim ``Transcript``)."""
    turns: list[Turn] = list(transcript.turns)
    talk = _talk_seconds(turns)
    pauses = _response_pauses(turns)
    interrupters = _interruptions(turns)
    open_questions, closed_questions, reflections = _question_counts(turns)
    questions = open_questions + closed_questions
    return TalkMetrics(
        talk_seconds=talk,
        manager_talk_share=_manager_share(turns, talk),
        longest_monologue_s=_longest_monologues(turns),
        response_pauses_s=pauses,
        median_response_pause_s=_round(statistics.median(pauses)) if pauses else None,
        interruptions=sum(interrupters.values()) if interrupters is not None else None,
        interruptions_by=interrupters,
        words_per_minute=_words_per_minute(turns, talk),
        open_questions=open_questions,
        closed_questions=closed_questions,
        reflections=reflections,
        reflection_to_question=(
            round(reflections / questions, 2) if reflections is not None and questions else None
        ),
        fillers_per_100_words=_fillers_per_100_words([t.text for t in turns if t.speaker == MANAGER]),
    )


# -- timing -------------------------------------------------------------------------------------


def speaker_of(turn: Turn) -> str:
    """The name a turn is shown and counted under."""
    return turn.name or turn.speaker


def _round(seconds: float) -> float:
    return round(seconds, 3)


def _timed(turn: Turn) -> bool:
    return turn.start_s is not None and turn.end_s is not None


def _start(turn: Turn) -> float:
    """The start of a turn already checked to have one."""
    assert turn.start_s is not None
    return turn.start_s


def _end(turn: Turn) -> float:
    """The end of a turn already checked to have one."""
    assert turn.end_s is not None
    return turn.end_s


def _speakers(turns: Iterable[Turn]) -> list[str]:
    return list(dict.fromkeys(speaker_of(t) for t in turns))


def _talk_seconds(turns: list[Turn]) -> dict[str, float | None] | None:
    if not any(_timed(t) for t in turns):
        return None
    talk: dict[str, float | None] = {}
    for speaker in _speakers(turns):
        own = [t for t in turns if speaker_of(t) == speaker]
        if all(_timed(t) for t in own):
            talk[speaker] = _round(sum(_end(t) - _start(t) for t in own))
        else:
            talk[speaker] = None
    return talk


def _manager_share(turns: list[Turn], talk: dict[str, float | None] | None) -> float | None:
    if talk is None or any(v is None for v in talk.values()):
        return None
    total = sum(v for v in talk.values() if v is not None)
    if not total:
        return None
    managers = {speaker_of(t) for t in turns if t.speaker == MANAGER}
    return round(sum(talk[s] or 0.0 for s in managers) / total, 3)


def _longest_monologues(turns: list[Turn]) -> dict[str, float | None] | None:
    if not any(_timed(t) for t in turns):
        return None
    runs: list[list[Turn]] = []
    for turn in turns:
        if runs and speaker_of(runs[-1][-1]) == speaker_of(turn):
            runs[-1].append(turn)
        else:
            runs.append([turn])
    longest: dict[str, float | None] = {}
    for speaker in _speakers(turns):
        own = [run for run in runs if speaker_of(run[0]) == speaker]
        if all(_timed(t) for run in own for t in run):
            longest[speaker] = _round(max(_end(run[-1]) - _start(run[0]) for run in own))
        else:
            longest[speaker] = None
    return longest


def _response_pauses(turns: list[Turn]) -> list[float] | None:
    pairs = [
        (before, after)
        for before, after in itertools.pairwise(turns)
        if after.speaker == MANAGER and before.speaker != MANAGER
    ]
    if not pairs or any(before.end_s is None or after.start_s is None for before, after in pairs):
        return None
    return [_round(_start(after) - _end(before)) for before, after in pairs]


def _interruptions(turns: list[Turn]) -> dict[str, int] | None:
    if not turns or not all(_timed(t) for t in turns):
        return None
    counts = dict.fromkeys(_speakers(turns), 0)
    for index, turn in enumerate(turns):
        speaker = speaker_of(turn)
        other = next((t for t in reversed(turns[:index]) if speaker_of(t) != speaker), None)
        if other is not None and _start(turn) < _end(other):
            counts[speaker] += 1
    return counts


def _words_per_minute(
    turns: list[Turn], talk: dict[str, float | None] | None
) -> dict[str, float | None] | None:
    if talk is None:
        return None
    rates: dict[str, float | None] = {}
    for speaker, seconds in talk.items():
        words = sum(word_count(t.text) for t in turns if speaker_of(t) == speaker)
        rates[speaker] = round(words * 60 / seconds, 1) if seconds else None
    return rates


# -- questions, reflections, fillers -------------------------------------------------------------


def word_count(text: str) -> int:
    """Words as runs of letters, digits and apostrophes ("don't" is one)."""
    return len(_WORD.findall(text))


def _field(item: Any, name: str) -> Any:
    """A field of a sentence or evidence item, whether it is a dict or a model."""
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _question_counts(turns: list[Turn]) -> tuple[int, int, int | None]:
    """(open questions, closed questions, reflections) in the manager's turns."""
    open_questions = closed_questions = reflections = 0
    unlabelled = False
    for turn in turns:
        if turn.speaker != MANAGER:
            continue
        sentences = turn.sentences or []
        if not sentences:
            unlabelled = unlabelled or word_count(turn.text) > 0
            sentences = [{"text": part} for part in _SENTENCE_END.split(turn.text.strip()) if part]
        for sentence in sentences:
            kind = sentence_kind(sentence)
            open_questions += kind == "open"
            closed_questions += kind == "closed"
            reflections += kind == "reflection"
    return open_questions, closed_questions, None if unlabelled else reflections


def sentence_kind(sentence: Any) -> str | None:
    """ "reflection", "open", "closed" or None for one sentence (a dict with ``text`` and, when
    labelled, ``move`` and ``evidence``), by the rules of the module docstring."""
    evidence = _field(sentence, "evidence") or []
    cues = {_field(e, "cue") for e in evidence}
    text = str(_field(sentence, "text") or "").strip()
    question = text.endswith("?") or bool(cues & {"open_question", "closed_question"})
    if "reflection" in cues and _field(sentence, "move") == "coaching":
        echo = any(_field(e, "rule") in ECHO_RULES for e in evidence)
        if echo or not question:
            return "reflection"
    if not question:
        return None
    if "open_question" in cues:
        return "open"
    if "closed_question" in cues:
        return "closed"
    words = [w.lower() for w in _WORD.findall(text)]
    lexicon = _question_words()
    first = next((w for w in words if w not in lexicon["clause_lead"]), "")
    return "open" if first in lexicon["wh_words"] else "closed"


@lru_cache(maxsize=1)
def _question_words() -> dict[str, frozenset[str]]:
    lexicon = load_lexicon(classifiers_dir() / "lexicon.yaml")
    return {"wh_words": lexicon["wh_words"], "clause_lead": lexicon["clause_lead"] - lexicon["wh_words"]}


@dataclass(frozen=True)
class FillerPatterns:
    """The compiled filler lists of ``classifiers/fillers.yaml``."""

    always: re.Pattern[str]
    set_off: re.Pattern[str]

    def count(self, text: str) -> int:
        lowered = " ".join(text.lower().split())
        return len(self.always.findall(lowered)) + len(self.set_off.findall(lowered))


def _words_pattern(words: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


def load_fillers(path: Path) -> FillerPatterns:
    """Read and compile a fillers file; a malformed one raises a one-line DataFileError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError(f"{path}: cannot read the filler list ({error.__class__.__name__})") from None
    lists: dict[str, list[str]] = {}
    for key in ("always", "set_off"):
        words = data.get(key) if isinstance(data, dict) else None
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise DataFileError(f"{path}: {key}: a list of lower-case words or phrases")
        lists[key] = [w.strip().lower() for w in words]
    phrase = _words_pattern(lists["set_off"])
    set_off = (
        rf"(?:(?<=,)|(?<=,\s))\s*(?:{phrase})(?=\s*(?:{_SET_OFF_EDGE}|$))"
        rf"|(?:(?<={_SET_OFF_EDGE})|(?<={_SET_OFF_EDGE}\s)|^)\s*(?:{phrase})(?=\s*,)"
    )
    return FillerPatterns(
        always=re.compile(rf"(?<![\w'])(?:{_words_pattern(lists['always'])})(?![\w'])"),
        set_off=re.compile(set_off),
    )


@lru_cache(maxsize=1)
def default_fillers() -> FillerPatterns:
    return load_fillers(classifiers_dir() / "fillers.yaml")


def _fillers_per_100_words(texts: list[str]) -> float | None:
    words = sum(word_count(t) for t in texts)
    if not words:
        return None
    fillers = sum(default_fillers().count(t) for t in texts)
    return round(fillers * 100 / words, 2)
