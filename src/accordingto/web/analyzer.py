"""The app's one analyzer: the spaCy pipeline loaded once, guarded URL fetching, recent analyses.

FastAPI runs plain ``def`` endpoints in a thread pool; analyses go through one
lock, as a spaCy pipeline is not meant to be shared between threads.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from importlib import resources

from accordingto.errors import InputError
from accordingto.ingest import read_bytes, read_url
from accordingto.model import Analysis, Article
from accordingto.pipeline import analyze

from .settings import WebSettings

__all__ = ["EXAMPLE_NAME", "Analyzer", "example_text"]

log = logging.getLogger(__name__)

#: The article bundled with the package (the same as ``accordingto analyze`` with no input).
EXAMPLE_NAME = "harbor-bridge.md"


def example_text() -> str:
    """The bundled example article, as text."""
    return resources.files("accordingto").joinpath("examples", EXAMPLE_NAME).read_text("utf-8")


class Analyzer:
    """Analyse articles for the app; keeps the last ``settings.cache_size`` analyses by article ID."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._nlp = None
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, Analysis] = OrderedDict()

    def load(self) -> None:
        """Load the spaCy pipeline now (it is otherwise loaded by the first analysis)."""
        with self._lock:
            self._load()

    def _load(self):
        if self._nlp is None:
            from accordingto.nlp import load_pipeline

            self._nlp = load_pipeline()
        return self._nlp

    def analyze(self, article: Article) -> Analysis:
        """Analyse ``article`` and remember the result under its ID."""
        with self._lock:
            analysis = analyze(article, nlp=self._load())
            self._recent[analysis.article.id] = analysis
            self._recent.move_to_end(analysis.article.id)
            while len(self._recent) > self.settings.cache_size:
                self._recent.popitem(last=False)
        return analysis

    def recent(self, article_id: str) -> Analysis | None:
        """A remembered analysis, or ``None`` once it has been dropped (or never was)."""
        with self._lock:
            return self._recent.get(article_id)

    def read_url(self, url: str, *, format: str | None = None) -> Article:
        """Fetch ``url`` with the private-address guard on every hop, and read the article in it.

        Raises:
            FetchError: the page could not be fetched, or its host is a private address.
            InputError: its content cannot be analysed (a 422, like any bad input).
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
