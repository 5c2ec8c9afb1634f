"""Whole-process cost of labelling with context: ``coachsim classify --jsonl`` over N replies (each
with the turns before it) against a bare ``nlp.pipe`` over the same texts, plus one reply's
latency with context. Prints medians and the ratio.

Rerun with ``uv run python -m benchmarks.bench_jsonl [--replies 3000] [--rounds 3]``.

Targets (issue 10): the command within 1.25x the bare pipeline's wall time (both whole
processes: start-up, model load and all replies); one reply with context <= 8 ms median.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coachsim import locations

BARE = """
import sys, spacy
from coachsim.classify.pipeline import EXCLUDED_COMPONENTS, resolve_model
texts = [line.rstrip("\\n") for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(resolve_model(None), exclude=list(EXCLUDED_COMPONENTS))
for doc in nlp.pipe(texts, batch_size=256):
    pass
"""


def replies(n: int) -> list[dict]:
    """Real-register replies with their context, cycled to ``n``."""
    rows = [
        json.loads(line)
        for split in ("realdev", "dev2", "train")
        for line in (locations.corpus_dir() / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    items = [{"text": r["text"], "context": r.get("context")} for r in rows]
    return list(itertools.islice(itertools.cycle(items), n))


def timed(command: list[str], stdin: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one whole process. This shared VM's wall
    clock drifts by tens of percent between runs; CPU time is the steadier of the two."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with stdin.open("rb") if stdin else open("/dev/null", "rb") as source:
        subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_process(items: list[dict], rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "replies.jsonl"
        jsonl.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
        texts = Path(folder) / "texts.txt"
        texts.write_text("".join(" ".join(i["text"].split()) + "\n" for i in items), encoding="utf-8")
        ours_cmd = [sys.executable, "-m", "coachsim", "classify", "--jsonl"]
        bare_cmd = [sys.executable, "-c", BARE, str(texts)]
        walls, cpus = [], []
        ours, bare = [], []
        for round_number in range(rounds):
            pair = [("ours", ours_cmd, jsonl), ("bare", bare_cmd, None)]
            if round_number % 2:
                pair.reverse()
            times = {name: timed(cmd, stdin) for name, cmd, stdin in pair}
            ours.append(times["ours"])
            bare.append(times["bare"])
            walls.append(times["ours"][0] / times["bare"][0])
            cpus.append(times["ours"][1] / times["bare"][1])
    return {
        "replies": len(items),
        "coachsim_wall_s": round(statistics.median(t[0] for t in ours), 2),
        "bare_pipe_wall_s": round(statistics.median(t[0] for t in bare), 2),
        "coachsim_cpu_s": round(statistics.median(t[1] for t in ours), 2),
        "bare_pipe_cpu_s": round(statistics.median(t[1] for t in bare), 2),
        "ratio_wall": round(statistics.median(walls), 3),
        "ratio_cpu": round(statistics.median(cpus), 3),
        "ratios_wall": [round(r, 3) for r in walls],
        "ratios_cpu": [round(r, 3) for r in cpus],
    }


def single_reply(items: list[dict]) -> dict[str, float]:
    from coachsim.classify.classifier import Classifier

    classifier = Classifier.load()
    for item in items[:50]:
        classifier.classify(item["text"], context=item["context"])
    timings = []
    for item in items[:1000]:
        start = time.perf_counter()
        classifier.classify(item["text"], context=item["context"])
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[int(len(timings) * 0.99)], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = replies(args.replies)
    result = {
        "whole_process": whole_process(items, args.rounds),
        "one_reply_with_context": single_reply(items),
    }
    print(json.dumps(result, indent=2))
    process = result["whole_process"]
    print(
        f"classify --jsonl vs bare nlp.pipe, whole processes: CPU ratio {process['ratio_cpu']},"
        f" wall ratio {process['ratio_wall']} (target <= 1.25); one reply with context"
        f" {result['one_reply_with_context']['median_ms']} ms median (target <= 8)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
