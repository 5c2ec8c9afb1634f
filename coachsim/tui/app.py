"""The practice app: home, practice, scorecard, review and demo screens over the domain core.

Scenarios and spaCy load in thread workers after the first frame (pydantic and spaCy are not
even imported before it), so the screen paints at once. Every worker's outcome arrives here as
``Worker.StateChanged`` and is handled in one place; screens hear about it through the
protocols in :mod:`coachsim.tui.services`, and get their dependencies from :class:`Services`.
The app owns navigation: screens ``dismiss`` with a result and the app decides what comes next.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from coachsim.errors import CoachsimError
from coachsim.safetext import visible
from coachsim.tui.services import (
    HearsClassifierFailure,
    Services,
    WaitsForCatalog,
    WaitsForClassifier,
    WaitsForLoad,
    failure_text,
)
from coachsim.tui.state import Load, LoadState

if TYPE_CHECKING:
    from coachsim.classify.classifier import Classifier
    from coachsim.scenario.loader import Catalog
    from coachsim.tui.screens.practice import PracticeResult

#: Below this width the screens use their ``-narrow`` layout.
NARROW_BELOW = 100


#: Seconds after start-up by which the loads start even if no frame has been drawn.
LOADS_START_BY_S = 0.5


def default_loader(model: str | None) -> Callable[[], Classifier]:
    def load() -> Classifier:
        from coachsim.classify.classifier import cached_classifier  # deferred: imports spaCy

        return cached_classifier(model)

    return load


def default_catalog_loader(scenario_dirs: tuple[Path, ...]) -> Callable[[], Catalog]:
    def load() -> Catalog:
        from coachsim.scenario.loader import load_catalog  # deferred: pydantic and YAML

        return load_catalog(scenario_dirs)

    return load


class CoachsimApp(App[None]):
    """``CoachsimApp(start="home" | "practice" | "demo" | "review" | "drill", scenario_id=..., run=...)``."""

    #: The app's styles, then each screen family's own file.
    CSS_PATH = [Path(__file__).parent / name for name in ("app.tcss", "home.tcss", "demo.tcss", "drill.tcss")]
    TITLE = "coachsim"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Ctrl+C quits too (the practice screen saves the run, marked unfinished, as it closes).
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("f2", "toggle_projector", "Projector", show=False),
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
        catalog_loader: Callable[[], Catalog] | None = None,
        drill_count: int = 5,
        pressure: int | None = None,
    ) -> None:
        super().__init__()
        self.start = start
        self.scenario_id = scenario_id
        self.run_name = run
        self.projector = projector
        self.review_source = review_source
        self.review_manager = manager
        self.format_in = format_in
        self.drill_count = drill_count
        #: Pressure mode for every practice and drill: None off, 0 by difficulty, else seconds.
        self.pressure = pressure
        self.loader = loader or default_loader(model)
        self.catalog_loader = catalog_loader or default_catalog_loader(scenario_dirs)
        seeds = itertools.count(seed if seed is not None else int(time.time()) % 100_000)
        self.services = Services(
            clock=clock,
            started=started or (lambda: datetime.now(UTC)),
            next_seed=lambda: next(seeds),
            cursor_blink=cursor_blink,
            catalog=catalog,
        )
        #: What is still loading; see :class:`LoadState`.
        self.load_state = LoadState()
        self._loads_started = False

    # Read-only views of the services, for screens that read them from the app.
    @property
    def catalog(self) -> Catalog | None:
        return self.services.catalog

    @property
    def classifier(self) -> Classifier | None:
        return self.services.classifier

    @property
    def classifier_error(self) -> str | None:
        return self.services.classifier_error

    def next_seed(self) -> int:
        return self.services.next_seed()

    def base_screen(self) -> Screen[Any]:
        """The screen under every other one (home; a workshop participant's join screen)."""
        from coachsim.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._style_screen, immediate=True)
        self.push_screen(self.base_screen())
        if self.start == "practice" and self.scenario_id:
            self.start_practice(self.scenario_id)  # the reply box is there at once, before the load
        elif self.start == "review" and self.review_source is not None:
            self.open_review(self.review_source, self.review_manager, self.format_in)
        elif self.start == "drill":
            self.start_drill(self.drill_count)
        # The loads start once the first frame is out. The timer is for when a screen covers the
        # first one before it has refreshed (a review's speaker picker can): a callback waits for
        # the screen that was on top when it was asked for, and that one would hold the loads.
        self.call_after_refresh(self.start_loads)
        self.set_timer(LOADS_START_BY_S, self.start_loads)

    def start_loads(self) -> None:
        """Start loading the scenarios (unless given) and the classifier; only the first call does."""
        if self._loads_started:
            return
        self._loads_started = True
        if self.services.catalog is not None:
            self.catalog_loaded(self.services.catalog)
        else:
            self.load_catalog()
        self.load_classifier()

    # Background loads. Each returns its result; on_worker_state_changed takes it from there.

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def load_catalog(self) -> Catalog:
        return self.catalog_loader()

    @work(thread=True, exclusive=True, group="classifier", exit_on_error=False)
    def load_classifier(self) -> Classifier:
        return self.loader()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every app worker's success or failure, in one place (a failure leaves the app usable)."""
        worker: Worker[Any] = event.worker
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            if worker.group == "catalog":
                self.catalog_loaded(worker.result)
            elif worker.group == "classifier":
                self.classifier_loaded(worker.result)
        elif event.state == WorkerState.ERROR:
            error = failure_text(worker.error)
            if worker.group == "catalog":
                self.catalog_failed(error)
            elif worker.group == "classifier":
                self.classifier_failed(error)
            elif worker.group == "review":
                self.review_failed(error)
            else:
                self.notify(visible(error), severity="error", markup=False)

    def catalog_loaded(self, catalog: Catalog) -> None:
        self.services.catalog = catalog
        for problem in catalog.problems:
            self.notify(
                f"Skipped a scenario: {visible(str(problem))}", severity="warning", timeout=8, markup=False
            )
        for screen in self.screen_stack:
            if isinstance(screen, WaitsForCatalog):
                screen.catalog_ready()
        if self.start == "demo" and self.scenario_id:
            self.start_demo(self.scenario_id, self.run_name)
        self.load_state.catalog = Load.READY

    def catalog_failed(self, error: str) -> None:
        self.services.catalog_error = error
        self.notify(
            f"The scenarios failed to load: {visible(error)}", severity="error", timeout=10, markup=False
        )
        for screen in self.screen_stack:
            if isinstance(screen, WaitsForLoad):
                screen.catalog_failed()
        self.load_state.catalog = Load.FAILED

    def classifier_loaded(self, classifier: Classifier) -> None:
        self.services.classifier_loaded(classifier)
        for screen in self.screen_stack:
            if isinstance(screen, WaitsForClassifier):
                screen.classifier_ready()
        self.load_state.classifier = Load.READY

    def classifier_failed(self, error: str) -> None:
        self.services.classifier_load_failed(error)
        self.notify(
            f"The classifier failed to load: {visible(error)}", severity="error", timeout=10, markup=False
        )
        for screen in self.screen_stack:
            if isinstance(screen, HearsClassifierFailure):
                screen.classifier_failed()
        self.load_state.classifier = Load.FAILED

    # Navigation: screens dismiss with a result; what comes next is decided here.

    def start_practice(self, scenario_id: str) -> None:
        """Practise ``scenario_id`` (the screen waits for the catalog if it is still loading)."""
        from coachsim.tui.screens.practice import PracticeScreen

        def done(result: PracticeResult | None) -> None:
            if result is not None:
                self.show_scorecard(result)

        screen = PracticeScreen(self.services, scenario_id, self.next_seed(), pressure=self.pressure)
        self.push_screen(screen, done)

    def start_drill(self, n: int) -> None:
        """Today's drill of ``n`` moments (the screen waits for the catalog if it is still loading)."""
        from coachsim.tui.screens.drill import DrillScreen

        self.push_screen(DrillScreen(self.services, n, pressure=self.pressure))

    def show_scorecard(self, result: PracticeResult) -> None:
        from coachsim.tui.screens.scorecard import ScorecardScreen

        def chosen(choice: str | None) -> None:
            if choice == "retry" and result.loaded is not None:
                self.start_practice(result.loaded.scenario.id)

        classifier = self.services.classifier
        nlp = classifier.nlp if classifier is not None else None
        from coachsim.progress.pressure import history_comparison

        screen = ScorecardScreen(result.transcript, result.path, result.loaded, nlp, history_comparison())
        self.push_screen(screen, chosen)

    def start_demo(self, scenario_id: str, run: str) -> None:
        from coachsim.tui.screens.demo import DemoScreen

        if self.services.catalog is None:
            return
        try:
            self.push_screen(DemoScreen(self.services.catalog.get(scenario_id), run))
        except CoachsimError as error:
            self.notify(visible(error.message), severity="error", markup=False)

    def review(self, path: Path) -> None:
        """Review a saved practice session (home's "Review" key)."""
        self.open_review(path, None, None)

    def open_review(self, source: Path, manager: str | None, format_in: str | None) -> None:
        from coachsim.tui.review_flow import review_file

        self.run_worker(
            review_file(self, self.services, source, manager, format_in, cancelled=self.review_cancelled),
            group="review",
            exclusive=True,
            exit_on_error=False,
        )

    def review_failed(self, error: str) -> None:
        if self.start == "review":  # `coachsim review FILE`: a one-line error, like the CLI's own
            self.exit(message=error, return_code=2)
        else:
            self.notify(visible(error), severity="error", markup=False)

    def review_cancelled(self) -> None:
        """The speaker picker was closed without a choice."""
        if self.start == "review":
            self.exit()

    def switch_to_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    # Looks.

    def _style_screen(self, screen: Screen[Any]) -> None:
        screen.set_class(self.projector, "projector")

    def action_toggle_help(self) -> None:
        self.screen.toggle_class("show-help")

    def action_toggle_projector(self) -> None:
        self.projector = not self.projector
        from coachsim.tui.widgets.chat import ReplyItem  # deferred like the screens that show it

        for screen in self.screen_stack:
            self._style_screen(screen)
            for item in screen.query(ReplyItem):
                item.refresh_view()  # chips are drawn large on a projector
