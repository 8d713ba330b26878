"""The web app's settings, defined once: they drive ``accordingto serve``'s flags and the docs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from accordingto.ingest.guard import Resolver, resolve_host

__all__ = ["WebSettings"]


@dataclass(frozen=True)
class WebSettings:
    """What :func:`accordingto.web.create_app` needs to know.

    >>> WebSettings(db=Path("corpus.db")).allow_private_urls
    False
    """

    #: A store made by ``accordingto run``; ``None``: the single-article pages only.
    db: Path | None = None
    #: Fetch URLs that resolve to loopback, private, link-local or reserved addresses.
    allow_private_urls: bool = False
    #: Largest upload or pasted text, in bytes.
    max_upload_bytes: int = 2_000_000
    #: Largest page fetched from a URL, in bytes.
    max_fetch_bytes: int = 5_000_000
    #: Seconds allowed for fetching a URL (connect, each read, and the whole download).
    fetch_timeout: float = 10.0
    #: Analyses kept in memory for their permalinks and JSON downloads.
    cache_size: int = 128
    #: Load the spaCy pipeline when the app starts instead of at the first analysis.
    preload: bool = False
    #: Replaces httpx's network transport when fetching (tests).
    fetch_transport: httpx.BaseTransport | None = field(default=None, repr=False)
    #: Resolves host names for the private-address check (tests).
    resolve: Resolver = field(default=resolve_host, repr=False)
