"""Reporting on an archive: ``coachsim report DIR --format jsonl`` over ~20,000 labelled manager
turns in many WebVTT files, with ``--jobs 1`` and ``--jobs 2``, each a whole process (start-up,
model load, every file). Prints labelled turns per second (median over rounds), the jobs-2/jobs-1
ratio, and peak memory: the process tree's summed PSS (sampled from /proc) and the largest single
process (``getrusage(RUSAGE_CHILDREN).ru_maxrss``). A small archive (a tenth of the turns) is run
once with ``--jobs 1`` so the peak can be compared: a streaming run's memory should hardly grow.

Rerun with ``uv run python -m benchmarks.bench_archive [--turns 20000] [--rounds 3]``. On a shared
2-core machine the numbers are noisy, and ``--jobs 2`` cannot gain much when the other core is busy.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from coachsim import locations

#: What the other person says between the manager's replies (from tests/data/imports).
OTHER_LINES = [
    "Honestly the launch. I've got three versions of the positioning and I can't pick one.",
    "Marcus will pull it apart in the review.",
    "The release. The tests are flaky and I keep rerunning them.",
    "I need someone to say no to the extra project.",
    "No, not yet.",
]
REPLIES_PER_FILE = 100


def manager_replies() -> list[str]:
    """Real-register replies from the labelled corpus, in file order."""
    texts = []
    for split in ("realdev", "dev2", "train", "dev"):
        for line in (locations.corpus_dir() / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            texts.append(" ".join(json.loads(line)["text"].split()))
    return texts


def _clock(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02}:{int(minutes):02}:{secs:06.3f}"


def write_archive(folder: Path, replies: int) -> int:
    """VTT files of ``REPLIES_PER_FILE`` manager replies each (Alex), every one answered (Sam);
    returns the number of manager replies written."""
    texts = itertools.cycle(manager_replies())
    others = itertools.cycle(OTHER_LINES)
    written = 0
    for number in itertools.count():
        if written >= replies:
            return written
        cues = ["WEBVTT", ""]
        at = 0.0
        for _ in range(min(REPLIES_PER_FILE, replies - written)):
            for speaker, text in (("Alex", next(texts)), ("Sam", next(others))):
                cues += [f"{_clock(at)} --> {_clock(at + 3)}", f"<v {speaker}>{text}", ""]
                at += 3.5
            written += 1
        (folder / f"meeting-{number:04}.vtt").write_text("\n".join(cues), encoding="utf-8")
    return written


def _memory_kb(pid: int) -> int:
    """``pid``'s proportional set size (shared pages split between the processes sharing them, so
    forked workers are not counted twice), or its RSS where PSS is not available."""
    for name, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name, encoding="ascii") as status:
                for line in status:
                    if line.startswith(field):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _tree_rss_kb(pid: int) -> int:
    """Summed memory (PSS) of ``pid`` and its descendants (kB); 0 for processes gone."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        total += _memory_kb(current)
        try:
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_report(folder: Path, jobs: int) -> dict[str, float]:
    """One whole ``coachsim report`` process: wall and CPU seconds, rows out, peak memory."""
    command = [sys.executable, "-m", "coachsim", "report", str(folder), "--manager", "Alex"]
    command += ["--format", "jsonl", "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = [0]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)

        def sample() -> None:
            while process.poll() is None:
                peak[0] = max(peak[0], _tree_rss_kb(process.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, err = process.communicate()
        wall = time.perf_counter() - start
        sampler.join()
        if process.returncode != 0:
            raise SystemExit(f"coachsim report failed ({process.returncode}): {err.decode()[-500:]}")
        out.seek(0)
        rows = sum(1 for _ in out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "rows": rows,
        "tree_peak_mb": peak[0] / 1024,
        "largest_process_mb": after.ru_maxrss / 1024,  # the largest child so far (Linux: kB)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=20_000, help="manager turns to label")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ["COACHSIM_HOME"] = tempfile.mkdtemp()
    with tempfile.TemporaryDirectory() as big, tempfile.TemporaryDirectory() as small:
        turns = write_archive(Path(big), args.turns)
        small_turns = write_archive(Path(small), max(1, args.turns // 10))
        runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
        for round_number in range(args.rounds):
            order = (1, 2) if round_number % 2 == 0 else (2, 1)
            for jobs in order:
                result = run_report(Path(big), jobs)
                if result["rows"] != turns:
                    raise SystemExit(f"expected {turns} rows, got {result['rows']}")
                runs[jobs].append(result)
                print(
                    f"round {round_number + 1} --jobs {jobs}: {turns / result['wall_s']:.0f} turns/s,"
                    f" wall {result['wall_s']:.1f} s, tree peak {result['tree_peak_mb']:.0f} MB",
                    file=sys.stderr,
                )
        small_run = run_report(Path(small), 1)
    rates = {jobs: [turns / r["wall_s"] for r in rs] for jobs, rs in runs.items()}
    cpu_rates = {jobs: [turns / r["cpu_s"] for r in rs] for jobs, rs in runs.items()}
    ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
    summary = {
        "turns": turns,
        "files": -(-turns // REPLIES_PER_FILE),
        "rounds": args.rounds,
        "cores": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        **{
            f"jobs{jobs}": {
                "turns_per_s_median": round(statistics.median(rates[jobs])),
                "turns_per_s": [round(r) for r in rates[jobs]],
                "turns_per_cpu_s_median": round(statistics.median(cpu_rates[jobs])),
                "wall_s_median": round(statistics.median(r["wall_s"] for r in runs[jobs]), 1),
                "tree_peak_mb_max": round(max(r["tree_peak_mb"] for r in runs[jobs])),
            }
            for jobs in (1, 2)
        },
        "jobs2_over_jobs1": round(statistics.median(ratios), 3),
        "jobs2_over_jobs1_rounds": [round(r, 3) for r in ratios],
        "largest_single_process_mb": round(runs[2][-1]["largest_process_mb"]),
        "small_archive": {"turns": small_turns, "tree_peak_mb": round(small_run["tree_peak_mb"])},
        "peak_growth_10x_turns": round(
            max(r["tree_peak_mb"] for r in runs[1]) / max(small_run["tree_peak_mb"], 1), 3
        ),
    }
    print(json.dumps(summary, indent=2))
    print(
        f"{turns:,} turns: --jobs 1 {summary['jobs1']['turns_per_s_median']} turns/s,"
        f" --jobs 2 {summary['jobs2']['turns_per_s_median']} turns/s (ratio {summary['jobs2_over_jobs1']});"
        f" peak RSS of the tree {summary['jobs1']['tree_peak_mb_max']} MB (jobs 1),"
        f" {summary['jobs2']['tree_peak_mb_max']} MB (jobs 2); {small_turns:,} turns:"
        f" {summary['small_archive']['tree_peak_mb']} MB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
