"""Input records to articles and articles to rows: the job's pure Python, without Spark."""

from __future__ import annotations

import json

import pytest
from sparkdata import HTML, TEXTS, warc_bytes

from accordingto.export.tables import FAILURES, TABLES
from accordingto.model import Article
from accordingto.nlp import load_pipeline
from accordingto.pipeline import MAX_CHARS
from accordingto.spark import Failure, analyze_items, input_format, jsonl_item, warc_items


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (json.dumps({"text": TEXTS["ferry"]}), {"text": TEXTS["ferry"], "format": "text"}),
        (
            json.dumps(
                {
                    "text": TEXTS["ferry"],
                    "title": "Ferry",
                    "date": "2026-05-01",
                    "outlet": "Post",
                    "byline": "A. Writer",
                }
            ),
            {"title": "Ferry", "date": "2026-05-01", "outlet": "Post", "byline": "A. Writer"},
        ),
        (
            json.dumps({"text": "# Ferry\n\nSome text.", "format": "markdown"}),
            {"format": "markdown"},
        ),
        (
            json.dumps({"body": TEXTS["storm"], "author": "B. Writer"}),
            {"text": TEXTS["storm"], "byline": "B. Writer"},
        ),
        (
            json.dumps({"html": HTML, "url": "https://e.org/bridge"}),
            {"format": "html", "title": "Bridge repairs begin", "url": "https://e.org/bridge"},
        ),
    ],
)
def test_jsonl_item_reads_an_article(line: str, expected: dict) -> None:
    _name, article = jsonl_item(line, source="in.jsonl")
    assert {k: getattr(article, k) for k in expected} == expected


def test_jsonl_item_names_the_input_by_id_or_url() -> None:
    assert jsonl_item(json.dumps({"id": 7, "text": "x"}), source="f")[0] == "f#7"
    assert (
        jsonl_item(json.dumps({"url": "https://e.org/a", "text": "x"}), source="f")[0]
        == "f#https://e.org/a"
    )
    assert jsonl_item(json.dumps({"text": "x"}), source="f")[0] == "f"


def test_html_text_comes_from_the_page() -> None:
    _, article = jsonl_item(json.dumps({"html": HTML}), source="in.jsonl")
    assert "Tom Olsen" in article.text and "<p>" not in article.text


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "is not a JSON object"),
        (json.dumps({"title": "no text"}), "has no text"),
        (json.dumps({"text": "   "}), "only whitespace"),
        (json.dumps({"text": "x", "format": "pdf"}), "unknown format"),
        (json.dumps({"html": "<html><body></body></html>"}), "in.jsonl"),
    ],
)
def test_jsonl_item_failures_say_why(line: str, reason: str) -> None:
    failure = jsonl_item(line, source="in.jsonl")
    assert isinstance(failure, Failure)
    assert reason in failure.reason and failure.input.startswith("in.jsonl")


def test_warc_items_keep_successful_html_responses() -> None:
    data = warc_bytes(
        [
            ("request", "https://e.org/bridge", 0, "application/http", b"GET / HTTP/1.1\r\n\r\n"),
            ("response", "https://e.org/bridge", 200, "text/html; charset=utf-8", HTML.encode()),
            ("response", "https://e.org/missing", 404, "text/html", b"<html>gone</html>"),
            ("response", "https://e.org/logo.png", 200, "image/png", b"\x89PNG..."),
            ("response", "https://e.org/empty", 200, "text/html", b"<html><body></body></html>"),
        ]
    )
    items = list(warc_items(data, source="crawl.warc.gz"))
    articles = [i for i in items if not isinstance(i, Failure)]
    assert len(articles) == 1
    name, article = articles[0]
    assert name.startswith("crawl.warc.gz#<urn:uuid:")
    assert (article.format, article.url) == ("html", "https://e.org/bridge")
    assert article.date is not None  # from the WARC-Date header
    (failure,) = [i for i in items if isinstance(i, Failure)]
    assert failure.input.startswith("crawl.warc.gz#")


def test_warc_items_of_a_file_that_is_no_warc() -> None:
    (failure,) = warc_items(b"just some bytes", source="bad.warc")
    assert isinstance(failure, Failure) and "not a readable WARC" in failure.reason


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a.jsonl", "jsonl"),
        ("s3a://b/x.json", "jsonl"),
        ("crawl.warc.gz", "warc"),
        ("CRAWL.WARC", "warc"),
        ("x.arc.gz", "warc"),
        ("warc.jsonl", "jsonl"),
    ],
)
def test_input_format_by_suffix(path: str, fmt: str) -> None:
    assert input_format(path) == fmt


def test_one_bad_article_becomes_a_failure_row_and_the_rest_is_analyzed() -> None:
    too_long = Article(text="word " * (MAX_CHARS // 5 + 1))
    items = [
        ("a", Article(text=TEXTS["ferry"])),
        ("big", too_long),
        Failure("c", "unreadable"),
        ("d", Article(text=TEXTS["school"])),
    ]
    out = list(analyze_items(items, nlp=load_pipeline(), batch_size=4))
    failures = [row for table, row in out if table == "failures"]
    assert [f[0] for f in failures] == ["c", "big"]
    assert "characters" in failures[1][1] and failures[1][2] == too_long.id
    assert len(failures[0]) == len(FAILURES.names)
    articles = [row for table, row in out if table == "articles"]
    assert len(articles) == 2
    for table, row in out:
        assert len(row) == len((TABLES | {"failures": FAILURES})[table].names)


def test_events_become_rows_of_the_events_table() -> None:
    items = [("t", Article(text=TEXTS["troops"])), ("f", Article(text=TEXTS["ferry"]))]
    out = list(analyze_items(items, nlp=load_pipeline()))
    events = [
        dict(zip(TABLES["events"].names, row, strict=True))
        for table, row in out
        if table == "events"
    ]
    assert [e["trigger_text"] for e in events] == ["sent"]
    assert events[0]["claimed_by"] is not None and events[0]["claimed_by_name"] == "Lena Voss"
    (article,) = [
        row for table, row in out if table == "articles" and row[0] == events[0]["article_id"]
    ]
    assert article[TABLES["articles"].names.index("text")] == TEXTS["troops"]
