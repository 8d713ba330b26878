"""Moving analyses out of and into a store in the flat export schema (``docs/export-schema.md``).

``export_store`` writes the five tables of :mod:`accordingto.export.tables`
(articles, speakers, quotes, marks, diagnostics) plus ``failures`` as Parquet
or CSV files, or every analysis as one line of JSON (``docs/schema.md``).  It
streams: analyses are read from the store and written in chunks, so memory does
not grow with the store.  ``import_parquet`` adds the Parquet tables written by
``export`` or by the Spark job to a store, deduplicated like a run.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from accordingto.export.tables import FAILURES, TABLES, read_parquet, rows

from .store import Outcome, Store

__all__ = ["EXPORT_FORMATS", "export_store", "import_parquet"]

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
    writers = {
        name: _writer(format, directory, name, schema)
        for name, schema in [*TABLES.items(), ("failures", FAILURES)]
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
    finally:
        for w in writers.values():
            w.close()
    return counts


def _chunks(store: Store) -> Iterator[dict[str, list[dict]]]:
    chunk: dict[str, list[dict]] = {name: [] for name in TABLES}
    for n, analysis in enumerate(store.analyses(), 1):
        for name, table_rows in rows(analysis).items():
            chunk[name].extend(table_rows)
        if n % _CHUNK == 0:
            yield chunk
            chunk = {name: [] for name in TABLES}
    yield chunk


def _export_jsonl(store: Store, path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for analysis in store.analyses():
            f.write(
                json.dumps(analysis.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
            )
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


def import_parquet(store: Store, directory: str | Path) -> list[Outcome]:
    """Add the analyses of Parquet tables (``export`` or the Spark job) to the store.

    Each article's source is ``<directory>#<article id>``; importing twice adds
    nothing, and articles already stored (same text or canonical URL) are
    recorded as duplicates.  Failures in a ``failures`` table are recorded too.
    """
    directory = Path(directory)
    outcomes = []
    with store.transaction():
        for analysis in read_parquet(directory):
            outcomes.append(store.add(analysis, source=f"{directory}#{analysis.article.id}"))
        path = directory / "failures.parquet"
        if path.exists():
            import pyarrow.parquet as pq

            for row in pq.read_table(path).to_pylist():
                outcomes.append(store.record_failure(row["input"], row["reason"], stage="analyse"))
    from accordingto.across.people import link_people

    link_people(store)
    return outcomes
