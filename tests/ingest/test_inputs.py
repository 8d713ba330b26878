"""Corpus readers: folders, JSONL, CSV, WARC, feeds and URL lists, one bad document at a time."""

from __future__ import annotations

import gzip
import io
import json

import httpx
import pytest

from accordingto.corpus import Document, PoliteFetcher, input_kind, iter_documents

HTML = (
    "<html><head><title>Bridge</title></head><body><article><h1>Bridge to reopen</h1>"
    "<p>“We will rebuild the bridge by spring,” said Mayor Anna Holt on Monday, adding that "
    "the city council had approved the money for the work last week.</p>"
    "<p>Engineers said the old span could not be saved after the flood in March.</p>"
    "</article></body></html>"
)


def by_source(docs: list[Document]) -> dict[str, Document]:
    return {d.source: d for d in docs}


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("https://example.org/a", "url"),
        ("x.jsonl", "jsonl"),
        ("x.jsonl.gz", "jsonl"),
        ("x.csv", "csv"),
        ("cc.warc.gz", "warc"),
        ("feed.xml", "feed"),
        ("list.urls", "urls"),
        ("story.md", "file"),
        ("story", "file"),
    ],
)
def test_input_kind(spec, kind):
    assert input_kind(spec) == kind


def test_folder_reads_article_files_in_order_and_records_bad_ones(tmp_path):
    (tmp_path / "b.md").write_text("# Title\n\n“Yes,” she said.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("“No,” he said.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")  # skipped: not an article type
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    docs = list(iter_documents([str(tmp_path)]))
    names = [d.source.removeprefix(str(tmp_path) + "/") for d in docs]
    assert names == ["a.txt", "b.md", "empty.txt", "sub/c.html"]
    got = by_source(docs)
    assert got[str(tmp_path / "b.md")].article.title == "Title"
    assert "only whitespace" in got[str(tmp_path / "empty.txt")].error
    assert "rebuild the bridge" in got[str(tmp_path / "sub" / "c.html")].article.text


def test_jsonl_records_with_metadata_and_bad_lines(tmp_path):
    lines = [
        json.dumps(
            {
                "text": "“Yes,” she said.",
                "url": "https://ex.org/1",
                "outlet": "Ex",
                "date": "2026-01-02",
                "title": "T",
                "author": "A. Writer",
            }
        ),
        "{not json",
        json.dumps({"html": HTML, "outlet": "Ex"}),
        json.dumps({"url": "https://ex.org/3"}),
        "",
        json.dumps(["a", "list"]),
        '{"text": "Deep.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",  # RecursionError
        json.dumps({"text": "“Still read,” she said after the deep line."}),
    ]
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    got = by_source(list(iter_documents([str(path)])))
    first = got[f"{path}#line 1"].article
    assert (first.text, first.url, first.outlet, first.date, first.title, first.byline) == (
        "“Yes,” she said.",
        "https://ex.org/1",
        "Ex",
        "2026-01-02",
        "T",
        "A. Writer",
    )
    assert "not valid JSON" in got[f"{path}#line 2"].error
    assert got[f"{path}#line 3"].article.format == "html"
    assert "has no text" in got[f"{path}#line 4"].error
    assert "not a JSON object" in got[f"{path}#line 6"].error
    assert "nested too deeply" in got[f"{path}#line 7"].error
    assert got[f"{path}#line 8"].article.text.startswith("“Still read,”")
    assert f"{path}#line 5" not in got  # blank lines are not documents


def test_csv_rows(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        'text,outlet,date\n"“Yes,” she said, ""twice"".",Ex,2026-01-02\n,Ex,\n', encoding="utf-8"
    )
    docs = list(iter_documents([str(path)]))
    assert [d.source for d in docs] == [f"{path}#row 1", f"{path}#row 2"]
    assert docs[0].article.text == '“Yes,” she said, "twice".' and docs[0].article.outlet == "Ex"
    assert "has no text" in docs[1].error


def test_unreadable_and_corrupt_files_are_one_failure_each(tmp_path):
    bad_gz = tmp_path / "bad.jsonl.gz"
    bad_gz.write_bytes(gzip.compress(b'{"text": "One."}\n')[:-10])  # truncated
    docs = list(iter_documents([str(tmp_path / "missing.jsonl"), str(bad_gz)]))
    assert "cannot be read" in docs[0].error
    assert docs[-1].error and "stops being readable" in docs[-1].error


def make_warc(path, pages: list[tuple[str, str, int, str]]) -> None:
    """A WARC.gz with one response record per (url, body, status, content type), and a request."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, body, status, ctype in pages:
            headers = StatusAndHeaders(
                f"{status} OK", [("Content-Type", ctype)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body.encode()), http_headers=headers
            )
            writer.write_record(record)
        writer.write_record(
            writer.create_warc_record(
                "https://ex.org/r", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
        )


def test_warc_html_responses_become_articles(tmp_path):
    path = tmp_path / "news.warc.gz"
    make_warc(
        path,
        [
            ("https://ex.org/bridge", HTML, 200, "text/html; charset=utf-8"),
            ("https://ex.org/gone", "<html></html>", 404, "text/html"),
            ("https://ex.org/logo.png", "PNG", 200, "image/png"),
            ("https://ex.org/empty", "<html><body></body></html>", 200, "text/html"),
        ],
    )
    docs = list(iter_documents([str(path)]))
    assert len(docs) == 2  # the 404, the image and the request record are skipped
    assert docs[0].article.url == "https://ex.org/bridge" and docs[0].source.startswith(
        f"{path}#<urn:uuid:"
    )
    assert "rebuild the bridge" in docs[0].article.text and docs[0].article.date
    assert docs[1].error is not None


def test_not_a_warc_is_one_failure(tmp_path):
    path = tmp_path / "x.warc"
    path.write_bytes(b"<html><body>a saved page, not a WARC</body></html>\n")
    docs = list(iter_documents([str(path)]))
    assert len(docs) == 1 and "not a readable WARC" in docs[0].error


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>
<item><title>Bridge</title><link>https://ex.org/bridge</link><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>https://ex.org/gone</link></item>
<item><title>Secret</title><link>https://ex.org/private/x</link></item>
</channel></rss>"""


def public(host: str, port: int) -> list[str]:
    """A resolver that puts every test host on one public address (nothing is looked up)."""
    return ["93.184.215.14"]


def asked_url(request: httpx.Request) -> str:
    """The URL as the client asked for it: the guard sends requests to the checked address,
    keeping the host name in the Host header."""
    return str(request.url.copy_with(netloc=request.headers["host"].encode("ascii")))


class Site:
    """A fake web site behind an httpx MockTransport, logging each request."""

    def __init__(self, pages: dict[str, httpx.Response]) -> None:
        self.pages, self.log = pages, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = asked_url(request)
        self.log.append(url)
        page = self.pages.get(url)
        if callable(page):
            return page()
        return page if page is not None else httpx.Response(404)


def polite(site: Site, **kw) -> tuple[PoliteFetcher, list[float]]:
    slept: list[float] = []
    clock = [0.0]

    def sleep(s: float) -> None:
        slept.append(s)
        clock[0] += s

    kw.setdefault("resolve", public)
    fetcher = PoliteFetcher(
        transport=httpx.MockTransport(site), sleep=sleep, clock=lambda: clock[0], **kw
    )
    return fetcher, slept


def html(body: str = HTML) -> httpx.Response:
    return httpx.Response(200, text=body, headers={"Content-Type": "text/html; charset=utf-8"})


def test_feed_entries_are_fetched_with_their_metadata_and_robots_is_obeyed():
    site = Site(
        {
            "https://ex.org/robots.txt": httpx.Response(
                200, text="User-agent: *\nDisallow: /private/\n"
            ),
            "https://ex.org/feed": httpx.Response(
                200, text=FEED, headers={"Content-Type": "application/rss+xml"}
            ),
            "https://ex.org/bridge": html(),
        }
    )
    fetcher, _ = polite(site)
    docs = by_source(list(iter_documents(["https://ex.org/feed"], fetcher=fetcher)))
    bridge = docs["https://ex.org/bridge"].article
    assert (bridge.title, bridge.date, bridge.outlet) == ("Bridge", "2026-01-05", "Example News")
    assert (
        "HTTP 404" in docs["https://ex.org/gone"].error
        and docs["https://ex.org/gone"].stage == "fetch"
    )
    assert "robots.txt" in docs["https://ex.org/private/x"].error
    assert "https://ex.org/private/x" not in site.log
    assert site.log.count("https://ex.org/robots.txt") == 1


def test_url_list_file(tmp_path):
    path = tmp_path / "list.urls"
    path.write_text("# comment\nhttps://ex.org/bridge\n\nhttps://other.org/x\n", encoding="utf-8")
    site = Site({"https://ex.org/bridge": html(), "https://other.org/x": html()})
    fetcher, _ = polite(site)
    docs = list(iter_documents([str(path)], fetcher=fetcher))
    assert [d.source for d in docs] == ["https://ex.org/bridge", "https://other.org/x"]
    assert all(d.article is not None for d in docs)  # robots.txt 404: no rules


def test_rate_limit_is_per_host():
    site = Site({u: html() for u in ("https://a.org/1", "https://a.org/2", "https://b.org/1")})
    fetcher, slept = polite(site, delay=5.0, robots=False)
    for url in ("https://a.org/1", "https://b.org/1", "https://a.org/2"):
        fetcher.get(url)
    assert slept == [5.0]  # only the second request to a.org waited


def test_retries_with_backoff_then_success_or_failure():
    calls = iter([httpx.Response(503), httpx.Response(429, headers={"Retry-After": "7"}), html()])
    site = Site(
        {"https://a.org/x": lambda: next(calls), "https://a.org/down": lambda: httpx.Response(500)}
    )
    fetcher, slept = polite(site, delay=0.0, robots=False, backoff=1.0, retries=2)
    assert fetcher.get("https://a.org/x").content.startswith(b"<html>")
    assert slept == [1.0, 7.0]  # back-off, then the server's Retry-After
    slept.clear()
    with pytest.raises(Exception, match=r"HTTP 500.*after 3 tries"):
        fetcher.get("https://a.org/down")
    assert slept == [1.0, 2.0]


def test_timeouts_are_retried_and_then_reported():
    def timeout(request):
        raise httpx.ReadTimeout("slow", request=request)

    fetcher = PoliteFetcher(
        transport=httpx.MockTransport(timeout),
        resolve=public,
        robots=False,
        delay=0,
        retries=1,
        sleep=lambda s: None,
    )
    with pytest.raises(Exception, match="timed out"):
        fetcher.get("https://a.org/x")


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False)])
def test_robots_answers_follow_rfc_9309(status, allowed):
    site = Site({"https://a.org/robots.txt": httpx.Response(status)})
    fetcher, _ = polite(site)
    assert fetcher.allowed("https://a.org/x") is allowed


