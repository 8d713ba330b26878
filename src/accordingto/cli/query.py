"""Questions to a corpus store: ``quotes``, ``speakers``, ``sources``, ``citations``,
``provenance``, ``search``, ``failures``; each prints a table, CSV or JSON.

The questions about quotations take ``--only KIND[,KIND]`` and ``--min-confidence P``
(``accordingto.export.select``): the store keeps every attribution, and each question
chooses what it counts."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict, fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from accordingto.export.json import dumps
from accordingto.export.terminal import printable
from accordingto.store import Store, queries

from .app import app
from .params import MinConfidence, Only

Db = Annotated[Path, typer.Option("--db", help="The store made by accordingto run.")]
Outlet = Annotated[
    str | None, typer.Option(help="Only this outlet (as stored, or the URL's host).")
]
Since = Annotated[
    str | None,
    typer.Option(help="Only articles dated on or after this (2026, 2026-01, 2026-01-31)."),
]
Until = Annotated[str | None, typer.Option(help="Only articles dated up to this, inclusive.")]
Limit = Annotated[int, typer.Option(min=1, help="At most this many rows.")]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


Fmt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json.")]


def _flat(row: Any) -> dict[str, Any]:
    """A row as a flat mapping (nested dataclasses' fields are prefixed by their name)."""
    out: dict[str, Any] = {}
    for f in fields(row):
        value = getattr(row, f.name)
        if is_dataclass(value):
            out.update(_flat(value))
        elif isinstance(value, tuple):
            out[f.name] = json.dumps(value, ensure_ascii=False)
        else:
            out[f.name] = value
    return out


def _shown(value: Any) -> Any:
    """A string without escape sequences when it goes to a terminal; anything else as it is."""
    return printable(value) if isinstance(value, str) else value


def emit(
    rows: list[Any], fmt: Format, *, title: str | None = None, columns: list[str] | None = None
) -> None:
    """Print dataclass rows as a table, CSV (header first) or a JSON array.

    A table never shows escape sequences or control characters from the store; JSON escapes
    them (the same data); CSV drops them when it goes to a terminal (redirected, it is the
    data as stored).
    """
    tty = sys.stdout.isatty()
    if fmt is Format.json:
        print(dumps([asdict(r) for r in rows], indent=2))
        return
    flat = [_flat(r) for r in rows]
    names = columns or (list(flat[0]) if flat else [])
    if fmt is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows([[_shown(r.get(c)) if tty else r.get(c) for c in names] for r in flat])
        return
    table = Table(title=Text(printable(title or "")) if title else None, show_lines=False)
    for name in names:
        table.add_column(name, overflow="fold", no_wrap=name.endswith("_id"))
    for r in flat:
        table.add_row(*("" if r.get(c) is None else Text(printable(str(r.get(c)))) for c in names))
    Console(soft_wrap=False).print(table)
    if not rows:
        print("(no rows)", file=sys.stderr)


def open_store(db: Path) -> Store:
    return Store(db, readonly=True)


def note_unclassified(store: Store, only: str | None) -> None:
    """Say on stderr how many stored quotations ``--only`` cannot keep (stored without a kind)."""
    if only is None:
        return
    n = queries.unclassified(store)
    if n:
        print(
            f"accordingto: {n:,} quotations stored before attributions had a kind are left "
            "out by --only (docs/store.md)",
            file=sys.stderr,
        )


@app.command(
    "quotes",
    epilog='Examples:  accordingto quotes --db corpus.db --speaker "Anna Holt" --since 2026-01\n\n'
    "accordingto quotes --db corpus.db --only speech --min-confidence 0.5",
)
def quotes_command(
    db: Db = Path("corpus.db"),
    speaker: Annotated[str | None, typer.Option(help="A person's name or ID.")] = None,
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    kind: Annotated[str | None, typer.Option(help="direct, indirect or mixed.")] = None,
    limit: Limit = 50,
    fmt: Fmt = Format.table,
    only: Only = None,
    min_confidence: MinConfidence = None,
) -> None:
    """Quotations, earliest first, by speaker, outlet, period, kind or what they report."""
    with open_store(db) as store:
        rows = queries.quotes(
            store,
            speaker=speaker,
            outlet=outlet,
            since=since,
            until=until,
            kind=kind,
            limit=limit,
            only=only,
            min_confidence=min_confidence,
        )
        note_unclassified(store, only)
    emit(
        rows,
        fmt,
        title="Quotations",
        columns=None
        if fmt is not Format.table
        else ["date", "outlet", "speaker", "kind", "reported_as", "text", "quote_id"],
    )


@app.command(
    "speakers",
    epilog="Example:  accordingto speakers --db corpus.db --outlet reuters.com --since 2026",
)
def speakers_command(
    db: Db = Path("corpus.db"),
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    kind: Annotated[
        str | None, typer.Option(help="person, organization, outlet, anonymous …")
    ] = None,
    limit: Limit = 20,
    fmt: Fmt = Format.table,
    only: Only = None,
    min_confidence: MinConfidence = None,
) -> None:
    """The most quoted speakers (merged across articles) by outlet and period."""
    with open_store(db) as store:
        rows = queries.top_speakers(
            store,
            outlet=outlet,
            since=since,
            until=until,
            kind=kind,
            limit=limit,
            only=only,
            min_confidence=min_confidence,
        )
        note_unclassified(store, only)
    emit(rows, fmt, title="Top speakers")


@app.command(
    "sources", epilog="Example:  accordingto sources --db corpus.db --format csv > shares.csv"
)
def sources_command(
    db: Db = Path("corpus.db"),
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    fmt: Fmt = Format.table,
    only: Only = None,
    min_confidence: MinConfidence = None,
) -> None:
    """Share of anonymous, official, expert and other sources per outlet."""
    with open_store(db) as store:
        rows = queries.source_shares(
            store,
            outlet=outlet,
            since=since,
            until=until,
            only=only,
            min_confidence=min_confidence,
        )
        note_unclassified(store, only)
    if fmt is Format.table:
        table = Table(title="Sources per outlet (share of attributed quotations)")
        for name in (
            "outlet",
            "quotes",
            "anonymous",
            "official",
            "expert",
            "other",
            "unattributed",
        ):
            table.add_column(name, justify="left" if name == "outlet" else "right")
        for r in rows:
            pct = [
                f"{getattr(r, k)} ({r.share(k):.0%})"
                for k in ("anonymous", "official", "expert", "other")
            ]
            table.add_row(Text(printable(r.outlet)), str(r.quotes), *pct, str(r.unattributed))
        Console(soft_wrap=False).print(table)
        return
    emit(rows, fmt)


@app.command("citations", epilog="Example:  accordingto citations --db corpus.db --since 2026-01")
def citations_command(
    db: Db = Path("corpus.db"),
    since: Since = None,
    until: Until = None,
    fmt: Fmt = Format.table,
    only: Only = None,
    min_confidence: MinConfidence = None,
) -> None:
    """Which outlets cite which outlets (outlet speakers and citation chains)."""
    with open_store(db) as store:
        rows = queries.citations(
            store, since=since, until=until, only=only, min_confidence=min_confidence
        )
        note_unclassified(store, only)
    emit(rows, fmt, title="Outlet citations")


@app.command(
    "provenance", epilog="Example:  accordingto provenance q_0123456789abcdef --db corpus.db"
)
def provenance_command(
    quote_id: Annotated[str, typer.Argument(help="A quote ID (see accordingto quotes or search).")],
    db: Db = Path("corpus.db"),
    fmt: Fmt = Format.table,
) -> None:
    """Where a quotation first appeared, where it was repeated, and altered versions (possible misquotes)."""
    with open_store(db) as store:
        found = queries.provenance(store, quote_id)
    if found is None:
        from accordingto.store import StoreError

        raise StoreError(
            f"no quotation {quote_id} in {db}; find IDs with: accordingto search WORDS --db {db}"
        )
    if fmt is Format.json:
        print(dumps(asdict(found), indent=2))
        return
    emit(
        list(found.occurrences),
        fmt,
        title=f"Provenance of {quote_id} (first: {found.first.outlet or '?'}, "
        f"{found.first.date or 'undated'})",
        columns=None
        if fmt is not Format.table
        else ["relation", "similarity", "date", "outlet", "speaker", "text", "quote_id"],
    )


@app.command(
    "search",
    epilog='Examples:  accordingto search "F-16 al-Tanf" --db corpus.db\n\n'
    'accordingto search "ceasefire NEAR(talks failed)" --fts --db corpus.db',
)
def search_command(
    query: Annotated[
        str,
        typer.Argument(help='Words (all must match) and "phrases"; FTS5 syntax with --fts.'),
    ],
    db: Db = Path("corpus.db"),
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    fts: Annotated[
        bool, typer.Option("--fts", help="Read the query as FTS5 syntax: OR, NOT, NEAR(a b), a*.")
    ] = False,
    fmt: Fmt = Format.table,
    only: Only = None,
    min_confidence: MinConfidence = None,
) -> None:
    """Full-text search over quotations, best match first."""
    with open_store(db) as store:
        rows = queries.search(
            store,
            query,
            outlet=outlet,
            since=since,
            until=until,
            limit=limit,
            fts=fts,
            only=only,
            min_confidence=min_confidence,
        )
        note_unclassified(store, only)
    emit(
        rows,
        fmt,
        title=f"Quotations matching {query!r}",
        columns=None
        if fmt is not Format.table
        else ["snippet", "speaker", "reported_as", "outlet", "date", "quote_id"],
    )


@app.command("failures", epilog="Example:  accordingto failures --db corpus.db --format csv")
def failures_command(
    db: Db = Path("corpus.db"), limit: Limit = 100, fmt: Fmt = Format.table
) -> None:
    """Documents a run could not store, and why."""
    with open_store(db) as store:
        rows = queries.failures(store, limit=limit)
    emit(rows, fmt, title="Failures")


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


@app.command(
    "export",
    epilog="Examples:  accordingto export out/ --db corpus.db --format parquet\n\n"
    "accordingto export out/ --db corpus.db --format jsonl   (one analysis per line)",
)
def export_command(
    directory: Annotated[Path, typer.Argument(help="Folder to write the files into (created).")],
    db: Db = Path("corpus.db"),
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="parquet, csv or jsonl.")
    ] = ExportFormat.parquet,
) -> None:
    """Export a store: Parquet or CSV tables (docs/export-schema.md) or JSON lines (docs/schema.md)."""
    from accordingto.store.transfer import export_store

    with open_store(db) as store:
        counts = export_store(store, directory, format=fmt.value)
    print(f"{directory}: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))


@app.command(
    "import-parquet", epilog="Example:  accordingto import-parquet spark-out/ --db corpus.db"
)
def import_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder of Parquet tables (export or the Spark job).")
    ],
    db: Annotated[Path, typer.Option("--db", help="The store (created if missing).")] = Path(
        "corpus.db"
    ),
) -> None:
    """Add analyses from Parquet tables in the export schema to a store, without duplicates."""
    from accordingto.store.transfer import import_parquet

    with Store(db) as store:
        report = import_parquet(store, directory)
    print(f"{db}: {report}")


@app.command(
    "datasette-metadata",
    epilog="Example:  accordingto datasette-metadata --db corpus.db > metadata.json && "
    "datasette corpus.db -m metadata.json",
)
def datasette_metadata_command(
    db: Db = Path("corpus.db"),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """datasette metadata for a store: facets, labels, descriptions, canned queries."""
    from accordingto.store.datasette import metadata

    open_store(db).close()  # a store, readable: else one line on what to do
    text = json.dumps(metadata(db.stem), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
