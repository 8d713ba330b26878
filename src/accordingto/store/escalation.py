"""Questions about the corpus's events: which events, reported by whom, and how a dyad escalates.

Every function takes an open :class:`~accordingto.store.Store` (read-only is
enough) and keyword-only filters, validated first: a malformed filter raises
:class:`~accordingto.errors.QueryError` (one line saying what is accepted)
rather than matching nothing.

* :func:`corpus_events`: merged events (``corpus_events``), each with its reports;
* :func:`event_reports`: the reports themselves (one article's report of an event:
  outlet, offsets, trigger, ``claimed_by`` speaker, name and person);
* :func:`escalation`: a per-week timeline of a dyad both ways (events, Goldstein
  sum and mean, material-conflict events), counted over corpus events, so an
  event reported by ten outlets counts once;
* :func:`dyads`: the pairs of actors with events between them, most events first:
  which pairs to ask :func:`escalation` about.

>>> from accordingto.store import Store
>>> from accordingto.store.escalation import corpus_events, escalation
>>> with Store("corpus.db", readonly=True) as store:              # doctest: +SKIP
...     corpus_events(store, dyad=("RUS", "UKR"), type="ASSAULT", since="2026-03")
...     escalation(store, "RUS", "UKR")
...     dyads(store, limit=10)
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accordingto.errors import QueryError, StoreError
from accordingto.model import Modality

from .events import QUADS
from .queries import check_date
from .store import Store, has_events

__all__ = [
    "QUAD_NAMES",
    "CorpusEvent",
    "DyadRow",
    "ReportRow",
    "WeekRow",
    "check_code",
    "corpus_events",
    "dyads",
    "escalation",
    "event_reports",
]

#: Quad classes by name (``--type material-conflict``).
QUAD_NAMES = {
    "verbal-cooperation": 1,
    "material-cooperation": 2,
    "verbal-conflict": 3,
    "material-conflict": 4,
}
_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
#: Modalities counted in an escalation timeline unless others are asked for.
FACTUAL = (Modality.HAPPENED.value, Modality.ONGOING.value)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One article's report of a corpus event: where, in which words, according to whom."""

    corpus_event_id: str
    event_id: str
    article_id: str
    outlet: str | None
    article_date: str | None
    start: int
    end: int
    trigger: str
    root: str
    modality: str
    actor_code: str | None
    target_code: str | None
    date: str | None
    #: Speaker ID of the attribution the event sits in; ``None``: the author asserts it.
    claimed_by: str | None
    claimed_by_name: str | None
    #: The cross-article person of that speaker, when the store has linked people.
    claimed_by_person: str | None


@dataclass(frozen=True, slots=True)
class CorpusEvent:
    """One real-world event, merged over the articles that report it."""

    id: str
    date: str | None
    actor_code: str | None
    actor_name: str | None
    target_code: str | None
    target_name: str | None
    root: str
    quad: int
    modality: str
    goldstein: float | None
    place: str | None
    reports: int
    articles: int
    outlets: tuple[str, ...]
    evidence: tuple[ReportRow, ...] = ()


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One week of a dyad in one direction."""

    week: str  # ISO week, 2026-W11
    week_start: str  # its Monday
    direction: str  # RUS>UKR
    events: int
    goldstein_sum: float
    goldstein_mean: float | None
    material_conflict: int


@dataclass(frozen=True, slots=True)
class DyadRow:
    """Two actors with events between them: ``a`` is the one acting more (``a`` first when even)."""

    a: str
    b: str
    events: int  # both ways
    a_to_b: int
    b_to_a: int
    material_conflict: int  # quad 4, both ways
    first: str  # the earliest event's date
    last: str


def check_code(value: str, *, name: str = "actor") -> str:
    """An actor code, upper-cased: ISO-3 (``RUS``) or an organisation's (``NATO``, ``G7``)."""
    code = value.strip().upper()
    if not _CODE.fullmatch(code):
        raise QueryError(
            f"{name} {value!r} is not an actor code: give an ISO-3 code (RUS, UKR) "
            "or an organisation's (NATO, EU, UN, G7)"
        )
    return code


