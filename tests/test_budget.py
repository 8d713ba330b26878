"""A per-document time budget: a document that runs out of it is an AnalysisTimeout, one
line that says what to do; the documents before it are kept."""

from __future__ import annotations

import pytest

import accordingto.pipeline as pipeline
from accordingto.errors import AnalysisTimeout, InputError

TEXT = "“We will rebuild,” said Mayor Ana Ortiz. “Ok,” he added."


def test_no_budget_no_limit():
    assert pipeline.analyze(TEXT).quotes
    assert pipeline.analyze(TEXT, budget_s=60).quotes


def test_a_spent_budget_is_a_timeout():
    with pytest.raises(AnalysisTimeout, match=r"budget .*; split it into smaller articles") as e:
        pipeline.analyze(TEXT, budget_s=0)
    assert isinstance(e.value, InputError)
    assert "\n" not in str(e.value)


def test_the_documents_before_the_slow_one_are_kept(monkeypatch):
    analyze_doc = pipeline.analyze_doc

    def slow_second(article, doc, nlp, roles=None, deadline=None, *, events=True):
        if "second" in article.text:
            import time

            time.sleep(2.5)
        return analyze_doc(article, doc, nlp, roles, deadline, events=events)

    monkeypatch.setattr(pipeline, "analyze_doc", slow_second)
    texts = [TEXT, "The second one. " + TEXT, TEXT]
    out = []
    with pytest.raises(AnalysisTimeout, match="article a_"):
        for a in pipeline.analyze_many(texts, batch_size=1, budget_s=2.0):
            out.append(a)
    assert len(out) == 1
