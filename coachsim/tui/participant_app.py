"""The practice app as a workshop participant gets it in the browser (``coachsim serve``).

The same practice and scorecard screens, over a join screen instead of home: no saved sessions,
no review, no drill, no command palette. Each labelled reply goes to the room (Services.room).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from coachsim.tui.app import CoachsimApp
from coachsim.workshop.participant import Participant


class ParticipantApp(CoachsimApp):
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, participant: Participant, **options: Any) -> None:
        super().__init__(start="join", **options)
        self.participant = participant
        self.services.room = participant

    def base_screen(self) -> Screen[Any]:
        from coachsim.tui.screens.join import JoinScreen

        return JoinScreen(self.participant)
