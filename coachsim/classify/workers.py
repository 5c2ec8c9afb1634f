"""Labelling a long stream of replies in several processes.

Each worker is a fork of this process with the classifier already loaded: the model's memory is
shared copy-on-write (not loaded or held N times) and the worker runs the whole analysis, parse
and rules, on a chunk of replies. Only texts go out and only :class:`ReplyAnalysis` objects come
back, so no Doc is pickled. Results come back in input order, with a bounded number of chunks in
flight. Where ``fork`` is not available the caller falls back to one process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.classify.classifier import Classifier, ReplyInput

#: The classifier the forked workers use (set in the parent just before the pool forks).
_SHARED: Classifier | None = None
#: Chunks queued per worker: enough to keep each busy, few enough to bound memory.
CHUNKS_AHEAD = 2


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _label_chunk(chunk: list[ReplyInput]) -> list[ReplyAnalysis]:
    assert _SHARED is not None, "a worker was started without a classifier"
    return _SHARED.classify_many(chunk)


def _chunks(items: Iterable[ReplyInput], size: int) -> Iterator[list[ReplyInput]]:
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk


def classify_in_processes(
    classifier: Classifier, items: Iterable[ReplyInput], chunk_size: int, processes: int
) -> Iterator[ReplyAnalysis]:
    """``classifier.iter_classify(items)`` spread over ``processes`` forked workers, in order.
    The caller checks every reply first, so a worker only fails on a bug."""
    global _SHARED
    _SHARED = classifier
    in_flight: deque[Future[list[ReplyAnalysis]]] = deque()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        for chunk in _chunks(items, chunk_size):
            in_flight.append(pool.submit(_label_chunk, chunk))
            if len(in_flight) >= processes * CHUNKS_AHEAD:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