def _check_type(value: str) -> tuple[str, str | int]:
    """``("root", ROOT)`` or ``("quad", n)`` for a PLOVER root, a quad class name or 1–4."""
    v = value.strip()
    if v.upper() in QUADS:
        return "root", v.upper()
    if v.lower() in QUAD_NAMES:
        return "quad", QUAD_NAMES[v.lower()]
    if v in {"1", "2", "3", "4"}:
        return "quad", int(v)
    raise QueryError(
        f"type {value!r} is not a PLOVER root ({', '.join(sorted(QUADS))}) "
        f"nor a quad class ({', '.join(QUAD_NAMES)}, or 1-4)"
    )


def _check_modality(value: str) -> str:
    v = value.strip().lower()
    if v in {m.value for m in Modality}:
        return v
    raise QueryError(f"modality {value!r} is not one of: {', '.join(m.value for m in Modality)}")


def _event_filters(
    *,
    actor: str | None,
    dyad: tuple[str, str] | None,
    type: str | None,
    modality: str | None,
    since: str | None,
    until: str | None,
    alias: str = "ce",
) -> tuple[list[str], list[object]]:
    where: list[str] = []
    args: list[object] = []
    if actor is not None:
        where.append(f"{alias}.actor_code = ?")
        args.append(check_code(actor))
    if dyad is not None:
        where.append(f"{alias}.actor_code = ? AND {alias}.target_code = ?")
        args += [check_code(dyad[0], name="dyad"), check_code(dyad[1], name="dyad")]
    if type is not None:
        kind, value = _check_type(type)
        where.append(f"{alias}.{kind} = ?")
        args.append(value)
    if modality is not None:
        where.append(f"{alias}.modality = ?")
        args.append(_check_modality(modality))
    s = check_date(since, name="since") if since is not None else None
    u = check_date(until, name="until") if until is not None else None
    if s and u and s > u and not s.startswith(u):
        raise QueryError(f"since {s} is after until {u}: nothing can match; swap them")
    if s:
        where.append(f"{alias}.date >= ?")
        args.append(s)
    if u:
        where.append(f"{alias}.date < ? || char(0x10FFFF)")
        args.append(u)
    return where, args


def _report_filters(outlet: str | None, claimed_by: str | None) -> tuple[list[str], list[object]]:
    where: list[str] = []
    args: list[object] = []
    if outlet is not None:
        if not outlet.strip():
            raise QueryError("outlet is empty: give an outlet's name or host, or leave it out")
        where.append("lower(coalesce(a.outlet, a.host)) = lower(?)")
        args.append(outlet.strip())
    if claimed_by is not None:
        who = claimed_by.strip()
        if not who:
            raise QueryError(
                "claimed-by is empty: give a speaker's name or ID, a person ID, or 'author'"
            )
        if who.lower() == "author":
            where.append("r.claimed_by IS NULL")
        else:
            where.append("(r.claimed_by = ? OR ps.person_id = ? OR lower(s.name) = lower(?))")
            args += [who, who, who]
    return where, args


_REPORTS = """
SELECT r.corpus_event_id, r.id, r.article_id, coalesce(a.outlet, a.host), a.date, r.start, r."end",
       r.trigger, r.root, r.modality, r.actor_code, r.target_code, r.date, r.claimed_by, s.name,
       ps.person_id
FROM event_reports r
JOIN articles a ON a.id = r.article_id
LEFT JOIN speakers s ON s.article_id = r.article_id AND s.id = r.claimed_by
LEFT JOIN person_speakers ps ON ps.speaker_id = r.claimed_by
JOIN corpus_events ce ON ce.id = r.corpus_event_id
"""


