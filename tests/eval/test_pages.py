"""The speaker gold on real pages: anchors, scoring, and the shipped gold file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from accordingto.eval.pages import (
    GoldAttribution,
    evaluate_pages,
    find_anchor,
    load_gold_pages,
    score_page,
)
from accordingto.model import Analysis, Article, EntityKind, Quote, QuoteKind, Span, Speaker

BENCHMARK = Path(__file__).resolve().parents[3] / "shared" / "data" / "article-extraction-benchmark"


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("He said “we will rebuild” today.", "we will rebuild", (9, 24)),
        # curly quotes in the text, straight ones in the anchor
        ("He said “we will rebuild” today.", '"we will rebuild"', (8, 25)),
        # a line break in the extracted text where the gold body has a space
        ("the cost\ncould double", "the cost could double", (0, 21)),
        ("the cost  could double", "the cost could double", (0, 22)),
        # negatives: another wording, an empty anchor
        ("the cost could double", "the price could double", None),
        ("the cost could double", "   ", None),
    ],
)
def test_find_anchor(text, anchor, expected):
    assert find_anchor(text, anchor) == expected


def _analysis(text: str, content: str, speaker: str) -> Analysis:
    start = text.index(content)
    person = Speaker(id="s1", name=speaker, kind=EntityKind.PERSON)
    quote = Quote(
        id="q1",
        kind=QuoteKind.INDIRECT,
        content=(Span.of(text, start, start + len(content)),),
        speaker_id="s1",
    )
    return Analysis(article=Article(text=text), quotes=(quote,), speakers=(person,))


TEXT = "Mayor Ana Ortiz said the bridge would close. The weather was fine."


@pytest.mark.parametrize(
    ("anchor", "names", "predicted", "located", "found", "correct"),
    [
        ("the bridge would close", ("Ana Ortiz", "Ortiz"), "Ana Ortiz", True, True, True),
        # the surname alone names the person
        ("bridge would", ("Ana Ortiz",), "Ortiz", True, True, True),
        # another speaker is wrong
        ("the bridge would close", ("Ana Ortiz",), "Daniel Okafor", True, True, False),
        # the anchor is in no attribution: not found
        ("The weather was fine", ("Ana Ortiz",), "Ana Ortiz", True, False, False),
        # the anchor is not in the text at all
        ("the tunnel", ("Ana Ortiz",), "Ana Ortiz", False, False, False),
    ],
)
def test_score_page(anchor, names, predicted, located, found, correct):
    analysis = _analysis(TEXT, "the bridge would close", predicted)
    gold = [GoldAttribution("p", anchor, names, "person")]
    (outcome,) = score_page("p", gold, analysis).outcomes
    assert (outcome.located, outcome.found, outcome.correct) == (located, found, correct)


def test_the_shipped_gold_covers_ten_pages_and_150_attributions():
    gold = load_gold_pages()
    assert len({g.page for g in gold}) >= 10
    assert len(gold) >= 150
    assert all(g.anchor.strip() and g.speakers[0] for g in gold)


@pytest.mark.skipif(
    not BENCHMARK.is_dir(), reason="needs ../shared/data/article-extraction-benchmark"
)
def test_every_anchor_is_in_its_page_text_and_most_are_attributed():
    report = evaluate_pages(BENCHMARK)
    assert report.located == report.total
    assert report.coverage > 0.9
    assert 0.0 < report.accuracy <= 1.0


@pytest.mark.skipif(
    not BENCHMARK.is_dir(), reason="needs ../shared/data/article-extraction-benchmark"
)
def test_real_page_speakers_stay_at_or_above_their_floor():
    """Issue 12's floor for the speakers of real pages (eval/floors.toml [pages])."""
    raw = resources.files("accordingto.eval").joinpath("floors.toml").read_text(encoding="utf-8")
    floor = tomllib.loads(raw)["pages"]["speaker_accuracy"]
    assert evaluate_pages(BENCHMARK).accuracy >= floor
