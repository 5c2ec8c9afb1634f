"""``coachsim serve``: the practice app in every participant's browser, through textual-serve.

Each browser that opens the join link gets its own app process (textual-serve's model), all of
them writing into the facilitator's data home and labelling through one shared classifier
process. Only invited people get in:

- every request must carry the room code, in the link (``?code=``) or in the cookie the page sets;
  anything else gets 403 and nothing more. The code is compared in constant time.
- the page's terminal connects to a single-use websocket address issued with the page, so the
  websocket cannot be opened without loading the page with the code first.
- the served app only practises: no file browser, no home screen of saved sessions, no command
  palette, so nobody can open another participant's transcript through it.

There is no TLS: run it on a network you trust (see the README).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
import secrets
import shlex
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from coachsim.errors import CoachsimError

log = logging.getLogger("coachsim.serve")

COOKIE = "coachsim_room"
#: Seconds a page's websocket address stays valid before the page must be reloaded.
TOKEN_TTL_S = 600.0
#: The most sessions a room runs at once (each is a process); one more gets 503.
MAX_SESSIONS = 60
MAX_NAME_CHARS = 40
TEMPLATES = Path(__file__).parent / "templates"
FORBIDDEN = "403: this room needs its join link; ask the facilitator for it\n"


_ROOM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


def check_room_name(name: str) -> str:
    """``name`` if it can name a room (letters, digits, ``.``, ``_``, ``-``; up to 40), else one line."""
    if not _ROOM_NAME.fullmatch(name):
        raise CoachsimError(
            f"--room {name!r}: a room name is 1 to 40 letters, digits, '.', '_' or '-', starting with a"
            " letter or digit"
        )
    return name


def new_room_code() -> str:
    """A random code for the join link (about 96 bits)."""
    return secrets.token_urlsafe(12)


def codes_match(given: str | None, expected: str) -> bool:
    """Whether ``given`` is the room code, compared in constant time."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def clean_name(name: str | None) -> str:
    """A display name from the link: printable, one line, at most MAX_NAME_CHARS."""
    from coachsim.safetext import visible

    text = " ".join(visible(name or "", one_line=True).split())
    return text[:MAX_NAME_CHARS]


@dataclass
class Room:
    """What every participant's app is started with."""

    name: str
    code: str
    scenario: str | None
    #: Extra environment for each participant's process (the data home, the classifier service).
    environment: dict[str, str] = field(default_factory=dict)


@dataclass
class _Join:
    name: str
    issued: float


#: Seconds a participant's app has to save and quit once its session closes.
QUIT_TIMEOUT_S = 10.0


class ParticipantService(AppService):
    """textual-serve's app process, with this participant's own environment."""

    def __init__(self, command: str, environment: dict[str, str], **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.extra_environment = environment

    async def stop(self) -> None:
        """Quit the app as textual-serve does, then wait for its process to end (killed after
        ``QUIT_TIMEOUT_S``): a process left to the garbage collector after the room's event loop
        has closed prints a traceback on the facilitator's terminal."""
        await super().stop()
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), timeout=QUIT_TIMEOUT_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        # textual-serve's 60 frames a second, kept: a frame waits up to two frame times for the
        # screen's timer, so 30 fps put up to 130 ms between Enter and the chip (measured at N=30:
        # p95 268 ms at 30 fps, 236 ms at 60, for the same CPU)
        return {**super()._build_environment(width, height), **self.extra_environment}


def participant_command() -> str:
    """The command textual-serve runs for each browser: this Python, the participant app."""
    return f"{shlex.quote(sys.executable)} -m coachsim _participant"


