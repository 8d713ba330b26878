"""Reading the app's articles: guarded URL fetching, uploads, the bundled example.

Analyzing them is :class:`accordingto.web.pool.AnalysisPool`'s job (a few
workers, each with its own spaCy pipeline, a bounded queue, a time budget).
"""

from __future__ import annotations

import logging
from importlib import resources

from accordingto.errors import InputError
from accordingto.ingest import read_bytes, read_url
from accordingto.model import Article

from .settings import WebSettings

__all__ = ["EXAMPLE_NAME", "Analyzer", "example_text"]

log = logging.getLogger(__name__)

#: The article bundled with the package (the same as ``accordingto analyze`` with no input).
EXAMPLE_NAME = "harbor-bridge.md"


def example_text() -> str:
    """The bundled example article, as text."""
    return resources.files("accordingto").joinpath("examples", EXAMPLE_NAME).read_text("utf-8")


class Analyzer:
    """Read the app's articles: guarded URL fetching and uploads (analyzing is :mod:`.pool`'s job)."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings

    def read_url(self, url: str, *, format: str | None = None) -> Article:
        """Fetch ``url`` with the private-address guard on every hop, and read the article in it.

        Raises:
            FetchError: the page could not be fetched, or its host is a private address.
            InputError: its content cannot be analyzed (a 422, like any bad input).
        """
        s = self.settings
        return read_url(
            url,
            format=format,
            timeout=s.fetch_timeout,
            max_bytes=s.max_fetch_bytes,
            transport=s.fetch_transport,
            allow_private=s.allow_private_urls,
            resolve=s.resolve,
        )

    def read_upload(self, data: bytes, *, name: str, format: str | None = None) -> Article:
        """The article in an uploaded file (HTML, Markdown or text, also gzip-compressed).

        Raises:
            InputError: too large, or content that cannot be read (binary, not UTF-8, a
                broken gzip stream …): a 422, never a 500.
        """
        if len(data) > self.settings.max_upload_bytes:
            raise InputError(
                f"{name}: the file is larger than the limit of "
                f"{self.settings.max_upload_bytes:,} bytes; upload a smaller file"
            )
        return read_bytes(
            data, source=name, format=format, name=name, max_bytes=self.settings.max_upload_bytes
        )
