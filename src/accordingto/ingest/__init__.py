"""Reading articles: one file, URL or standard input in, one :class:`Article` out.

>>> from accordingto.ingest import read_input
>>> article = read_input("article.txt")                       # doctest: +SKIP
>>> article = read_input("https://example.org/news/1.html")   # doctest: +SKIP

Plain text and Markdown are analysed exactly as given (see
:mod:`accordingto.ingest.read`); HTML is reduced to its main text with
trafilatura (:mod:`accordingto.extract.html`).  Every problem with the input is
an :class:`~accordingto.errors.InputError` or a
:class:`~accordingto.errors.FetchError` whose message says what to do.
"""

from __future__ import annotations

import re
import sys
from typing import BinaryIO

from accordingto.errors import InputError
from accordingto.model import Article

from .fetch import FetchResult, fetch_url
from .language import guess_language
from .read import (
    FORMATS,
    detect_format,
    markdown_title,
    normalize_format,
    read_bytes,
    read_file,
    read_stream,
    read_url,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "FetchResult",
    "detect_format",
    "fetch_url",
    "guess_language",
    "markdown_title",
    "read_bytes",
    "read_file",
    "read_input",
    "read_stream",
    "read_url",
]

#: Seconds allowed for connecting, for each read and for a whole download.
DEFAULT_TIMEOUT = 20.0
#: Largest input accepted, in bytes (10 MB: a long article in HTML is well under 1 MB).
DEFAULT_MAX_BYTES = 10_000_000

_URL = re.compile(r"^https?://", re.IGNORECASE)


def read_input(
    spec: str,
    *,
    stdin: BinaryIO | None = None,
    format: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Read one article from ``spec``: ``-`` for standard input, an http(s) URL, or a file path.

    ``stdin`` is the binary stream ``-`` reads (default ``sys.stdin.buffer``).
    ``format`` (``text``, ``markdown`` or ``html``) overrides the format found
    from the extension, the Content-Type or the content.  ``timeout`` applies to
    URLs; ``max_bytes`` caps the size of any input.

    Raises:
        InputError: the input is missing, unreadable or cannot be analysed.
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
        return read_url(spec, format=format, timeout=timeout, max_bytes=max_bytes)
    return read_file(spec, format=format, max_bytes=max_bytes)
