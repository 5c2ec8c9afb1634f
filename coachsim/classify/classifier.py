"""The move classifier: ``Classifier.load()`` once, then ``classify`` or ``classify_many``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachsim import locations
from coachsim.classify import grammar, workers
from coachsim.classify.analysis import Evidence, ReplyAnalysis, SentenceAnalysis, cue_flags
from coachsim.classify.calibration import Calibration, Signals, load_calibration
from coachsim.classify.context import NO_CONTEXT, HeardWords, heard_words, parse_context
from coachsim.classify.context_rules import attach_context, detach_context, stop_words
from coachsim.classify.decide import (
    DecisionConfig,
    SentenceShape,
    decide_reply,
    decide_sentence,
    load_decision_config,
)
from coachsim.classify.engine import RuleEngine
from coachsim.classify.lexicon import Lexicon, load_lexicon
from coachsim.classify.moves import Move
from coachsim.classify.pipeline import check_pipeline, load_pipeline, resolve_model
from coachsim.classify.rules import load_rules
from coachsim.classify.speech import SpeechWords
from coachsim.classify.textnorm import NormalisedText, normalise
from coachsim.classify.words import release
from coachsim.errors import CoachsimError
from coachsim.safetext import has_visible_text

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: A reply: its text, or a mapping with ``text`` and an optional ``context``.
ReplyInput = str | Mapping[str, Any]

#: Longer replies are refused rather than parsed for minutes.
MAX_REPLY_CHARS = 200_000


class InvalidReplyError(CoachsimError):
    """A reply that cannot be classified (empty, or too long)."""


def _checked(items: Iterable[ReplyInput]) -> Iterator[ReplyInput]:
    """``items``, each checked with ``check_reply`` as it passes."""
    for item in items:
        check_reply(_reply_and_context(item)[0])
        yield item


def check_reply(text: str) -> None:
    """Raise InvalidReplyError for a reply the classifier cannot label: not a string, empty or
    with nothing visible in it, or too long."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidReplyError("empty reply: there is nothing to classify")
    if len(text) > MAX_REPLY_CHARS:
        raise InvalidReplyError(
            f"reply is {len(text):,} characters, over the {MAX_REPLY_CHARS:,} limit; split it into turns"
        )
    if not has_visible_text(text):
        raise InvalidReplyError("empty reply: there is nothing to classify")


