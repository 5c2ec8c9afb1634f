"""CPU one workshop participant's app process spends on each step of a conversation.

Thirty of these apps share two cores in a room (issue 15), so what each step costs decides how
long a reply waits for its chip when many people type at once. This starts ``coachsim serve``
(as :mod:`benchmarks.bench_room` does), joins one probe participant over the browser's websocket
protocol, and plays ``--conversations`` conversations of just-tell-me: each of bench_room's replies
in turn until the scenario ends, then Enter for the scorecard and ``r`` to Retry. After each step it
waits ``--settle`` seconds for the app to go quiet and reads the app process's CPU time from
/proc (10 ms ticks, hence the medians over several steps). It prints the median and mean CPU
milliseconds of a reply (typing it, Enter, the chip, the report's answer), of the reply that ends
the conversation, of the scorecard and of Retry, the median Enter-to-chip latency, and the CPU
of the whole conversation cycle, with bench_room's mix of replies.

Run with ``uv run python -m benchmarks.bench_participant [--conversations 6] [--json PATH]``
(Linux: it reads /proc); about a minute and a half.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_room import (
    CLOCK_TICKS,
    ENDED,
    REPLIES,
    RESTART_STEPS,
    RoomServer,
    Session,
    free_port,
    join_session,
    kind_of,
    press,
    proc_stat,
    room_processes,
)


def cpu_ms(pid: int) -> float:
    stat = proc_stat(pid)
    if stat is None:
        raise SystemExit(f"bench_participant: the participant's app (pid {pid}) is gone")
    return stat[2] * 1000 / CLOCK_TICKS


async def measure(conversations: int, settle: float) -> dict[str, Any]:
    server = RoomServer(1, free_port())
    steps: dict[str, list[float]] = {"reply": [], "ending reply": [], "scorecard": [], "retry": []}
    latencies: list[float] = []
    try:
        await server.ready()
        session = Session(0)
        await join_session(session, server.base_url, server.code, 120.0)
        probe = session.probe
        if probe is None:
            raise SystemExit(f"bench_participant: could not join: {session.join_error}")
        await asyncio.sleep(settle)
        root = server.process.pid
        [pid] = [p for p in room_processes(root) if kind_of(p, root) == "participant"]
        turn = 0
        for _ in range(conversations):
            practice_from = len(probe.text)
            while True:
                text = REPLIES[turn % len(REPLIES)]
                turn += 1
                before = cpu_ms(pid)
                latencies.append(1000 * await probe.reply(text, timeout=30.0))
                await asyncio.sleep(settle)
                ended = ENDED.search(probe.text, practice_from) is not None
                steps["ending reply" if ended else "reply"].append(cpu_ms(pid) - before)
                if ended:
                    break
            for step, key, shows in RESTART_STEPS:
                before = cpu_ms(pid)
                await press(probe, key, shows, timeout=30.0)
                await asyncio.sleep(settle)
                steps[step].append(cpu_ms(pid) - before)
        await probe.close()
    finally:
        server.shutdown({})
    return {"steps_cpu_ms": steps, "latencies_ms": latencies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=6, help="conversations to play")
    parser.add_argument("--settle", type=float, default=1.5, help="seconds for a step to go quiet")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    if not Path("/proc/self/stat").exists():
        sys.exit("bench_participant: reads CPU time from /proc; run it on Linux")
    began = time.monotonic()
    result = asyncio.run(measure(args.conversations, args.settle))
    steps = result["steps_cpu_ms"]
    print(f"{'step':14s} {'n':>3s} {'median ms':>10s} {'mean ms':>8s}")
    for step, values in steps.items():
        print(f"{step:14s} {len(values):3d} {statistics.median(values):10.0f} {statistics.mean(values):8.0f}")
    replies_per_conversation = (len(steps["reply"]) + len(steps["ending reply"])) / args.conversations
    cycle = sum(statistics.mean(values) * len(values) for values in steps.values()) / args.conversations
    end_share = sum(statistics.mean(steps[step]) for step in ("ending reply", "scorecard", "retry"))
    print(
        f"a conversation of {replies_per_conversation:.1f} replies costs the app {cycle:.0f} ms of CPU, "
        f"{end_share:.0f} ms of it its end (ending reply, scorecard, Retry); "
        f"Enter to chip median {statistics.median(result['latencies_ms']):.0f} ms, one participant alone "
        f"({time.monotonic() - began:.0f} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