class WorkshopServer(Server):
    """textual-serve's Server with the room's guard, single-use websocket addresses and each
    participant's environment; see the module docstring."""

    def __init__(self, room: Room, host: str, port: int, public_url: str | None = None) -> None:
        import textual_serve

        super().__init__(participant_command(), host=host, port=port, title="coachsim", public_url=public_url)
        self.room = room
        self.templates_path = TEMPLATES
        self.statics_path = Path(textual_serve.__file__).parent / "static"
        self.tokens: dict[str, _Join] = {}
        self.sessions = 0
        self.websockets: set[web.WebSocketResponse] = set()
        #: Called once the server is listening (the CLI prints the join link then).
        self.on_listening: list[Any] = []

    @property
    def join_url(self) -> str:
        return f"{self.public_url}/?code={self.room.code}"

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard], client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """403 and nothing else for a request without the room code (link or cookie)."""
        given = request.query.get("code") or request.cookies.get(COOKIE)
        if not codes_match(given, self.room.code):
            return web.Response(status=403, text=FORBIDDEN)
        return await handler(request)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print here: the link is announced once the socket is really listening."""

    def serve(self, debug: bool = False) -> None:
        """Listen until SIGINT or SIGTERM, then close every session (each participant's app quits
        as with Ctrl+Q, keeping its transcript) and return. Raises OSError if it cannot listen."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._run())

    async def _run(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(await self._make_app(), handle_signals=False, shutdown_timeout=10)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            for callback in self.on_listening:
                callback(self)
            await stop.wait()
        finally:
            # close every session first: each handler then stops its app, which saves and quits
            await asyncio.gather(
                *(ws.close(code=1001) for ws in list(self.websockets)), return_exceptions=True
            )
            await runner.cleanup()

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="coachsim serve: %(message)s")
        # a participant's process ending as the room closes is expected, not worth a warning
        logging.getLogger("asyncio").setLevel(logging.ERROR)

    def _issue_token(self, name: str) -> str:
        now = time.monotonic()
        for token, join in list(self.tokens.items()):
            if now - join.issued > TOKEN_TTL_S:
                del self.tokens[token]
        token = secrets.token_urlsafe(24)
        self.tokens[token] = _Join(name, now)
        return token

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The participant's page: the terminal, connected to a fresh single-use address."""
        token = self._issue_token(clean_name(request.query.get("name")))
        router = request.app.router
        ws_path = router["websocket"].url_for(token=token)
        ws_scheme = "wss" if self.public_url.startswith("https") else "ws"
        public = self.public_url.split("://", 1)[1]
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_scheme}://{public}{ws_path}",
            "config": {"static": {"url": f"{self.public_url}/static/"}},
            "application": {"name": f"coachsim · {self.room.name}"},
            "room": self.room.name,
            "ping_url": "",
        }
        response = aiohttp_jinja2.render_template("participant.html", request, context)
        response.set_cookie(COOKIE, self.room.code, httponly=True, samesite="Strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def participant_environment(self, join: _Join) -> dict[str, str]:
        from coachsim.workshop.participant import NAME_ENV, PARTICIPANT_ENV, ROOM_ENV, SCENARIO_ENV

        return {
            **self.room.environment,
            ROOM_ENV: self.room.name,
            PARTICIPANT_ENV: uuid.uuid4().hex[:12],
            NAME_ENV: join.name,
            SCENARIO_ENV: self.room.scenario or "",
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One participant's session: their own app process, until the browser goes."""
        join = self.tokens.pop(request.match_info["token"], None)
        if join is None or time.monotonic() - join.issued > TOKEN_TTL_S:
            raise web.HTTPForbidden(text="403: this page has expired; reload it\n")
        if self.sessions >= MAX_SESSIONS:
            raise web.HTTPServiceUnavailable(text=f"503: the room is full ({MAX_SESSIONS} sessions)\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: ParticipantService | None = None
        self.sessions += 1
        self.websockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = ParticipantService(
                self.command,
                self.participant_environment(join),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one participant's failure must not stop the room
            log.warning("a participant's session failed: %s", error)
        finally:
            self.sessions -= 1
            self.websockets.discard(websocket)
            if service is not None:
                await service.stop()  # the app quits as with Ctrl+Q: an unfinished transcript
        return websocket