def _and(where: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(f"({w})" for w in where) if where else ""


def event_reports(
    store: Store,
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    type: str | None = None,
    modality: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    claimed_by: str | None = None,
    limit: int | None = None,
) -> list[ReportRow]:
    """Reports of events matching the filters, by event date, then article and offset."""
    w1, a1 = _event_filters(
        actor=actor, dyad=dyad, type=type, modality=modality, since=since, until=until
    )
    w2, a2 = _report_filters(outlet, claimed_by)
    _require_events(store)
    sql = _REPORTS + _and(w1 + w2) + " ORDER BY ce.date, ce.id, a.date, r.article_id, r.start"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [ReportRow(*row) for row in store.conn.execute(sql, [*a1, *a2])]


def corpus_events(
    store: Store,
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    type: str | None = None,
    modality: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    claimed_by: str | None = None,
    limit: int | None = None,
) -> list[CorpusEvent]:
    """Corpus events matching the filters (``outlet``, ``claimed_by``: at least one report
    matches), earliest first, each with the reports that match."""
    reports = event_reports(
        store,
        actor=actor,
        dyad=dyad,
        type=type,
        modality=modality,
        since=since,
        until=until,
        outlet=outlet,
        claimed_by=claimed_by,
    )
    by_event: dict[str, list[ReportRow]] = {}
    for r in reports:
        by_event.setdefault(r.corpus_event_id, []).append(r)
    ids = list(by_event)[:limit] if limit is not None else list(by_event)
    return [_corpus_event(store, i, by_event[i]) for i in ids]


def _corpus_event(store: Store, event_id: str, reports: list[ReportRow]) -> CorpusEvent:
    row = store.conn.execute(
        "SELECT id, date, actor_code, actor_name, target_code, target_name, root, quad, modality,"
        " intensity, place, reports, articles FROM corpus_events WHERE id = ?",
        (event_id,),
    ).fetchone()
    outlets = tuple(
        o
        for (o,) in store.conn.execute(
            "SELECT DISTINCT coalesce(a.outlet, a.host) FROM event_reports r"
            " JOIN articles a ON a.id = r.article_id WHERE r.corpus_event_id = ? ORDER BY 1",
            (event_id,),
        )
        if o
    )
    i, date, actor, actor_name, target, target_name, root, quad, modality, score, place, n, m = row
    return CorpusEvent(
        i, date, actor, actor_name, target, target_name, root, quad, modality, score, place, n, m,
        outlets=outlets, evidence=tuple(reports),
    )  # fmt: skip


def _require_events(store: Store) -> None:
    """A store made before events were stored (and opened read-only) has no event tables."""
    if not has_events(store.conn):
        raise StoreError(
            f"{store.path}: this store was made before events were stored; opening it once for "
            f"writing adds the tables (accordingto run --db {store.path}), and a run of the "
            "corpus into a new store gives the events of every article"
        )


def _week(day: datetime.date) -> tuple[str, datetime.date]:
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}", day - datetime.timedelta(days=weekday - 1)


def escalation(
    store: Store,
    a: str,
    b: str,
    *,
    since: str | None = None,
    until: str | None = None,
    modalities: Iterable[str] = FACTUAL,
) -> list[WeekRow]:
    """The dyad's corpus events per ISO week and direction (``A>B``, ``B>A``), from its first
    week to its last, weeks without events included; undated events are left out.

    Only events of ``modalities`` count (by default those that happened or are ongoing:
    a threat or a denied strike is not a strike)."""
    a, b = check_code(a, name="A"), check_code(b, name="B")
    if a == b:
        raise QueryError(f"A and B are both {a}: give two different actors")
    mods = sorted({_check_modality(m) for m in modalities})
    if not mods:
        raise QueryError("no modality given: name at least one, e.g. happened")
    where, args = _event_filters(
        actor=None, dyad=None, type=None, modality=None, since=since, until=until
    )
    where += [
        "((ce.actor_code = ? AND ce.target_code = ?) OR (ce.actor_code = ? AND ce.target_code = ?))",
        "ce.date IS NOT NULL",
        f"ce.modality IN ({', '.join('?' * len(mods))})",
    ]
    args += [a, b, b, a, *mods]
    _require_events(store)
    rows = store.conn.execute(
        "SELECT ce.date, ce.actor_code, ce.intensity, ce.quad FROM corpus_events ce" + _and(where),
        args,
    ).fetchall()
    return _timeline(rows, a, b)