@dataclass
class Classifier:
    """Rules over a spaCy parse; see docs/labels.md for what each move means."""

    nlp: Language
    engine: RuleEngine
    decision: DecisionConfig
    model_name: str
    #: Maps raw scores to measured accuracy; None reports the raw scores (used to fit it).
    calibration: Calibration | None = None

    @classmethod
    def load(
        cls, model: str | None = None, classifiers_dir: Path | None = None, calibrated: bool = True
    ) -> Classifier:
        """Load the spaCy pipeline (``--model`` / $COACHSIM_SPACY_MODEL / default), the rules and,
        unless ``calibrated`` is False, the confidence calibration."""
        data_dir = classifiers_dir or locations.classifiers_dir()
        lexicon = load_lexicon(data_dir / "lexicon.yaml")
        rules = load_rules(data_dir / "rules")
        decision = load_decision_config(data_dir / "decision.yaml")
        calibration = load_calibration(data_dir / "calibration.yaml") if calibrated else None
        nlp = load_pipeline(model)
        check_pipeline(nlp)
        name = f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
        engine = RuleEngine(nlp, rules, lexicon)
        return cls(nlp=nlp, engine=engine, decision=decision, model_name=name, calibration=calibration)

    @property
    def lexicon(self) -> Lexicon:
        return self.engine.lexicon

    def _normalise(self, text: str) -> NormalisedText:
        return normalise(text, self.lexicon.spellings, self.lexicon["fillers"], self.speech)

    @cached_property
    def speech(self) -> SpeechWords:
        lex = self.lexicon
        return SpeechWords(
            question_openers=lex["caption_question_openers"],
            question_pairs=lex["caption_question_pairs"],
            statement_openers=lex["caption_sentence_openers"],
            no_break_after=lex["caption_no_break_after"],
        )

    def heard(self, context: Any = None) -> HeardWords:
        """What the rules may read from ``context`` (see :mod:`coachsim.classify.context`)."""
        turns = parse_context(context)
        return heard_words(turns, stop_words(self.lexicon)) if turns else NO_CONTEXT

    def classify(self, text: str, context: Any = None) -> ReplyAnalysis:
        """Label one reply, given the turns before it if known. Raises InvalidReplyError for an
        empty or oversized reply and InvalidContextError for a malformed ``context``."""
        check_reply(text)
        heard = self.heard(context)
        norm = self._normalise(text)
        return self._analyse(text, norm, self.nlp(norm.text), heard)

    def classify_many(
        self, items: Iterable[ReplyInput], batch_size: int = 256, n_process: int = 1
    ) -> list[ReplyAnalysis]:
        """Label many replies in order through ``nlp.pipe``. Each item is a reply's text or a
        mapping with ``text`` and optional ``context``; every text must pass ``check_reply``.
        ``n_process`` > 1 labels in that many forked worker processes (parse and rules; see
        :mod:`coachsim.classify.workers`); the results are the same as with one."""
        return list(self.iter_classify(items, batch_size=batch_size, n_process=n_process))

    def iter_classify(
        self, items: Iterable[ReplyInput], batch_size: int = 256, n_process: int = 1
    ) -> Iterator[ReplyAnalysis]:
        """Like :meth:`classify_many`, yielding results as batches finish."""
        if isinstance(items, str | bytes):
            raise TypeError("classify_many takes a list of replies, not one string")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive whole number, not {batch_size!r}")
        if not isinstance(n_process, int) or n_process < 1:
            raise ValueError(f"n_process must be a positive whole number, not {n_process!r}")
        if n_process > 1 and workers.can_fork():
            yield from workers.classify_in_processes(self, _checked(items), batch_size, n_process)
            return
        pending: list[tuple[str, NormalisedText, HeardWords] | None] = []

        def normalised() -> Iterator[str]:
            for item in items:
                text, context = _reply_and_context(item)
                check_reply(text)
                norm = self._normalise(text)
                pending.append((text, norm, self.heard(context)))
                yield norm.text

        for index, doc in enumerate(self.nlp.pipe(normalised(), batch_size=batch_size)):
            waiting = pending[index]
            assert waiting is not None
            pending[index] = None  # release memory early on long streams
            yield self._analyse(waiting[0], waiting[1], doc, waiting[2])

    def _analyse(self, text: str, norm: NormalisedText, doc: Doc, heard: HeardWords) -> ReplyAnalysis:
        attach_context(doc, heard)
        sentences: list[SentenceAnalysis] = []
        for sent, hits in self.engine.sentence_hits(doc):
            start, end = _trimmed(text, *norm.original_span(sent.start_char, sent.end_char))
            if start == end:
                continue
            sentence_text = text[start:end]
            evidence = []
            for hit in hits:
                span = doc[hit.start : hit.end]
                h_start, h_end = _trimmed(text, *norm.original_span(span.start_char, span.end_char))
                evidence.append(
                    Evidence(
                        rule=hit.rule.id,
                        move=hit.rule.supports,
                        cue=hit.rule.cue,
                        weight=hit.rule.weight,
                        text=text[h_start:h_end],
                        start=h_start,
                        end=h_end,
                        value=hit.rule.value,
                        generic=hit.rule.generic,
                    )
                )

            def shape(sent: Span = sent) -> SentenceShape:
                return SentenceShape(
                    is_question=bool(grammar.question_clauses(sent, self.lexicon)),
                    words=grammar.word_count(sent),
                    profile=grammar.clause_profile(sent, self.lexicon),
                )

            sentences.append(decide_sentence(sentence_text, start, end, evidence, shape, self.decision))
        if not sentences:  # only punctuation or symbols survived
            stripped = text.strip()
            start = text.index(stripped)
            only = SentenceShape(is_question="?" in stripped, words=1)
            sentences.append(
                decide_sentence(stripped, start, start + len(stripped), [], lambda: only, self.decision)
            )
        release(doc)
        detach_context(doc)
        move, confidence = decide_reply(sentences)
        uncertain = False
        if self.calibration is not None:
            signals = signals_of(move, confidence, sentences, heard)
            confidence = self.calibration.confidence(signals)
            # No sentence decided it (only weak cues or a grammar guess): a guess however often
            # such guesses happen to be right.
            uncertain = confidence < self.calibration.uncertain_below or not signals.decisive
        evidence_all = tuple(e for s in sentences for e in s.evidence)
        return ReplyAnalysis(
            text=text,
            move=move,
            confidence=confidence,
            sentences=tuple(sentences),
            cues=cue_flags(evidence_all),
            uncertain=uncertain,
        )


def signals_of(move: Move, raw: float, sentences: Sequence[SentenceAnalysis], heard: HeardWords) -> Signals:
    """What the calibration reads about a labelled reply."""
    decisive = [s for s in sentences if s.decisive]
    return Signals(
        raw=raw,
        decisive=bool(decisive),
        conflict=len({s.move for s in decisive}) > 1,
        context=bool(heard.turns),
        rules=frozenset(e.rule for s in sentences for e in s.evidence if e.move == move),
    )


def _reply_and_context(item: ReplyInput) -> tuple[str, Any]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, Mapping):
        return item.get("text"), item.get("context")  # type: ignore[return-value]
    raise TypeError(f"a reply is a string or a mapping with 'text', not {type(item).__name__}")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` narrowed to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def cached_classifier(model: str | None = None) -> Classifier:
    """One loaded classifier per resolved pipeline for this process (CLI commands and tests share it).

    The name is resolved first, so ``None``, the $COACHSIM_SPACY_MODEL value and the default's
    own name all reach the same loaded pipeline."""
    return _classifier_for(resolve_model(model))


@lru_cache(maxsize=4)
def _classifier_for(resolved_model: str) -> Classifier:
    return Classifier.load(resolved_model)
