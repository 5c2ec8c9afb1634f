"""The beat graph as adjacency lists, and reachability in one linear traversal."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from coachsim.scenario.model import Scenario

Edges = Mapping[str, Sequence[str]]


def beat_edges(scenario: Scenario) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Forward edges (beat -> beats it can go to) and reverse edges, ignoring unknown targets."""
    forward: dict[str, list[str]] = {name: [] for name in scenario.beats}
    reverse: dict[str, list[str]] = {name: [] for name in scenario.beats}
    for name, beat in scenario.beats.items():
        for transition in beat.next:
            if transition.go in forward:
                forward[name].append(transition.go)
                reverse[transition.go].append(name)
    return forward, reverse


def reach(edges: Edges, starts: Iterable[str]) -> set[str]:
    """Every beat reachable from ``starts`` along ``edges``; each beat's edges are read once."""
    seen = {start for start in starts if start in edges}
    queue = deque(seen)
    while queue:
        for target in edges[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