def _timeline(rows: list[tuple], a: str, b: str) -> list[WeekRow]:
    cells: dict[tuple[datetime.date, str], list[tuple[float | None, int]]] = {}
    for date, actor, intensity, quad in rows:
        start = _week(datetime.date.fromisoformat(date[:10]))[1]
        direction = f"{a}>{b}" if actor == a else f"{b}>{a}"
        cells.setdefault((start, direction), []).append((intensity, quad))
    if not cells:
        return []
    first, last = min(k[0] for k in cells), max(k[0] for k in cells)
    out = []
    week = first
    while week <= last:
        for direction in (f"{a}>{b}", f"{b}>{a}"):
            got = cells.get((week, direction), [])
            scores = [s for s, _ in got if s is not None]
            out.append(
                WeekRow(
                    week=_week(week)[0],
                    week_start=week.isoformat(),
                    direction=direction,
                    events=len(got),
                    goldstein_sum=round(sum(scores), 3),
                    goldstein_mean=round(sum(scores) / len(scores), 3) if scores else None,
                    material_conflict=sum(1 for _, q in got if q == 4),
                )
            )
        week += datetime.timedelta(days=7)
    return out


def dyads(
    store: Store,
    *,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    modalities: Iterable[str] = FACTUAL,
    limit: int | None = 20,
) -> list[DyadRow]:
    """The pairs of actors with events between them, either way, most events first (then most
    material conflict, then by code); ``actor``: only pairs it is one of.

    The events are those :func:`escalation` counts for the pair (dated, of ``modalities``:
    by default what happened or goes on), so a pair's ``events`` is the sum of its timeline.
    An event with no actor or target code, or with the same code on both sides, has no dyad."""
    one = check_code(actor) if actor is not None else None
    mods = sorted({_check_modality(m) for m in modalities})
    if not mods:
        raise QueryError("no modality given: name at least one, e.g. happened")
    if limit is not None and limit < 1:
        raise QueryError(f"limit {limit} is below 1: give how many pairs to list")
    where, args = _event_filters(
        actor=None, dyad=None, type=None, modality=None, since=since, until=until
    )
    where += [
        "ce.actor_code IS NOT NULL",
        "ce.target_code IS NOT NULL",
        "ce.actor_code != ce.target_code",
        "ce.date IS NOT NULL",
        f"ce.modality IN ({', '.join('?' * len(mods))})",
    ]
    args += mods
    if one is not None:
        where.append("? IN (ce.actor_code, ce.target_code)")
        args.append(one)
    _require_events(store)
    rows = store.conn.execute(
        "SELECT min(ce.actor_code, ce.target_code) AS p, max(ce.actor_code, ce.target_code) AS q,"
        " count(*), sum(ce.actor_code < ce.target_code), sum(ce.quad = 4), min(ce.date),"
        " max(ce.date) FROM corpus_events ce" + _and(where) + " GROUP BY p, q",
        args,
    ).fetchall()
    found = [_dyad(*row) for row in rows if _CODE.fullmatch(row[0]) and _CODE.fullmatch(row[1])]
    found.sort(key=lambda d: (-d.events, -d.material_conflict, d.a, d.b))
    return found[:limit] if limit is not None else found


def _dyad(
    p: str, q: str, events: int, p_to_q: int, conflict: int, first: str, last: str
) -> DyadRow:
    """The pair with the actor acting more first (``p``, the first by code, when even)."""
    q_to_p = events - p_to_q
    if q_to_p > p_to_q:
        return DyadRow(q, p, events, q_to_p, p_to_q, conflict, first[:10], last[:10])
    return DyadRow(p, q, events, p_to_q, q_to_p, conflict, first[:10], last[:10])
