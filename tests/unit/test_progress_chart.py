"""The progress chart's layout: every line fits, bars stay whole, labels are never cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from coachsim.progress.chart import BAR_MAX, BAR_MIN, bar, bar_width, chart_lines, plain, wrap_cells
from coachsim.progress.trends import TimelinePoint

words = st.text(st.sampled_from("abcxyz-é界 "), min_size=0, max_size=80)


@given(words, st.integers(1, 40), st.integers(1, 40))
def test_wrapping_keeps_every_character_and_fits(text: str, first: int, rest: int) -> None:
    lines = wrap_cells(text, first, rest)
    assert all(cell_len(line) <= (first if n == 0 else rest) for n, line in enumerate(lines) if len(line) > 1)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_ids_break_after_hyphens_not_inside_words() -> None:
    assert wrap_cells("doing-the-work-properly", 12) == ["doing-the-", "work-", "properly"]
    assert wrap_cells("practice just-tell-me (unfinished)", 22) == ["practice just-tell-me", "(unfinished)"]


@given(
    st.lists(st.tuples(words, st.floats(0, 1), st.integers(0, 99), st.booleans()), max_size=6),
    st.integers(40, 200),
)
def test_every_chart_line_fits_and_each_point_has_one_whole_bar(points: list, width: int) -> None:
    timeline = [
        TimelinePoint("practice", f"2026-03-0{n % 9 + 1}T10:00:00", label, share, regressions, unfinished)
        for n, (label, share, regressions, unfinished) in enumerate(points)
    ]
    lines = [plain(line) for line in chart_lines(timeline, width)]
    assert all(cell_len(line) <= width for line in lines)
    bars = [line for line in lines if line.startswith("2026")]
    assert len(bars) == len(points)
    cells = bar_width(width)
    assert all(line.count("█") + line.count("░") == cells for line in bars)


def test_bar_scale() -> None:
    assert bar(0.5, 20) == ("█" * 10, "░" * 10) and bar(1.2, 10) == ("█" * 10, "")
    assert bar_width(80) == 21 and bar_width(120) == BAR_MAX and bar_width(20) == BAR_MIN
