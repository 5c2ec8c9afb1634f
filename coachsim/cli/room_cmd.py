"""``coachsim room``: the workshop room's state once as JSON, or the live room view."""

from __future__ import annotations

from coachsim.cli import output
from coachsim.errors import CoachsimError
from coachsim.workshop.roster import Roster

NO_ROOM = "no room yet: start one with `coachsim serve`"


def show_room(room: str | None, as_json: bool, projector: bool) -> int:
    """With ``as_json``, print the room's state as one JSON line (``room``: default the room updated
    last; none at all raises CoachsimError); otherwise run the live view until the facilitator quits."""
    roster = Roster()
    if as_json:
        name = room if room is not None else roster.latest_room()
        if name is None:
            raise CoachsimError(NO_ROOM)
        output.write_line(output.json_line(roster.state(name).to_dict()))
        return 0
    from coachsim.tui.room_app import RoomApp  # deferred: Textual is only needed for the live view

    RoomApp(room, projector=projector, roster=roster).run()
    return 0
