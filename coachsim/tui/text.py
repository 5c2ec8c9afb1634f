"""Text for the screen: hard-wrapped briefs as paragraphs, goals in a few words, alerts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text

from coachsim.safetext import visible

if TYPE_CHECKING:
    from coachsim.scenario.alternatives import Alert
    from coachsim.scenario.model import Goal

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
#: A line that starts a list item keeps its own line.
_LIST_ITEM = re.compile(r"[-*•]\s|\d+[.)]\s")


def reflow(text: str) -> str:
    """``text`` as the terminal should wrap it: the lines of each paragraph joined (YAML literal
    blocks keep the author's line breaks, which re-wrap into orphan lines), blank lines between
    paragraphs and list items on their own lines kept."""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text.strip()):
        lines: list[str] = []
        for line in (raw.strip() for raw in block.splitlines()):
            if not line:
                continue
            if lines and not _LIST_ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(p for p in paragraphs if p)


def goal_short(goal: Goal) -> str:
    """The goal's target in a few words ("60%+ coaching · at most 1 telling"), or, for a goal
    with no target, its first sentence."""
    target = goal.target
    parts = []
    if target.order:
        parts.append(", then ".join(target.order))
    if target.min_coaching_share is not None:
        parts.append(f"{target.min_coaching_share:.0%}+ coaching")
    if target.max_telling is not None:
        parts.append("no telling" if target.max_telling == 0 else f"at most {target.max_telling} telling")
    if parts:
        return " · ".join(parts)
    first = re.split(r"(?<=[.!?])\s", reflow(goal.text), maxsplit=1)[0]
    return first


def alert_text(alert: Alert) -> Text:
    """An alert as practice, the demo and the drill show it: headline, message, "Try:" question."""
    text = Text.assemble(("⚠ ", "bold"), (f"{visible(alert.headline)}. ", "bold"), visible(alert.message))
    if alert.suggestion:
        text.append("\n  Try: ")
        text.append(f"“{visible(alert.suggestion)}”", style="bold")
    return text
