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
``date``, ``title``, ``byline`` (or ``author``), ``format``.  A lone surrogate
in a JSON string (``"\\ud800"``, which no UTF-8 text can hold) is replaced by
U+FFFD, one code point for one so offsets stay put, with a warning naming the
record and field; the document is still read.

Gzip-compressed files are read like the files inside them (``story.html.gz``,
``news.jsonl.gz``, ``crawl.warc.gz``).  A folder's files of other types, and its
hidden files and folders, are skipped with a warning that names each one
(:func:`~accordingto.ingest.document.warn`: log records, never a print).

URLs, URL lists and feeds are fetched with a
:class:`~accordingto.ingest.polite.PoliteFetcher`, behind the private-address guard.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from accordingto.errors import AccordingToError, InputError
from accordingto.model import Article

from .document import Document, file_documents, open_input, replace_surrogates, warn
from .fetch import FEED_TYPES
from .polite import PoliteFetcher
from .read import read_bytes, read_fetched, read_file, text_codec
from .warc import read_warc

__all__ = [
    "ARTICLE_SUFFIXES",
    "Document",
    "article_from_record",
    "fetch_documents",
    "folder_files",
    "input_kind",
    "is_article_file",
    "iter_documents",
    "open_input",
    "read_csv",
    "read_feed",
    "read_folder",
    "read_jsonl",
    "read_url_list",
    "read_warc",
]

log = logging.getLogger(__name__)

#: Files read as one article each (also gzip-compressed: ``story.html.gz``).
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")
_KINDS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".warc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".urls": "urls",
}  # fmt: skip
_TEXT_FIELDS = ("text", "content", "body")
_XML_ENCODING = re.compile(rb"""(\s*<\?xml[^>]*?encoding\s*=\s*["'])([^"']*)""", re.IGNORECASE)
_NOT_READ = (
    f"skipped: not an article or corpus file (read are {' '.join(ARTICLE_SUFFIXES)}, .jsonl, "
    ".csv, .warc, feeds and .urls, also as .gz); pass it alone to read it"
)


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


