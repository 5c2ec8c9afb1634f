"""``coachsim serve``: start the room's classifier, serve the app, print the join link and a QR code."""

from __future__ import annotations

import ipaddress
import sys
from datetime import date
from pathlib import Path

from coachsim import locations
from coachsim.cli import output
from coachsim.errors import CoachsimError, ExitCode

DEFAULT_PORT = 8000


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def qr_text(url: str) -> str:
    """The join link as a QR code drawn in the terminal (segno)."""
    import io

    import segno

    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


def announce(join_url: str, room: str, host: str) -> None:
    """What the facilitator needs: the link, a QR code of it, and how to watch the room."""
    output.write_line(f"coachsim workshop room '{room}' is open.")
    output.write_line(f"Join link (share it only with the room): {join_url}")
    if sys.stdout.isatty():
        output.write_line(qr_text(join_url))
    output.write_line(f"Watch the room: coachsim room --room {room}")
    if not _is_loopback(host):
        output.warn(
            f"listening on {host}: anyone on this network with the link can join, and there is no TLS;"
            " use a network you trust"
        )
    output.warn("press Ctrl+C to close the room (each participant's transcript is kept)")


def serve(
    host: str,
    port: int,
    scenario: str | None,
    room: str | None,
    model: str | None,
    scenario_dirs: tuple[Path, ...] = (),
) -> int:
    from coachsim.workshop.classifier_service import start_service
    from coachsim.workshop.server import Room, WorkshopServer, new_room_code

    if scenario is not None:
        from coachsim.scenario.files import find_scenario_file

        find_scenario_file(scenario, scenario_dirs)
    if not 0 < port < 65_536:
        raise CoachsimError(f"--port {port}: a port is 1 to 65535")
    name = room or f"workshop-{date.today().isoformat()}"
    locations.ensure_private_dir(locations.user_home())
    output.warn("starting the room's classifier…")
    address, service = start_service(model)
    environment = {locations.HOME_ENV: str(locations.user_home()), **address.to_env()}
    server = WorkshopServer(Room(name, new_room_code(), scenario, environment), host, port)
    server.on_listening.append(lambda s: announce(s.join_url, name, host))
    try:
        server.serve()
    except OSError as error:
        raise CoachsimError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; pick another --port or --host"
        ) from None
    finally:
        service.terminate()
        service.join(timeout=5)
    return ExitCode.OK
