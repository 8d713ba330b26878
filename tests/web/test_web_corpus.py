"""The corpus pages over a small store, in-process: JSON twins, links, charts, errors, read-only."""

from __future__ import annotations

import re
import sqlite3

import pytest

from accordingto.store.queries import QuoteRow
from accordingto.web.corpus import marked, quotes_per_month


def _voss(client) -> str:
    top = client.get("/speakers.json").json()["speakers"]
    return next(s["person_id"] for s in top if s["name"] == "Lena Voss")


def test_corpus_overview(corpus_client):
    data = corpus_client.get("/corpus.json").json()
    assert data["summary"]["articles"] == 3
    assert (
        data["top_speakers"][0]["name"] == "Lena Voss" and data["top_speakers"][0]["outlets"] == 2
    )
    assert {
        "citing": "Harbour Herald",
        "cited": "Coast Gazette",
        "quotes": 1,
        "articles": 1,
    } in data["citations"]
    page = corpus_client.get("/corpus").text
    assert '<svg class="chart"' in page and 'aria-label="Sources of quotations per outlet' in page


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"q": "ferry"}, 3),
        ({"q": '"run again in March"'}, 2),
        ({"q": "ferry NOT March", "fts": "1"}, 1),
        ({"q": "ferry NOT March"}, 0),  # without fts=1, NOT is a word like any other
        ({"q": "helicopter"}, 0),
        ({"q": "ferry", "outlet": "Coast Gazette"}, 1),
        ({"q": "ferry", "since": "2026-02"}, 2),
        ({"q": "ferry", "until": "2026-01"}, 1),
        ({"q": "ferry", "since": "2026-02", "until": "2026-02-28"}, 1),
        ({"q": "ferry", "outlet": "", "since": "", "until": ""}, 3),  # an empty form field
    ],
)
def test_search(corpus_client, params, count):
    assert len(corpus_client.get("/search.json", params=params).json()["hits"]) == count


def test_search_page_marks_hits_and_links_speakers(corpus_client):
    page = corpus_client.get("/search", params={"q": "ferry"}).text
    assert '<mark class="hit">ferry</mark>' in page
    assert f'href="/speakers/{_voss(corpus_client)}"' in page


@pytest.mark.parametrize("query", ['"unclosed', "AND", "NEAR(", "*"])
def test_bad_fts_syntax_is_422_with_the_search_box(corpus_client, query):
    r = corpus_client.get("/search.json", params={"q": query, "fts": "1"})
    assert r.status_code == 422 and "NEAR" in r.json()["error"] and r.json()["hits"] == []
    page = corpus_client.get("/search", params={"q": query, "fts": "1"})
    assert page.status_code == 422 and 'role="alert"' in page.text
    assert '<form class="search"' in page.text and 'name="fts" value="1" checked' in page.text


@pytest.mark.parametrize(
    "query", ["F-16", "al-Tanf", "Putin's", "U.S.", "Biden:", "9/11", '"unclosed', "AND", "*"]
)
def test_everyday_words_are_a_search_not_an_error(corpus_client, query):
    r = corpus_client.get("/search.json", params={"q": query})
    assert r.status_code == 200 and r.json()["hits"] == []
    page = corpus_client.get("/search", params={"q": query})
    assert page.status_code == 200 and '<form class="search"' in page.text


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/search.json", {"q": "ferry", "since": "yesterday"}, "not a date"),
        ("/search.json", {"q": "ferry", "until": "2026-02-31"}, "not a date"),
        ("/speakers.json", {"kind": "people"}, "person, organization"),
        ("/speakers.json", {"since": "2026-03", "until": "2026-01"}, "swap them"),
        ("/corpus.json", {"since": "Q1"}, "not a date"),
        ("/outlet.json", {"name": "Harbour Herald", "until": "2026-1"}, "not a date"),
    ],
)
def test_malformed_filters_are_422(corpus_client, path, params, message):
    r = corpus_client.get(path, params=params)
    assert r.status_code == 422 and message in r.json()["error"]
    page = corpus_client.get(path.removesuffix(".json"), params=params)
    assert page.status_code == 422 and message in page.text


