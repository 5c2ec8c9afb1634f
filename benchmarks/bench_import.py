"""Importing and reviewing a long meeting: a 2,000-turn transcript labelled through classify_many,
then the review screen mounted and scrolled. Targets (issue 5): import and label within 5 s on a
2-core machine; scrolling stays responsive. Run with ``uv run python -m benchmarks.bench_import``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

LINES = [
    "What else is on your mind?",
    "You need to send the forecast today.",
    "I noticed you skipped the retro on Friday.",
    "When I was new I blocked my mornings for deep work.",
]


def write_meeting(path: Path, turns: int) -> None:
    rows = []
    for i in range(turns // 2):
        rows.append(f"Alex: {LINES[i % len(LINES)]}")
        rows.append("Sam: Okay, so the thing is the release is late and honestly I feel stuck with it.")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    os.environ["COACHSIM_HOME"] = tempfile.mkdtemp()
    from coachsim.classify.classifier import cached_classifier
    from coachsim.labelling import label_conversation
    from coachsim.review.sidecar import new_review
    from coachsim.transcript.importers import read_conversation
    from coachsim.tui.app import CoachsimApp
    from coachsim.tui.screens.review import ReviewScreen

    start = time.perf_counter()
    classifier = cached_classifier()
    load_s = time.perf_counter() - start
    source = Path(tempfile.mkdtemp()) / "meeting.txt"
    write_meeting(source, 2000)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        transcript = label_conversation(read_conversation(source), "Alex", classifier)
        runs.append(time.perf_counter() - start)
    print(
        f"2,000-turn import + label  median {statistics.median(runs):.2f} s"
        f" (target 5 s; model load {load_s:.2f} s, once)"
    )

    async def review() -> tuple[float, float]:
        app = CoachsimApp(loader=lambda: classifier)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            start = time.perf_counter()
            await app.push_screen(ReviewScreen(transcript, source, new_review(source, "Alex")))
            await pilot.pause()
            mount_s = time.perf_counter() - start
            scrolls = []
            for _ in range(20):
                start = time.perf_counter()
                await pilot.press("pagedown")
                await pilot.pause()
                scrolls.append(time.perf_counter() - start)
            return mount_s, statistics.median(scrolls)

    mount_s, scroll_s = asyncio.run(review())
    print(f"review screen              mount {mount_s:.2f} s, page-down median {scroll_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
