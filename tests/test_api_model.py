"""The Python API chooses the model as the CLI does: analyze(..., model="fast" | "accurate")."""

from __future__ import annotations

import pytest

from accordingto import analyze, analyze_many
from accordingto.errors import InputError

TEXT = "“We will rebuild the bridge by spring,” said Mayor Anna Holt. She added that it was safe."


@pytest.mark.parametrize(
    ("model", "pipeline"),
    [
        ("fast", "en_core_web_sm_attribution_roles-"),
        ("accurate", "en_core_web_sm_attribution_roles_accurate-"),
    ],
)
def test_the_model_chooses_the_pipeline(model: str, pipeline: str) -> None:
    pytest.importorskip("onnxruntime")
    analysis = analyze(TEXT, model=model)
    assert analysis.versions["pipeline"].startswith(pipeline)
    assert [q.speaker_id is not None for q in analysis.quotes] == [True, True]


@pytest.mark.parametrize("model", ["gossip", "Accurate", ""])
def test_an_unknown_model_is_refused_before_any_analysis(model: str) -> None:
    with pytest.raises(InputError, match="unknown model"):
        analyze(TEXT, model=model)
    with pytest.raises(InputError, match="unknown model"):
        analyze_many([TEXT], model=model)
