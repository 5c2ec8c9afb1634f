"""The HTML pages coachsim writes (report, progress), rendered from ``coachsim/templates`` by one
Jinja2 environment with autoescape on for every template, so a value from a file is always text."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

#: Move colours on a page (the terminal's are in coachsim.render.moves).
MOVE_HEX = {"coaching": "#2e9d4a", "feedback": "#1f7fd1", "mentoring": "#c9a400", "telling": "#c0392b"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("coachsim", "templates"),
        autoescape=select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, **values: Any) -> str:
    """``coachsim/templates/<template>`` filled with ``values``, every value escaped."""
    return _environment().get_template(template).render(**values)
