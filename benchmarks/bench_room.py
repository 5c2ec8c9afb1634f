"""A workshop room under load: N participants practising at once through ``coachsim serve``.

Target (issue 15): 30 participants on one 2-core, 24 GB machine; every reply gets its move chip,
p95 from Enter to chip <= 300 ms while each of the 30 sessions sends a reply every 5 s, and memory
stays bounded.

For each N (default 1, 10 and 30) this starts a fresh ``coachsim serve --room bench-N --scenario
just-tell-me`` in its own session with its own temporary data home, reads the join link from its
stdout, joins N :class:`~coachsim.workshop.probe.ProbeParticipant` sessions over the same HTTP +
websocket protocol the browser's page uses (one every ``--stagger`` seconds; each gets its own app
process), starts practice on each, measures ``--idle`` seconds with nobody typing, then has every
session send ``--replies`` short one-line replies of mixed moves, one every ``--interval`` seconds
with a random phase per session so the sends are spread out. A conversation that reaches one of
the scenario's endings (most paths do within 3 to 6 replies) is started again (Enter for the
scorecard, ``r`` Retry) a second after its last reply, outside the timed span. It measures:

- chip latency: from sending Enter to this reply's move chip arriving on the websocket, beside the
  reply on the probe's screen (what a person at the browser waits for, less the browser's own
  drawing; the chip's frame redraws only the chip's cells); a reply with no chip within
  ``--timeout`` seconds (default 30) is a failure;
- join time: from the first page load to every session showing the persona's first line, and per
  session (page load to practice screen);
- memory, sampled every 0.5 s from /proc over the serve process and all its descendants (parent
  links, plus anything left in its session): the peak summed RSS, the peak summed PSS (shared pages
  split between the processes sharing them, so the fairer total; read every 2 s, as it is dearer),
  the classifier service's peak RSS and the median participant process's peak RSS (the sampler's
  thread runs at niceness 19: a PSS sample keeps a core busy some 100 ms, measuring, not the room);
- CPU seconds used in the reply phase by each kind of process, by this driver and by its sampler;
  and, idle, each participant's share of a core;
- shutdown: probes closed, then SIGINT to the server, SIGTERM if it is still there after 20 s, and
  SIGKILL to whatever of its session is left (reported as ``left_after_server_exit``).

Run with ``uv run python -m benchmarks.bench_room [--sessions 1 10 30] [--replies 6]
[--interval 5.0] [--json PATH]``; the 30-session run takes about three and a half minutes. The driver
runs on the same machine and its CPU is printed; other work on the machine shows in the latencies,
so the load average before each run is printed with it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from coachsim.workshop.probe import ProbeParticipant

TARGET_P95_MS = 300.0
SAMPLE_EVERY_S = 0.5
PSS_EVERY = 4
#: The sampler thread's niceness (the lowest): it takes CPU only the room leaves.
SAMPLER_NICENESS = 19
#: Short manager replies of mixed moves. Each must fit on one line of the chat column beside its
#: chip (about 43 characters in the probe's 110x32 terminal), or the probe never sees the chip.
REPLIES = [
    "What's on your mind?",
    "And what else?",
    "Just go with version B.",
    "What's the real challenge here for you?",
    "I noticed you paused there.",
    "When I had this, I asked Marcus first.",
    "What do you want to happen by Friday?",
    "Send the brief to Northbank today.",
]
#: A conversation that has reached an ending, and a fresh one's status line.
ENDED = re.compile(r"ended after \d+ repl")
FRESH_PRACTICE = re.compile(r"reply 1 · up to \d+")
_JOIN_LINK = re.compile(r"(http://\S+)/\?code=(\S+)")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
assert all(len(reply) <= 43 for reply in REPLIES)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100), interpolated between the nearest ranks."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


# --- memory and CPU from /proc --------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return None


def proc_stat(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, session id, CPU ticks used) from /proc/<pid>/stat."""
    text = _read(f"/proc/{pid}/stat")
    if text is None:
        return None
    fields = text[text.rfind(")") + 2 :].split()  # the name may hold spaces and brackets
    return int(fields[1]), int(fields[3]), int(fields[11]) + int(fields[12])