def test_speaker_page(corpus_client):
    pid = _voss(corpus_client)
    data = corpus_client.get(f"/speakers/{pid}.json").json()
    assert data["person"]["name"] == "Lena Voss" and len(data["quotes"]) == 3
    assert dict(data["outlets"]) == {"Harbour Herald": 2, "Coast Gazette": 1}
    assert data["months"] == [["2026-01", 1], ["2026-02", 1], ["2026-03", 1]]
    assert [r["role"] for r in data["roles"]] == ["Harbour Master"]
    assert data["roles"][0]["first"] == "2026-01-10" and data["roles"][0]["last"] == "2026-03-15"
    page = corpus_client.get(f"/speakers/{pid}").text
    assert 'aria-label="Quotations of Lena Voss per month"' in page
    assert page.count("<rect") == 3


def test_outlet_page(corpus_client):
    data = corpus_client.get("/outlet.json", params={"name": "Harbour Herald"}).json()
    assert [c["cited"] for c in data["cites"]] == ["Coast Gazette"] and data["cited_by"] == []
    assert data["quoted"][0]["name"] == "Lena Voss" and len(data["articles"]) == 2
    gazette = corpus_client.get("/outlet.json", params={"name": "coast gazette"}).json()
    assert [c["citing"] for c in gazette["cited_by"]] == ["Harbour Herald"]
    assert gazette["sources"][0]["anonymous"] == 1


def test_provenance(corpus_client):
    hits = corpus_client.get("/search.json", params={"q": "ferry"}).json()["hits"]
    later = next(h for h in hits if h["date"] == "2026-02-03")
    data = corpus_client.get(f"/quotes/{later['quote_id']}.json").json()
    assert data["first"]["date"] == "2026-01-10"  # first appearance: the Herald, in January
    relations = {o["date"]: o["relation"] for o in data["occurrences"]}
    assert relations == {"2026-01-10": "same", "2026-02-03": "self", "2026-03-15": "altered"}
    page = corpus_client.get(f"/quotes/{later['quote_id']}").text
    assert "altered (possible misquote)" in page


def test_stored_article_page_escapes_the_text(corpus_client):
    article_id = corpus_client.get("/corpus.json").json()["articles"][0]["article_id"]
    page = corpus_client.get(f"/articles/{article_id}").text
    assert "&lt;script" in page and "alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert f'href="/articles/{article_id}/record.json"' in page
    record = corpus_client.get(f"/articles/{article_id}/record.json").json()
    assert record["article"]["id"] == article_id


@pytest.mark.parametrize(
    "path",
    [
        "/speakers/p_0000000000000000",
        "/speakers/p_0000000000000000.json",
        "/quotes/q_0000000000000000.json",
        "/articles/a_0000000000000000",
        "/outlet.json?name=Nobody",
        "/articles/a_0000000000000000/record.json",
    ],
)
def test_unknown_things_are_404(corpus_client, path):
    assert corpus_client.get(path).status_code == 404


def test_corpus_pages_are_absent_without_a_store(client):
    assert client.get("/corpus.json").status_code == 404
    assert "/search.json" not in client.get("/openapi.json").json()["paths"]


def test_reading_does_not_block_a_writer(corpus_client, corpus_db):
    """A writer (as `accordingto run` is) commits while the app reads the store."""
    writer = sqlite3.connect(corpus_db, isolation_level=None, timeout=0.5)
    try:
        writer.execute("BEGIN IMMEDIATE")
        assert corpus_client.get("/corpus.json").status_code == 200  # reads during a write
        writer.execute(
            "INSERT INTO meta(key, value) VALUES ('web-test', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )
        writer.execute("COMMIT")  # not blocked by the reader
        assert corpus_client.get("/search.json", params={"q": "ferry"}).status_code == 200
    finally:
        writer.close()


def test_months_fill_gaps_and_skip_undated():
    def row(date):
        return QuoteRow("q", "a", "direct", "t", None, None, None, None, None, date, None, None)

    assert quotes_per_month(
        [row("2025-11-30"), row("2026-02-01"), row(None), row("March 2026")]
    ) == [
        ("2025-11", 1),
        ("2025-12", 0),
        ("2026-01", 0),
        ("2026-02", 1),
    ]
    assert quotes_per_month([]) == []


@pytest.mark.parametrize(
    ("snippet", "html"),
    [
        ("the [ferry] runs", 'the <mark class="hit">ferry</mark> runs'),
        ("<b>[x]</b>", '&lt;b&gt;<mark class="hit">x</mark>&lt;/b&gt;'),
        ("no match", "no match"),
    ],
)
def test_marked_snippets_are_escaped(snippet, html):
    assert str(marked(snippet)) == html
    assert not re.search(r"<(?!/?mark)", str(marked(snippet)))
