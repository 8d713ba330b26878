"""Moving analyses out of and into a store in the flat export schema (``docs/export-schema.md``).

``export_store`` writes the six tables of :mod:`accordingto.export.tables`
(articles, speakers, quotes, marks, diagnostics, events, with each speaker's
``person_id`` and each event's ``corpus_event_id``) plus ``failures`` and ``people``
as Parquet or CSV files, or every analysis as one line of JSON (``docs/schema.md``).
A quotation stored before attributions had a kind (migration ``0006_reported_as``)
is exported with ``reported_as`` null, as stored.  It
streams: analyses are read from the store and written in chunks, so memory does
not grow with the store.  ``import_parquet`` adds the Parquet tables written by
``export`` or by the Spark job to a store, deduplicated like a run.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from accordingto.export.tables import FAILURES, PEOPLE, TABLES, read_parquet, rows
from accordingto.model import Analysis

from .store import Store, has_events, has_kinds

__all__ = ["EXPORT_FORMATS", "ImportReport", "export_store", "import_parquet"]

#: Formats :func:`export_store` writes.
EXPORT_FORMATS = ("parquet", "csv", "jsonl")
_CHUNK = 500


def export_store(store: Store, directory: str | Path, *, format: str = "parquet") -> dict[str, int]:
    """Write the store's analyses under ``directory``; the number of rows written per table."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if format == "jsonl":
        return {"analyses": _export_jsonl(store, directory / "analyses.jsonl")}
    if format not in EXPORT_FORMATS:
        raise ValueError(
            f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )
    extra = [("failures", FAILURES), ("people", PEOPLE)]
    writers = {
        name: _writer(format, directory, name, schema) for name, schema in [*TABLES.items(), *extra]
    }
    counts = dict.fromkeys(writers, 0)
    try:
        for chunk in _chunks(store):
            for name, table_rows in chunk.items():
                writers[name].write(table_rows)
                counts[name] += len(table_rows)
        failures = [
            {"input": s, "reason": r, "article_id": None}
            for s, r in store.conn.execute("SELECT source, reason FROM failures ORDER BY source")
        ]
        writers["failures"].write(failures)
        counts["failures"] = len(failures)
        people = _people_rows(store)
        writers["people"].write(people)
        counts["people"] = len(people)
    finally:
        for w in writers.values():
            w.close()
    return counts


def _chunks(store: Store) -> Iterator[dict[str, list[dict]]]:
    people = dict(store.conn.execute("SELECT speaker_id, person_id FROM person_speakers"))
    chunk: dict[str, list[dict]] = {name: [] for name in TABLES}
    for n, analysis in enumerate(store.analyses(), 1):
        tables = rows(analysis, people, corpus_events=_corpus_events(store, analysis))
        _unkind(store, analysis, tables["quotes"])
        for name, table_rows in tables.items():
            chunk[name].extend(table_rows)
        if n % _CHUNK == 0:
            yield chunk
            chunk = {name: [] for name in TABLES}
    yield chunk


def _corpus_events(store: Store, analysis: Analysis) -> dict[str, str]:
    """``event id -> corpus event id`` for the events of one stored article."""
    if not analysis.events or not has_events(store.conn):
        return {}
    return dict(
        store.conn.execute(
            "SELECT id, corpus_event_id FROM event_reports WHERE article_id = ?",
            (analysis.article.id,),
        )
    )


def _unclassified(store: Store, article_id: str) -> set[str]:
    """IDs of the article's quotations stored before they had a kind (``reported_as`` NULL)."""
    if not has_kinds(store.conn):
        return {
            r[0]
            for r in store.conn.execute("SELECT id FROM quotes WHERE article_id = ?", (article_id,))
        }
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM quotes WHERE article_id = ? AND reported_as IS NULL", (article_id,)
        )
    }


def _unkind(store: Store, analysis: Analysis, quote_rows: list[dict]) -> None:
    """Export NULL kinds as stored: the rebuilt record reads them as speech."""
    unknown = _unclassified(store, analysis.article.id)
    for row in quote_rows:
        if row["quote_id"] in unknown:
            row["reported_as"] = None