def _field_kb(path: str, name: str) -> int:
    text = _read(path)
    if text is None:
        return 0
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    return 0


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (all cores, /proc/stat), to compare phases."""
    fields = [int(x) for x in (_read("/proc/stat") or "cpu 0").splitlines()[0].split()[1:]]
    idle = sum(fields[3:5])  # idle, iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def kind_of(pid: int, root: int) -> str:
    """What a process in the room's tree is: server, service, participant, shell or tracker."""
    if pid == root:
        return "server"
    command = (_read(f"/proc/{pid}/cmdline") or "").split("\0")
    joined = " ".join(command)
    if "multiprocessing.spawn" in joined:
        return "service"
    if "resource_tracker" in joined:
        return "tracker"
    if "_participant" in joined:
        return "shell" if command[0].endswith("sh") else "participant"
    return "other"


def describe(pid: int, kinds: dict[int, str]) -> str:
    """A process as ``kind (state)``, e.g. ``participant (S)``; ``Z`` is a zombie (exited, not
    yet reaped by its new parent). ``kinds`` holds what the sampler saw while it was alive."""
    text = _read(f"/proc/{pid}/stat") or ""
    state = text[text.rfind(")") + 2 :].split()[:1] or ["gone"]
    return f"{kinds.get(pid) or kind_of(pid, -1)} ({state[0]})"


def room_processes(root: int) -> dict[int, int]:
    """``root`` and every process descended from it or still in its session: pid -> CPU ticks."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = proc_stat(int(entry))
        if stat is None:
            continue
        pid = int(entry)
        parents[pid], ticks[pid] = stat[0], stat[2]
        if stat[1] == root:  # started with start_new_session, so the session id is the server's pid
            found.add(pid)
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    stack = [root] if root in parents else []
    while stack:
        pid = stack.pop()
        found.add(pid)
        stack.extend(children.get(pid, ()))
    return {pid: ticks[pid] for pid in found}


@dataclass
class ProcessTrack:
    kind: str
    first_rss_kb: int = 0
    last_rss_kb: int = 0
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0


@dataclass
class MemorySampler:
    """Samples the room's processes every SAMPLE_EVERY_S seconds on a thread."""

    root: int
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0
    samples: int = 0
    sampling_s: float = 0.0
    sampling_cpu_s: float = 0.0
    tracks: dict[int, ProcessTrack] = field(default_factory=dict)
    ticks: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        # The lowest priority for this thread alone: a PSS sample keeps a core busy for some
        # 100 ms (the kernel walks 30 processes' page tables), which is measuring, not the room.
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SAMPLER_NICENESS)
        while not self._stop.is_set():
            self.sample()
            self.sampling_cpu_s = time.thread_time()
            self._stop.wait(SAMPLE_EVERY_S)

    def sample(self, pss: bool | None = None) -> None:
        """One look at every process of the room: RSS each time, PSS (dearer: the kernel walks
        each process's page tables) every PSS_EVERY-th time unless ``pss`` says."""
        began = time.perf_counter()
        processes = room_processes(self.root)
        with_pss = self.samples % PSS_EVERY == 0 if pss is None else pss
        rss_total = pss_total = 0
        with self._lock:
            for pid, ticks in processes.items():
                rss = _field_kb(f"/proc/{pid}/status", "VmRSS:")
                pss_kb = (_field_kb(f"/proc/{pid}/smaps_rollup", "Pss:") or rss) if with_pss else 0
                rss_total += rss
                pss_total += pss_kb
                track = self.tracks.get(pid)
                if track is None:
                    track = self.tracks[pid] = ProcessTrack(kind_of(pid, self.root), first_rss_kb=rss)
                elif track.kind in ("shell", "other"):  # seen between fork and exec: look again
                    track.kind = kind_of(pid, self.root)
                track.last_rss_kb = rss or track.last_rss_kb
                track.peak_rss_kb = max(track.peak_rss_kb, rss)
                track.peak_pss_kb = max(track.peak_pss_kb, pss_kb)
                self.ticks[pid] = ticks
            self.peak_rss_kb = max(self.peak_rss_kb, rss_total)
            self.peak_pss_kb = max(self.peak_pss_kb, pss_total)
            self.samples += 1
        self.sampling_s += time.perf_counter() - began

    def cpu_mark(self) -> dict[int, int]:
        """CPU ticks of every process seen so far (take one before and one after a phase)."""
        self.sample(pss=False)
        with self._lock:
            return dict(self.ticks)

    def cpu_by_kind(self, before: dict[int, int], after: dict[int, int]) -> dict[str, float]:
        used: dict[str, float] = {}
        for pid, ticks in after.items():
            kind = self.tracks[pid].kind if pid in self.tracks else "other"
            used[kind] = used.get(kind, 0.0) + (ticks - before.get(pid, 0)) / CLOCK_TICKS
        return {kind: round(seconds, 2) for kind, seconds in sorted(used.items())}

    def peaks(self, kind: str, pss: bool = False) -> list[int]:
        """Each ``kind`` process's peak RSS (or PSS), in kB."""
        return [
            t.peak_pss_kb if pss else t.peak_rss_kb
            for t in self.tracks.values()
            if t.kind == kind and t.peak_rss_kb
        ]


