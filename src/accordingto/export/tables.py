"""The flat export schema: an :class:`~accordingto.model.Analysis` as rows of six flat tables.

One schema shared by every tabular output: the ``export`` command (Parquet, CSV,
JSON lines), the Spark job's Parquet and the store's Parquet import.  Columns are
documented in ``docs/export-schema.md``.

* ``articles``: one row per article (its text and metadata, the versions that analyzed it);
* ``speakers``: one row per speaker per article;
* ``quotes``: one row per quotation, denormalised with its speaker and article
  metadata so that "who is quoted, by whom, how often" is one ``GROUP BY``;
* ``marks``: quotation marks that are not speech;
* ``diagnostics``: what the analyzer could not make sense of;
* ``events``: one row per reported event, with its offsets and ``claimed_by`` (the
  speaker of the attribution it sits in).

A store's export adds :data:`PEOPLE` (speakers merged across articles) and
fills the ``person_id`` columns of ``speakers`` and ``quotes`` and the
``corpus_event_id`` column of ``events``.

Every column is a scalar (string, 64-bit integer, double), so each table is also
a CSV file or an SQLite table.  Lists (content spans, ``via``, mentions) are JSON
text.  :func:`from_rows` inverts :func:`rows` exactly: ``from_rows(rows(a)) == [a]``.

>>> from accordingto.export.tables import rows, write_parquet, read_parquet
>>> tables = rows(analysis)                      # doctest: +SKIP
>>> write_parquet([analysis], "out/")            # doctest: +SKIP
>>> analyses = list(read_parquet("out/"))        # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from accordingto.errors import DataError
from accordingto.model import (
    SCHEMA_VERSION,
    Analysis,
    Article,
    Diagnostic,
    EntityKind,
    Event,
    Mark,
    MarkKind,
    Modality,
    Quote,
    QuoteKind,
    ReportedAs,
    Span,
    Speaker,
)

__all__ = [
    "ADDED_COLUMNS",
    "FAILURES",
    "PEOPLE",
    "TABLES",
    "from_rows",
    "read_parquet",
    "read_tables",
    "rows",
    "to_arrow",
    "write_parquet",
]

Row = dict[str, Any]

_S, _I, _F = pa.string(), pa.int64(), pa.float64()


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, kind, nullable=nullable) for name, kind, nullable in fields])


def _span_fields(prefix: str, nullable: bool) -> list[tuple[str, pa.DataType, bool]]:
    return [
        (f"{prefix}start", _I, nullable),
        (f"{prefix}end", _I, nullable),
        (f"{prefix}text", _S, nullable),
    ]


#: One Arrow schema per table, in the order tables are written.
TABLES: dict[str, pa.Schema] = {
    "articles": _schema(
        ("article_id", _S, False),
        ("url", _S, True),
        ("title", _S, True),
        ("byline", _S, True),
        ("date", _S, True),
        ("outlet", _S, True),
        ("format", _S, False),
        ("language", _S, True),
        ("text", _S, False),
        ("schema_version", _S, False),
        ("versions", _S, False),
    ),
    "speakers": _schema(
        ("article_id", _S, False),
        ("position", _I, False),
        ("speaker_id", _S, False),
        ("name", _S, False),
        ("kind", _S, False),
        ("role", _S, True),
        ("mention_count", _I, False),
        ("mentions", _S, False),
        ("person_id", _S, True),
    ),
    "quotes": _schema(
        ("article_id", _S, False),
        ("position", _I, False),
        ("quote_id", _S, False),
        ("kind", _S, False),
        ("start", _I, False),
        ("end", _I, False),
        ("content", _S, False),
        ("content_spans", _S, False),
        *_span_fields("cue_", True),
        *_span_fields("source_", True),
        ("speaker_id", _S, True),
        ("speaker_name", _S, True),
        ("speaker_kind", _S, True),
        ("speaker_role", _S, True),
        ("via", _S, False),
        ("via_names", _S, False),
        ("method", _S, False),
        ("confidence", _F, False),
        ("article_url", _S, True),
        ("article_title", _S, True),
        ("article_outlet", _S, True),
        ("article_date", _S, True),
        ("speaker_person_id", _S, True),
        ("reported_as", _S, True),
        ("speaker_confidence", _F, True),
    ),
    "marks": _schema(
        ("article_id", _S, False),
        ("position", _I, False),
        ("kind", _S, False),
        *_span_fields("", False),
    ),
    "diagnostics": _schema(
        ("article_id", _S, False),
        ("position", _I, False),
        ("code", _S, False),
        ("message", _S, False),
        *_span_fields("", True),
    ),
    "events": _schema(
        ("article_id", _S, False),
        ("position", _I, False),
        ("event_id", _S, False),
        ("root", _S, False),
        ("quad", _I, False),
        ("cameo", _S, True),
        ("intensity", _F, True),
        ("modality", _S, False),
        *_span_fields("trigger_", False),
        *_span_fields("actor_", True),
        ("actor_code", _S, True),
        ("actor_sector", _S, True),
        *_span_fields("target_", True),
        ("target_code", _S, True),
        ("target_sector", _S, True),
        ("date", _S, True),
        *_span_fields("date_span_", True),
        *_span_fields("place_", True),
        ("mentions", _S, False),
        ("claimed_by", _S, True),
        ("claimed_by_name", _S, True),
        ("confidence", _F, False),
        ("corpus_event_id", _S, True),
    ),
}

#: Inputs that could not be analyzed (written by batch jobs beside the six tables).
FAILURES: pa.Schema = _schema(("input", _S, False), ("reason", _S, False), ("article_id", _S, True))

#: People: speakers merged across articles (written by ``export`` from a store, beside the
#: six tables; a single analysis or the Spark job has no corpus to merge them over).
PEOPLE: pa.Schema = _schema(
    ("person_id", _S, False),
    ("name", _S, False),
    ("kind", _S, False),
    ("roles", _S, False),
    ("articles", _I, False),
    ("quotes", _I, False),
    ("speakers", _S, False),
)

#: Columns added after the first release: a table written before them (an older export, an
#: older Spark job) still reads, with the column null.
ADDED_COLUMNS = frozenset({"person_id", "speaker_person_id", "reported_as", "speaker_confidence"})

#: What joins the text of several content spans in the ``content`` column.
CONTENT_JOINER = " … "


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _span_json(spans: Iterable[Span]) -> str:
    return _json([[s.start, s.end, s.text] for s in spans])


def _span_cols(prefix: str, span: Span | None) -> Row:
    if span is None:
        return {f"{prefix}start": None, f"{prefix}end": None, f"{prefix}text": None}
    return {f"{prefix}start": span.start, f"{prefix}end": span.end, f"{prefix}text": span.text}


def _article_row(analysis: Analysis) -> Row:
    a = analysis.article
    return {
        "article_id": a.id,
        "url": a.url,
        "title": a.title,
        "byline": a.byline,
        "date": a.date,
        "outlet": a.outlet,
        "format": a.format,
        "language": a.language,
        "text": a.text,
        "schema_version": SCHEMA_VERSION,
        "versions": _json(analysis.versions),
    }


def _speaker_row(article_id: str, position: int, s: Speaker, people: Mapping[str, str]) -> Row:
    return {
        "article_id": article_id,
        "position": position,
        "speaker_id": s.id,
        "name": s.name,
        "kind": str(s.kind),
        "role": s.role,
        "mention_count": len(s.mentions),
        "mentions": _span_json(s.mentions),
        "person_id": people.get(s.id),
    }


def _quote_row(analysis: Analysis, position: int, q: Quote, people: Mapping[str, str]) -> Row:
    a = analysis.article
    speaker = analysis.speaker(q.speaker_id)
    via_names = [(s.name if (s := analysis.speaker(v)) else None) for v in q.via]
    return {
        "article_id": a.id,
        "position": position,
        "quote_id": q.id,
        "kind": str(q.kind),
        "start": q.start,
        "end": q.end,
        "content": CONTENT_JOINER.join(s.text for s in q.content),
        "content_spans": _span_json(q.content),
        **_span_cols("cue_", q.cue),
        **_span_cols("source_", q.source),
        "speaker_id": q.speaker_id,
        "speaker_name": speaker.name if speaker else None,
        "speaker_kind": str(speaker.kind) if speaker else None,
        "speaker_role": speaker.role if speaker else None,
        "via": _json(list(q.via)),
        "via_names": _json(via_names),
        "method": q.method,
        "confidence": float(q.confidence),
        "article_url": a.url,
        "article_title": a.title,
        "article_outlet": a.outlet,
        "article_date": a.date,
        "speaker_person_id": people.get(q.speaker_id or ""),
        "reported_as": str(q.reported_as),
        "speaker_confidence": q.speaker_confidence,
    }


def _event_row(
    analysis: Analysis, position: int, e: Event, corpus_events: Mapping[str, str]
) -> Row:
    claimant = analysis.speaker(e.claimed_by)
    return {
        "article_id": analysis.article.id,
        "position": position,
        "event_id": e.id,
        "root": e.root,
        "quad": e.quad,
        "cameo": e.cameo,
        "intensity": e.intensity,
        "modality": str(e.modality),
        **_span_cols("trigger_", e.trigger),
        **_span_cols("actor_", e.actor),
        "actor_code": e.actor_code,
        "actor_sector": e.actor_sector,
        **_span_cols("target_", e.target),
        "target_code": e.target_code,
        "target_sector": e.target_sector,
        "date": e.date,
        **_span_cols("date_span_", e.date_span),
        **_span_cols("place_", e.place),
        "mentions": _span_json(e.mentions),
        "claimed_by": e.claimed_by,
        "claimed_by_name": claimant.name if claimant else None,
        "confidence": float(e.confidence),
        "corpus_event_id": corpus_events.get(e.id),
    }


def rows(
    analysis: Analysis,
    people: Mapping[str, str] | None = None,
    *,
    corpus_events: Mapping[str, str] | None = None,
) -> dict[str, list[Row]]:
    """The rows of every table in :data:`TABLES` for one analysis (a table may have none).

    ``people`` maps speaker IDs to the IDs of the people (speakers merged across
    articles) they are, and ``corpus_events`` event IDs to the corpus events they
    were merged into, when the analysis comes from a store; otherwise the
    ``person_id`` and ``corpus_event_id`` columns are null.
    """
    aid = analysis.article.id
    people = people or {}
    merged = corpus_events or {}
    return {
        "articles": [_article_row(analysis)],
        "speakers": [_speaker_row(aid, i, s, people) for i, s in enumerate(analysis.speakers)],
        "quotes": [_quote_row(analysis, i, q, people) for i, q in enumerate(analysis.quotes)],
        "marks": [
            {"article_id": aid, "position": i, "kind": str(m.kind), **_span_cols("", m.span)}
            for i, m in enumerate(analysis.marks)
        ],
        "diagnostics": [
            {
                "article_id": aid,
                "position": i,
                "code": d.code,
                "message": d.message,
                **_span_cols("", d.span),
            }
            for i, d in enumerate(analysis.diagnostics)
        ],
        "events": [_event_row(analysis, i, e, merged) for i, e in enumerate(analysis.events)],
    }


# --- the inverse ---------------------------------------------------------------------------


def _spans(text: str) -> tuple[Span, ...]:
    return tuple(Span(start, end, t) for start, end, t in json.loads(text))


def _span_of(row: Row, prefix: str) -> Span | None:
    start = row[f"{prefix}start"]
    return None if start is None else Span(start, row[f"{prefix}end"], row[f"{prefix}text"])


def _article(row: Row) -> Article:
    return Article(
        text=row["text"],
        title=row["title"],
        byline=row["byline"],
        date=row["date"],
        outlet=row["outlet"],
        url=row["url"],
        format=row["format"],
        language=row["language"],
    )


def _quote(row: Row) -> Quote:
    return Quote(
        id=row["quote_id"],
        kind=QuoteKind(row["kind"]),
        content=_spans(row["content_spans"]),
        cue=_span_of(row, "cue_"),
        source=_span_of(row, "source_"),
        speaker_id=row["speaker_id"],
        via=tuple(json.loads(row["via"])),
        confidence=row["confidence"],
        method=row["method"],
        # no kind: written before attributions had one (1.2), when all were read as speech
        reported_as=ReportedAs(row["reported_as"] or ReportedAs.SPEECH),
        speaker_confidence=row["speaker_confidence"],
    )


def _event(row: Row) -> Event:
    return Event(
        id=row["event_id"],
        trigger=Span(row["trigger_start"], row["trigger_end"], row["trigger_text"]),
        root=row["root"],
        quad=row["quad"],
        modality=Modality(row["modality"]),
        actor=_span_of(row, "actor_"),
        actor_code=row["actor_code"],
        actor_sector=row["actor_sector"],
        target=_span_of(row, "target_"),
        target_code=row["target_code"],
        target_sector=row["target_sector"],
        cameo=row["cameo"],
        intensity=row["intensity"],
        date=row["date"],
        date_span=_span_of(row, "date_span_"),
        place=_span_of(row, "place_"),
        mentions=_spans(row["mentions"]),
        claimed_by=row["claimed_by"],
        confidence=row["confidence"],
    )


def _speaker(row: Row) -> Speaker:
    return Speaker(
        id=row["speaker_id"],
        name=row["name"],
        kind=EntityKind(row["kind"]),
        role=row["role"],
        mentions=_spans(row["mentions"]),
    )


def _by_article(table: Iterable[Row]) -> dict[str, list[Row]]:
    """Rows per article in ``position`` order; a position seen twice (a duplicate article) once."""
    grouped: dict[str, dict[int, Row]] = defaultdict(dict)
    for row in table:
        grouped[row["article_id"]].setdefault(row["position"], row)
    return {aid: [rows[k] for k in sorted(rows)] for aid, rows in grouped.items()}


def from_rows(tables: Mapping[str, Iterable[Row]]) -> Iterator[Analysis]:
    """The analyses whose rows these are, in the order of the ``articles`` rows.

    The inverse of :func:`rows`: rows of several analyses may be concatenated in
    any order; only ``articles`` is required.  An article given twice (the same
    text, so the same ID and the same analysis) gives one analysis.  Raises
    :class:`~accordingto.errors.DataError` for a row that names no known article.
    """
    articles = list(tables["articles"])
    known = {r["article_id"] for r in articles}
    parts = {name: _by_article(tables.get(name, ())) for name in TABLES if name != "articles"}
    for name, grouped in parts.items():
        if stray := set(grouped) - known:
            raise DataError(
                f"table {name!r} has rows for {len(stray)} article(s) missing from "
                f"'articles' (e.g. {min(stray)}): export all tables together"
            )
    seen: set[str] = set()
    for row in articles:
        aid = row["article_id"]
        if aid in seen:
            continue
        seen.add(aid)
        yield Analysis(
            article=_article(row),
            quotes=tuple(_quote(r) for r in parts["quotes"].get(aid, ())),
            speakers=tuple(_speaker(r) for r in parts["speakers"].get(aid, ())),
            marks=tuple(
                Mark(MarkKind(r["kind"]), Span(r["start"], r["end"], r["text"]))
                for r in parts["marks"].get(aid, ())
            ),
            diagnostics=tuple(
                Diagnostic(r["code"], r["message"], _span_of(r, ""))
                for r in parts["diagnostics"].get(aid, ())
            ),
            versions=json.loads(row["versions"]),
            events=tuple(_event(r) for r in parts["events"].get(aid, ())),
        )


# --- Arrow and Parquet ---------------------------------------------------------------------


def to_arrow(analyses: Iterable[Analysis]) -> dict[str, pa.Table]:
    """One Arrow table per name in :data:`TABLES` holding the rows of all ``analyses``."""
    collected: dict[str, list[Row]] = {name: [] for name in TABLES}
    for analysis in analyses:
        for name, table_rows in rows(analysis).items():
            collected[name].extend(table_rows)
    return {name: pa.Table.from_pylist(collected[name], schema=TABLES[name]) for name in TABLES}


def write_parquet(analyses: Iterable[Analysis], directory: Path | str) -> dict[str, int]:
    """Write ``<directory>/<table>.parquet`` for every table; return the row count of each."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, table in to_arrow(analyses).items():
        pq.write_table(table, directory / f"{name}.parquet")
        counts[name] = table.num_rows
    return counts


