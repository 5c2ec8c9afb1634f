"""A real ``coachsim serve`` on a free loopback port, with its own data home, for the workshop tests."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOM = "test-room"
#: Seconds the server may take to load its classifier and listen (a busy 2-core machine).
START_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServedRoom:
    process: subprocess.Popen[str]
    home: Path
    port: int
    code: str
    room: str = ROOM

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def room_json(self) -> dict:
        """``coachsim room --room ROOM --json`` against the room's data home."""
        env = {**os.environ, "COACHSIM_HOME": str(self.home)}
        done = subprocess.run(
            [sys.executable, "-m", "coachsim", "room", "--room", self.room, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout)

    def wait_for_room(self, condition, what: str, timeout: float = 60.0) -> dict:
        """Poll the room's state (another process writes it) until ``condition(state)`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.room_json()
            if condition(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"the room never showed {what}: {state}")
            time.sleep(0.5)


def start_room(home: Path, *args: str) -> ServedRoom:
    port = free_port()
    home.parent.mkdir(parents=True, exist_ok=True)
    errors = home.parent / "serve.err"
    env = {**os.environ, "COACHSIM_HOME": str(home)}
    env.pop("COACHSIM_SPACY_MODEL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "coachsim", "serve", "--port", str(port), "--room", ROOM, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),  # a file, not a pipe: nobody reads it while the room runs
        text=True,
        start_new_session=True,  # its participants are its children: one group to stop
    )
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    for line in process.stdout:
        found = re.search(r"\?code=(\S+)", line)
        if found:
            return ServedRoom(process, home, port, found.group(1))
        if time.monotonic() > deadline:
            break
    stop_room(process)
    raise AssertionError(f"coachsim serve did not start: {errors.read_text()}")


def stop_room(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # any participant process left behind


@pytest.fixture(scope="module")
def served_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedRoom]:
    room = start_room(tmp_path_factory.mktemp("room-home") / "coachsim", "--scenario", "just-tell-me")
    try:
        yield room
    finally:
        stop_room(room.process)