# --- the room's server ----------------------------------------------------------------------


class RoomServer:
    """One ``coachsim serve`` process in its own session (so its whole tree can be ended)."""

    def __init__(self, sessions: int, port: int) -> None:
        self.port = port
        self.home = tempfile.mkdtemp(prefix=f"coachsim-bench-room-{sessions}-")
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed in shutdown)
        command = [sys.executable, "-m", "coachsim", "serve", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--room", f"bench-{sessions}", "--scenario", "just-tell-me"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            env={**os.environ, "COACHSIM_HOME": self.home},
            start_new_session=True,
        )
        self.base_url = ""
        self.code = ""
        #: What the server printed (textual-serve prints a participant app's stderr there too).
        self.output: list[str] = []
        self._linked = threading.Event()
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            found = _JOIN_LINK.search(line)
            if found and not self._linked.is_set():
                self.base_url, self.code = found.group(1), found.group(2)
                self._linked.set()

    def error_text(self) -> str:
        """The server's stderr, then its stdout (where a participant app's traceback goes)."""
        self.stderr.seek(0)
        return self.stderr.read() + "".join(self.output)

    async def ready(self, timeout: float = 180.0) -> float:
        """Wait for the join link, then for this server (not another on the port) to answer with
        the code; returns seconds from launch."""
        began = time.monotonic()
        while not self._linked.wait(0.1):
            if self.process.poll() is not None or time.monotonic() - began > timeout:
                raise SystemExit(f"coachsim serve printed no join link:\n{self.error_text()[-2000:]}")
        # The link is printed before the port is bound; wait for our own server to answer.
        async with aiohttp.ClientSession() as http:
            while True:
                if self.process.poll() is not None:
                    raise SystemExit(f"coachsim serve exited:\n{self.error_text()[-2000:]}")
                try:
                    url = f"{self.base_url}/static/css/xterm.css"
                    async with http.get(url, params={"code": self.code}) as response:
                        if response.status == 200:
                            return time.monotonic() - began
                except aiohttp.ClientError:
                    pass
                if time.monotonic() - began > timeout:
                    raise SystemExit("coachsim serve never answered with its room code")
                await asyncio.sleep(0.1)

    def shutdown(self, kinds: dict[int, str]) -> dict[str, Any]:
        """SIGINT (as Ctrl+C), then SIGTERM, then SIGKILL to whatever of its session is left;
        reports what had to be ended by force (``kinds``: pid -> kind, as sampled)."""
        report: dict[str, Any] = {}
        for signal_number, wait_s in ((signal.SIGINT, 20.0), (signal.SIGTERM, 10.0)):
            if self.process.poll() is None:
                self.process.send_signal(signal_number)
                try:
                    self.process.wait(timeout=wait_s)
                except subprocess.TimeoutExpired:
                    report[f"server_ignored_{signal.Signals(signal_number).name}"] = True
        report["server_exit_code"] = self.process.poll()
        left: list[str] = []
        for _ in range(20):  # up to 2 s for the rest of its tree to go (zombies are gone, just unreaped)
            time.sleep(0.1)
            left = [
                describe(pid, kinds) for pid in room_processes(self.process.pid) if pid != self.process.pid
            ]
            left = [process for process in left if not process.endswith("(Z)")]
            if not left:
                break
        report["left_after_server_exit"] = sorted(left)
        if left:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)  # the last of its output
        errors = self.error_text()
        report["session_failures_logged"] = errors.count("a participant's session failed")
        report["tracebacks_logged"] = errors.count("Traceback (most recent call last)")
        if report["tracebacks_logged"] or report["session_failures_logged"]:
            report["stderr_tail"] = errors[-3000:]
        self.stderr.close()
        return report