def _table_path(directory: Path, name: str) -> Path | None:
    for path in (directory / f"{name}.parquet", directory / name):  # a file, or Spark's folder
        if path.exists():
            return path
    return None


def read_tables(directory: Path | str) -> dict[str, pa.Table]:
    """The tables under ``directory``: ``<table>.parquet`` files or Spark's ``<table>/`` folders.

    Columns are cast to :data:`TABLES`; a missing table other than ``articles`` is empty.
    Raises :class:`~accordingto.errors.DataError` when ``articles`` is missing or a
    table lacks a column.
    """
    directory = Path(directory)
    out = {}
    for name, schema in TABLES.items():
        path = _table_path(directory, name)
        if path is None:
            if name == "articles":
                raise DataError(
                    f"no articles.parquet or articles/ under {directory}: "
                    "give the folder written by write_parquet or the Spark job"
                )
            out[name] = schema.empty_table()
            continue
        table = pq.read_table(path)
        missing = [c for c in schema.names if c not in table.column_names]
        if lacking := [c for c in missing if c not in ADDED_COLUMNS]:
            raise DataError(
                f"{path} lacks column(s) {', '.join(lacking)}: "
                "it was not written in the export schema (docs/export-schema.md)"
            )
        for column in missing:  # written before the column was added: all null
            table = table.append_column(column, pa.nulls(table.num_rows, schema.field(column).type))
        out[name] = table.select(schema.names).cast(schema)
    return out


def read_parquet(directory: Path | str) -> Iterator[Analysis]:
    """The analyses stored under ``directory`` (see :func:`read_tables`), in ``articles`` order."""
    tables = read_tables(directory)
    yield from from_rows({name: table.to_pylist() for name, table in tables.items()})
