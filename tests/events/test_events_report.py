"""Events in the terminal report, after the quotations."""

from __future__ import annotations

import pytest
from rich.console import Console

import accordingto
from accordingto.export.report import render_report
from accordingto.model import Article
from accordingto.nlp import load_pipeline


@pytest.fixture(autouse=True)
def _lexicon_types(monkeypatch):
    """These rows test the rules and the trigger lexicon: types from the lexicon only."""
    monkeypatch.setenv("ACCORDINGTO_EVENT_CODER", "0")


def _render(text: str) -> str:
    analysis = accordingto.analyze(Article(text=text), nlp=load_pipeline(tagger=False))
    console = Console(record=True, width=200)
    console.print(render_report(analysis))
    return console.export_text()


def test_events_are_listed_after_the_quotations():
    out = _render(
        "“We will rebuild,” the mayor said. Russia attacked Kyiv. "
        "The agency reported that Poland would send tanks to Ukraine."
    )
    assert out.index("We will rebuild") < out.index("Events — 2")
    assert "ASSAULT RUS → UKR/GOV [happened] “attacked”" in out
    assert "AID POL → UKR [planned] “send”" in out
    assert "asserted by the author" in out
    assert "claimed by" in out
    assert "2 events" in out


def test_no_events_no_heading():
    out = _render("“We will rebuild,” the mayor said.")
    assert "Events —" not in out and "0 events" in out