# --- the participants -----------------------------------------------------------------------


@dataclass
class Session:
    index: int
    probe: ProbeParticipant | None = None
    join_s: float | None = None
    join_error: str | None = None
    latencies_s: list[float] = field(default_factory=list)
    #: (seconds into the reply phase the reply was sent, its latency in seconds), for each chip
    timeline: list[tuple[float, float]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    sent: int = 0
    restarts: int = 0
    restart_failures: list[str] = field(default_factory=list)


async def join_session(session: Session, base_url: str, code: str, timeout: float) -> None:
    began = time.monotonic()
    try:
        probe = await ProbeParticipant.join(base_url, code, f"Bench {session.index + 1}")
        session.probe = probe
        await probe.wait_for("Your name", timeout=timeout)
        await probe.type("\r")
        await probe.wait_for("Priya", timeout=timeout)
    except Exception as error:  # a session that cannot join is reported, not fatal
        session.join_error = f"{type(error).__name__}: {error}"
        return
    session.join_s = time.monotonic() - began


#: From a conversation that has ended, each step of starting again: its name, the key pressed and
#: what shows once it is done (Enter for the scorecard, then ``r`` to retry).
RESTART_STEPS = (("scorecard", "\r", "r Retry"), ("retry", "r", FRESH_PRACTICE))


async def press(probe: ProbeParticipant, key: str, shows: re.Pattern[str] | str, timeout: float) -> None:
    """Press ``key`` and wait until ``shows`` appears in what follows."""
    mark = len(probe.text)
    await probe.type(key)
    await probe.wait_for(shows, after=mark, timeout=timeout)


async def practise_again(probe: ProbeParticipant, timeout: float) -> None:
    """From a conversation that has ended: the scorecard, then Retry (``RESTART_STEPS``)."""
    for _step, key, shows in RESTART_STEPS:
        await press(probe, key, shows, timeout)


async def drive_session(
    session: Session, start: float, phase: float, replies: int, interval: float, timeout: float
) -> None:
    """``replies`` replies, the k-th sent at start + phase + k * interval (or as soon as the
    previous one is done, if that is later). The scenario can end within a few replies (most
    paths through just-tell-me reach an ending in 3 to 6); a second after a reply, an ended
    conversation is started again (scorecard, Retry), outside the timed Enter-to-chip span."""
    probe = session.probe
    assert probe is not None
    practice_from = 0
    for k in range(replies):
        send_at = start + phase + k * interval
        if k > 0:
            await asyncio.sleep(max(0.0, min(1.0, send_at - time.monotonic())))
            if ENDED.search(probe.text, practice_from):
                try:
                    await practise_again(probe, timeout)
                except Exception as error:
                    session.restart_failures.append(f"before reply {k + 1}: {type(error).__name__}: {error}")
                session.restarts += 1
                practice_from = len(probe.text)
        delay = send_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        text = REPLIES[(session.index + k) % len(REPLIES)]
        session.sent += 1
        at = time.monotonic() - start
        try:
            latency = await probe.reply(text, timeout=timeout)
            session.latencies_s.append(latency)
            session.timeline.append((at, latency))
        except Exception as error:  # no chip in time, or the session went: a failure, not the end
            session.failures.append(
                {
                    "reply": k + 1,
                    "text": text,
                    "at_s": round(at, 2),
                    "error": f"{type(error).__name__}: {error}",
                }
                | {"screen_tail": probe.text[-600:]}
            )
            if probe.closed:
                return


async def run_room(sessions: int, args: argparse.Namespace) -> dict[str, Any]:
    # Each N's phases from its own stream, so a room runs the same whichever other Ns run first.
    rng = random.Random(f"{args.seed}/{sessions}")
    load_before = [round(x, 2) for x in os.getloadavg()]
    port = args.port or free_port()
    server = RoomServer(sessions, port)
    sampler = MemorySampler(server.process.pid)
    sampler.start()
    result: dict[str, Any] = {"sessions": sessions, "load_average_before": load_before, "port": port}
    members = [Session(index) for index in range(sessions)]
    growth: list[int] = []
    try:
        result["server_ready_s"] = round(await server.ready(), 2)
        # joining: staggered launches, overlapping joins
        began = time.monotonic()
        joins = []
        for member in members:
            joins.append(asyncio.create_task(join_session(member, server.base_url, server.code, 120.0)))
            await asyncio.sleep(args.stagger)
        await asyncio.gather(*joins)
        result["join_all_s"] = round(time.monotonic() - began, 2)
        joined = [m for m in members if m.join_s is not None]
        join_times = [m.join_s for m in joined if m.join_s is not None]
        result["joined"] = len(joined)
        result["join_session_median_s"] = round(statistics.median(join_times), 2) if join_times else None
        result["join_session_max_s"] = round(max(join_times), 2) if join_times else None
        result["join_errors"] = [m.join_error for m in members if m.join_error]
        after_join_rss = {pid: t.last_rss_kb for pid, t in sampler.tracks.items() if t.kind == "participant"}
        # idle: everyone practising, nobody typing (what the apps cost while people think)
        if args.idle > 0 and joined:
            idle_before, chars_before = sampler.cpu_mark(), sum(len(m.probe.text) for m in joined if m.probe)
            await asyncio.sleep(args.idle)
            idle_cpu = sampler.cpu_by_kind(idle_before, sampler.cpu_mark())
            chars = sum(len(m.probe.text) for m in joined if m.probe) - chars_before
            result["idle_participant_cpu_pct_each"] = round(
                100 * idle_cpu.get("participant", 0.0) / args.idle / len(joined), 1
            )
            result["idle_screen_chars_per_s_each"] = round(chars / args.idle / len(joined))
        # the reply phase
        cpu_before = sampler.cpu_mark()
        driver_cpu_before, sampler_cpu_before = time.process_time(), sampler.sampling_cpu_s
        machine_before = machine_busy_s()
        start = time.monotonic() + 0.5
        await asyncio.gather(
            *(
                drive_session(
                    m, start, rng.uniform(0, args.interval), args.replies, args.interval, args.timeout
                )
                for m in joined
            )
        )
        phase_s = time.monotonic() - start
        machine_cpu = machine_busy_s() - machine_before
        sampler_cpu = sampler.sampling_cpu_s - sampler_cpu_before
        driver_cpu = time.process_time() - driver_cpu_before - sampler_cpu
        cpu_after = sampler.cpu_mark()
        cpu = sampler.cpu_by_kind(cpu_before, cpu_after)
        latencies = [s * 1000 for m in joined for s in m.latencies_s]
        failures = [f | {"session": m.index + 1} for m in joined for f in m.failures]
        growth = [
            sampler.tracks[pid].last_rss_kb - kb
            for pid, kb in after_join_rss.items()
            if pid in sampler.tracks
        ]
        result |= {
            "replies_sent": sum(m.sent for m in joined),
            "chips": len(latencies),
            "failures": len(failures),
            "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "max_ms": round(max(latencies), 1) if latencies else None,
            "p95_over_target": round(percentile(latencies, 95) / TARGET_P95_MS, 3) if latencies else None,
            "reply_phase_s": round(phase_s, 1),
            "restarts": sum(m.restarts for m in joined),
            "restart_failures": [f for m in joined for f in m.restart_failures],
            "cpu_s_in_reply_phase": cpu | {"driver": round(driver_cpu, 2), "sampler": round(sampler_cpu, 2)},
            "cores_busy_in_reply_phase": round((sum(cpu.values()) + driver_cpu + sampler_cpu) / phase_s, 2),
            "machine_cores_busy_in_reply_phase": round(machine_cpu / phase_s, 2),
            "screen_chars_received_median": round(
                statistics.median(len(m.probe.text) for m in joined if m.probe is not None)
            ),
            "load_average_after_replies": [round(x, 2) for x in os.getloadavg()],
            "latencies_ms": [round(x, 1) for x in latencies],
            "timeline": sorted(
                (round(at, 2), round(latency * 1000, 1), m.index + 1)
                for m in joined
                for at, latency in m.timeline
            ),
            "failure_details": failures,
        }
    finally:
        for member in members:
            if member.probe is not None:
                with contextlib.suppress(TimeoutError, OSError, aiohttp.ClientError):
                    await asyncio.wait_for(member.probe.close(), timeout=15)
        # how long the participants' processes take to go once their browsers have left
        closed_at = time.monotonic()
        while time.monotonic() - closed_at < 15:
            sampler.sample(pss=False)
            live = room_processes(server.process.pid)
            if not any(sampler.tracks.get(pid, ProcessTrack("")).kind == "participant" for pid in live):
                break
            await asyncio.sleep(0.1)
        result["participants_gone_after_close_s"] = round(time.monotonic() - closed_at, 2)
        sampler.stop()
        result["shutdown"] = server.shutdown({pid: t.kind for pid, t in sampler.tracks.items()})
    service = sampler.peaks("service")
    participants = sampler.peaks("participant")
    result |= {
        "peak_total_rss_mb": round(sampler.peak_rss_kb / 1024),
        "peak_total_pss_mb": round(sampler.peak_pss_kb / 1024),
        "server_rss_mb": round(max(sampler.peaks("server") or [0]) / 1024),
        "service_rss_mb": round(max(service or [0]) / 1024),
        "participant_rss_median_mb": round(statistics.median(participants) / 1024) if participants else None,
        "participant_rss_max_mb": round(max(participants) / 1024) if participants else None,
        "participant_pss_median_mb": (
            round(statistics.median(sampler.peaks("participant", pss=True)) / 1024) if participants else None
        ),
        "service_pss_mb": round(max(sampler.peaks("service", pss=True) or [0]) / 1024),
        "participant_processes_seen": len(participants),
        "participant_rss_growth_in_reply_phase_kb_median": (
            round(statistics.median(growth)) if growth else None
        ),
        "memory_samples": sampler.samples,
        "sampler_ms_per_sample": round(sampler.sampling_s / max(sampler.samples, 1) * 1000, 1),
    }
    return result


def _cell(value: Any, width: int, digits: int = 0, unit: str = "") -> str:
    """A right-aligned table cell; '-' for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return f"{'-':>{width}}"
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    return f"{text + unit:>{width}}"


def print_table(results: list[dict[str, Any]]) -> None:
    columns = [
        ("N", "sessions", 3, 0, ""),
        ("load", "load_1min", 5, 2, ""),
        ("sent", "replies_sent", 5, 0, ""),
        ("chips", "chips", 5, 0, ""),
        ("fail", "failures", 4, 0, ""),
        ("p50 ms", "p50_ms", 7, 1, ""),
        ("p95 ms", "p95_ms", 7, 1, ""),
        ("max ms", "max_ms", 7, 1, ""),
        ("join s", "join_all_s", 7, 1, ""),
        ("join/ses s", "join_session_median_s", 10, 1, ""),
        ("peak RSS", "peak_total_rss_mb", 9, 0, " MB"),
        ("peak PSS", "peak_total_pss_mb", 9, 0, " MB"),
        ("service", "service_rss_mb", 8, 0, " MB"),
        ("partic.", "participant_rss_median_mb", 8, 0, " MB"),
    ]
    header = " ".join(f"{title:>{width}}" for title, _, width, _, _ in columns)
    print(header)
    print("-" * len(header))
    for r in results:
        row = r | {"load_1min": float(r["load_average_before"][0])}
        print(" ".join(_cell(row.get(key), width, digits, unit) for _, key, width, digits, unit in columns))
    print(
        "(load: 1-min load average before the run; join s: first page load to every session practising;"
        " join/ses: median per session; service: classifier service RSS; partic.: median participant"
        " process peak RSS)"
    )
    for r in results:
        if r.get("p95_ms") is None:
            continue
        verdict = "meets" if r["p95_ms"] <= TARGET_P95_MS and r["failures"] == 0 else "misses"
        cpu = ", ".join(f"{kind} {seconds} s" for kind, seconds in r["cpu_s_in_reply_phase"].items())
        print(
            f"N={r['sessions']}: p95 {r['p95_ms']:.0f} ms = {r['p95_over_target']:.2f}x the"
            f" {TARGET_P95_MS:.0f} ms target, {r['failures']} of {r['replies_sent']} replies without a chip"
            f" ({verdict} the target); joined {r['joined']}/{r['sessions']};"
            f" {r['restarts']} conversations restarted after an ending; reply phase"
            f" {r['reply_phase_s']} s using {r['cores_busy_in_reply_phase']} cores ({cpu}) of the"
            f" machine's {r['machine_cores_busy_in_reply_phase']} busy;"
            f" idle, each participant used {r.get('idle_participant_cpu_pct_each', '-')}% of a core"
            f" and sent {r.get('idle_screen_chars_per_s_each', '-')} screen chars/s"
        )


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    results = []
    for sessions in args.sessions:
        print(
            f"N={sessions}: starting (load average {', '.join(f'{x:.2f}' for x in os.getloadavg())})",
            file=sys.stderr,
        )
        result = await run_room(sessions, args)
        print(
            f"N={sessions}: {result.get('chips')} chips of {result.get('replies_sent')} replies,"
            f" p95 {result.get('p95_ms')} ms, peak PSS {result['peak_total_pss_mb']} MB,"
            f" shutdown {result['shutdown']}",
            file=sys.stderr,
        )
        results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30], help="the Ns to run")
    parser.add_argument("--replies", type=int, default=6, help="replies each session sends")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between a session's replies")
    parser.add_argument("--stagger", type=float, default=0.5, help="seconds between session joins")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a reply is a failure")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of no typing measured before")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="seed for the sessions' phases (a room of N draws from its own stream)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    print_table(results)
    if args.json is not None:
        summary = {
            "cores": os.cpu_count(),
            "target_p95_ms": TARGET_P95_MS,
            "args": vars(args) | {"json": str(args.json)},
        }
        args.json.write_text(json.dumps(summary | {"runs": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
