"""Corpus inputs: folders, JSONL, CSV, WARC, RSS/Atom feeds and URL lists, as documents.

Every reader is a generator of :class:`Document`: an article read from one
input document, or the reason it could not be read.  One bad document never
stops a reader; a file that cannot be opened at all is one failed document.
Each document has a stable ``source`` key (``path``, ``path#line 3``,
``path#<warc record id>``, a URL), which the store uses to skip documents a
killed run had already done.

>>> for doc in iter_documents(["news/", "feed.xml"]):        # doctest: +SKIP
...     print(doc.source, doc.article or doc.error)

Records of JSONL and CSV inputs have the text in ``text`` (or ``content``,
``body``), or HTML in ``html``, and optional metadata ``url``, ``outlet``,
``date``, ``title``, ``byline`` (or ``author``), ``format``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from accordingto.errors import AccordingToError, InputError
from accordingto.ingest import read_bytes, read_file
from accordingto.model import Article

from .fetch import PoliteFetcher

__all__ = [
    "ARTICLE_SUFFIXES",
    "Document",
    "article_from_record",
    "input_kind",
    "iter_documents",
    "read_csv",
    "read_feed",
    "read_folder",
    "read_jsonl",
    "read_url",
    "read_url_list",
    "read_warc",
    "warc_record_document",
]

log = logging.getLogger(__name__)

#: Files read as one article each.
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")
_KINDS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".warc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".urls": "urls",
}  # fmt: skip
_TEXT_FIELDS = ("text", "content", "body")
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)


@dataclass(frozen=True, slots=True)
class Document:
    """One input document: its ``article``, or the ``error`` that kept it from being read."""

    source: str
    article: Article | None = None
    error: str | None = None
    #: Where it failed: ``read`` or ``fetch``.
    stage: str = "read"


def input_kind(spec: str) -> str:
    """How ``spec`` is read: ``url``, ``folder``, ``jsonl``, ``csv``, ``warc``, ``feed``, ``urls`` or ``file``.

    By its form or extension (``.gz`` looked through); an unknown extension is one article file.
    """
    if spec.lower().startswith(("http://", "https://")):
        return "url"
    if os.path.isdir(spec):
        return "folder"
    name = spec.lower().removesuffix(".gz")
    return _KINDS.get(os.path.splitext(name)[1], "file")


def iter_documents(
    specs: Iterable[str], *, fetcher: PoliteFetcher | None = None, kind: str | None = None
) -> Iterator[Document]:
    """The documents of every input in ``specs``, in order; ``kind`` overrides :func:`input_kind`.

    URLs (given, listed or found in feeds) are fetched with ``fetcher``
    (default: a :class:`PoliteFetcher` with its defaults, made when first needed).
    """
    lazy = _LazyFetcher(fetcher)
    try:
        for spec in specs:
            yield from _read_spec(spec, kind or input_kind(spec), lazy)
    finally:
        lazy.close()


def _read_spec(spec: str, kind: str, lazy: _LazyFetcher) -> Iterator[Document]:
    if kind == "url":
        yield from read_url(spec, fetcher=lazy.get())
    elif kind == "folder":
        yield from read_folder(spec, fetcher=lazy)
    elif kind == "jsonl":
        yield from read_jsonl(spec)
    elif kind == "csv":
        yield from read_csv(spec)
    elif kind == "warc":
        yield from read_warc(spec)
    elif kind == "feed":
        yield from _file_reader(
            spec, lambda f: read_feed(f.read(), source=spec, fetcher=lazy.get())
        )
    elif kind == "urls":
        yield from _file_reader(
            spec,
            lambda f: read_url_list(
                io.TextIOWrapper(f, encoding="utf-8", errors="replace"), fetcher=lazy.get()
            ),
        )
    elif kind == "file":
        yield _read_article_file(spec)
    else:
        raise InputError(
            f"unknown input type {kind!r}; use one of: url, folder, jsonl, csv, warc, "
            "feed, urls, file"
        )


class _LazyFetcher:
    """Makes the default fetcher only when a URL is met (no client for local corpora)."""

    def __init__(self, fetcher: PoliteFetcher | None) -> None:
        self.fetcher, self.own = fetcher, fetcher is None

    def get(self) -> PoliteFetcher:
        if self.fetcher is None:
            self.fetcher = PoliteFetcher()
        return self.fetcher

    def close(self) -> None:
        if self.own and self.fetcher is not None:
            self.fetcher.close()


def _open(path: str) -> IO[bytes]:
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


def _file_reader(path: str, read: Callable[[IO[bytes]], Iterator[Document]]) -> Iterator[Document]:
    """``read`` over the opened file; a file that cannot be opened is one failed document."""
    try:
        f = _open(path)
    except OSError as e:
        yield Document(path, error=f"{path}: cannot be read ({e.strerror or e}); check the path")
        return
    with f:
        try:
            yield from read(f)
        except (OSError, EOFError, gzip.BadGzipFile) as e:  # truncated or corrupt in the middle
            yield Document(
                f"{path}#end",
                error=f"{path}: stops being readable ({e}); the documents "
                "before this point were read",
            )


def _read_article_file(path: str) -> Document:
    try:
        return Document(path, read_file(path))
    except AccordingToError as e:
        return Document(path, error=str(e))


# -- folders ---------------------------------------------------------------------------------


def read_folder(path: str | os.PathLike[str], *, fetcher: Any = None) -> Iterator[Document]:
    """Every article file under the folder, in sorted path order, and every JSONL/CSV/WARC/feed/URL-list file.

    Hidden files and files of other types are skipped.
    """
    lazy = fetcher if isinstance(fetcher, _LazyFetcher) else _LazyFetcher(fetcher)
    root = Path(path)
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in file.relative_to(root).parts):
            continue
        spec = str(file)
        kind = input_kind(spec)
        if kind == "file" and not file.name.lower().endswith(ARTICLE_SUFFIXES):
            log.debug("skipping %s: not an article or corpus file", spec)
            continue
        yield from _read_spec(spec, kind, lazy)


# -- JSONL and CSV ----------------------------------------------------------------------------


def read_jsonl(path: str) -> Iterator[Document]:
    """One document per non-empty line of a JSON-lines file (``.gz`` too); source ``path#line N``."""

    def lines(f: IO[bytes]) -> Iterator[Document]:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            source = f"{path}#line {n}"
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                yield Document(
                    source, error=f"{source}: not valid JSON ({e}); fix or remove the line"
                )
                continue
            if not isinstance(record, dict):
                yield Document(
                    source,
                    error=f"{source}: is not a JSON object; each line must be "
                    "an object with a text or html field",
                )
                continue
            yield _record_document(record, source)

    yield from _file_reader(path, lines)


