"""``coachsim progress --html``: one self-contained page with an inline SVG of coaching share and
regressions over time, and the sessions and meetings behind it.

Rendered with Jinja2's autoescape, so scenario ids, file names and manager names from files are
always text, never markup. No scripts, no network: inline CSS and SVG only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coachsim.html_pages import MOVE_HEX, render_page
from coachsim.progress.trends import TimelinePoint
from coachsim.safetext import visible

#: The report's colours (coachsim report --format html), so both pages read alike.
COACHING, MEETING, REGRESSION = MOVE_HEX["coaching"], MOVE_HEX["feedback"], MOVE_HEX["telling"]
STEP, BAR, SHARE_HEIGHT, REGRESSION_HEIGHT, TOP = 28, 20, 160, 60, 20


@dataclass(frozen=True)
class SvgBar:
    """One conversation's column in the SVG: its coaching-share bar and its regressions bar."""

    x: int
    share_y: float
    share_height: float
    regressions_y: float
    regressions_height: float
    colour: str
    title: str
    regressions: int


def svg_bars(points: list[TimelinePoint]) -> tuple[list[SvgBar], int]:
    """Bar geometry for ``points`` in date order, and the largest regression count (the scale)."""
    most = max((p.regressions for p in points), default=0)
    base = TOP + SHARE_HEIGHT
    bars = []
    for number, point in enumerate(points):
        share_height = point.coaching_share * SHARE_HEIGHT
        regressions_height = point.regressions / most * REGRESSION_HEIGHT if most else 0.0
        state = " (unfinished)" if point.unfinished else ""
        title = (
            f"{point.at[:16].replace('T', ' ')} · {point.kind} {visible(point.label, one_line=True)}{state}:"
            f" {point.coaching_share:.0%} coaching, {point.regressions} regression(s)"
        )
        bars.append(
            SvgBar(
                x=40 + number * STEP,
                share_y=base - share_height,
                share_height=share_height,
                regressions_y=base + 10,
                regressions_height=regressions_height,
                colour=MEETING if point.kind == "meeting" else COACHING,
                title=title,
                regressions=point.regressions,
            )
        )
    return bars, most


def result(session: dict[str, Any]) -> str:
    """A session's goal as read: met, missed, unfinished (not judged) or a dash (no goal)."""
    if session["status"] != "finished":
        return "unfinished (goal not judged)"
    if session["goal_met"] is None:
        return "–"
    return "met" if session["goal_met"] else "missed"


def to_html(data: dict[str, Any], points: list[TimelinePoint]) -> str:
    """The page for ``trends()`` output ``data`` and its timeline ``points``."""
    bars, most = svg_bars(points)
    sessions = [{**s, "result": result(s)} for s in data["sessions"]]
    return render_page(
        "progress.html.j2",
        streak_days=data["streak_days"],
        sessions=sessions,
        meetings=data["meetings"],
        bars=bars,
        most=most,
        bar=BAR,
        top=TOP,
        base=TOP + SHARE_HEIGHT,
        svg_width=max(600, 40 + len(bars) * STEP),
        svg_height=TOP + SHARE_HEIGHT + 10 + REGRESSION_HEIGHT + 16,
        coaching=COACHING,
        meeting=MEETING,
        regression=REGRESSION,
    )
