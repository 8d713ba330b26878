"""Input records to articles, and articles to rows of the export tables: the job's pure Python.

Nothing here imports pyspark, so each function is testable (and reusable) on
its own.  The Spark job (:mod:`accordingto.spark.job`) only moves these
functions' inputs and outputs around a cluster.

* :func:`jsonl_item`: one JSON line (``{"text": ...}`` or ``{"html": ...}`` with
  optional metadata and ``id``);
* :func:`warc_items`: the HTML responses of one WARC file's bytes;
* :func:`analyze_items`: articles in, ``(table, row)`` pairs out, with one
  :class:`Failure` row per input that could not be analyzed (the batch runner of
  ``accordingto run``, :func:`accordingto.corpus.each.analyze_each`).

Records become articles exactly as in ``accordingto run`` (the readers of
:mod:`accordingto.ingest.inputs`), so both give the same analyses.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from accordingto.corpus.each import Failure, analyze_each, log_warnings
from accordingto.errors import AccordingToError
from accordingto.export.tables import rows
from accordingto.ingest.inputs import article_from_record
from accordingto.ingest.warc import warc_documents
from accordingto.model import Article

__all__ = ["Failure", "Item", "analyze_items", "jsonl_item", "warc_items"]

log = logging.getLogger(__name__)


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


def _tagged(analysis) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for table, table_rows in rows(analysis).items():
        for row in table_rows:
            yield table, tuple(row.values())


def analyze_items(
    items: Iterable[Item], *, nlp, batch_size: int = 16, budget_s: float | None = None
) -> Iterator[tuple[str, tuple]]:
    """``(table, row)`` for every row of the analyses of ``items``, and ``("failures", row)``.

    Rows are tuples in the column order of :data:`~accordingto.export.tables.TABLES`
    (and :data:`~accordingto.export.tables.FAILURES`).  The articles go through
    :func:`accordingto.corpus.each.analyze_each`, as in ``accordingto run``:
    parsed with ``nlp.pipe`` in batches of ``batch_size``, each within
    ``budget_s`` seconds; an article that fails becomes a failure row, the
    others are still analyzed.
    """
    unread: list[Failure] = []

    def articles() -> Iterator[tuple[str, Article]]:
        for item in items:
            if isinstance(item, Failure):
                unread.append(item)
            else:
                yield item

    for result in analyze_each(articles(), nlp=nlp, batch_size=batch_size, budget_s=budget_s):
        yield from _failures(unread)
        log_warnings(result, log)
        if isinstance(result, Failure):
            yield "failures", result.row()
        else:
            yield from _tagged(result.analysis)
    yield from _failures(unread)


def _failures(unread: list[Failure]) -> Iterator[tuple[str, tuple]]:
    """The read failures met so far, as rows, in input order (and forget them)."""
    for failure in unread:
        yield "failures", failure.row()
    unread.clear()