def read_csv(path: str) -> Iterator[Document]:
    """One document per row of a CSV file with a header (``.gz`` too); source ``path#row N``."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

    def rows(f: IO[bytes]) -> Iterator[Document]:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="strict", newline="")
        try:
            for n, row in enumerate(csv.DictReader(text), 1):
                yield _record_document(row, f"{path}#row {n}")
        except (UnicodeDecodeError, csv.Error) as e:
            yield Document(
                f"{path}#end",
                error=f"{path}: stops being readable CSV ({e}); the rows "
                "before this point were read",
            )

    yield from _file_reader(path, rows)


def _record_document(record: Mapping[str, Any], source: str) -> Document:
    try:
        return Document(source, article_from_record(record, source=source))
    except AccordingToError as e:
        return Document(source, error=str(e))


def article_from_record(record: Mapping[str, Any], *, source: str) -> Article:
    """The article in one JSONL/CSV record: text or HTML plus its metadata.

    Raises:
        InputError: no text field, or its content cannot be analysed.
    """
    html = _field(record, "html")
    text = next((v for k in _TEXT_FIELDS if (v := _field(record, k))), None)
    if text is None and html is None:
        raise InputError(
            f"{source}: has no text; give the article in a field named "
            f"{', '.join(_TEXT_FIELDS)} or html"
        )
    fmt = _field(record, "format")
    if html is not None and text is None:
        fmt = "html"
    url = _field(record, "url")
    article = read_bytes((text or html or "").encode("utf-8"), source=source, format=fmt, url=url)
    meta = {k: v for k in ("title", "date", "outlet", "byline") if (v := _field(record, k))}
    if "byline" not in meta and (author := _field(record, "author")):
        meta["byline"] = author
    return replace(article, url=url or article.url, **meta)


def _field(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


# -- WARC ---------------------------------------------------------------------------------------


def read_warc(path: str) -> Iterator[Document]:
    """The HTML responses of a WARC or WARC.gz file (Common Crawl's news crawl) as articles.

    Source ``path#<WARC-Record-ID>``; ``url`` and ``date`` come from the record
    headers.  Records other than successful HTML responses are skipped.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    def records(f: IO[bytes]) -> Iterator[Document]:
        try:
            for record in ArchiveIterator(f):
                if record.format != "warc":  # warcio reads any 5-word line as an ARC header
                    raise ArchiveLoadFailed(f"a {record.format} record, not WARC")
                doc = warc_record_document(record, path)
                if doc is not None:
                    yield doc
        except ArchiveLoadFailed as e:
            yield Document(
                f"{path}#end",
                error=f"{path}: not a readable WARC file ({e}); the "
                "records before this point were read",
            )

    yield from _file_reader(path, records)


def warc_record_document(record: Any, path: str) -> Document | None:
    """The document in one warcio record of the file ``path``; ``None`` for records that are not
    successful HTML responses (requests, metadata, redirects, images …)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    media = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if status != "200" or media not in ("text/html", "application/xhtml+xml"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    source = f"{path}#{record.rec_headers.get_header('WARC-Record-ID') or url}"
    charset = _charset(record.http_headers.get_header("Content-Type") or "")
    try:
        data = record.content_stream().read()
        article = read_bytes(
            data, source=url or source, format="html", url=url, charset=charset, from_web=True
        )
    except AccordingToError as e:
        return Document(source, error=str(e))
    except Exception as e:
        return Document(
            source, error=f"{source}: record cannot be decoded ({type(e).__name__}: {e})"
        )
    date = record.rec_headers.get_header("WARC-Date")
    return Document(source, replace(article, date=article.date or (date[:10] if date else None)))


_warc_document = warc_record_document  # the name accordingto.spark.records imports


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


# -- the web: URLs, URL lists, feeds ---------------------------------------------------------------


def read_url(
    url: str, *, fetcher: PoliteFetcher, meta: Mapping[str, str] | None = None
) -> Iterator[Document]:
    """The article at ``url``, or, when it is an RSS/Atom feed, the articles it links to."""
    try:
        page = fetcher.get(url)
    except AccordingToError as e:
        yield Document(url, error=str(e), stage="fetch")
        return
    if page.content_type in _FEED_TYPES or _looks_like_feed(page.content):
        yield from read_feed(page.content, source=url, fetcher=fetcher)
        return
    try:
        fmt = {
            "text/html": "html",
            "application/xhtml+xml": "html",
            "text/markdown": "markdown",
            "text/plain": None,
        }.get(page.content_type)
        article = read_bytes(
            page.content,
            source=page.url,
            format=fmt,
            url=page.url,
            charset=page.encoding,
            from_web=True,
        )
    except AccordingToError as e:
        yield Document(url, error=str(e))
        return
    yield Document(url, replace(article, **{k: v for k, v in (meta or {}).items() if v}))


def _looks_like_feed(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def read_url_list(lines: Iterable[str], *, fetcher: PoliteFetcher) -> Iterator[Document]:
    """The article at each URL of a list, one per line (blank lines and ``#`` comments skipped)."""
    for line in lines:
        url = line.strip()
        if url and not url.startswith("#"):
            yield from read_url(url, fetcher=fetcher)


def read_feed(data: bytes, *, source: str, fetcher: PoliteFetcher) -> Iterator[Document]:
    """The articles an RSS or Atom feed links to, fetched, with the entries' titles and dates.

    The outlet is the feed's title.  A feed that cannot be parsed is one failed document.
    """
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield Document(
            source,
            error=f"{source}: no entries found in the feed{reason}; check that it is RSS or Atom",
        )
        return
    outlet = feed.feed.get("title")
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            continue
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", parsed) if parsed else None
        meta = {"title": entry.get("title"), "date": date, "outlet": outlet}
        yield from read_url(link, fetcher=fetcher, meta=meta)
