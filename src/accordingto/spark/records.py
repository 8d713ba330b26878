"""Input records to articles, and articles to rows of the export tables: the job's pure Python.

Nothing here imports pyspark, so each function is testable (and reusable) on
its own.  The Spark job (:mod:`accordingto.spark.job`) only moves these
functions' inputs and outputs around a cluster.

* :func:`jsonl_item`: one JSON line (``{"text": ...}`` or ``{"html": ...}`` with
  optional ``title``, ``byline``, ``date``, ``outlet``, ``url``, ``id``; or an
  ``analyze --format jsonl`` record, whose ``article`` is re-analysed);
* :func:`warc_items`: the HTML responses (and WET text conversions) of one WARC file;
* :func:`analyse_items`: articles in, ``(table, row)`` pairs out, with one
  :class:`Failure` row per input that could not be analysed.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from accordingto.errors import AccordingToError, InputError
from accordingto.export.tables import rows
from accordingto.ingest import guess_language, read_bytes
from accordingto.model import Article
from accordingto.pipeline import analyze_many

__all__ = ["Failure", "Item", "analyse_items", "jsonl_item", "warc_items"]

log = logging.getLogger(__name__)

_METADATA = ("title", "byline", "date", "outlet", "url")


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that did not become an analysis, and why (a row of ``tables.FAILURES``)."""

    input: str
    reason: str
    article_id: str | None = None

    def row(self) -> tuple[Any, ...]:
        return (self.input, self.reason, self.article_id)


#: What the readers yield: ``(input name, article)``, or the failure to read it.
Item = tuple[str, Article] | Failure


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _record_article(record: dict[str, Any], name: str) -> Article:
    meta = {k: _str_or_none(record.get(k)) for k in _METADATA}
    if isinstance(record.get("html"), str):
        article = read_bytes(record["html"].encode("utf-8"), source=name, format="html",
                             url=meta["url"], from_web=True)
        return replace(article, **{k: v for k, v in meta.items() if v})
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f'{name}: no article text: give a "text" or "html" string')
    fmt = record.get("format") if record.get("format") in ("text", "markdown") else "text"
    language = record["language"] if "language" in record else guess_language(text)
    return Article(text=text, format=fmt, language=language, **meta)


def jsonl_item(line: str, *, source: str) -> Item:
    """The article of one JSON line, named ``source#<id or url>`` (or a :class:`Failure`).

    ``source`` names the file (and line when known) in messages.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        return Failure(source, f"{source}: not a JSON line ({e.msg} at column {e.colno})")
    if isinstance(record, dict) and isinstance(record.get("article"), dict):
        record = record["article"]  # a record written by `analyze --format jsonl`
    if not isinstance(record, dict):
        return Failure(source, f"{source}: a JSON line must be an object with a \"text\" field")
    key = record.get("id") or record.get("url")
    name = f"{source}#{key}" if key else source
    try:
        return name, _record_article(record, name)
    except AccordingToError as e:
        return Failure(name, str(e))


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _warc_article(record, uri: str) -> Article | None:
    """The article of one WARC record, or ``None`` for a record that holds none."""
    if record.rec_type == "conversion":  # WET: extracted plain text
        return read_bytes(record.content_stream().read(), source=uri, format="text", url=uri)
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    return read_bytes(record.content_stream().read(), source=uri, format="html", url=uri,
                      charset=_charset(content_type), from_web=True)


def warc_items(data: bytes, *, source: str) -> Iterator[Item]:
    """The articles of one WARC (or WARC.gz) file's bytes: HTML responses and WET conversions.

    Requests, metadata, non-200 and non-HTML responses are skipped; a page
    without article text becomes a :class:`Failure` named ``<uri>`` (``source`` if none).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            uri = record.rec_headers.get_header("WARC-Target-URI") or source
            try:
                article = _warc_article(record, uri)
            except AccordingToError as e:
                yield Failure(uri, str(e))
                continue
            if article is not None:
                yield uri, article
    except ArchiveLoadFailed as e:
        yield Failure(source, f"{source}: not a readable WARC file ({e}); give .warc or .warc.gz files")


def _analyse_batch(batch: list[tuple[str, Article]], nlp, batch_size: int) -> Iterator[Any]:
    try:
        analyses = list(analyze_many([a for _, a in batch], batch_size=batch_size, nlp=nlp))
    except Exception:  # noqa: BLE001 -- some article in the batch is bad: find which, alone
        for one in batch:
            yield from _analyse_one(one, nlp)
        return
    yield from analyses


def _analyse_one(item: tuple[str, Article], nlp) -> Iterator[Any]:
    name, article = item
    # A batch job must not die for one document, whatever went wrong with it:
    # the reason is kept in the failures table and the traceback in the log.
    try:
        yield next(analyze_many([article], batch_size=1, nlp=nlp))
    except Exception as e:
        if not isinstance(e, AccordingToError):
            log.warning("%s: analysis failed", name, exc_info=True)
        yield Failure(name, f"{type(e).__name__}: {e}" if not isinstance(e, AccordingToError)
                      else str(e), article.id)


def _tagged(analysis) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for table, table_rows in rows(analysis).items():
        for row in table_rows:
            yield table, tuple(row.values())


def analyse_items(items: Iterable[Item], *, nlp, batch_size: int = 16) -> Iterator[tuple[str, tuple]]:
    """``(table, row)`` for every row of the analyses of ``items``, and ``("failures", row)``.

    Rows are tuples in the column order of :data:`~accordingto.export.tables.TABLES`
    (and :data:`~accordingto.export.tables.FAILURES`).  Articles are parsed with
    ``nlp.pipe`` in batches of ``batch_size``; an article that fails is retried
    alone and becomes a failure row, the others are still analysed.
    """
    batch: list[tuple[str, Article]] = []

    def flush() -> Iterator[tuple[str, tuple]]:
        for result in _analyse_batch(batch, nlp, batch_size):
            if isinstance(result, Failure):
                yield "failures", result.row()
            else:
                yield from _tagged(result)
        batch.clear()

    for item in items:
        if isinstance(item, Failure):
            yield "failures", item.row()
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()