def is_article_file(path: str) -> bool:
    """Whether ``path`` is an article file by its extension (``.gz`` looked through)."""
    return path.lower().removesuffix(".gz").endswith(ARTICLE_SUFFIXES)


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
        yield from fetch_documents(spec, fetcher=lazy.get())
    elif kind == "folder":
        yield from read_folder(spec, fetcher=lazy)
    elif kind == "jsonl":
        yield from read_jsonl(spec)
    elif kind == "csv":
        yield from read_csv(spec)
    elif kind == "warc":
        yield from read_warc(spec)
    elif kind == "feed":
        yield from file_documents(
            spec, lambda f: read_feed(f.read(), source=spec, fetcher=lazy.get())
        )
    elif kind == "urls":
        yield from file_documents(
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


def _read_article_file(path: str) -> Document:
    try:
        return Document(path, read_file(path))
    except AccordingToError as e:
        return Document(path, error=str(e))


# -- folders ---------------------------------------------------------------------------------


def read_folder(path: str | os.PathLike[str], *, fetcher: Any = None) -> Iterator[Document]:
    """Every article file under the folder, in sorted path order, and every JSONL/CSV/WARC/feed/URL-list file.

    Hidden files, hidden folders and files of other types are skipped, each
    with a warning naming it (a hidden folder is named once, not file by file).
    """
    lazy = fetcher if isinstance(fetcher, _LazyFetcher) else _LazyFetcher(fetcher)
    for spec in folder_files(path):
        yield from _read_spec(spec, input_kind(spec), lazy)


def folder_files(path: str | os.PathLike[str], *, report: bool = True) -> Iterator[str]:
    """The paths of the files :func:`read_folder` reads, in sorted order.

    The others are named in warnings (``report=False``: silently, e.g. to count ahead).
    """
    root = Path(path)
    hidden: set[Path] = set()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        parts = file.relative_to(root).parts
        at = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
        if at is not None:
            top = root.joinpath(*parts[: at + 1])
            if report and top not in hidden:
                what = "hidden file" if top == file else "hidden folder"
                warn(str(top), f"skipped: a {what}; move it out of the hidden path to read it")
            hidden.add(top)
            continue
        spec = str(file)
        if input_kind(spec) == "file" and not is_article_file(spec):
            if report:
                warn(spec, _NOT_READ)
            continue
        yield spec


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
            except RecursionError:  # json's decoder recurses once per nested [ or {
                yield Document(
                    source,
                    error=f"{source}: JSON nested too deeply to read; fix or remove the line",
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

    yield from file_documents(path, lines)


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

    yield from file_documents(path, rows)


def _record_document(record: Mapping[str, Any], source: str) -> Document:
    try:
        return Document(source, article_from_record(record, source=source))
    except AccordingToError as e:
        return Document(source, error=str(e))


def article_from_record(record: Mapping[str, Any], *, source: str) -> Article:
    """The article in one JSONL/CSV record: text or HTML plus its metadata.

    Lone surrogates in its string fields are replaced by U+FFFD, with a warning.

    Raises:
        InputError: no text field, or its content cannot be analyzed.
    """
    record = _without_surrogates(record, source)
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


def _without_surrogates(record: Mapping[str, Any], source: str) -> Mapping[str, Any]:
    """The record with lone surrogates replaced in its string fields; a warning per field."""
    fixed: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, str):
            value, count = replace_surrogates(value)
            if count:
                warn(
                    source,
                    f"field {key!r} has {count} lone surrogate code point(s) (an unpaired "
                    "\\ud800-\\udfff escape), replaced by U+FFFD; fix the escapes in the input",
                )
        fixed[key] = value
    return fixed


def _field(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


# -- the web: URLs, URL lists, feeds ---------------------------------------------------------------


def fetch_documents(
    url: str, *, fetcher: PoliteFetcher, meta: Mapping[str, str | None] | None = None
) -> Iterator[Document]:
    """The article at ``url``, or, when it is an RSS/Atom feed, the articles it links to.

    ``meta`` (``title``, ``date``, ``outlet`` from a feed entry) fills the article's fields.
    """
    try:
        page = fetcher.get(url)
    except AccordingToError as e:
        yield Document(url, error=str(e), stage="fetch")
        return
    if page.content_type in FEED_TYPES or _looks_like_feed(page.content):
        yield from read_feed(page.content, source=url, fetcher=fetcher)
        return
    try:
        article = read_fetched(page, max_bytes=fetcher.max_bytes)
    except AccordingToError as e:
        yield Document(url, error=str(e))
        return
    yield Document(url, replace(article, **{k: v for k, v in (meta or {}).items() if v}))


def _usable_xml_encoding(data: bytes, source: str) -> bytes:
    """``data`` with an unusable ``<?xml … encoding="…"?>`` label replaced by ``utf-8``."""
    match = _XML_ENCODING.match(data)
    if match is None:
        return data
    label = match.group(2).decode("ascii", errors="replace")
    if text_codec(label) is not None:
        return data
    warn(source, f"declares the XML encoding {label!r}, not a usable text encoding; read as UTF-8")
    return data[: match.start(2)] + b"utf-8" + data[match.end(2) :]


def _looks_like_feed(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def read_url_list(lines: Iterable[str], *, fetcher: PoliteFetcher) -> Iterator[Document]:
    """The article at each URL of a list, one per line (blank lines and ``#`` comments skipped)."""
    for line in lines:
        url = line.strip()
        if url and not url.startswith("#"):
            yield from fetch_documents(url, fetcher=fetcher)


def read_feed(data: bytes, *, source: str, fetcher: PoliteFetcher) -> Iterator[Document]:
    """The articles an RSS or Atom feed links to, fetched, with the entries' titles and dates.

    The outlet is the feed's title.  A feed that cannot be parsed is one failed document.
    An XML declaration naming an encoding that is not a usable text codec
    (``encoding="undefined"``, which makes feedparser raise) is read as UTF-8, with a warning.
    """
    import feedparser

    try:
        feed = feedparser.parse(_usable_xml_encoding(data, source))
    except (UnicodeError, LookupError) as e:  # feedparser's own decoding gave up
        yield Document(
            source, error=f"{source}: the feed cannot be decoded ({e}); convert it to UTF-8"
        )
        return
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
        yield from fetch_documents(link, fetcher=fetcher, meta=meta)
