"""The analyzer's pipeline: the shipped tagger when present, and blank lines ending sentences."""

import pytest

from accordingto.nlp import load_base_pipeline, load_pipeline
from accordingto.nlp.tagger import MODEL_DIR


@pytest.mark.parametrize("tagger", [True, False])
def test_blank_line_ends_a_sentence(tagger):
    nlp = load_pipeline(tagger=tagger)
    doc = nlp("He said the plan was “bold.”\n\nTo those who doubt it, Reyes replied calmly.")
    assert [s.text.strip()[:8] for s in doc.sents] == ["He said ", "To those"]


def test_tagger_is_in_the_default_pipeline_when_shipped():
    if not (MODEL_DIR / "config.cfg").is_file():
        pytest.skip("no shipped tagger in this tree")
    assert "attribution_roles" in load_pipeline().pipe_names
    assert "attribution_roles" not in load_pipeline(tagger=False).pipe_names


def test_the_benchmark_baseline_is_the_plain_pipeline():
    assert "paragraph_breaks" not in load_base_pipeline().pipe_names
    assert "attribution_roles" not in load_base_pipeline().pipe_names


def test_a_model_named_in_the_environment_that_is_missing_is_a_model_error(monkeypatch, tmp_path):
    from accordingto.errors import ModelError
    from accordingto.nlp.load import MODEL_ENV

    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "no-such-model"))
    load_pipeline.cache_clear()
    try:
        with pytest.raises(ModelError, match="no attribution-roles pipeline"):
            load_pipeline(tagger=True)
    finally:
        load_pipeline.cache_clear()


def test_a_model_named_in_the_environment_is_the_one_loaded(monkeypatch):
    if not (MODEL_DIR / "config.cfg").is_file():
        pytest.skip("no shipped tagger in this tree")
    from accordingto.nlp.load import MODEL_ENV

    monkeypatch.setenv(MODEL_ENV, str(MODEL_DIR))
    load_pipeline.cache_clear()
    try:
        assert "attribution_roles" in load_pipeline(tagger=True).pipe_names
        assert "attribution_roles" not in load_pipeline(tagger=False).pipe_names
    finally:
        load_pipeline.cache_clear()
