"""Pressure mode in a drill: each moment's time limit and what its speaker says when time runs out.

A pack moment is a scenario's pull beat, so it uses that scenario's limit and the beat's own
``pressed:`` lines; a moment from your history uses its scenario's limit when the catalog still has
it, and the shared pushes (see :mod:`coachsim.scenario.pressure`).
"""

from __future__ import annotations

from coachsim.drill.moments import PACK_PREFIX, Moment
from coachsim.scenario.loader import Catalog
from coachsim.scenario.model import Beat, Scenario
from coachsim.scenario.pressure import push_line, seconds_for


def _scenario(moment: Moment, catalog: Catalog | None) -> Scenario | None:
    loaded = catalog.scenarios.get(moment.scenario) if catalog and moment.scenario else None
    return loaded.scenario if loaded is not None else None


def _beat(moment: Moment, catalog: Catalog | None) -> Beat | None:
    """The pull beat a pack moment comes from (``pack:<scenario>:<beat>``), else None."""
    scenario = _scenario(moment, catalog)
    if scenario is None or not moment.source.startswith(PACK_PREFIX):
        return None
    return scenario.beats.get(moment.source.rsplit(":", 1)[-1])


def moment_seconds(moment: Moment, catalog: Catalog | None, asked: int | None = None) -> int:
    """The time limit for answering ``moment``: ``asked``, else its scenario's, else the default."""
    return seconds_for(_scenario(moment, catalog), asked)


def moment_push(moment: Moment, times: int, catalog: Catalog | None) -> str:
    """What the moment's speaker says the ``times``-th time the clock runs out (every drill moment
    pulls for advice, so the first push repeats their line)."""
    beat = _beat(moment, catalog) or Beat(says=[moment.prompt], pull=True, next=[{"go": "-"}])
    return push_line(beat, times, seed=moment.id, repeat=moment.prompt)