def _people_rows(store: Store) -> list[dict]:
    """The ``people`` table: each person with the speakers merged into it and the rule (evidence)."""
    merged: dict[str, list[list[str]]] = {}
    for pid, sid, name, rule in store.conn.execute(
        "SELECT person_id, speaker_id, name, rule FROM person_speakers ORDER BY person_id, speaker_id"
    ):
        merged.setdefault(pid, []).append([sid, name, rule])
    return [
        {
            "person_id": pid,
            "name": name,
            "kind": kind,
            "roles": roles,
            "articles": articles,
            "quotes": quotes,
            "speakers": json.dumps(merged.get(pid, []), ensure_ascii=False),
        }
        for pid, name, kind, roles, articles, quotes in store.conn.execute(
            "SELECT id, name, kind, roles, articles, quotes FROM people ORDER BY id"
        )
    ]


def _export_jsonl(store: Store, path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for analysis in store.analyses():
            data = analysis.to_dict()
            unknown = _unclassified(store, analysis.article.id)
            for quote in data["quotes"]:
                if quote["id"] in unknown:  # stored before attributions had a kind
                    quote["reported_as"] = None
            f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
    return n


class _ParquetTable:
    def __init__(self, path: Path, schema) -> None:
        import pyarrow.parquet as pq

        self.schema = schema
        self.writer = pq.ParquetWriter(path, schema)

    def write(self, table_rows: list[dict]) -> None:
        import pyarrow as pa

        self.writer.write_table(pa.Table.from_pylist(table_rows, schema=self.schema))

    def close(self) -> None:
        self.writer.close()


class _CsvTable:
    def __init__(self, path: Path, schema) -> None:
        self.file = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.file, fieldnames=schema.names)
        self.writer.writeheader()

    def write(self, table_rows: list[dict]) -> None:
        self.writer.writerows(table_rows)

    def close(self) -> None:
        self.file.close()


def _writer(format: str, directory: Path, name: str, schema):
    if format == "parquet":
        return _ParquetTable(directory / f"{name}.parquet", schema)
    return _CsvTable(directory / f"{name}.csv", schema)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What :func:`import_parquet` did: what it added and what the store already held."""

    #: Articles stored by this import.
    added: int = 0
    #: Articles this folder's import had stored before (importing twice adds nothing).
    imported_before: int = 0
    #: Articles whose text or canonical URL the store already held from another source.
    duplicates: int = 0
    #: Failures recorded by this import (inputs the job could not analyze).
    failures: int = 0
    #: Failures the store already held.
    failures_before: int = 0

    @property
    def present(self) -> int:
        """Articles that were already in the store, however they got there."""
        return self.imported_before + self.duplicates

    def __str__(self) -> str:
        return (
            f"{self.added:,} added, {self.present:,} already present "
            f"({self.imported_before:,} imported before, {self.duplicates:,} same text or URL), "
            f"{self.failures:,} failures recorded, {self.failures_before:,} already recorded"
        )


def import_parquet(store: Store, directory: str | Path) -> ImportReport:
    """Add the analyses of Parquet tables (``export`` or the Spark job) to the store.

    Each article's source is ``<directory>#<article id>``; importing twice adds
    nothing, and articles already stored (same text or canonical URL) are
    recorded as duplicates.  Failures in a ``failures`` table are recorded too,
    unless the store already holds that input.
    """
    directory = Path(directory)
    counts: Counter[str] = Counter()
    with store.transaction():
        for analysis in read_parquet(directory):
            counts[_add(store, analysis, f"{directory}#{analysis.article.id}")] += 1
        path = directory / "failures.parquet"
        if path.exists():
            import pyarrow.parquet as pq

            for row in pq.read_table(path).to_pylist():
                counts[_fail(store, row["input"], row["reason"])] += 1
    from .people import link_people

    link_people(store)
    return ImportReport(**counts)


def _add(store: Store, analysis: Analysis, source: str) -> str:
    """Add one analysis; which :class:`ImportReport` count it belongs to."""
    known = store.document(source)
    if known is not None and known.status != "failed":
        return "imported_before"
    outcome = store.add(analysis, source=source)
    return "added" if outcome.status == "stored" else "duplicates"


def _fail(store: Store, source: str, reason: str) -> str:
    if store.document(source) is not None:
        return "failures_before"
    store.record_failure(source, reason, stage="analyze")
    return "failures"
