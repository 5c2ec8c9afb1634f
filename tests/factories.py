"""Small builders of test data shared by several test modules."""

from __future__ import annotations

from typing import Any

from coachsim.transcript.model import SCHEMA


def session_dict(
    started_at: Any = "2026-03-01T10:00:00+00:00", move: str = "coaching", text: str = "What else?"
) -> dict[str, Any]:
    """A finished one-reply practice transcript as stored on disk."""
    return {
        "schema": SCHEMA,
        "scenario": "just-tell-me",
        "seed": 1,
        "started_at": started_at,
        "status": "finished",
        "turns": [{"speaker": "manager", "text": text, "at": "", "move": move, "confidence": 0.9}],
        "summary": {},
    }
