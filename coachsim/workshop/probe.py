"""A participant without a browser: joins a ``coachsim serve`` room over the same HTTP and
websocket protocol a browser's page uses, types, and reads what the terminal shows.

The load benchmark and the protocol tests drive rooms with it. What arrives is the app's terminal
output (escape sequences); :attr:`ProbeParticipant.text` is that output with the escapes removed,
which is enough to see a line or a move chip appear.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import aiohttp

_WS_URL = re.compile(r'data-session-websocket-url="([^"]+)"')
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
#: A move chip as the practice screen draws it (move names in capitals appear nowhere else).
CHIP = re.compile(r"\b(COACHING|FEEDBACK|MENTORING|TELLING)\b")


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
    text: str = ""
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
        probe = cls(session, websocket)
        probe._reader = asyncio.create_task(probe._read())
        return probe

    async def _read(self) -> None:
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += ESCAPES.sub("", message.data.decode("utf-8", "replace"))
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

    async def wait_for(self, pattern: re.Pattern[str] | str, after: int = 0, timeout: float = 60.0) -> float:
        """Wait until ``pattern`` shows in the output from offset ``after``; returns the
        monotonic time it appeared. Raises TimeoutError."""
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while not compiled.search(self.text, after):
            if self.closed and self._reader is not None and self._reader.done():
                raise ConnectionError("the session closed")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{compiled.pattern!r} never appeared")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=left)
            except TimeoutError:
                continue
        return time.monotonic()

    async def reply(self, text: str, timeout: float = 60.0) -> float:
        """Type a reply, press Enter and wait for its move chip; seconds from Enter to chip. The
        reply must fit on one line of the terminal, so its chip is drawn beside its end."""
        await self.type(text)
        await self.wait_for(re.escape(text[-12:]), after=max(len(self.text) - 4000, 0), timeout=timeout)
        mark = len(self.text)
        sent = time.monotonic()
        await self.type("\r")
        # this reply's own line with its chip (older chips are redrawn as the log scrolls)
        labelled = re.compile(re.escape(text[-12:]) + r"\s+" + CHIP.pattern)
        return await self.wait_for(labelled, after=mark, timeout=timeout) - sent

    async def close(self) -> None:
        await self.websocket.close()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout=10)
        await self.session.close()
