"""The beat-graph check is linear (one traversal from the start, one back from the endings) and
finds exactly what the old beat-by-beat search found: unreachable beats and beats with no way out."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from coachsim.scenario import loader as loader_module
from coachsim.scenario.graph import reach
from coachsim.scenario.loader import LoadedScenario, check_graph
from coachsim.scenario.model import Scenario
from coachsim.yamlpos import Located, load_located


class CountingEdges(Mapping[str, Sequence[str]]):
    """Edges that count how often each beat's list is read."""

    def __init__(self, edges: Mapping[str, Sequence[str]]) -> None:
        self.edges, self.reads = edges, Counter[str]()

    def __getitem__(self, key: str) -> Sequence[str]:
        self.reads[key] += 1
        return self.edges[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)

    def __contains__(self, key: object) -> bool:
        return key in self.edges


def scenario_data(beats: dict[str, list[str]], endings: set[str], start: str = "b0") -> dict[str, Any]:
    """A schema-valid scenario with these edges (the last one a default); ``endings`` end it."""
    ending = sorted(endings)[0]
    return {
        "id": "graph",
        "title": "Graph",
        "summary": "Graph.",
        "difficulty": 1,
        "persona": {"name": "Sam", "role": "Engineer"},
        "brief": "Brief.",
        "goal": {"text": "Goal."},
        "max_turns": 10,
        "on_max_turns": ending,
        "start": start,
        "beats": {
            name: (
                {"ending": True, "outcome": "Done."}
                if name in endings
                else {
                    "says": ["line"],
                    "next": [{"when": {"move": "telling"}, "go": go} for go in targets[:-1]]
                    + [{"go": targets[-1]}],
                }
            )
            for name, targets in beats.items()
        },
    }


def loaded_from(data: dict[str, Any], text: str | None = None) -> LoadedScenario:
    located = load_located(text, "graph.yaml") if text else Located(data=data, source="graph.yaml")
    return LoadedScenario(Scenario.model_validate(data), Path("graph.yaml"), located, "extra")


def chain(beats: int) -> dict[str, Any]:
    """``beats`` beats in a chain, stepping back on telling every ten beats, ending at the last."""
    edges = {f"b{i}": ([f"b{i - 1}"] if i % 10 == 1 else []) + [f"b{i + 1}"] for i in range(beats - 1)}
    edges[f"b{beats - 1}"] = []
    return scenario_data(edges, {f"b{beats - 1}"})


def test_reach_reads_each_beats_edges_once() -> None:
    edges = CountingEdges({"a": ["b", "c"], "b": ["a", "c", "c"], "c": ["a"], "d": ["a"]})
    assert reach(edges, ["a", "a"]) == {"a", "b", "c"}
    assert max(edges.reads.values()) == 1 and "d" not in edges.reads


def test_a_15000_beat_scenario_is_checked_visiting_each_beat_once(monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[CountingEdges] = []

    def counting_edges(scenario: Scenario) -> tuple[CountingEdges, CountingEdges]:
        forward, reverse = (CountingEdges(e) for e in original(scenario))
        counted.extend([forward, reverse])
        return forward, reverse

    original = loader_module.beat_edges
    monkeypatch.setattr(loader_module, "beat_edges", counting_edges)
    assert check_graph(loaded_from(chain(15_000))) == []
    assert len(counted) == 2
    assert all(max(edges.reads.values()) == 1 for edges in counted)
    assert sum(counted[0].reads.values()) == sum(counted[1].reads.values()) == 15_000


def naive_problems(beats: dict[str, list[str]], endings: set[str], start: str) -> tuple[set[str], set[str]]:
    """What the old quadratic check found: a search from the start, then one from every beat."""

    def search(origin: str) -> set[str]:
        seen, queue = {origin}, deque([origin])
        while queue:
            for target in beats[queue.popleft()]:
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return seen

    on_max_turns = sorted(endings)[0]
    reachable = search(start) | {on_max_turns}
    unreachable = set(beats) - reachable
    stuck = {name for name in reachable if name not in endings and not search(name) & endings}
    return unreachable, stuck


@st.composite
def graphs(draw: st.DrawFn) -> tuple[dict[str, list[str]], set[str]]:
    names = [f"b{i}" for i in range(draw(st.integers(2, 9)))]
    endings = set(draw(st.lists(st.sampled_from(names[1:]), min_size=1, max_size=3)))
    beats = {
        name: [] if name in endings else draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
        for name in names
    }
    return beats, endings


@given(graph=graphs())
def test_the_linear_check_finds_what_the_beat_by_beat_search_found(
    graph: tuple[dict[str, list[str]], set[str]],
) -> None:
    beats, endings = graph
    data = scenario_data(beats, endings)
    problems = [str(p) for p in check_graph(loaded_from(data, yaml.safe_dump(data, sort_keys=False)))]
    unreachable, stuck = naive_problems(beats, endings, "b0")
    expected = [f"beats.{n}: beat '{n}' cannot be reached from 'b0'" for n in beats if n in unreachable]
    expected += [
        f"beats.{n}: no ending can be reached from beat '{n}' (a cycle with no exit)" for n in sorted(stuck)
    ]
    assert [p.split(": ", 1)[1] for p in problems] == expected
    assert all(p.startswith("graph.yaml:") for p in problems)
