"""Loading and checking big scenario files: 1k, 3k and 4.5k beats (about the 256 KB limit), and
how fast a 15k-beat file (0.8 MB) is refused. The beat-graph check must be linear in the beats
(issue 11: it was quadratic, 24 s for 6k beats; the check alone is timed on 15k beats built
without YAML). Run with ``uv run python -m benchmarks.bench_scenarios``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

SIZES = (1_000, 3_000, 4_500)
ROUNDS = 5


def chain_scenario(beats: int, scenario_id: str = "big-chain") -> str:
    """A valid scenario whose beats form a chain, with a step back on telling every ten beats."""
    lines = [
        f"id: {scenario_id}",
        "title: A very long conversation",
        "summary: Many beats.",
        "difficulty: 1",
        "persona: {name: Sam, role: Engineer}",
        "brief: Long.",
        "goal: {text: Stay curious.}",
        "max_turns: 100",
        "on_max_turns: done",
        "start: b0",
        "beats:",
    ]
    for i in range(beats - 1):
        after = f"b{i + 1}" if i + 1 < beats - 1 else "done"
        back = f"{{when: {{move: telling}}, go: b{i - 1}}}, " if i % 10 == 1 else ""
        lines.append(f"  b{i}: {{says: [line {i}], next: [{back}{{go: {after}}}]}}")
    lines.append("  done: {ending: true, outcome: Finished.}")
    return "\n".join(lines) + "\n"


def _median_seconds(path: Path) -> tuple[float, float]:
    from coachsim.scenario.loader import check_graph, load_scenario_file

    loads, checks = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        loaded, problems = load_scenario_file(path)
        loads.append(time.perf_counter() - start)
        assert loaded is not None and not problems, problems[:3]
        start = time.perf_counter()
        check_graph(loaded)
        checks.append(time.perf_counter() - start)
    return statistics.median(loads), statistics.median(checks)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    for size in SIZES:
        path = folder / "big-chain.yaml"
        path.write_text(chain_scenario(size), encoding="utf-8")
        load_s, check_s = _median_seconds(path)
        print(
            f"{size:>6,} beats ({path.stat().st_size / 1e6:.2f} MB)  load+check median {load_s:.3f} s,"
            f" graph check alone {check_s * 1000:.1f} ms  ({ROUNDS} rounds)"
        )
    print(f"15,000 beats (0.82 MB) refused by size in {refusal_seconds() * 1000:.1f} ms")


def refusal_seconds(beats: int = 15_000) -> float:
    """How long a file over the size limit takes to be refused (it is never parsed)."""
    from coachsim.scenario.loader import load_scenario_file

    path = Path(tempfile.mkdtemp()) / "huge.yaml"
    path.write_text(chain_scenario(beats), encoding="utf-8")
    start = time.perf_counter()
    loaded, problems = load_scenario_file(path)
    assert loaded is None and problems
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
