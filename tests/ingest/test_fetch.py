"""Fetching URLs, against a local HTTP server on 127.0.0.1 run in a thread (no outside network).

The server is on a loopback address, which the private-address guard refuses,
so these tests fetch with ``allow_private=True``; the guard has its own tests
(test_guard.py).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from conftest import PARAGRAPHS, article_page

from accordingto import ingest
from accordingto.errors import FetchError, InputError

fetch_url = partial(ingest.fetch_url, allow_private=True)
read_input = partial(ingest.read_input, allow_private=True)

TEXT = "The mayor said the bridge would close.\r\nShe said so twice.\n"
MARKDOWN = "# Bridge to close\n\nThe mayor said the bridge would close.\n"
SHORT = 0.2  # seconds: the timeout of the slow tests


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def _slow_headers(h: BaseHTTPRequestHandler) -> None:
    time.sleep(SHORT * 4)
    _send(h, 200, b"<p>late</p>", "text/html")


def _slow_body(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    h.wfile.write(b"The start, ")
    h.wfile.flush()
    time.sleep(SHORT * 4)
    h.wfile.write(b"and the end.")


def _drip(h: BaseHTTPRequestHandler) -> None:
    """A byte every 50 ms: no single read times out, but the whole download does."""
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    for _ in range(40):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.05)


def _endless(h: BaseHTTPRequestHandler) -> None:
    """A body without Content-Length that is far larger than any cap in these tests."""
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    for _ in range(200):
        h.wfile.write(b"word " * 2000)


ROUTES: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
    "/article.html": lambda h: _send(h, 200, article_page().encode(), "text/html; charset=utf-8"),
    "/latin1.html": lambda h: _send(
        h,
        200,
        article_page(["Le café est fermé, said the owner. " * 8], charset="x").encode("cp1252"),
        "text/html; charset=ISO-8859-1",
    ),
    "/broken.html": lambda h: _send(
        h,
        200,
        article_page(["Caf\udce9 " + PARAGRAPHS[0]]).encode(errors="surrogateescape"),
        "text/html",
    ),
    "/untyped": lambda h: _send(h, 200, article_page().encode(), None),
    "/latin1.txt": lambda h: _send(h, 200, "Café.".encode("cp1252"), "text/plain; charset=latin1"),
    "/bad.txt": lambda h: _send(h, 200, b"caf\xe9", "text/plain"),
    "/notes.txt": lambda h: _send(h, 200, TEXT.encode(), "text/plain; charset=utf-8"),
    "/notes.md": lambda h: _send(h, 200, MARKDOWN.encode(), "text/plain"),
    "/notes": lambda h: _send(h, 200, MARKDOWN.encode(), "text/markdown"),
    "/empty.html": lambda h: _send(h, 200, b"<html><body></body></html>", "text/html"),
    "/redirect": lambda h: _send(h, 302, b"", None, {"Location": "/article.html"}),
    "/loop": lambda h: _send(h, 302, b"", None, {"Location": "/loop"}),
    "/missing": lambda h: _send(h, 404, b"not here", "text/plain"),
    "/forbidden": lambda h: _send(h, 403, b"no", "text/plain"),
    "/broken-server": lambda h: _send(h, 503, b"down", "text/plain"),
    "/image.png": lambda h: _send(h, 200, b"\x89PNG\r\n\x1a\n", "image/png"),
    "/doc.pdf": lambda h: _send(h, 200, b"%PDF-1.7", "application/pdf"),
    "/big": lambda h: _send(h, 200, b"x" * 5000, "text/plain"),
    "/endless": _endless,
    "/slow": _slow_headers,
    "/slow-body": _slow_body,
    "/drip": _drip,
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        route = ROUTES.get(self.path)
        try:
            if route is None:
                _send(self, 404, b"", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of a local HTTP server serving :data:`ROUTES`."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# -- pages that can be read ------------------------------------------------------------------


def test_html_page(server: str) -> None:
    article = read_input(f"{server}/article.html")
    assert article.format == "html"
    assert article.text.split("\n\n")[-len(PARAGRAPHS) :] == PARAGRAPHS
    assert (article.url, article.outlet, article.language) == (
        f"{server}/article.html",
        "The Eastbrook Courier",
        "en",
    )


def test_redirect_gives_the_final_url(server: str) -> None:
    assert read_input(f"{server}/redirect").url == f"{server}/article.html"


MARKDOWN_READ = "Bridge to close\n\nThe mayor said the bridge would close."


@pytest.mark.parametrize(
    ("path", "format", "text", "title"),
    [
        ("/notes.txt", "text", TEXT, None),  # exactly as served, CRLF included
        # Markdown is read as the text a reader sees (no "# "): text/plain with a .md URL …
        ("/notes.md", "markdown", MARKDOWN_READ, "Bridge to close"),
        ("/notes", "markdown", MARKDOWN_READ, "Bridge to close"),  # … and text/markdown
    ],
)
def test_text_and_markdown_pages(
    server: str, path: str, format: str, text: str, title: str | None
) -> None:
    article = read_input(server + path)
    assert (article.format, article.text, article.title) == (format, text, title)


def test_charset_from_the_header(server: str) -> None:
    assert "Le café est fermé" in read_input(f"{server}/latin1.html").text


def test_text_charset_from_the_header(server: str) -> None:
    assert read_input(f"{server}/latin1.txt").text == "Café."


def test_web_text_must_decode(server: str) -> None:
    with pytest.raises(
        InputError, match=r"bad.txt: is not valid UTF-8 \(byte 0xe9 at byte offset 3"
    ):
        read_input(f"{server}/bad.txt")


def test_web_html_with_bad_bytes_is_read_with_replacement(server: str) -> None:
    assert "Caf\ufffd" in read_input(f"{server}/broken.html").text


def test_no_content_type_is_sniffed(server: str) -> None:
    assert read_input(f"{server}/untyped").format == "html"


def test_format_can_be_forced(server: str) -> None:
    article = read_input(f"{server}/notes.md", format="text")
    assert (article.format, article.title) == ("text", None)


def test_fetch_result(server: str) -> None:
    result = fetch_url(f"{server}/notes.txt")
    assert (result.url, result.content, result.content_type, result.encoding) == (
        f"{server}/notes.txt",
        TEXT.encode(),
        "text/plain",
        "utf-8",
    )


# -- every way a fetch fails -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "options", "message"),
    [
        ("/missing", {}, r"server answered HTTP 404 Not Found; check the URL"),
        ("/forbidden", {}, r"HTTP 403 Forbidden; the site refuses this request; open the page"),
        ("/broken-server", {}, r"HTTP 503 Service Unavailable; .* try again later"),
        ("/image.png", {}, r"unsupported content type image/png; accordingto reads HTML"),
        ("/doc.pdf", {}, r"unsupported content type application/pdf; .*convert it to text first"),
        ("/loop", {}, r"more than 5 redirects"),
        ("/big", {"max_bytes": 1000}, r"response is 5,000 bytes, over the limit of 1,000 bytes"),
        ("/endless", {"max_bytes": 100_000}, r"response is larger than the limit of 100,000 bytes"),
        ("/slow", {"timeout": SHORT}, r"timed out after 0.2 s while waiting for the page"),
        ("/slow-body", {"timeout": SHORT}, r"timed out after 0.2 s"),
        ("/drip", {"timeout": SHORT}, r"download took longer than 0.2 s"),
    ],
)
def test_fetch_errors(server: str, path: str, options: dict[str, float], message: str) -> None:
    url = server + path
    with pytest.raises(FetchError, match=message) as info:
        read_input(url, **options)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{url}: ")
    assert "\n" not in str(info.value)


def test_page_without_article_text(server: str) -> None:
    with pytest.raises(InputError, match="empty.html: no article text found in the HTML"):
        read_input(f"{server}/empty.html")


def test_connection_refused() -> None:
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect .*check the URL and your network"):
        read_input(f"http://127.0.0.1:{port}/article.html", timeout=2)


def _fail(error: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            httpx.ConnectError("[Errno -2] Name or service\nnot known"),
            r"could not connect \(\[Errno -2\] Name or service not known\)",
        ),
        (httpx.ConnectTimeout("timed out"), "timed out after 20 s while connecting"),
        (httpx.RemoteProtocolError("peer closed"), r"fetching failed \(RemoteProtocolError"),
    ],
)
def test_transport_errors(error: Exception, message: str) -> None:
    with pytest.raises(FetchError, match=message) as info:
        fetch_url("https://news.example.invalid/story", transport=_fail(error))
    assert "\n" not in str(info.value)
    assert info.value.__cause__ is error