def test_crawl_delay_of_robots_txt_lengthens_the_wait():
    site = Site(
        {
            "https://a.org/robots.txt": httpx.Response(200, text="User-agent: *\nCrawl-delay: 9\n"),
            "https://a.org/1": html(),
            "https://a.org/2": html(),
        }
    )
    fetcher, slept = polite(site, delay=2.0)
    fetcher.get("https://a.org/1")
    fetcher.get("https://a.org/2")
    assert slept == [
        2.0,
        9.0,
    ]  # robots.txt then page 1 at the default delay; page 2 after Crawl-delay


# -- gzip, and files a folder skips ------------------------------------------------------------------


def warned(caplog) -> list[str]:
    return [r.source for r in caplog.records if getattr(r, "source", None)]


def test_folder_of_gzip_files_is_read(tmp_path, caplog):
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress("“Yes,” she said.".encode()))
    (tmp_path / "c.md.gz").write_bytes(gzip.compress("# Bridge\n\n“No,” he said.".encode()))
    (tmp_path / "d.jsonl.gz").write_bytes(
        gzip.compress(b'{"text": "\\u201cMaybe,\\u201d I said."}')
    )
    docs = list(iter_documents([str(tmp_path)]))
    assert [d.error for d in docs] == [None] * 4
    assert "rebuild the bridge" in docs[0].article.text and docs[0].article.format == "html"
    assert docs[1].article.text == "“Yes,” she said." and docs[1].article.format == "text"
    assert docs[2].article.title == "Bridge" and docs[2].article.format == "markdown"
    assert docs[3].article.text == "“Maybe,” I said."
    assert warned(caplog) == []


