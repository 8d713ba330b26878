"""Reading articles: one file, URL or standard input in, one :class:`Article` out.

>>> from accordingto.ingest import read_input
>>> article = read_input("article.txt")                       # doctest: +SKIP
>>> article = read_input("https://example.org/news/1.html")   # doctest: +SKIP

Plain text and Markdown are analyzed exactly as given (see
:mod:`accordingto.ingest.read`); HTML is reduced to its main text with
trafilatura (:mod:`accordingto.extract.html`).  Every problem with the input is
an :class:`~accordingto.errors.InputError` or a
:class:`~accordingto.errors.FetchError` whose message says what to do.

This package is the one home of reading and fetching:

* :mod:`~accordingto.ingest.read`: one article from bytes, a file, a stream or a URL;
* :mod:`~accordingto.ingest.fetch`: one GET (:func:`fetch_url`), the content-type map;
* :mod:`~accordingto.ingest.guard`: the private-address guard every fetch goes through;
* :mod:`~accordingto.ingest.polite`: :class:`PoliteFetcher` for many URLs (robots.txt, rate
  limits, retries);
* :mod:`~accordingto.ingest.inputs`: corpus inputs (folders, JSONL, CSV, feeds, URL lists) as
  :class:`Document` values, :mod:`~accordingto.ingest.warc` for WARC files;
* :mod:`~accordingto.ingest.document`: :class:`Document` and the per-document warnings.
"""

from __future__ import annotations

import re
import sys
from typing import BinaryIO

import httpx

from accordingto.errors import InputError
from accordingto.model import Article

from .document import Document
from .fetch import CONTENT_TYPES, FetchResult, fetch_url
from .guard import HostResolver
from .inputs import article_from_record, input_kind, iter_documents
from .language import guess_language
from .polite import PoliteFetcher
from .read import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    FORMATS,
    detect_format,
    markdown_title,
    normalize_format,
    read_bytes,
    read_fetched,
    read_file,
    read_stream,
    read_url,
)

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "Document",
    "FetchResult",
    "PoliteFetcher",
    "article_from_record",
    "detect_format",
    "fetch_url",
    "guess_language",
    "input_kind",
    "iter_documents",
    "markdown_title",
    "read_bytes",
    "read_fetched",
    "read_file",
    "read_input",
    "read_stream",
    "read_url",
]

_URL = re.compile(r"^https?://", re.IGNORECASE)


def read_input(
    spec: str,
    *,
    stdin: BinaryIO | None = None,
    format: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    transport: httpx.BaseTransport | None = None,
    resolve: HostResolver | None = None,
) -> Article:
    """Read one article from ``spec``: ``-`` for standard input, an http(s) URL, or a file path.

    ``stdin`` is the binary stream ``-`` reads (default ``sys.stdin.buffer``).
    ``format`` (``text``, ``markdown`` or ``html``) overrides the format found
    from the extension, the Content-Type or the content.  ``timeout`` applies to
    URLs; ``max_bytes`` caps the size of any input (decompressed, for gzip).
    ``allow_private``, ``transport`` and ``resolve`` apply to URLs (see :func:`read_url`):
    a URL whose host is a loopback, private, link-local or reserved address is
    refused unless ``allow_private``.

    Raises:
        InputError: the input is missing, unreadable or cannot be analyzed.
        FetchError: a URL could not be fetched.
    """
    if not spec:
        raise InputError(
            "no input given; pass a file path, an http(s):// URL, or - for standard input"
        )
    if format is not None:
        format = normalize_format(format)
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return read_stream(stream, format=format, max_bytes=max_bytes)
    if _URL.match(spec):
        return read_url(
            spec,
            format=format,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private=allow_private,
            transport=transport,
            resolve=resolve,
        )
    return read_file(spec, format=format, max_bytes=max_bytes)
