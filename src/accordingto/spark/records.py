"""Input records to articles, and articles to rows of the export tables: the job's pure Python.

Nothing here imports pyspark, so each function is testable (and reusable) on
its own.  The Spark job (:mod:`accordingto.spark.job`) only moves these
functions' inputs and outputs around a cluster.

* :func:`jsonl_item`: one JSON line (``{"text": ...}`` or ``{"html": ...}`` with
  optional metadata and ``id``);
* :func:`warc_items`: the HTML responses of one WARC file's bytes;
* :func:`analyse_items`: articles in, ``(table, row)`` pairs out, with one
  :class:`Failure` row per input that could not be analysed.

Records become articles exactly as in ``accordingto run`` (the readers of
:mod:`accordingto.ingest.inputs`), so both give the same analyses.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from accordingto.errors import AccordingToError
from accordingto.export.tables import rows
from accordingto.ingest.inputs import article_from_record
from accordingto.ingest.warc import warc_documents
from accordingto.model import Article
from accordingto.pipeline import analyze_many

__all__ = ["Failure", "Item", "analyse_items", "jsonl_item", "warc_items"]

log = logging.getLogger(__name__)


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


def jsonl_item(line: str, *, source: str) -> Item:
    """The article of one JSON line, named ``source#<id or url>`` (or a :class:`Failure`).

    The record is read as ``accordingto run`` reads it
    (:func:`accordingto.ingest.inputs.article_from_record`): ``text`` (or
    ``content``, ``body``) or ``html``, with ``title``, ``date``, ``outlet``,
    ``byline`` (or ``author``) and ``url``.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        return Failure(
            source, f"{source}: not valid JSON ({e}); fix or remove the line starting {line[:40]!r}"
        )
    if not isinstance(record, dict):
        return Failure(
            source,
            f"{source}: is not a JSON object; each line must be an object "
            "with a text or html field",
        )
    key = record.get("id") or record.get("url")
    name = f"{source}#{key}" if key else source
    try:
        return name, article_from_record(record, source=name)
    except AccordingToError as e:
        return Failure(name, str(e))


def warc_items(data: bytes, *, source: str) -> Iterator[Item]:
    """The articles of one WARC (or WARC.gz) file's bytes, read as ``accordingto run`` reads them.

    Successful HTML responses only (:func:`accordingto.ingest.warc.warc_documents`),
    named ``source#<WARC-Record-ID>``; a page without article text, or a file that
    stops being WARC, becomes a :class:`Failure`.
    """
    for doc in warc_documents(io.BytesIO(data), source=source):
        yield (
            (doc.source, doc.article)
            if doc.article is not None
            else Failure(doc.source, doc.error or "unreadable record")
        )


def _analyse_batch(batch: list[tuple[str, Article]], nlp, batch_size: int) -> Iterator[Any]:
    try:
        analyses = list(analyze_many([a for _, a in batch], batch_size=batch_size, nlp=nlp))
    except Exception:
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
        yield Failure(
            name,
            f"{type(e).__name__}: {e}" if not isinstance(e, AccordingToError) else str(e),
            article.id,
        )


def _tagged(analysis) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for table, table_rows in rows(analysis).items():
        for row in table_rows:
            yield table, tuple(row.values())


def analyse_items(
    items: Iterable[Item], *, nlp, batch_size: int = 16
) -> Iterator[tuple[str, tuple]]:
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
