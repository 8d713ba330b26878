"""Fetch one web page with httpx: bounded in time, size and redirects.

:func:`fetch_url` returns the raw bytes and what the server said about them
(:class:`FetchResult`); decoding and extraction are the reader's job
(:mod:`accordingto.ingest.read`).  Every failure is a :class:`FetchError`
whose one-line message names the URL, what went wrong and what to do.

Every request, each redirect hop included, goes through the private-address
guard (:mod:`accordingto.ingest.guard`) unless ``allow_private=True``: the host
is resolved and a loopback, private, link-local or reserved address is refused
before any connection is made.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx

from accordingto.errors import FetchError

from .guard import HostResolver, guarded

__all__ = [
    "CONTENT_TYPES",
    "FEED_TYPES",
    "MAX_REDIRECTS",
    "SUPPORTED_CONTENT_TYPES",
    "USER_AGENT",
    "FetchResult",
    "fetch_url",
    "media_type",
    "one_line",
    "read_capped",
    "status_message",
]

log = logging.getLogger(__name__)

#: Sent with every request; names the tool so that site owners can tell what it is.
USER_AGENT = "accordingto/0.1 (news quotation analysis)"
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
#: The media types read as an article, and the format each is read in (``None``: from the
#: URL's extension or the content).  The one map of the package.
CONTENT_TYPES: dict[str, str | None] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": None,
}
#: Media types we can analyze.  A response without a Content-Type is accepted and sniffed.
SUPPORTED_CONTENT_TYPES = frozenset(CONTENT_TYPES)
#: Media types of RSS and Atom feeds (the corpus readers follow their links).
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched page: the final URL after redirects, its body and what the server said it is."""

    #: The URL the content came from, after redirects.
    url: str
    content: bytes
    #: The media type, lowercase and without parameters (``text/html``), or ``""`` if not sent.
    content_type: str
    #: The ``charset`` parameter of the Content-Type header, if any.
    encoding: str | None = None


def fetch_url(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 10_000_000,
    user_agent: str = USER_AGENT,
    max_redirects: int = MAX_REDIRECTS,
    transport: httpx.BaseTransport | None = None,
    allow_private: bool = False,
    resolve: HostResolver | None = None,
) -> FetchResult:
    """GET ``url`` and return its body, following at most ``max_redirects`` redirects.

    ``timeout`` bounds connecting, each read, and the whole download.  The body
    is streamed and the download stops as soon as it exceeds ``max_bytes``
    (after HTTP content decoding, so a small gzip bomb is caught too).
    ``transport`` replaces httpx's network transport (tests, proxies); it is
    put behind the private-address guard, which ``allow_private`` turns off and
    which resolves host names with ``resolve`` (default: the system resolver).

    Raises:
        FetchError: a private address (see :func:`~accordingto.ingest.guard.check_url`),
            timeout, connection failure, HTTP status >= 400, too many redirects,
            a body over ``max_bytes``, or a content type that is not HTML, plain
            text or Markdown.
    """
    guard = guarded(transport, allow_private=allow_private, resolve=resolve)
    try:
        result = _get(url, timeout, max_bytes, user_agent, max_redirects, guard)
    except httpx.TimeoutException as e:
        raise FetchError(_timeout_message(url, e, timeout)) from e
    except httpx.TooManyRedirects as e:
        raise FetchError(
            f"{url}: more than {max_redirects} redirects; "
            "open the URL in a browser to see where it leads"
        ) from e
    except httpx.ConnectError as e:
        raise FetchError(
            f"{url}: could not connect ({one_line(e)}); check the URL and your network connection"
        ) from e
    except (httpx.TransportError, httpx.DecodingError, httpx.InvalidURL) as e:
        raise FetchError(
            f"{url}: fetching failed ({type(e).__name__}: {one_line(e)}); "
            "check the URL, or save the page from a browser and pass the file"
        ) from e
    log.info("fetched %s: %d bytes of %s", result.url, len(result.content), result.content_type)
    return result


def _get(
    url: str,
    timeout: float,
    max_bytes: int,
    user_agent: str,
    max_redirects: int,
    transport: httpx.BaseTransport,
) -> FetchResult:
    """The GET itself; httpx errors propagate to :func:`fetch_url`, which words them."""
    headers = {
        "User-Agent": user_agent,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
    }
    with (
        httpx.Client(
            follow_redirects=True,
            max_redirects=max_redirects,
            timeout=httpx.Timeout(timeout),
            headers=headers,
            transport=transport,
        ) as client,
        client.stream("GET", url) as response,
    ):
        _check_response(url, response, max_bytes)
        content = read_capped(url, response, max_bytes, timeout=timeout)
        return FetchResult(
            str(response.url), content, media_type(response), response.charset_encoding
        )


def _check_response(url: str, response: httpx.Response, max_bytes: int) -> None:
    """Refuse an error status, an unsupported content type or a declared length over the cap."""
    if response.status_code >= 400:
        raise FetchError(status_message(url, response))
    media = media_type(response)
    if media and media not in SUPPORTED_CONTENT_TYPES:
        hint = (
            "convert it to text first"
            if media == "application/pdf"
            else ("pass the URL of an article page")
        )
        raise FetchError(
            f"{url}: unsupported content type {media}; accordingto reads HTML, plain text "
            f"and Markdown; {hint}"
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_too_large_message(url, max_bytes, int(declared)))


def read_capped(url: str, response: httpx.Response, max_bytes: int, *, timeout: float) -> bytes:
    """The body, read in chunks; stops past ``max_bytes`` or past the deadline."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # as it arrives, so the deadline is checked
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_large_message(url, max_bytes))
        if time.monotonic() > deadline:
            raise FetchError(
                f"{url}: download took longer than {timeout:g} s; "
                "try again later or allow more time (--timeout)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(response: httpx.Response) -> str:
    """``text/html`` from ``Content-Type: text/html; charset=utf-8``; ``""`` if absent."""
    return response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


def status_message(url: str, response: httpx.Response) -> str:
    """``URL: server answered HTTP 404 Not Found; check the URL``, with a hint that fits the status."""
    status = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    if response.status_code in (401, 402, 403, 451):
        hint = "the site refuses this request; open the page in a browser, save it and pass the HTML file"
    elif response.status_code == 429 or response.status_code >= 500:
        hint = "the server is busy or failing; try again later"
    else:
        hint = "check the URL"
    return f"{url}: server answered {status}; {hint}"


def _timeout_message(url: str, error: httpx.TimeoutException, timeout: float) -> str:
    stage = "connecting" if isinstance(error, httpx.ConnectTimeout) else "waiting for the page"
    return (
        f"{url}: timed out after {timeout:g} s while {stage}; "
        "try again later or allow more time (--timeout)"
    )


def _too_large_message(url: str, max_bytes: int, size: int | None = None) -> str:
    """Say the size (when the server declared it) and the cap."""
    what = f"{size:,} bytes, over" if size is not None else "larger than"
    return (
        f"{url}: response is {what} the limit of {max_bytes:,} bytes; "
        "save the article's text to a file, or raise the limit (--max-bytes)"
    )


def one_line(error: Exception) -> str:
    """The error's message on one line (httpx messages can span several)."""
    return " ".join(str(error).split()) or type(error).__name__
