"""The public API: exported names, the offset contract of every span, stable IDs, the JSON form.

Texts are written for these tests (no third-party text).
"""

from __future__ import annotations

import http.server
import json
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accordingto
from accordingto import (
    SCHEMA_VERSION,
    Analysis,
    HTMLInputWarning,
    InputError,
    Span,
    analyze,
    analyze_html,
    analyze_many,
    analyze_url,
    read,
)
from accordingto.api import looks_like_html
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
        "HTMLInputWarning",
        "InputError",
        "Mark",
        "MarkKind",
        "ModelError",
        "Quote",
        "QuoteKind",
        "ReportedAs",
        "Span",
        "Speaker",
        "analyze",
        "analyze_html",
        "analyze_many",
        "analyze_url",
        "read",
        "render_html",
        "select",
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


#: The test article as a web page: markup full of quoted attribute values.
PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Port Halden opens new ferry terminal | Island Courier</title>"
    '<meta name="author" content="Mia Lund"><link rel="stylesheet" href="/site.css">'
    '<script>var cfg = {"section": "news", "tags": ["ferry", "port"]};</script></head>'
    '<body><nav class="top"><a href="/" class="home">Home</a></nav><article class="story">'
    + "".join(
        f'<{"h1" if i == 0 else "p"} class="body">{par}</{"h1" if i == 0 else "p"}>'
        for i, par in enumerate(ARTICLE.strip().split("\n\n"))
    )
    + '</article><footer class="site"><a href="/about" title="About us">About</a></footer>'
    "</body></html>"
)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (PAGE, True),
        ("<html><body><p>“We will win,” the mayor said.</p></body></html>", True),
        ("<div><p>One.</p><p>Two.</p></div>", True),
        ("  \n<!doctype HTML>\n<p>Hi</p>", True),
        (ARTICLE, False),
        ("“Write <p> before each paragraph,” the teacher said.", False),
        ("The council voted 5 < 7 on the plan, and the mayor said so.", False),
        ("<3 said the fan, “what a game.”", False),
    ],
)
def test_looks_like_html(text: str, html: bool) -> None:
    assert looks_like_html(text) is html


def test_analyze_reads_an_html_page_as_html_with_a_warning(nlp) -> None:
    """Before: the markup was analyzed as prose, quotations full of tags and attributes."""
    with pytest.warns(HTMLInputWarning, match="analyze_html"):
        analysis = analyze(PAGE, nlp=nlp)
    assert analysis.article.format == "html"
    assert analysis.article.title == "Port Halden opens new ferry terminal"
    assert "<" not in analysis.article.text and "class=" not in analysis.article.text
    assert analysis.quotes
    for q in analysis.quotes:
        assert not any("<" in s.text or "=" in s.text for s in q.content), q
    assert_spans_index_text(analysis)


def test_plain_text_gives_no_warning(nlp) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis = analyze("“Write <p> before each paragraph,” the teacher said.", nlp=nlp)
    assert analysis.article.format == "text"


def test_analyze_many_reads_html_pages_too(nlp) -> None:
    with pytest.warns(HTMLInputWarning):
        got = list(analyze_many([ARTICLE, PAGE], nlp=nlp))
    assert [a.article.format for a in got] == ["text", "html"]


def test_analyze_html_is_silent_and_keeps_the_url(nlp) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis = analyze_html(PAGE, url="https://courier.example/ferry", nlp=nlp)
    assert analysis.article.url == "https://courier.example/ferry"
    assert analysis.article.byline == "Mia Lund"
    assert [q.id for q in analysis.quotes]  # the same page, found through either door
    with pytest.warns(HTMLInputWarning):
        assert analyze(PAGE, nlp=nlp).quotes == analysis.quotes


def test_analyze_html_without_article_text_is_an_input_error(nlp) -> None:
    with pytest.raises(InputError):
        analyze_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", nlp=nlp)


def test_read_a_file_or_url_then_analyze(nlp, tmp_path: Path, page_server: str) -> None:
    path = tmp_path / "ferry.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read(str(path))
    assert article.format == "html" and "Lena Voss" in article.text
    (tmp_path / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    assert read(str(tmp_path / "ferry.txt")).text == ARTICLE
    assert read(f"{page_server}/ferry", allow_private=True).text == article.text
    with pytest.raises(InputError, match="no such file"):
        read(str(tmp_path / "missing.txt"))
    assert analyze(article, nlp=nlp).article is article


@pytest.fixture
def page_server() -> Iterator[str]:
    """A local web server that serves :data:`PAGE` at ``/ferry``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = PAGE.encode("utf-8")
            self.send_response(200 if self.path == "/ferry" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_analyze_url(nlp, page_server: str) -> None:
    with pytest.raises(accordingto.FetchError, match="allow_private=True"):
        analyze_url(f"{page_server}/ferry", nlp=nlp)  # a loopback address
    analysis = analyze_url(f"{page_server}/ferry", nlp=nlp, allow_private=True)
    assert analysis.article.url == f"{page_server}/ferry"
    assert analysis.article.format == "html"
    assert analysis.quotes
    with pytest.raises(accordingto.FetchError):
        analyze_url(f"{page_server}/missing", nlp=nlp, allow_private=True)


KINDS_TEXT = (
    "“The ferry will run again in May,” said Harbour Master Lena Voss. "
    "Voss believes that the islanders will use it every day."
)


def test_only_keeps_speech_and_nothing_else_of_the_analysis_changes(nlp) -> None:
    full = analyze(KINDS_TEXT, nlp=nlp)
    assert {q.reported_as for q in full.quotes} == {
        accordingto.ReportedAs.SPEECH,
        accordingto.ReportedAs.THOUGHT,
    }
    speech = analyze(KINDS_TEXT, nlp=nlp, only="speech")
    assert [q.reported_as for q in speech.quotes] == [accordingto.ReportedAs.SPEECH]
    assert speech.speakers == full.speakers and speech.events == full.events
    assert accordingto.select(full, only=["speech"]) == speech
    assert analyze(KINDS_TEXT, nlp=nlp, only="thought").quotes == tuple(
        q for q in full.quotes if q.reported_as is accordingto.ReportedAs.THOUGHT
    )


def test_min_confidence_and_analyze_many_take_the_filter_too(nlp) -> None:
    full = analyze(KINDS_TEXT, nlp=nlp)
    cut = max(q.confidence for q in full.quotes)
    (kept,) = analyze_many([KINDS_TEXT], nlp=nlp, min_confidence=cut)
    assert kept.quotes and all(q.confidence >= cut for q in kept.quotes)
    (speech,) = analyze_many([KINDS_TEXT], nlp=nlp, only="speech")
    assert {q.reported_as.value for q in speech.quotes} == {"speech"}


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"only": "gossip"}, "'gossip' is not a kind of attribution"),
        ({"only": []}, "no kind given"),
        ({"min_confidence": 2}, "not a probability"),
    ],
)
def test_bad_filters_are_input_errors_before_any_analysis(kw, message) -> None:
    with pytest.raises(InputError, match=message):
        analyze("“Yes,” she said.", nlp=object(), **kw)  # never reaches the pipeline
    with pytest.raises(InputError, match=message):
        analyze_many(["“Yes,” she said."], nlp=object(), **kw)
    with pytest.raises(InputError, match=message):
        accordingto.select(Analysis(accordingto.Article("x")), **kw)
