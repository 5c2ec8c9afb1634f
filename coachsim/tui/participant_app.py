"""The practice app as a workshop participant gets it in the browser (``coachsim serve``).

The same practice and scorecard screens, over a join screen instead of home: no saved sessions,
no review, no drill, no command palette. Each labelled reply goes to the room (Services.room).

Thirty of these share two cores, so each is kept light: the reply box's cursor does not blink
(a redraw twice a second per participant), and the objects that survive start-up, and then each
minute, are frozen out of the garbage collector's scans, which otherwise grow with Textual's
render caches into pauses of a few hundred milliseconds that land on someone's reply.
"""

from __future__ import annotations

import gc
from typing import Any

from textual.screen import Screen

from coachsim.tui.app import CoachsimApp
from coachsim.workshop.participant import Participant

#: Seconds between moving the survivors out of the collector's way.
FREEZE_EVERY_S = 60.0


class ParticipantApp(CoachsimApp):
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, participant: Participant, **options: Any) -> None:
        options.setdefault("cursor_blink", False)
        super().__init__(start="join", **options)
        self.participant = participant
        self.services.room = participant
        #: Times the survivors have been moved out of the collector's way.
        self.freezes = 0

    def base_screen(self) -> Screen[Any]:
        from coachsim.tui.screens.join import JoinScreen

        return JoinScreen(self.participant)

    def on_mount(self) -> None:  # after CoachsimApp.on_mount (Textual calls each class's handler)
        self.call_after_refresh(self.freeze_survivors)  # what start-up made, once the first frame is out
        self.set_interval(FREEZE_EVERY_S, self.freeze_survivors)

    def freeze_survivors(self) -> None:
        """``gc.freeze()``, from a method: Textual's timers and callbacks count a callable's
        parameters, and a built-in such as ``gc.freeze`` makes that raise (the app crashed a
        minute in)."""
        gc.freeze()
        self.freezes += 1
