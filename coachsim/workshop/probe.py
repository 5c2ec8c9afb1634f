"""A participant without a browser: joins a ``coachsim serve`` room over the same HTTP and
websocket protocol a browser's page uses, types, and reads what the terminal shows.

The load benchmark and the protocol tests drive rooms with it. What arrives is the app's terminal
output (escape sequences). A frame redraws only the cells that changed (a chip beside a reply, not
the reply again), so what is on screen is read from :class:`CellScreen`, which plays the output
into a grid of cells the way a terminal does: :meth:`ProbeParticipant.rows` is what a browser
would show at that moment. :attr:`ProbeParticipant.text` is the whole output with the escapes
removed, enough to see a line appear.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
from rich.cells import get_character_cell_size

_WS_URL = re.compile(r'data-session-websocket-url="([^"]+)"')
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
#: What Textual writes: cursor moves (``ESC [ row ; col H``), other escapes, line breaks and text.
_OUTPUT = re.compile(r"\x1b\[(\d*)(?:;(\d*))?H|(" + ESCAPES.pattern + r")|([\r\n])|([^\x1b\r\n]+)")
#: A move chip as the practice screen draws it (move names in capitals appear nowhere else).
CHIP = re.compile(r"\b(COACHING|FEEDBACK|MENTORING|TELLING)\b")
#: How the practice screen starts a manager's reply in the log.
REPLY_PREFIX = "You: "


class CellScreen:
    """The cells of a terminal, as the app's output leaves them: only what a Textual app writes
    is played (cursor moves, carriage return and line feed, text); colours and modes are skipped.
    A terminal emulator such as ``pyte`` plays everything, but at 10 to 30 ms of CPU per frame,
    which a room of 30 on two cores cannot spare for the driver."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]
        self.row = self.column = 0

    def feed(self, data: str) -> None:
        for move in _OUTPUT.finditer(data):
            row, column, _escape, control, text = move.groups()
            if text is not None:
                self._write(text)
            elif control == "\r":
                self.column = 0
            elif control == "\n":
                self.row = min(self.row + 1, self.height - 1)
            elif _escape is None:  # a cursor move, 1-based
                self.row = min(max(int(row or 1), 1), self.height) - 1
                self.column = min(max(int(column or 1), 1), self.width) - 1

    def _write(self, text: str) -> None:
        cells = self.cells[self.row]
        if text.isascii():
            end = min(self.column + len(text), self.width)
            cells[self.column : end] = text[: end - self.column]
            self.column = end
            return
        for character in text:
            size = get_character_cell_size(character)
            if size == 0 or self.column + size > self.width:
                continue
            cells[self.column] = character
            if size == 2:
                cells[self.column + 1] = ""
            self.column += size

    @property
    def display(self) -> list[str]:
        return ["".join(cells) for cells in self.cells]


class JoinRefused(Exception):
    """The server answered the join request with something other than the page."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"{status}: {body.strip()}")
        self.status = status
        self.body = body


@dataclass
class ProbeParticipant:
    """One connected participant; use :meth:`join`, then :meth:`type` and :meth:`wait_for`."""

    session: aiohttp.ClientSession
    websocket: aiohttp.ClientWebSocketResponse
    width: int = 110
    height: int = 32
    text: str = ""
    screen: CellScreen = field(init=False)
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace")
    )
    #: Called after each piece of output has been played, in order (to see what one frame showed).
    watchers: list[Callable[[], None]] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def join(
        cls, base_url: str, code: str, name: str, width: int = 110, height: int = 32
    ) -> ProbeParticipant:
        """Load the page with the room code (as a browser does), then open its websocket."""
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        try:
            async with session.get(f"{base_url}/", params={"code": code, "name": name}) as page:
                body = await page.text()
                if page.status != 200:
                    raise JoinRefused(page.status, body)
            found = _WS_URL.search(body)
            if found is None:
                raise JoinRefused(page.status, "the page has no websocket address")
            websocket = await session.ws_connect(f"{found.group(1)}?width={width}&height={height}")
        except BaseException:
            await session.close()
            raise
        probe = cls(session, websocket, width, height)
        probe._reader = asyncio.create_task(probe._read())
        return probe

    def __post_init__(self) -> None:
        self.screen = CellScreen(self.width, self.height)

    async def _read(self) -> None:
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                data = self._decoder.decode(message.data)
                self.screen.feed(data)
                self.text += ESCAPES.sub("", data)
                for watcher in self.watchers:
                    watcher()
                self._changed.set()
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
        self._changed.set()

    @property
    def closed(self) -> bool:
        return self.websocket.closed

    async def type(self, keys: str) -> None:
        """Send keys as the page does (``\\r`` is Enter)."""
        await self.websocket.send_json(["stdin", keys])

    def rows(self) -> list[str]:
        """The screen as it stands, a string per row."""
        return self.screen.display

    async def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> float:
        """Wait until ``condition()`` holds, checked after each piece of output; returns the
        monotonic time it first held. Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.closed and self._reader is not None and self._reader.done():
                raise ConnectionError("the session closed")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{what} never happened")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=left)
            except TimeoutError:
                continue
        return time.monotonic()

    async def wait_for(self, pattern: re.Pattern[str] | str, after: int = 0, timeout: float = 60.0) -> float:
        """Wait until ``pattern`` shows in the output from offset ``after``; returns the
        monotonic time it appeared. Raises TimeoutError."""
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        return await self.wait_until(
            lambda: compiled.search(self.text, after) is not None, f"{compiled.pattern!r} showing", timeout
        )

    def chip_beside(self, text: str) -> str | None:
        """The move chip on screen beside the newest reply ``text``: the lowest row that starts it
        (``You:`` and its first words), then the row there or below that shows its end, and the
        chip on that row or, if the reply wrapped, the next; None while there is none. Text
        elsewhere (an alert's suggested question may end as the reply does) is not the reply."""
        rows = self.rows()
        head, tail = f"{REPLY_PREFIX}{text}"[:24], text[-12:]
        start = next((number for number in range(len(rows) - 1, -1, -1) if head in rows[number]), None)
        if start is None:
            return None
        for number in range(start, len(rows)):
            if tail in rows[number]:
                beside = rows[number][rows[number].index(tail) + len(tail) :]
                found = CHIP.search(beside) or (
                    CHIP.search(rows[number + 1]) if number + 1 < len(rows) else None
                )
                return found.group(1) if found else None
        return None

    async def reply(self, text: str, timeout: float = 60.0) -> float:
        """Type a reply, press Enter and wait until its move chip is on screen beside it; seconds
        from Enter to chip. The reply must start differently from the others on screen (in its
        first 19 characters), or be the newest of them (the lowest)."""
        await self.type(text)
        await self.wait_until(
            lambda: any(text[-12:] in row for row in self.rows()), f"{text!r} typed", timeout
        )
        sent = time.monotonic()
        await self.type("\r")
        return (
            await self.wait_until(lambda: self.chip_beside(text) is not None, f"a chip for {text!r}", timeout)
            - sent
        )

    async def close(self) -> None:
        await self.websocket.close()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout=10)
        await self.session.close()
