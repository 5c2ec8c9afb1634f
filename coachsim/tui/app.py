"""The practice app: home, practice, scorecard and demo screens over the domain core.

Scenarios and spaCy are loaded in thread workers after the first frame (pydantic and spaCy
are not even imported before it), so the screen paints at once; screens are told when the
catalog and the classifier are ready (or failed) and then fill in or label queued replies.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.events import Resize

from coachsim.errors import CoachsimError
from coachsim.safetext import visible
from coachsim.tui.messages import CatalogFailed, CatalogReady, ClassifierFailed, ClassifierReady
from coachsim.tui.state import Load, LoadState

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier
    from coachsim.scenario.loader import Catalog

NARROW_WIDTH = 100


def default_loader(model: str | None) -> Callable[[], Classifier]:
    def load() -> Classifier:
        from coachsim.classify.classifier import cached_classifier  # deferred: imports spaCy

        return cached_classifier(model)

    return load


def failure_text(error: Exception) -> str:
    """One line for a load that failed: our own errors say what to do, others name their type."""
    return error.message if isinstance(error, CoachsimError) else f"{type(error).__name__}: {error}"


class CoachsimApp(App):
    """``CoachsimApp(start="home" | "practice" | "demo", scenario_id=..., run=...)``."""

    #: The app's styles, then each screen family's own file.
    CSS_PATH = [Path(__file__).parent / name for name in ("app.tcss", "home.tcss", "demo.tcss")]
    TITLE = "coachsim"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f2", "toggle_projector", "Projector"),
    ]

    def __init__(
        self,
        start: str = "home",
        scenario_id: str | None = None,
        run: str = "coach",
        projector: bool = False,
        seed: int | None = None,
        catalog: Catalog | None = None,
        scenario_dirs: tuple[Path, ...] = (),
        loader: Callable[[], Classifier] | None = None,
        clock: Callable[[], float] = time.monotonic,
        model: str | None = None,
        started: Callable[[], datetime] | None = None,
        review_source: Path | None = None,
        manager: str | None = None,
        format_in: str | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.start = start
        self.scenario_id = scenario_id
        self.run_name = run
        self.projector = projector
        self.catalog: Catalog | None = catalog
        self.scenario_dirs = scenario_dirs
        self.loader = loader or default_loader(model)
        self.clock = clock
        self.started = started or (lambda: datetime.now(UTC))
        self.classifier: Classifier | None = None
        self.classifier_error: str | None = None
        self.review_source = review_source
        self.review_manager = manager
        self.format_in = format_in
        self.conversation = None
        self.cursor_blink = cursor_blink
        #: What is still loading; see :class:`LoadState`.
        self.load_state = LoadState()
        self._seeds = itertools.count(seed if seed is not None else int(time.time()) % 100_000)

    def next_seed(self) -> int:
        return next(self._seeds)

    def on_mount(self) -> None:
        from coachsim.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start == "review" and self.review_source is not None:
            self.call_after_refresh(self.open_review)
        if self.catalog is not None:
            self.call_after_refresh(self.on_catalog_ready, CatalogReady(self.catalog))
        else:
            self.call_after_refresh(self.load_catalog)
        self.call_after_refresh(self.load_classifier)

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        from coachsim.scenario.loader import load_catalog  # deferred: pydantic and YAML

        try:
            catalog = load_catalog(self.scenario_dirs)
        except Exception as error:  # any failure leaves the app usable
            self.post_message(CatalogFailed(failure_text(error)))
            return
        self.post_message(CatalogReady(catalog))

    def on_catalog_ready(self, message: CatalogReady) -> None:
        self.catalog = message.catalog
        for problem in message.catalog.problems:
            self.notify(
                f"Skipped a scenario: {visible(str(problem))}", severity="warning", timeout=8, markup=False
            )
        for screen in self.screen_stack:
            if hasattr(screen, "catalog_ready"):
                screen.catalog_ready()
        if self.start == "practice" and self.scenario_id:
            self.start_practice(self.scenario_id)
        elif self.start == "demo" and self.scenario_id:
            self.start_demo(self.scenario_id, self.run_name)
        self.load_state.catalog = Load.READY

    def on_catalog_failed(self, message: CatalogFailed) -> None:
        self.notify(
            f"The scenarios failed to load: {visible(message.error)}",
            severity="error",
            timeout=10,
            markup=False,
        )
        self.load_state.catalog = Load.FAILED

    @work(thread=True, exclusive=True, group="classifier")
    def load_classifier(self) -> None:
        try:
            classifier = self.loader()
        except Exception as error:  # any failure leaves the app usable
            self.post_message(ClassifierFailed(failure_text(error)))
            return
        self.post_message(ClassifierReady(classifier))

    def open_review(self) -> None:
        from coachsim.transcript.importers import read_conversation
        from coachsim.tui.screens.review import SpeakerPicker

        try:
            self.conversation = read_conversation(self.review_source, self.format_in)
        except CoachsimError as error:
            self.exit(message=error.message, return_code=2)
            return
        if self.conversation.transcript is None and self.review_manager is None:
            self.push_screen(SpeakerPicker(self.conversation.speakers))
        else:
            self.label_for_review()

    def review_manager_chosen(self, manager: str) -> None:
        self.review_manager = manager
        self.pop_screen()
        self.label_for_review()

    def label_for_review(self) -> None:
        if self.conversation is None:
            return
        if self.conversation.transcript is None and self.classifier is None:
            self.notify("Labelling as soon as the classifier is ready…")
            return
        self.label_conversation()

    @work(thread=True, exclusive=True, group="review")
    def label_conversation(self) -> None:
        from coachsim.transcript.importers import to_transcript
        from coachsim.tui.messages import ReviewLabelled

        try:
            transcript = to_transcript(self.conversation, self.review_manager or "", self.classifier)
        except CoachsimError as error:
            self.call_from_thread(self.exit, message=error.message, return_code=2)
            return
        self.post_message(ReviewLabelled(transcript))

    def on_review_labelled(self, message) -> None:
        from coachsim.review.sidecar import load_review, new_review
        from coachsim.tui.screens.review import ReviewScreen

        try:
            review = load_review(self.review_source) or new_review(self.review_source, self.review_manager)
        except CoachsimError as error:
            self.exit(message=error.message, return_code=2)
            return
        self.push_screen(ReviewScreen(message.transcript, self.review_source, review))

    def on_classifier_ready(self, message: ClassifierReady) -> None:
        self.classifier = message.classifier
        if self.start == "review" and self.conversation is not None and self.review_manager:
            self.label_for_review()
        for screen in self.screen_stack:
            if hasattr(screen, "classifier_ready"):
                screen.classifier_ready()
        self.load_state.classifier = Load.READY

    def on_classifier_failed(self, message: ClassifierFailed) -> None:
        self.classifier_error = message.error
        self.notify(
            f"The classifier failed to load: {visible(message.error)}",
            severity="error",
            timeout=10,
            markup=False,
        )
        for screen in self.screen_stack:
            if hasattr(screen, "classifier_failed"):
                screen.classifier_failed()
        self.load_state.classifier = Load.FAILED

    def on_screen_resume(self) -> None:
        self._style_screen()

    def on_resize(self, event: Resize) -> None:
        self._style_screen()

    def _style_screen(self) -> None:
        screen = self.screen
        screen.set_class(self.size.width < NARROW_WIDTH, "narrow")
        screen.set_class(self.projector, "projector")

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        result = super().push_screen(screen, *args, **kwargs)
        self.call_after_refresh(self._style_screen)
        return result

    def start_practice(self, scenario_id: str) -> None:
        from coachsim.tui.screens.practice import PracticeScreen

        if self.catalog is None:
            return
        try:
            loaded = self.catalog.get(scenario_id)
        except CoachsimError as error:
            self.notify(visible(error.message), severity="error", markup=False)
            return
        self.push_screen(PracticeScreen(loaded, self.next_seed()))

    def start_demo(self, scenario_id: str, run: str) -> None:
        from coachsim.tui.screens.demo import DemoScreen

        if self.catalog is None:
            return
        try:
            self.push_screen(DemoScreen(self.catalog.get(scenario_id), run))
        except CoachsimError as error:
            self.notify(visible(error.message), severity="error", markup=False)

    def review(self, path: Path) -> None:
        from coachsim.transcript.store import load_transcript
        from coachsim.tui.screens.scorecard import ScorecardScreen

        transcript = load_transcript(path)
        loaded = self.catalog.scenarios.get(transcript.scenario or "") if self.catalog else None
        self.push_screen(ScorecardScreen(transcript, path, loaded))

    def switch_to_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_toggle_help(self) -> None:
        self.screen.toggle_class("show-help")

    def action_toggle_projector(self) -> None:
        self.projector = not self.projector
        self._style_screen()
