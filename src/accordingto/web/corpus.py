"""The corpus pages, over a store made by ``accordingto run`` (only when the app has ``db``).

The store is opened read-only (``mode=ro``, write-ahead log) for each request,
so a running ``accordingto run`` is never blocked and each page sees what has
been committed so far.  Every page calls :mod:`accordingto.store.queries`;
the only arithmetic here is grouping their rows for the page.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from markupsafe import Markup, escape

from accordingto.model import Analysis
from accordingto.store import Store, queries
from accordingto.store.escalation import dyads
from accordingto.store.events import read_events
from accordingto.store.queries import QueryError
from accordingto.store.store import has_events

from .charts import SOURCE_CLASSES, bar_chart, stacked_bars
from .render import ERRORS, Page, page
from .views import analysis_page, record_response

__all__ = ["marked", "quotes_per_month", "router"]

router = APIRouter()

#: Most rows a corpus page lists at once.
MAX_ROWS = 200
#: Pairs of actors the corpus page lists.
TOP_DYADS = 15


def open_store(request: Request) -> Iterator[Store]:
    """The store, read-only, for one request."""
    with Store(request.app.state.settings.db, readonly=True) as store:
        yield store


StoreDep = Annotated[Store, Depends(open_store)]
Since = Annotated[
    str | None, Query(description="Earliest article date: 2026, 2026-01 or 2026-01-31.")
]
Until = Annotated[str | None, Query(description="Latest article date (inclusive), same forms.")]
Limit = Annotated[int, Query(ge=1, le=MAX_ROWS, description="Most rows returned.")]


def _given(value: str | None) -> str | None:
    """A form field left empty is a filter not given."""
    return value if value and value.strip() else None


def _rows(items) -> list[dict[str, Any]]:
    return [asdict(i) for i in items]


def _share_rows(shares: list[queries.SourceShare]) -> list[dict[str, Any]]:
    return [
        asdict(s) | {"shares": {c: round(s.share(c), 3) for c, _ in SOURCE_CLASSES[:4]}}
        for s in shares
    ]


def _source_chart(shares: list[dict[str, Any]], label: str) -> Markup:
    return stacked_bars([(s["outlet"], s) for s in shares[:15]], label=label)


@page(
    router,
    "/corpus",
    "corpus.html",
    summary="The corpus: counts, most quoted people, outlets, pairs of actors with most events",
    csv="top_speakers",
)
def corpus(request: Request, store: StoreDep, since: Since = None, until: Until = None) -> Page:
    since, until = _given(since), _given(until)
    shares = _share_rows(queries.source_shares(store, since=since, until=until))
    data = {
        "summary": asdict(queries.summary(store)),
        "top_speakers": _rows(queries.top_speakers(store, since=since, until=until, limit=20)),
        "outlets": shares,
        "citations": _rows(queries.citations(store, since=since, until=until)[:50]),
        "articles": _rows(queries.article_rows(store, since=since, until=until, limit=20)),
        "dyads": _dyad_rows(store, since=since, until=until),
        "has_events": has_events(store.conn),
    }
    chart = _source_chart(
        shares, "Sources of quotations per outlet: official, expert, anonymous, other, unattributed"
    )
    return Page(data, {"source_chart": chart, "since": since, "until": until})


def _dyad_rows(store: Store, *, since: str | None, until: str | None) -> list[dict[str, Any]]:
    """The pairs of actors with most events (what their dyad page counts), each with its link;
    none in a store made before events were stored."""
    if not has_events(store.conn):
        return []
    found = dyads(store, since=since, until=until, limit=TOP_DYADS)
    return [asdict(d) | {"url": f"/dyad/{d.a}/{d.b}"} for d in found]


def marked(snippet: str) -> Markup:
    """A search snippet with its ``[match]`` markers as ``<mark>``; everything else escaped."""
    return Markup(re.sub(r"\[([^\[\]]*)\]", r'<mark class="hit">\1</mark>', str(escape(snippet))))


@page(router, "/search", "search.html", summary="Full-text search of the quotations", csv="hits")
def search(
    request: Request,
    store: StoreDep,
    q: Annotated[
        str,
        Query(max_length=500, description='Words (all must match) and "phrases", as written.'),
    ] = "",
    outlet: Annotated[str | None, Query(description="Only this outlet's articles.")] = None,
    since: Since = None,
    until: Until = None,
    fts: Annotated[
        bool, Query(description="Read q as FTS5 syntax: OR, NOT, NEAR(a b), prefix*.")
    ] = False,
    limit: Limit = 50,
) -> Page:
    outlet, since, until = _given(outlet), _given(since), _given(until)
    data: dict[str, Any] = {"q": q, "outlet": outlet, "since": since, "until": until, "fts": fts}
    try:
        hits = queries.search(
            store, q, limit=limit, outlet=outlet, since=since, until=until, fts=fts
        )
    except QueryError as e:  # the page again, with the form and what was wrong
        data |= {"hits": [], "error": str(e), "status": 422}
        return Page(data, {"marked": marked}, status=422)
    data["hits"] = [asdict(h.quote) | {"snippet": h.snippet} for h in hits]
    return Page(data, {"marked": marked})


@page(
    router,
    "/speakers",
    "speakers.html",
    summary="The most quoted people across the corpus",
    csv="speakers",
)
def speakers(
    request: Request,
    store: StoreDep,
    outlet: str | None = None,
    since: Since = None,
    until: Until = None,
    kind: str | None = None,
    limit: Limit = 100,
) -> Page:
    outlet, since, until, kind = _given(outlet), _given(since), _given(until), _given(kind)
    rows = queries.top_speakers(
        store, outlet=outlet, since=since, until=until, kind=kind, limit=limit
    )
    return Page({"speakers": _rows(rows), "outlet": outlet, "kind": kind})


def quotes_per_month(rows: list[queries.QuoteRow]) -> list[tuple[str, int]]:
    """Quotations per month (``2026-03``), every month between the first and last, in order."""
    counts = Counter(r.date[:7] for r in rows if r.date and re.match(r"\d{4}-\d\d", r.date))
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months: list[str] = []
    y, m = map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last and len(months) < 600:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return [(mo, counts.get(mo, 0)) for mo in months]


def _roles(rows: list[queries.QuoteRow]) -> list[dict[str, Any]]:
    """Each role the speaker was given, with the first and last date and how often."""
    roles: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not r.role:
            continue
        entry = roles.setdefault(
            r.role, {"role": r.role, "first": r.date, "last": r.date, "quotes": 0}
        )
        entry["quotes"] += 1
        if r.date:
            entry["first"] = min(filter(None, (entry["first"], r.date)))
            entry["last"] = max(filter(None, (entry["last"], r.date)))
    return sorted(roles.values(), key=lambda e: (e["first"] is None, e["first"] or "", e["role"]))


@page(
    router,
    "/speakers/{person_id}",
    "speaker.html",
    summary="One person: their quotations across articles, outlets, dates and roles over time",
    csv="quotes",
)
def speaker(request: Request, store: StoreDep, person_id: str) -> Page:
    person = queries.person(store, person_id)
    if person is None:
        raise HTTPException(404, f"no person {person_id} in the store; see /speakers for the list")
    rows = queries.quotes(store, speaker=person_id, limit=10_000)
    months = quotes_per_month(rows)
    data = {
        "person": asdict(person),
        "quotes": _rows(rows[:MAX_ROWS]),
        "outlets": Counter(r.outlet for r in rows if r.outlet).most_common(),
        "roles": _roles(rows),
        "months": months,
    }
    chart = bar_chart(months, label=f"Quotations of {person.name} per month")
    return Page(data, {"chart": chart})


@page(
    router,
    "/outlet",
    "outlet.html",
    summary="One outlet: whom it quotes, which outlets it cites, its sources and articles",
    csv="articles",
)
def outlet(
    request: Request,
    store: StoreDep,
    name: Annotated[
        str, Query(min_length=1, max_length=300, description="The outlet's name or host.")
    ],
    since: Since = None,
    until: Until = None,
) -> Page:
    since, until = _given(since), _given(until)
    articles = queries.article_rows(store, outlet=name, since=since, until=until, limit=MAX_ROWS)
    if not articles:
        raise HTTPException(
            404, f"no articles from the outlet {name!r} in the store; see /corpus for the outlets"
        )
    cites = queries.citations(store, since=since, until=until)
    shares = _share_rows(queries.source_shares(store, outlet=name, since=since, until=until))
    data = {
        "outlet": name,
        "quoted": _rows(
            queries.top_speakers(store, outlet=name, since=since, until=until, limit=50)
        ),
        "cites": _rows(c for c in cites if c.citing.lower() == name.lower()),
        "cited_by": _rows(c for c in cites if c.cited.lower() == name.lower()),
        "sources": shares,
        "articles": _rows(articles),
    }
    return Page(data, {"source_chart": _source_chart(shares, f"Sources of {name}'s quotations")})


@page(
    router,
    "/quotes/{quote_id}",
    "quote.html",
    summary="A quotation's provenance: first appearance, repetitions, altered versions",
    csv="occurrences",
)
def quote(request: Request, store: StoreDep, quote_id: str) -> Page:
    found = queries.provenance(store, quote_id)
    if found is None:
        raise HTTPException(404, f"no quotation {quote_id} in the store; find one with /search")
    data = {
        "quote": asdict(found.quote),
        "first": asdict(found.first),
        "occurrences": _rows(found.occurrences),
        "altered": _rows(found.altered),
    }
    return Page(data)


def _stored(store: Store, article_id: str) -> Analysis:
    """The stored article, with its stored events (none in a store made before them)."""
    analysis = store.analysis(article_id)
    if analysis is None:
        raise HTTPException(404, f"no article {article_id} in the store; see /corpus for articles")
    if not analysis.events and has_events(store.conn):
        analysis = dataclasses.replace(analysis, events=read_events(store.conn, article_id))
    return analysis


@page(
    router,
    "/articles/{article_id}",
    "article.html",
    summary="A stored article: the record, the side panel's summary and every quotation",
    csv="quotes",
)
def article(request: Request, store: StoreDep, article_id: str) -> Page:
    analysis = _stored(store, article_id)
    people = queries.person_ids(store, [s.id for s in analysis.speakers])
    return analysis_page(analysis, base="/articles", people=people, dyads=True)


@router.get(
    "/articles/{article_id}/record.json",
    responses=ERRORS,
    summary="Download a stored article's analysis (docs/schema.md) as a file",
)
def article_record(request: Request, store: StoreDep, article_id: str) -> JSONResponse:
    return record_response(_stored(store, article_id))
