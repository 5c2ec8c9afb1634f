"""What the app is still waiting for: observable state that screens and tests read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Load(StrEnum):
    """Where one background load stands."""

    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


@dataclass
class LoadState:
    """The catalog and the classifier load in workers after the first frame; this says how far."""

    catalog: Load = Load.LOADING
    classifier: Load = Load.LOADING

    @property
    def settled(self) -> bool:
        """Both loads have finished, well or badly, and the start screen has been asked for."""
        return Load.LOADING not in (self.catalog, self.classifier)
