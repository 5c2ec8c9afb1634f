"""``coachsim progress --html``: one self-contained page with an inline SVG of coaching share and
regressions over time, and the sessions and meetings behind it.

Rendered with Jinja2's autoescape, so scenario ids, file names and manager names from files are
always text, never markup. No scripts, no network: inline CSS and SVG only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from coachsim.progress.trends import TimelinePoint
from coachsim.safetext import visible

#: The report's colours (coachsim report --format html), so both pages read alike.
COACHING, MEETING, REGRESSION = "#2e9d4a", "#1f7fd1", "#c0392b"
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


_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coachsim progress</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
.id { overflow-wrap: anywhere; } .key span { display: inline-block; width: 1em; height: 1em; margin: 0 .3em; }
</style></head><body>
<h1>Progress</h1>
<p>Practice streak: {{ streak_days }} day(s) · {{ sessions|length }} practice session(s) ·
{{ meetings|length }} reviewed meeting(s)</p>
<h2>Coaching share and regressions over time</h2>
{% if bars %}
<p class="key"><span style="background:{{ coaching }}"></span>practice
<span style="background:{{ meeting }}"></span>reviewed meeting
<span style="background:{{ regression }}"></span>regressions (scale: {{ most }})</p>
<svg width="{{ svg_width }}" height="{{ svg_height }}" role="img"
 aria-label="coaching share and regressions per conversation, oldest first">
<line x1="36" y1="{{ base }}" x2="{{ svg_width }}" y2="{{ base }}" stroke="#888"/>
<text x="0" y="{{ top + 4 }}" font-size="11">100%</text><text x="0" y="{{ base }}" font-size="11">0%</text>
{% for b in bars %}<g><title>{{ b.title }}</title>
<rect x="{{ b.x }}" y="{{ '%.1f'|format(b.share_y) }}" width="{{ bar }}"
 height="{{ '%.1f'|format(b.share_height) }}" fill="{{ b.colour }}"/>
<rect x="{{ b.x }}" y="{{ '%.1f'|format(b.regressions_y) }}" width="{{ bar }}"
 height="{{ '%.1f'|format(b.regressions_height) }}" fill="{{ regression }}"/>
<text x="{{ b.x + 4 }}" y="{{ svg_height - 4 }}" font-size="11">{{ b.regressions }}</text></g>
{% endfor %}</svg>
{% else %}<p>No labelled conversations yet.</p>{% endif %}
<h2>Practice sessions</h2>
{% if sessions %}<table><tr><th>when</th><th>scenario</th><th>coaching share</th><th>regressions</th>
<th>first telling</th><th>goal</th></tr>
{% for s in sessions %}<tr><td>{{ s.started_at[:16]|replace("T", " ") }}</td>
<td class="id">{{ s.scenario or "imported" }}</td><td>{{ "%.0f"|format(s.coaching_share * 100) }}%</td>
<td>{{ s.regressions }}</td><td>{{ "turn %d"|format(s.turns_to_first_telling) if s.turns_to_first_telling
 else "none" }}</td><td>{{ s.result }}</td></tr>
{% endfor %}</table>{% else %}<p>None yet.</p>{% endif %}
<h2>Reviewed meetings</h2>
{% if meetings %}<table><tr><th>reviewed</th><th>meeting</th><th>manager</th><th>replies</th>
<th>coaching share</th><th>regressions</th><th>relabelled</th></tr>
{% for m in meetings %}<tr><td>{{ m.reviewed_at[:16]|replace("T", " ") }}</td>
<td class="id">{{ m.source }}</td>
<td>{{ m.manager or "–" }}</td><td>{{ m.replies }}</td><td>{{ "%.0f"|format(m.coaching_share * 100) }}%</td>
<td>{{ m.regressions }}</td><td>{{ m.relabelled }}</td></tr>
{% endfor %}</table>{% else %}<p>None yet: reviewed 1:1s (<code>coachsim review FILE</code>) appear here.</p>
{% endif %}
</body></html>
"""

_ENVIRONMENT = Environment(autoescape=True, keep_trailing_newline=True)


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
    return _ENVIRONMENT.from_string(_TEMPLATE).render(
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
