"""One workshop participant's app process, as ``coachsim serve`` starts it for each browser.

The server passes who and where in the environment: the room, a participant id, the name from
the join link (if any), the room's scenario (if fixed), the shared data home and the classifier
service's address. Each labelled reply is reported to the room's roster from one background
thread, in order, so a busy roster never holds up the participant's screen.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachsim.scenario.model import Scenario
    from coachsim.transcript.model import Transcript
    from coachsim.workshop.roster import Roster

ROOM_ENV = "COACHSIM_ROOM"
PARTICIPANT_ENV = "COACHSIM_PARTICIPANT"
NAME_ENV = "COACHSIM_PARTICIPANT_NAME"
SCENARIO_ENV = "COACHSIM_ROOM_SCENARIO"
#: How much lower than the room's server and classifier service (and the facilitator's own
#: programs) each participant's app runs: those serve every participant, so when thirty apps
#: keep the cores busy they go first (measured at N=30, seed 1: p95 from Enter to chip 250 ms at
#: the same priority, 211 ms five lower).
NICENESS = 5


@dataclass
class Participant:
    """Who is practising, and their line to the room (see :class:`coachsim.tui.services.RoomLink`)."""

    room: str
    id: str
    name: str = ""
    scenario: str | None = None
    show_name: bool = False
    roster: Roster | None = None
    #: Why the last report to the room failed (the practice itself is unaffected).
    problem: str | None = None
    _writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="room"), repr=False
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Participant:
        env = os.environ if environ is None else environ
        return cls(
            room=env.get(ROOM_ENV) or "workshop",
            id=env.get(PARTICIPANT_ENV) or os.urandom(6).hex(),
            name=env.get(NAME_ENV, ""),
            scenario=env.get(SCENARIO_ENV) or None,
        )

    def _roster(self) -> Roster:
        if self.roster is None:
            from coachsim.workshop.roster import Roster

            self.roster = Roster()
        return self.roster

    def _submit(self, job: Any) -> None:
        def run() -> None:
            from coachsim.errors import CoachsimError

            try:
                job(self._roster())
            except (CoachsimError, OSError) as error:
                self.problem = getattr(error, "message", str(error))
            else:
                self.problem = None

        self._writer.submit(run)

    def joined(self, name: str, show_name: bool, scenario: str | None) -> None:
        self.name, self.show_name, self.scenario = name, show_name, scenario
        self._submit(lambda roster: roster.join(self.room, self.id, name, show_name, scenario))

    def record(self, transcript: Transcript, scenario: Scenario, alert: str | None) -> None:
        """Report the conversation so far (copied now; the room gets it in order, off this thread)."""
        from coachsim.transcript.model import Transcript

        data = transcript.to_dict()
        self._submit(
            lambda roster: roster.record(self.room, self.id, Transcript.from_dict(data), scenario, alert)
        )

    def leave(self, status: str) -> None:
        self._submit(lambda roster: roster.leave(self.room, self.id, status))

    def close(self) -> None:
        """Wait for the reports still queued (the app is closing)."""
        self._writer.shutdown(wait=True)


def lower_priority() -> None:
    """Run this process ``NICENESS`` lower (where the system has niceness; not on Windows)."""
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)


def run_participant() -> int:
    """``coachsim _participant``: the practice app for one browser (textual-serve runs this)."""
    import signal

    from coachsim.tui.participant_app import ParticipantApp
    from coachsim.workshop.classifier_service import RemoteClassifier, ServiceAddress

    # Ctrl+C in the facilitator's terminal reaches every participant too: the server closes each
    # session through textual-serve instead, so the app quits as with Ctrl+Q and saves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lower_priority()
    participant = Participant.from_env()
    address = ServiceAddress.from_env()
    loader = (lambda: RemoteClassifier(address)) if address is not None else None
    app = ParticipantApp(participant, loader=loader)
    try:
        app.run()
    finally:
        participant.leave("left")
        participant.close()
    return int(app.return_code or 0)
