"""Events in a corpus store: ``events`` (merged events, or their reports), ``dyads`` (the pairs
of actors with events between them, most first) and ``escalation`` (a dyad's weekly timeline
both ways, also as Parquet)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Annotated

import typer

from accordingto.errors import OutputError
from accordingto.store.escalation import (
    FACTUAL,
    CorpusEvent,
    corpus_events,
    dyads,
    escalation,
    event_reports,
)

from .app import app
from .query import Db, Fmt, Format, Limit, Outlet, Since, Until, emit, open_store

Actor = Annotated[
    str | None, typer.Option(help="Only events by this actor: ISO-3 (RUS) or NATO, EU, UN, G7 …")
]
Dyad = Annotated[
    tuple[str, str] | None,
    typer.Option(help="Only events by the first actor against the second (direction matters)."),
]
Type = Annotated[
    str | None,
    typer.Option(
        "--type", help="A PLOVER root (ASSAULT, AID, CONSULT …) or quad class (material-conflict)."
    ),
]
Modality = Annotated[
    str | None,
    typer.Option(help="happened, ongoing, planned, threatened, demanded, hypothetical, negated."),
]
ClaimedBy = Annotated[
    str | None,
    typer.Option(
        "--claimed-by",
        help="Only events a report of which is claimed by this speaker (name or ID), "
        "person ID, or 'author' (asserted by the author).",
    ),
]


@dataclass(frozen=True, slots=True)
class _Line:
    """A corpus event as one short table line."""

    date: str | None
    dyad: str
    root: str
    modality: str
    goldstein: float | None
    reports: int
    outlets: str
    id: str


def _line(e: CorpusEvent) -> _Line:
    dyad = f"{e.actor_code or '?'}>{e.target_code or '?'}"
    return _Line(
        e.date, dyad, e.root, e.modality, e.goldstein, e.reports, ", ".join(e.outlets), e.id
    )


_REPORT_COLUMNS = [
    "article_date",
    "outlet",
    "actor_code",
    "target_code",
    "root",
    "trigger",
    "claimed_by_name",
]


@app.command(
    "events",
    epilog="Examples:  accordingto events --db corpus.db --dyad RUS UKR --type ASSAULT --since 2026-03\n\n"
    'accordingto events --db corpus.db --claimed-by "Ministry of Defence" --reports --format csv',
)
def events_command(
    db: Db = Path("corpus.db"),
    actor: Actor = None,
    dyad: Dyad = None,
    event_type: Type = None,
    modality: Modality = None,
    since: Since = None,
    until: Until = None,
    outlet: Outlet = None,
    claimed_by: ClaimedBy = None,
    reports: Annotated[
        bool, typer.Option("--reports", help="One row per report (article, offsets, claimed by).")
    ] = False,
    limit: Limit = 100,
    fmt: Fmt = Format.table,
) -> None:
    """Events merged across articles (who did what to whom, when), with the reports behind each."""
    with open_store(db) as store:
        if reports:
            found: list = event_reports(
                store, actor=actor, dyad=dyad, type=event_type, modality=modality, since=since,
                until=until, outlet=outlet, claimed_by=claimed_by, limit=limit,
            )  # fmt: skip
        else:
            found = corpus_events(
                store, actor=actor, dyad=dyad, type=event_type, modality=modality, since=since,
                until=until, outlet=outlet, claimed_by=claimed_by, limit=limit,
            )  # fmt: skip
    if reports:
        emit(found, fmt, title="Event reports", columns=_columns(fmt, _REPORT_COLUMNS, None))
        return
    if fmt is Format.table:
        emit([_line(e) for e in found], fmt, title="Events")
        return
    every = [f.name for f in fields(CorpusEvent) if f.name != "evidence"]
    shown = found if fmt is Format.json else [replace(e, evidence=()) for e in found]
    emit(shown, fmt, title="Events", columns=None if fmt is Format.json else every)


def _columns(fmt: Format, table: list[str], other: list[str] | None) -> list[str] | None:
    return table if fmt is Format.table else other


Modalities = Annotated[
    list[str] | None,
    typer.Option(
        "--modality",
        help="Count events of this modality (repeat the option); default: happened and ongoing.",
    ),
]


@app.command(
    "dyads",
    epilog="Examples:  accordingto dyads --db corpus.db\n\n"
    "accordingto dyads --db corpus.db --actor RUS --since 2026-03 --format csv",
)
def dyads_command(
    db: Db = Path("corpus.db"),
    actor: Annotated[
        str | None, typer.Option(help="Only pairs this actor is one of: ISO-3 (RUS) or NATO, EU …")
    ] = None,
    since: Since = None,
    until: Until = None,
    modality: Modalities = None,
    limit: Limit = 20,
    fmt: Fmt = Format.table,
) -> None:
    """The pairs of actors with events between them, most events first: events each way,
    material conflict, first and last date.  Ask `accordingto escalation A B` about one."""
    with open_store(db) as store:
        rows = dyads(
            store, actor=actor, since=since, until=until, modalities=modality or FACTUAL,
            limit=limit,
        )  # fmt: skip
    emit(rows, fmt, title="Dyads (a_to_b: events by a against b)")


@app.command(
    "escalation",
    epilog="Examples:  accordingto escalation RUS UKR --db corpus.db\n\n"
    "accordingto escalation RUS UKR --db corpus.db --since 2026-01 --parquet rus-ukr.parquet",
)
def escalation_command(
    a: Annotated[str, typer.Argument(help="One actor: ISO-3 (RUS) or NATO, EU, UN, G7 …")],
    b: Annotated[str, typer.Argument(help="The other actor.")],
    db: Db = Path("corpus.db"),
    since: Since = None,
    until: Until = None,
    modality: Modalities = None,
    parquet: Annotated[
        Path | None, typer.Option("--parquet", help="Also write the timeline to this Parquet file.")
    ] = None,
    fmt: Fmt = Format.table,
) -> None:
    """A dyad's events per week, both ways: count, Goldstein sum and mean, material conflict.
    `accordingto dyads` lists the pairs with events."""
    with open_store(db) as store:
        rows = escalation(store, a, b, since=since, until=until, modalities=modality or FACTUAL)
    if parquet is not None:
        _write_parquet(rows, parquet)
    emit(rows, fmt, title=f"Escalation {a.upper()} / {b.upper()} per week")


def _write_parquet(rows: list, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("week", pa.string()),
            ("week_start", pa.string()),
            ("direction", pa.string()),
            ("events", pa.int64()),
            ("goldstein_sum", pa.float64()),
            ("goldstein_mean", pa.float64()),
            ("material_conflict", pa.int64()),
        ]
    )
    table = pa.Table.from_pylist([asdict(r) for r in rows], schema=schema)
    try:
        pq.write_table(table, path)
    except OSError as e:
        raise OutputError(
            f"{path}: cannot write the Parquet file ({e}); pick a writable path"
        ) from e
