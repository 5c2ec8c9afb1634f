"""What screens get from the app, typed: the loaded catalog and classifier, the clocks, and the
small protocols a screen implements to hear that a background load has finished."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from coachsim.errors import CoachsimError

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier
    from coachsim.scenario.loader import Catalog
    from coachsim.scenario.model import Scenario
    from coachsim.transcript.model import Transcript


class RoomLink(Protocol):
    """A workshop participant's line to the room view (see coachsim.workshop.participant)."""

    def record(self, transcript: Transcript, scenario: Scenario, alert: str | None) -> None: ...

    def leave(self, status: str) -> None: ...


def failure_text(error: BaseException | None) -> str:
    """One line for something that failed: our own errors say what to do, others name their type."""
    if isinstance(error, CoachsimError):
        return error.message
    return f"{type(error).__name__}: {error}"


@dataclass
class Services:
    """The app's shared dependencies. The catalog and the classifier arrive from workers after
    the first frame; until then they are None (and ``*_error`` says why, if a load failed)."""

    #: Seconds, for the pauses before typing and sending (tests pass a fake one).
    clock: Callable[[], float]
    #: When a practice run starts (its transcript's name and timestamp).
    started: Callable[[], datetime]
    #: The seed for the next practice run's line variants.
    next_seed: Callable[[], int]
    cursor_blink: bool = True
    #: In a workshop (coachsim serve), where each labelled reply is reported; None otherwise.
    room: RoomLink | None = None
    catalog: Catalog | None = None
    catalog_error: str | None = None
    classifier: Classifier | None = None
    classifier_error: str | None = None
    _classifier_settled: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def classifier_loaded(self, classifier: Classifier) -> None:
        self.classifier = classifier
        self._classifier_settled.set()

    def classifier_load_failed(self, error: str) -> None:
        self.classifier_error = error
        self._classifier_settled.set()

    async def wait_for_classifier(self) -> Classifier:
        """The classifier once it has loaded; raises CoachsimError if it failed to."""
        await self._classifier_settled.wait()
        if self.classifier is None:
            raise CoachsimError(f"the classifier failed to load: {self.classifier_error}")
        return self.classifier


@runtime_checkable
class WaitsForCatalog(Protocol):
    """A screen that fills in once the scenarios have loaded."""

    def catalog_ready(self) -> None: ...


@runtime_checkable
class WaitsForClassifier(Protocol):
    """A screen that labels (or unlocks) once the classifier has loaded."""

    def classifier_ready(self) -> None: ...


@runtime_checkable
class HearsClassifierFailure(Protocol):
    """A screen that shows a classifier that could not load."""

    def classifier_failed(self) -> None: ...


@runtime_checkable
class WaitsForLoad(WaitsForCatalog, WaitsForClassifier, HearsClassifierFailure, Protocol):
    """A screen that hears about every load, good or bad (the practice screen)."""

    def catalog_failed(self) -> None: ...
