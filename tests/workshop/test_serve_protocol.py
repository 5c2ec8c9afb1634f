"""``coachsim serve`` over the protocol a browser's page uses, without a browser: the room code
guard, a participant practising and the room seeing it, a closed browser leaving an unfinished
transcript, and nothing listening beyond loopback."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import aiohttp
import pytest

from coachsim.workshop.participant import NICENESS
from coachsim.workshop.probe import JoinRefused, ProbeParticipant
from coachsim.workshop.server import FORBIDDEN

from .conftest import ServedRoom


async def status_and_body(url: str, cookies: dict[str, str] | None = None) -> tuple[int, str, dict]:
    async with aiohttp.ClientSession(cookies=cookies) as session, session.get(url) as response:
        return response.status, await response.text(), dict(response.headers)


@pytest.mark.parametrize(
    "path", ["/", "/?code=wrong", "/?code=", "/static/js/textual.js", "/ws/anything", "/download/x"]
)
async def test_a_request_without_the_room_code_gets_403_and_nothing_else(
    served_room: ServedRoom, path
) -> None:
    status, body, headers = await status_and_body(served_room.base_url + path)
    assert status == 403 and body == FORBIDDEN
    assert "Set-Cookie" not in headers


async def test_a_wrong_cookie_is_refused_and_the_right_one_admits(served_room: ServedRoom) -> None:
    static = served_room.base_url + "/static/js/textual.js"
    assert (await status_and_body(static, {"coachsim_room": "nope"}))[0] == 403
    assert (await status_and_body(static, {"coachsim_room": served_room.code}))[0] == 200


async def test_a_websocket_address_works_once(served_room: ServedRoom) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(served_room.base_url + "/", params={"code": served_room.code}) as page:
            assert page.status == 200
            url = re.search(r'data-session-websocket-url="([^"]+)"', await page.text()).group(1)
        first = await session.ws_connect(url)
        await first.close()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)
        assert refused.value.status == 403


async def test_the_wrong_code_cannot_join(served_room: ServedRoom) -> None:
    with pytest.raises(JoinRefused) as refused:
        await ProbeParticipant.join(served_room.base_url, "not-the-code", "Eve")
    assert refused.value.status == 403


def transcripts(home: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((home / "transcripts").glob("*.json"))]


async def test_a_participant_practises_the_room_sees_it_and_leaving_keeps_the_transcript(
    served_room: ServedRoom,
) -> None:
    probe = await ProbeParticipant.join(served_room.base_url, served_room.code, "Sam")
    try:
        await probe.wait_for("Your name")
        await probe.type("\r")  # the name came with the link
        await probe.wait_for("Priya")
        seconds = await probe.reply("What's on your mind?")
        assert seconds < 30
        assert probe.chip_beside("What's on your mind?") == "COACHING"
        state = served_room.wait_for_room(
            lambda s: any(p["name"] == "Sam" and p["turns"] == 1 for p in s["participants"]), "Sam's reply"
        )
        sam = next(p for p in state["participants"] if p["name"] == "Sam")
        assert sam["counts"]["coaching"] == 1 and sam["scenario"] == "just-tell-me"
        assert state["counts"]["coaching"] >= 1
    finally:
        await probe.close()  # the browser tab goes away mid-conversation
    state = served_room.wait_for_room(
        lambda s: any(p["name"] == "Sam" and p["status"] == "left" for p in s["participants"]), "Sam leaving"
    )
    saved = [
        t
        for t in transcripts(served_room.home)
        if any(turn["text"] == "What's on your mind?" for turn in t["turns"])
    ]
    assert len(saved) == 1 and saved[0]["status"] == "unfinished"
    assert [turn["move"] for turn in saved[0]["turns"] if turn["speaker"] == "manager"] == ["coaching"]


async def test_the_chip_is_on_screen_before_the_report_answers(served_room: ServedRoom) -> None:
    """The chip is what the manager waits for: it goes out in a frame of its own, and the
    report's next line (and the scores) follow in a later one."""
    reply = "And what else is on your mind?"
    probe = await ProbeParticipant.join(served_room.base_url, served_room.code, "Ada")
    at_chip: list[list[str]] = []
    try:
        await probe.wait_for("Your name")
        await probe.type("\r")
        await probe.wait_for("Priya")
        probe.watchers.append(
            lambda: at_chip or probe.chip_beside(reply) is None or at_chip.append(probe.rows())
        )
        await probe.reply(reply)

        def answered() -> str | None:
            for saved in transcripts(served_room.home):
                texts = [turn["text"] for turn in saved["turns"]]
                if reply in texts and texts.index(reply) + 1 < len(texts):
                    return texts[texts.index(reply) + 1]
            return None

        await probe.wait_until(lambda: answered() is not None, "the report's answer saved")
        opening = str(answered())[:24]
        await probe.wait_until(lambda: any(opening in row for row in probe.rows()), "the answer on screen")
    finally:
        await probe.close()
    assert at_chip, "the chip was never seen"
    assert not any(opening in row for row in at_chip[0]), "\n".join([opening, *at_chip[0]])


