"""A long text is parsed in pieces cut at paragraph breaks (bounded memory), and the joined doc
gives the analysis one piece would."""

from __future__ import annotations

import sys
from pathlib import Path

import accordingto.pipeline as pipeline
from accordingto.nlp import load_pipeline, parse_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from textgen import news_text


def _summary(a):
    speakers = {s.id: s.name for s in a.speakers}
    return [
        (
            q.kind,
            [c.text for c in q.content],
            q.cue and q.cue.text,
            speakers.get(q.speaker_id or ""),
        )
        for q in a.quotes
    ]


def test_pieces_join_to_the_text():
    text = news_text(20_000)
    for size in (3000, 500, 40):
        pieces = pipeline._chunks(text, size)
        assert "".join(pieces) == text
        assert all(0 < len(p) <= size for p in pieces)
    assert pipeline._chunks("short", 100) == ["short"]


def test_a_long_text_parsed_in_pieces_is_analyzed_alike(monkeypatch):
    text = news_text(12_000)
    whole = pipeline.analyze(text)
    monkeypatch.setattr(pipeline, "PARSE_CHUNK_CHARS", 3000)
    doc = next(pipeline.parse_docs(load_pipeline(), [parse_text(text)], 16))
    assert doc.text == parse_text(text)
    pieces = pipeline.analyze(text)
    assert _summary(pieces) == _summary(whole)