def test_single_gzip_file_is_read_like_the_file_inside(tmp_path):
    from accordingto.ingest import read_input

    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(HTML.encode()))
    assert "rebuild the bridge" in read_input(str(path)).text
    (doc,) = iter_documents([str(path)])
    assert doc.article is not None and doc.article.format == "html"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (gzip.compress(HTML.encode())[:-12], "not a readable gzip file"),  # truncated
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "not a readable gzip file"),  # a corrupt header
        (gzip.compress(b"word " * 5000), "larger than the limit of 1,000 bytes once decompressed"),
    ],
    ids=["truncated", "corrupt", "bomb"],
)
def test_broken_or_oversized_gzip_is_one_clean_failure(tmp_path, data, message):
    from accordingto.errors import InputError
    from accordingto.ingest import read_input

    path = tmp_path / "story.txt.gz"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_input(str(path), max_bytes=1000)


def test_skipped_files_are_named_in_warnings(tmp_path, caplog):
    (tmp_path / "a.txt").write_text("“No,” he said.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "photo.jpg.gz").write_bytes(gzip.compress(b"\xff\xd8"))
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: main", encoding="utf-8")
    (tmp_path / ".git" / "config").write_text("[core]", encoding="utf-8")
    docs = list(iter_documents([str(tmp_path)]))
    assert [d.source for d in docs] == [str(tmp_path / "a.txt")]
    assert sorted(warned(caplog)) == sorted(
        str(tmp_path / n) for n in (".DS_Store", ".git", "notes.pdf", "photo.jpg.gz")
    )  # a hidden folder is named once
    pdf = next(r for r in caplog.records if r.source.endswith("notes.pdf"))
    assert pdf.levelname == "WARNING" and "skipped: not an article" in pdf.getMessage()


# -- robots.txt that cannot be had -------------------------------------------------------------------


def test_unreachable_robots_txt_says_what_happened():
    def network(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            raise httpx.ConnectError("connection refused", request=request)
        return html()

    fetcher = PoliteFetcher(
        transport=httpx.MockTransport(network), resolve=public, delay=0, sleep=lambda s: None
    )
    (doc,) = iter_documents(["https://ex.org/a"], fetcher=fetcher)
    assert doc.stage == "fetch" and "disallowed by" not in doc.error
    assert "robots.txt unreachable: ConnectError (connection refused)" in doc.error
    assert "RFC 9309" in doc.error and "--no-robots" in doc.error


@pytest.mark.parametrize("status", [500, 503, 429])
def test_robots_txt_server_error_says_so_and_the_page_is_not_fetched(status):
    site = Site({"https://a.org/robots.txt": httpx.Response(status), "https://a.org/x": html()})
    fetcher, _ = polite(site)
    (doc,) = iter_documents(["https://a.org/x"], fetcher=fetcher)
    assert f"robots.txt answered HTTP {status}" in doc.error and "disallowed by" not in doc.error
    assert site.log == ["https://a.org/robots.txt"]


def test_robots_txt_with_a_bogus_charset_is_read_as_utf8():
    site = Site(
        {
            "https://a.org/robots.txt": httpx.Response(
                200,
                content=b"User-agent: *\nDisallow: /private/\n",
                headers={"Content-Type": "text/plain; charset=base64"},
            ),
            "https://a.org/x": html(),
        }
    )
    fetcher, _ = polite(site)
    assert fetcher.allowed("https://a.org/x") and not fetcher.allowed("https://a.org/private/y")


# -- one content-type map ----------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/markdown", "text/x-markdown"])
def test_markdown_served_by_a_corpus_url_is_read_as_markdown(content_type):
    body = "“The ferry will run,” said Lena Voss.\n\n# Notes\n"
    site = Site(
        {"https://a.org/x": httpx.Response(200, text=body, headers={"Content-Type": content_type})}
    )
    fetcher, _ = polite(site, robots=False)
    (doc,) = iter_documents(["https://a.org/x"], fetcher=fetcher)
    assert doc.article.format == "markdown"


def test_folder_files_can_be_listed_without_warnings(tmp_path, caplog):
    from accordingto.ingest.inputs import folder_files

    (tmp_path / "a.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    assert list(folder_files(tmp_path, report=False)) == [str(tmp_path / "a.html.gz")]
    assert warned(caplog) == []


@pytest.mark.parametrize("encoding", ["undefined", "base64", "no-such-encoding"])
def test_feed_declaring_an_unusable_encoding_is_read_as_utf8(tmp_path, caplog, encoding):
    path = tmp_path / "feed.xml"
    path.write_text(
        FEED.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>'),
        encoding="utf-8",
    )
    site = Site({"https://ex.org/bridge": html()})
    fetcher, _ = polite(site, robots=False)
    docs = by_source(list(iter_documents([str(path)], fetcher=fetcher)))
    assert docs["https://ex.org/bridge"].article.outlet == "Example News"
    assert str(path) in warned(caplog)  # the warning names the feed