async def test_a_participants_alert_rephrases_their_own_words(served_room: ServedRoom) -> None:
    """The participant's app has no parser; the room's service builds the suggestion from the
    telling sentence, as the terminal does."""
    probe = await ProbeParticipant.join(served_room.base_url, served_room.code, "Bo")
    try:
        await probe.wait_for("Your name")
        await probe.type("\r")
        await probe.wait_for("Priya")
        await probe.reply("What's on your mind?")
        mark = len(probe.text)
        await probe.reply("Just send it to Dana today.")
        await probe.wait_for(r"What's your plan for\s+getting it\s+to Dana\?", after=mark)
    finally:
        await probe.close()


def _listening_inodes() -> dict[str, str]:
    """inode -> local address of every listening TCP socket (IPv4 and IPv6)."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                found[fields[9]] = fields[1]
    return found


def _tree(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(
                    Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="reads Linux's /proc/net/tcp")
def test_nothing_listens_beyond_loopback_by_default(served_room: ServedRoom) -> None:
    listening = _listening_inodes()
    ours = []
    for pid in _tree(served_room.process.pid):
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        ours += [listening[m[8:-1]] for m in links if m.startswith("socket:[") and m[8:-1] in listening]
    assert len(ours) >= 2  # the web server and the classifier service
    loopback = ("0100007F", "00000000000000000000000001000000")  # 127.0.0.1, ::1
    assert all(address.split(":")[0] in loopback for address in ours), ours


async def test_ctrl_c_closes_the_room_and_keeps_every_transcript(tmp_path: Path) -> None:
    """Ctrl+C in the facilitator's terminal reaches the whole process group: the server closes
    each session (the app quits and saves), stops the classifier and leaves no process behind."""
    import asyncio
    import signal

    from .conftest import start_room, stop_room

    room = start_room(tmp_path / "coachsim", "--scenario", "just-tell-me")
    try:
        probe = await ProbeParticipant.join(room.base_url, room.code, "Kim")
        await probe.wait_for("Your name")
        await probe.type("\r")
        await probe.wait_for("Priya")
        await probe.reply("What's on your mind?")
        os.killpg(room.process.pid, signal.SIGINT)
        assert await asyncio.to_thread(room.process.wait, 60) == 0
        # multiprocessing's resource tracker ends once the server and the classifier have: a
        # moment after the server, so the group is watched until it is empty (or 30 s pass)
        deadline = time.monotonic() + 30
        while (left := group_members(room.process.pid)) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await probe.close()
    finally:
        stop_room(room.process)
    assert left == []  # the classifier service and the participant's app have gone too
    [saved] = transcripts(room.home)
    assert saved["status"] == "unfinished"
    assert [t["move"] for t in saved["turns"] if t["speaker"] == "manager"] == ["coaching"]
    assert "Traceback" not in (tmp_path / "serve.err").read_text()


def group_members(group: int) -> list[str]:
    """The live (not zombie) processes in process group ``group``, as their command names."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (OSError, ValueError):
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if entry.isdigit() and rest[0] != "Z" and int(rest[2]) == group:
            found.append(name)
    return found


def participant_processes(server_pid: int) -> list[int]:
    """The server's descendants that run a participant's app (not the shells starting them)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            session = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[3])
        except (OSError, IndexError, ValueError):
            continue
        if session == server_pid and b"_participant" in command and not command[0].endswith(b"sh"):
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
async def test_each_participants_app_runs_below_the_rooms_server(served_room: ServedRoom) -> None:
    """The server and the classifier service serve every participant: they go first."""
    probe = await ProbeParticipant.join(served_room.base_url, served_room.code, "Ada")
    try:
        await probe.wait_for("Your name")
        server = served_room.process.pid
        apps = participant_processes(server)
        assert apps  # this probe's, and any other still closing
        expected = min(os.getpriority(os.PRIO_PROCESS, server) + NICENESS, 19)
        assert {os.getpriority(os.PRIO_PROCESS, app) for app in apps} == {expected}
    finally:
        await probe.close()
