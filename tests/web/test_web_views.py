"""What the article page shows, from hand-made records (no spaCy)."""

from __future__ import annotations

import pytest

from accordingto.model import (
    Analysis,
    Article,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    Span,
    Speaker,
)
from accordingto.web.views import cards, chain_text, segments, summary, tip, unattributed_share

TEXT = 'The Times, citing Sam Lee, wrote that it was "a total mess" here. Rain fell all day.'


def sp(text: str, sub: str) -> Span:
    start = text.index(sub)
    return Span.of(text, start, start + len(sub))


TIMES = Speaker("s_times", "The Times", EntityKind.OUTLET, mentions=(sp(TEXT, "The Times"),))
LEE = Speaker(
    "s_lee", "Sam Lee", EntityKind.PERSON, role="analyst", mentions=(sp(TEXT, "Sam Lee"),)
)
QUOTE = Quote(
    "q_1",
    QuoteKind.MIXED,
    (sp(TEXT, 'that it was "a total mess" here'),),
    cue=sp(TEXT, "wrote"),
    source=sp(TEXT, "Sam Lee"),
    speaker_id="s_lee",
    via=("s_times",),
    confidence=0.8,
)
ANALYSIS = Analysis(
    Article(TEXT),
    quotes=(QUOTE,),
    speakers=(TIMES, LEE),
    marks=(Mark(MarkKind.SCARE, sp(TEXT, '"a total mess"')),),
)


def test_segments_cover_the_text_exactly():
    segs = segments(ANALYSIS)
    assert "".join(s.text for s in segs) == TEXT
    assert all(TEXT[s.start : s.end] == s.text for s in segs)
    assert [s.start for s in segs[1:]] == [s.end for s in segs[:-1]]


@pytest.mark.parametrize(
    ("piece", "quote_id", "classes"),
    [
        ("The Times", None, ""),  # via: no highlight in the text itself
        ("Sam Lee", None, "src sp-0"),
        ("wrote", None, "cue"),
        ("that it was ", "q_1", "q mixed sp-0"),
        ('"a total mess"', "q_1", "q mixed sp-0 mark-scare"),  # scare quotes inside the quotation
        (" Rain fell all day.", None, ""),
    ],
)
def test_segment_classes(piece, quote_id, classes):
    seg = next(s for s in segments(ANALYSIS) if piece in s.text)
    assert (seg.quote_id, seg.classes) == (quote_id, classes)


def test_no_quotes_is_one_plain_segment():
    segs = segments(Analysis(Article("Nothing quoted here.")))
    assert [(s.text, s.quote_id, s.classes) for s in segs] == [("Nothing quoted here.", None, "")]


def test_chain_and_tip():
    assert chain_text(ANALYSIS, QUOTE) == "Sam Lee, via The Times"
    unknown = Quote("q_2", QuoteKind.DIRECT, (Span.of(TEXT, 0, 3),))
    assert chain_text(ANALYSIS, unknown) == "unknown speaker"
    assert (
        tip(cards(ANALYSIS)[0])
        == "Sam Lee, via The Times (analyst): mixed, cue “wrote”, confidence 0.80"
    )


def test_summary_counts():
    s = summary(ANALYSIS)
    assert [(r["name"], r["quotes"], r["cited_as_via"]) for r in s["speakers"]] == [
        ("Sam Lee", 1, 0),
        ("The Times", 0, 1),
    ]
    assert [r["name"] for r in s["outlets"]] == ["The Times"] and s["anonymous"] == []
    assert s["scare_quotes"] == 1 and s["quote_kinds"] == {"mixed": 1}


@pytest.mark.parametrize(
    ("text", "spans", "share"),
    [
        ("abc def", [], 1.0),
        ("abc def", [(0, 3)], 0.5),
        ("abc def", [(0, 7)], 0.0),
        ("   ", [], 0.0),  # no text: nothing to share
    ],
)
def test_unattributed_share(text, spans, share):
    quotes = tuple(
        Quote(f"q{i}", QuoteKind.DIRECT, (Span.of(text, a, b),)) for i, (a, b) in enumerate(spans)
    )
    assert unattributed_share(Analysis(Article(text), quotes=quotes)) == share
