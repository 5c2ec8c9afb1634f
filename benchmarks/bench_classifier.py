"""Classifier speed and memory: single-reply latency, batch throughput against bare spaCy,
cold start and peak RSS. Prints medians and ratios.

Rerun with ``uv run python -m benchmarks.bench_classifier``.

Targets (issue 2): one reply median <= 8 ms and p99 <= 25 ms; classify_many >= 0.85x the
throughput of the bare pipeline on the same texts; peak RSS <= 350 MB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from coachsim import locations
from coachsim.classify.classifier import Classifier
from coachsim.classify.evaluate import read_labelled_jsonl

RESULTS = Path(__file__).parent / "results"


def corpus_texts(n: int) -> list[str]:
    texts = [
        item.text
        for split in ("train", "dev")
        for item in read_labelled_jsonl(locations.corpus_dir() / f"{split}.jsonl")
    ]
    return list(itertools.islice(itertools.cycle(texts), n))


def single_reply_latency(classifier: Classifier, texts: list[str]) -> dict[str, float]:
    for text in texts[:50]:  # warm up
        classifier.classify(text)
    timings = []
    for text in texts:
        start = time.perf_counter()
        classifier.classify(text)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "replies": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
    }


def throughput(classifier: Classifier, texts: list[str], rounds: int) -> dict[str, float]:
    """Bare ``nlp.pipe`` and ``classify_many`` on the same texts, back to back, ``rounds``
    times, alternating which goes first. Each round gives one paired ratio; the median of
    those is reported (this machine's speed drifts by tens of percent within a minute, which
    a ratio of two separately taken medians would pick up)."""
    bare, ours, ratios = [], [], []

    def run_bare() -> float:
        start = time.perf_counter()
        for _doc in classifier.nlp.pipe(texts, batch_size=256):
            pass
        return time.perf_counter() - start

    def run_ours() -> float:
        start = time.perf_counter()
        classifier.classify_many(texts, batch_size=256)
        return time.perf_counter() - start

    for number in range(rounds):
        if number % 2:
            ours_s = run_ours()
            bare_s = run_bare()
        else:
            bare_s = run_bare()
            ours_s = run_ours()
        bare.append(bare_s)
        ours.append(ours_s)
        ratios.append(bare_s / ours_s)
    bare_s, ours_s = statistics.median(bare), statistics.median(ours)
    return {
        "replies": len(texts),
        "rounds": rounds,
        "bare_pipe_s": round(bare_s, 3),
        "classify_many_s": round(ours_s, 3),
        "bare_replies_per_s": round(len(texts) / bare_s, 1),
        "classify_many_replies_per_s": round(len(texts) / ours_s, 1),
        "throughput_ratio": round(statistics.median(ratios), 3),
        "throughput_ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
    }


def interleaved_throughput(
    classifier: Classifier, texts: list[str], passes: int, slice_size: int = 250
) -> dict:
    """The same comparison in slices: each slice of ``slice_size`` texts goes through the bare
    pipe and through ``classify_many`` back to back (alternating which goes first), and each
    side's times are summed over all slices and ``passes``. Drift in the machine's speed then
    hits both sides alike and the ratio is far steadier between runs than the whole-batch
    rounds above on a shared machine."""
    bare_s = ours_s = 0.0
    for number, start in enumerate(
        start for _ in range(passes) for start in range(0, len(texts), slice_size)
    ):
        part = texts[start : start + slice_size]
        order = ("bare", "ours") if number % 2 else ("ours", "bare")
        for side in order:
            began = time.perf_counter()
            if side == "bare":
                for _doc in classifier.nlp.pipe(part, batch_size=256):
                    pass
                bare_s += time.perf_counter() - began
            else:
                classifier.classify_many(part, batch_size=256)
                ours_s += time.perf_counter() - began
    replies = len(texts) * passes
    return {
        "replies": replies,
        "slice": slice_size,
        "bare_replies_per_s": round(replies / bare_s, 1),
        "classify_many_replies_per_s": round(replies / ours_s, 1),
        "throughput_ratio": round(bare_s / ours_s, 3),
    }


COLD_START = (
    "import time; t = time.perf_counter();"
    "from coachsim.classify.classifier import Classifier; c = Classifier.load();"
    "c.classify('What else?'); print(time.perf_counter() - t)"
)


def cold_start(rounds: int) -> dict[str, float]:
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(rounds)
    ]
    return {"median_s": round(statistics.median(runs), 3), "runs": rounds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=5000, help="texts for the throughput run")
    parser.add_argument("--latency-replies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="whole-batch rounds")
    parser.add_argument("--passes", type=int, default=3, help="passes of the interleaved run")
    args = parser.parse_args()

    classifier = Classifier.load()
    texts = corpus_texts(args.replies)
    results = {
        "model": classifier.model_name,
        "single_reply": single_reply_latency(classifier, texts[: args.latency_replies]),
        "batch": throughput(classifier, texts, args.rounds),
        "interleaved": interleaved_throughput(classifier, texts, args.passes),
        "cold_start": cold_start(args.rounds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    single, batch = results["single_reply"], results["batch"]
    print(f"model                  {results['model']}")
    print(
        f"one reply              median {single['median_ms']} ms"
        f"   p99 {single['p99_ms']} ms   (target 8 / 25)"
    )
    print(
        f"{batch['replies']} replies           classify_many {batch['classify_many_s']} s"
        f"   bare nlp.pipe {batch['bare_pipe_s']} s   ratio {batch['throughput_ratio']}x"
        f" (paired median of {batch['rounds']} rounds, range {batch['throughput_ratio_range'][0]}"
        f"-{batch['throughput_ratio_range'][1]}; target >= 0.85)"
    )
    inter = results["interleaved"]
    print(
        f"interleaved            {inter['replies']} replies in slices of {inter['slice']}:"
        f" classify_many {inter['classify_many_replies_per_s']}/s, bare {inter['bare_replies_per_s']}/s,"
        f" ratio {inter['throughput_ratio']}x (target >= 0.85)"
    )
    print(
        f"cold start             median {results['cold_start']['median_s']} s (import + load + first reply)"
    )
    print(f"peak RSS               {results['peak_rss_mb']} MB (target <= 350)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "classifier.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
