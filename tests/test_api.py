"""The public API: exported names, the offset contract of every span, stable IDs, the JSON form.

Texts are written for these tests (no third-party text).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accordingto
from accordingto import SCHEMA_VERSION, Analysis, InputError, Span, analyze
from accordingto.nlp import load_pipeline

ARTICLE = (
    "Port Halden opens new ferry terminal\n\n"
    "The new ferry terminal in Port Halden opened on Monday after three years of building work.\n\n"
    "“This is a good day for everyone who lives on the islands,” said Harbour Master Lena Voss. "
    "“The crossing will take twenty minutes instead of an hour.”\n\n"
    "Voss said that the old pier would be turned into a fish market.\n\n"
    "According to the regional transport office, about 2,000 people use the ferry every day.\n\n"
    "Not everyone was pleased. “We were never asked,” said Piet Horn, a fisherman, who called the "
    'building a "glass palace" in a letter to the local paper.\n'
)


def test_exported_members() -> None:
    """`__all__` is the public API: changing it is a decision, so it is pinned here."""
    assert accordingto.__all__ == [
        "SCHEMA_VERSION",
        "AccordingToError",
        "Analysis",
        "Article",
        "DataError",
        "Diagnostic",
        "EntityKind",
        "FetchError",
        "InputError",
        "Mark",
        "MarkKind",
        "ModelError",
        "Quote",
        "QuoteKind",
        "Span",
        "Speaker",
        "analyze",
        "analyze_many",
    ]
    for name in accordingto.__all__:
        assert getattr(accordingto, name) is not None, name


@pytest.fixture(scope="module")
def nlp():
    """The spaCy pipeline, loaded once for the module (it is the slow part)."""
    return load_pipeline()


@pytest.fixture(scope="module")
def analysis(nlp) -> Analysis:
    return analyze(ARTICLE, nlp=nlp)


def all_spans(analysis: Analysis) -> Iterator[tuple[str, Span]]:
    """Every span of an analysis, labelled by where it sits."""
    for q in analysis.quotes:
        for span in q.content:
            yield f"quote {q.id} content", span
        if q.cue is not None:
            yield f"quote {q.id} cue", q.cue
        if q.source is not None:
            yield f"quote {q.id} source", q.source
    for s in analysis.speakers:
        for span in s.mentions:
            yield f"speaker {s.name} mention", span
    for m in analysis.marks:
        yield f"mark {m.kind}", m.span
    for d in analysis.diagnostics:
        if d.span is not None:
            yield f"diagnostic {d.code}", d.span


def assert_spans_index_text(analysis: Analysis) -> None:
    text = analysis.article.text
    for label, span in all_spans(analysis):
        assert 0 <= span.start <= span.end <= len(text), (label, span)
        assert text[span.start : span.end] == span.text, (label, span)


def test_analyze_returns_an_analysis_of_the_text_as_given(analysis: Analysis) -> None:
    assert isinstance(analysis, Analysis)
    assert analysis.article.text == ARTICLE
    assert analysis.quotes, "the test article has quotations"
    assert analysis.speakers
    assert {"accordingto", "spacy", "pipeline"} <= analysis.versions.keys()


def test_every_span_indexes_the_article_text(analysis: Analysis) -> None:
    assert len(list(all_spans(analysis))) > len(analysis.quotes)
    assert_spans_index_text(analysis)


def test_every_quote_points_at_known_speakers(analysis: Analysis) -> None:
    ids = {s.id for s in analysis.speakers}
    for q in analysis.quotes:
        assert q.speaker_id is None or q.speaker_id in ids
        assert set(q.via) <= ids
        assert 0.0 <= q.confidence <= 1.0


def test_ids_are_stable_content_hashes(nlp, analysis: Analysis) -> None:
    again = analyze(ARTICLE, nlp=nlp)
    assert again.article.id == analysis.article.id
    assert [q.id for q in again.quotes] == [q.id for q in analysis.quotes]
    assert [s.id for s in again.speakers] == [s.id for s in analysis.speakers]
    assert again.to_dict() == analysis.to_dict()
    assert len({q.id for q in analysis.quotes}) == len(analysis.quotes)
    other = analyze(ARTICLE.replace("Monday", "Tuesday"), nlp=nlp)
    assert other.article.id != analysis.article.id


def test_to_dict_is_json_with_a_schema_version(analysis: Analysis) -> None:
    data = json.loads(json.dumps(analysis.to_dict()))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["article"]["text"] == ARTICLE
    assert data["article"]["id"] == analysis.article.id
    assert len(data["quotes"]) == len(analysis.quotes)
    for q in data["quotes"]:
        for span in q["content"]:
            assert ARTICLE[span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize("blank", ["", " ", "\n\n", " \t\n "])
def test_blank_text_is_an_input_error(nlp, blank: str) -> None:
    with pytest.raises(InputError):
        analyze(blank, nlp=nlp)


#: Pieces of news prose, quotation marks and breaks, glued together at random.
_PIECES = [
    "the", "mayor", "said", "told", "reporters", "that", "Ana", "Ortiz", "she", "he", "it",
    "according", "to", "police", "wrote", "citing", "officials", "we", "will", "rebuild",
    "bridge", "Mr.", "Council", "Times", ",", ".", ":", "?", "—", "―", "”―", "*",
    "“", "”", '"', "‘", "’", "'",
    "\n\n", "\n", " ",
]  # fmt: skip
_SEPARATORS = ["", " ", " ", "  ", "\n", "\n\n"]
texts = st.lists(
    st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), max_size=40
).map(lambda parts: "".join(piece + sep for piece, sep in parts))


@settings(max_examples=30, deadline=None)
@given(text=texts)
def test_analyze_never_raises_and_spans_index_the_text(nlp, text: str) -> None:
    if not text.strip():
        with pytest.raises(InputError):
            analyze(text, nlp=nlp)
        return
    analysis = analyze(text, nlp=nlp)
    assert analysis.article.text == text
    assert_spans_index_text(analysis)
    assert len({q.id for q in analysis.quotes}) == len(analysis.quotes)  # one quotation per ID
    json.dumps(analysis.to_dict())
