"""What the practice and drill screens share in pressure mode: the reply clock, its countdown widget,
the timer that redraws it, and the pause while a dialog covers the screen.

A subclass sets ``reply_clock`` (a :class:`~coachsim.scenario.pressure.ReplyClock`), calls
:meth:`start_ticking` once, and says what happens at zero in :meth:`time_up`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

from coachsim.tui.widgets.countdown import Countdown

if TYPE_CHECKING:
    from coachsim.scenario.pressure import ReplyClock

ResultT = TypeVar("ResultT")


class TimedReplyScreen(Screen[ResultT]):
    #: Seconds between the countdown's redraws in pressure mode.
    TICK_S = 0.2
    #: The reply's countdown in pressure mode, else None.
    reply_clock: ReplyClock | None = None

    def start_ticking(self) -> None:
        self.set_interval(self.TICK_S, self.tick)

    def countdown_shown(self) -> bool:
        """Whether the countdown row is on screen (by default: while the clock has a deadline)."""
        return self.reply_clock is not None and self.reply_clock.deadline is not None

    def show_countdown(self) -> None:
        clock = self.reply_clock
        if clock is not None:
            countdown = self.query_one(Countdown)
            countdown.display = self.countdown_shown()
            countdown.show(clock.remaining(), clock.seconds, clock.paused_at is not None)

    def tick(self) -> None:
        """The countdown's timer: redraw, and act when time is up."""
        clock = self.reply_clock
        if clock is None or clock.deadline is None:
            return
        if clock.expired:
            self.time_up()
        self.show_countdown()

    def time_up(self) -> None:
        """The clock reached zero with the reply still awaited."""
        raise NotImplementedError

    def on_screen_suspend(self) -> None:
        """A dialog (or another screen) covers this one: the clock stops until it is back."""
        if self.reply_clock is not None:
            self.reply_clock.pause()

    def on_screen_resume(self) -> None:
        if self.reply_clock is not None:
            self.reply_clock.resume()
            self.show_countdown()
