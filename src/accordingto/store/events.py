"""Events in the corpus: every article's events stored with their evidence, and merged
across articles into corpus events.

Each :class:`~accordingto.model.Event` of an article is one **report** (table
``event_reports``, keyed by the event's content-hash ID, with its mentions in
``event_mentions``).  Reports of the same real-world event in several articles
are merged into one **corpus event** (``corpus_events``); every report keeps its
article, offsets and ``claimed_by``.

Merging (:func:`cluster`) is conservative and deterministic:

* reports are indexed by a *bucket*: the actor's code, the quad class and the
  modality group (happened and ongoing together; planned, threatened, demanded,
  hypothetical and negated each apart), so only reports of one actor, one quad
  class and one kind of claim are ever compared (direction matters);
* within a bucket, reports are taken in order of their *day* (the event's date
  when the text gives the day, else the article's date) and each joins the
  nearest compatible cluster (same target first, then same root): the same
  target (or none on either side, unless that leaves two clusters with different
  targets to choose from), days within :data:`WINDOW` of the cluster's first
  report (a report dated only by its article may come up to :data:`LATE` days
  after the event), the same root (or another of the quad class on the same day
  in the same named place), places that share a word when both have one, and
  never two reports of one article;
* a cluster takes nothing more once ``LATE`` days have passed since its first
  report, so adding or replacing an article merges its bucket again only from
  its first day, starting from the clusters stored as open then, and stops as
  soon as the open clusters are the stored ones again (:func:`remerge`): the
  work is local, proportional to the reports of those few days.

The result depends only on the set of stored reports, not on the order articles
arrived in, so a resumed run gives the same tables as an uninterrupted one.
"""

from __future__ import annotations

import datetime
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from accordingto.model import Analysis, Event, Modality, Span, content_id

__all__ = [
    "LATE",
    "QUADS",
    "WINDOW",
    "Cluster",
    "Report",
    "cluster",
    "modality_group",
    "read_events",
    "report_of",
    "write_events",
]

#: PLOVER roots and their quad class (1 verbal cooperation, 2 material cooperation,
#: 3 verbal conflict, 4 material conflict), as the PLOVER manual (draft 0.8) groups them.
QUADS = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 2, "COOPERATE": 2, "AID": 2,
    "RETREAT": 2, "YIELD": 2, "INVESTIGATE": 3, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3,
    "THREATEN": 3, "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip

#: Days two reports dated by their text may lie apart and still be one event.
WINDOW = 1
#: Days a report dated only by its article may come after the event it reports.
LATE = 2

_FACTUAL = {Modality.HAPPENED.value, Modality.ONGOING.value}
_PLACE_NOISE = frozenset(
    "the a an of in near at on city town village region province capital outskirts".split()
)


def modality_group(modality: str) -> str:
    """Modalities that may describe one occurrence: happened and ongoing are one group."""
    return "factual" if modality in _FACTUAL else modality


@dataclass(frozen=True, slots=True)
class Report:
    """What merging needs of one stored event (one article's report of it)."""

    id: str
    article_id: str
    start: int
    actor: str | None
    target: str | None
    root: str
    quad: int
    modality: str
    #: The day merging uses: the event's date when the text gives the day, else the article's.
    day: datetime.date | None
    #: ``True`` when ``day`` comes from the text, ``False`` when from the article's date.
    exact: bool
    place: str | None = None

    @property
    def bucket(self) -> str | None:
        """The merge index, or ``None`` when the report can merge with nothing."""
        if self.day is None or (self.actor is None and self.target is None):
            return None
        who = self.actor if self.actor is not None else f"?>{self.target}"
        return f"{who}|{self.quad}|{modality_group(self.modality)}"

    @property
    def order(self) -> tuple:
        return (self.day or datetime.date.min, not self.exact, self.article_id, self.start, self.id)


@dataclass(slots=True)
class Cluster:
    """Reports merged into one corpus event, the first (in :attr:`Report.order`) its anchor."""

    reports: list[Report] = field(default_factory=list)
    target: str | None = None
    places: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> Report:
        return self.reports[0]

    @property
    def id(self) -> str:
        return content_id(self.anchor.id, prefix="ce_")

    def add(self, report: Report) -> None:
        self.reports.append(report)
        self.target = self.target or report.target
        if report.place:
            self.places.append(report.place)


def _day(value: str | None) -> datetime.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def report_of(event: Event, article_id: str, article_date: str | None) -> Report:
    """The merging view of one event of an article dated ``article_date``."""
    day = _day(event.date) if event.date and len(event.date) >= 10 else None
    exact = day is not None
    if day is None:
        day = _day(article_date)
        if day is not None and event.date and not article_date_in(event.date, day):
            day = None  # a month or year that is not the article's: too vague to merge
    return Report(
        id=event.id,
        article_id=article_id,
        start=event.trigger.start,
        actor=event.actor_code,
        target=event.target_code,
        root=event.root,
        quad=event.quad,
        modality=event.modality.value,
        day=day,
        exact=exact,
        place=event.place.text if event.place else None,
    )


def article_date_in(period: str, day: datetime.date) -> bool:
    """Does ``day`` fall in the year or month ``period`` (``2026``, ``2026-03``)?"""
    return day.isoformat().startswith(period)


def _words(place: str) -> set[str]:
    return {w for w in re.findall(r"\w+", place.lower()) if w not in _PLACE_NOISE}


def places_agree(a: str | None, b: str | None) -> bool:
    """Places are compatible when either is missing or they share a word ("Kharkiv", "the city of Kharkiv")."""
    if not a or not b:
        return True
    wa, wb = _words(a), _words(b)
    return not wa or not wb or bool(wa & wb)


def _days_agree(anchor: Report, r: Report) -> bool:
    assert anchor.day is not None and r.day is not None
    gap = (r.day - anchor.day).days
    if anchor.exact and r.exact:
        return abs(gap) <= WINDOW
    if not r.exact:  # dated by its article: reported up to LATE days after the event
        return 0 <= gap <= (LATE if anchor.exact else WINDOW)
    return gap == 0  # an exact day against a cluster anchored on an article's date


def _roots_agree(c: Cluster, r: Report) -> bool:
    """The same root; or, within the quad class, another root on the very same day in the
    same named place (one occurrence coded two ways: "met" and "talks" in Paris)."""
    if any(x.root == r.root for x in c.reports):
        return True
    a = c.anchor
    return a.exact and r.exact and a.day == r.day and bool(c.places) and r.place is not None


def _fits(c: Cluster, r: Report) -> bool:
    if any(x.article_id == r.article_id for x in c.reports):
        return False  # an article's distinct events stay distinct (its mentions are merged already)
    if c.target is not None and r.target is not None and c.target != r.target:
        return False
    if not _days_agree(c.anchor, r):
        return False
    return all(places_agree(p, r.place) for p in c.places) and _roots_agree(c, r)


def _choose(open_: list[Cluster], r: Report) -> Cluster | None:
    """The cluster ``r`` joins, or ``None`` (none fits, or a target-less report is ambiguous)."""
    fits = [c for c in open_ if _fits(c, r)]
    if r.target is None and len({c.target for c in fits if c.target is not None}) > 1:
        return None
    if not fits:
        return None

    def rank(c: Cluster) -> tuple:
        same_target = r.target is not None and c.target == r.target
        assert c.anchor.day is not None and r.day is not None
        same_root = any(x.root == r.root for x in c.reports)
        return (not same_target, not same_root, abs((r.day - c.anchor.day).days), c.anchor.order)

    return min(fits, key=rank)


def _step(opened: list[Cluster], r: Report) -> tuple[Cluster, bool]:
    """Put ``r`` in one of a bucket's open clusters or a new one; the cluster, and whether it is new."""
    assert r.day is not None
    # clusters anchored more than LATE days ago can take nothing more
    while (
        opened and opened[0].anchor.day is not None and (r.day - opened[0].anchor.day).days > LATE
    ):
        opened.pop(0)
    chosen = _choose(opened, r)
    new = chosen is None
    if chosen is None:
        chosen = Cluster()
        opened.append(chosen)
    chosen.add(r)
    return chosen, new


def cluster(reports: Iterable[Report]) -> list[Cluster]:
    """Merge reports into corpus events, deterministically (the input order does not matter)."""
    out: list[Cluster] = []
    by_bucket: dict[str, list[Cluster]] = {}
    for r in sorted(reports, key=lambda x: x.order):
        bucket = r.bucket
        if bucket is None:
            out.append(Cluster([r], r.target, [r.place] if r.place else []))
            continue
        chosen, new = _step(by_bucket.setdefault(bucket, []), r)
        if new:
            out.append(chosen)
    return out


# -- the store's tables --------------------------------------------------------------

# The tables (migration ``0004_events`` in store/migrations.py): event_reports, event_mentions,
# corpus_events.


def _span(span: Span | None) -> str | None:
    return (
        None if span is None else json.dumps([span.start, span.end, span.text], ensure_ascii=False)
    )


def _report_row(e: Event, r: Report, article_id: str) -> tuple:
    return (
        e.id,
        article_id,
        r.bucket,
        r.day.isoformat() if r.day else None,
        int(r.exact),
        e.trigger.start,
        e.trigger.end,
        e.trigger.text,
        e.root,
        e.quad,
        e.cameo,
        e.intensity,
        e.modality.value,
        e.actor_code,
        e.actor_sector,
        _span(e.actor),
        e.target_code,
        e.target_sector,
        _span(e.target),
        e.date,
        _span(e.date_span),
        _span(e.place),
        e.claimed_by,
        e.confidence,
    )


_REPORT_COLUMNS = (
    'id, article_id, bucket, day, day_exact, start, "end", trigger, root, quad, cameo, intensity,'
    " modality, actor_code, actor_sector, actor, target_code, target_sector, target, date,"
    " date_span, place, claimed_by, confidence"
)


def write_events(conn: sqlite3.Connection, analysis: Analysis) -> None:
    """Replace the stored events of the analysis's article and re-merge what they touch.

    Call it inside the transaction that writes the article, after the article's row.
    """
    aid = analysis.article.id
    seeds = _seeds(conn, "WHERE article_id = ?", (aid,))
    stale = {
        c
        for (c,) in conn.execute(
            "SELECT corpus_event_id FROM event_reports WHERE article_id = ?", (aid,)
        )
    }
    conn.execute(
        "DELETE FROM event_mentions WHERE event_id IN (SELECT id FROM event_reports WHERE article_id = ?)",
        (aid,),
    )
    conn.execute("DELETE FROM event_reports WHERE article_id = ?", (aid,))
    rows, mentions = [], []
    for e in analysis.events:
        r = report_of(e, aid, analysis.article.date)
        rows.append((*_report_row(e, r, aid), e.id))
        seeds.add((r.bucket, r.day.isoformat() if r.day else None, e.id))
        mentions += [(e.id, i, aid, m.start, m.end, m.text) for i, m in enumerate(e.mentions)]
    placeholders = ", ".join("?" * 25)
    conn.executemany(
        f"INSERT OR REPLACE INTO event_reports ({_REPORT_COLUMNS}, corpus_event_id) VALUES ({placeholders})",
        rows,
    )
    conn.executemany(
        'INSERT OR REPLACE INTO event_mentions (event_id, position, article_id, start, "end", text)'
        " VALUES (?, ?, ?, ?, ?, ?)",
        mentions,
    )
    remerge(conn, seeds, stale=stale)


def _seeds(
    conn: sqlite3.Connection, where: str, args: tuple
) -> set[tuple[str | None, str | None, str]]:
    return {
        (b, d, i)
        for b, d, i in conn.execute(f"SELECT bucket, day, id FROM event_reports {where}", args)
    }


def remerge(
    conn: sqlite3.Connection,
    seeds: Iterable[tuple[str | None, str | None, str]],
    *,
    stale: Iterable[str] = (),
) -> None:
    """Bring the corpus events up to date after the reports ``seeds`` ``(bucket, day, id)`` were
    added or deleted; ``stale`` names corpus events of deleted reports.

    Each touched bucket is merged again from the first touched day, starting from the stored
    clusters open then, until the clusters open agree with the stored ones again (after that,
    merging goes on as stored): the result is the one :func:`cluster` gives over every report."""
    affected = set(stale)
    days: dict[str, list[datetime.date]] = {}
    for bucket, day, rid in seeds:
        if bucket is None or day is None:
            affected.add(content_id(rid, prefix="ce_"))
            conn.execute(
                "UPDATE event_reports SET corpus_event_id = ? WHERE id = ?",
                (content_id(rid, prefix="ce_"), rid),
            )
        else:
            days.setdefault(bucket, []).append(datetime.date.fromisoformat(day))
    for bucket in sorted(days):
        changed, old = _rerun(conn, bucket, min(days[bucket]), max(days[bucket]))
        affected |= old | set(changed.values())
        conn.executemany(
            "UPDATE event_reports SET corpus_event_id = ? WHERE id = ?",
            [(cid, rid) for rid, cid in sorted(changed.items())],
        )
    for cid in sorted(affected):
        _summarize(conn, cid)


def _rerun(
    conn: sqlite3.Connection, bucket: str, first: datetime.date, last: datetime.date
) -> tuple[dict[str, str], set[str]]:
    """``({report id: corpus event id}, {old corpus event ids})`` of the reports of ``bucket`` merged
    again from ``first``; reads ever further until merging agrees with what is stored."""
    reach = 7
    while True:
        hi = last + datetime.timedelta(LATE + reach)
        rows = conn.execute(
            "SELECT id, article_id, start, actor_code, target_code, root, quad, modality, day,"
            " day_exact, place, corpus_event_id FROM event_reports"
            " WHERE bucket = ? AND day BETWEEN ? AND ?",
            (bucket, (first - datetime.timedelta(LATE)).isoformat(), hi.isoformat()),
        ).fetchall()
        more = conn.execute(
            "SELECT 1 FROM event_reports WHERE bucket = ? AND day > ? LIMIT 1",
            (bucket, hi.isoformat()),
        ).fetchone()
        stored = {row[0]: row[11] for row in rows}
        reports = sorted((_report(row[:11]) for row in rows), key=lambda r: r.order)
        done = _replay(reports, stored, first, last, complete=more is None)
        if done is not None:
            changed = {rid: cid for rid, cid in done.items() if stored[rid] != cid}
            return changed, {stored[rid] for rid in changed}
        reach *= 4


def _replay(
    reports: list[Report],
    stored: dict[str, str],
    first: datetime.date,
    last: datetime.date,
    *,
    complete: bool,
) -> dict[str, str] | None:
    """New corpus event ids of the reports from ``first`` on, up to where the open clusters are
    the stored ones again; ``None`` when that point is not among ``reports`` (and more exist)."""
    start = next((i for i, r in enumerate(reports) if r.day and r.day >= first), len(reports))
    old: dict[str, list[Report]] = {}
    for r in reports[:start]:
        old.setdefault(stored[r.id], []).append(r)
    opened = [
        _as_cluster(members)
        for cid, members in old.items()
        if content_id(members[0].id, prefix="ce_") == cid  # its anchor is here: it may be open
    ]
    opened.sort(key=lambda c: c.anchor.order)
    out: dict[str, str] = {}
    for r in reports[start:]:
        assert r.day is not None
        if r.day > last + datetime.timedelta(LATE):  # every cluster a change touched is closed
            if _open_ids(opened, r) == _stored_open(old, r):
                return out
        chosen, _ = _step(opened, r)
        out[r.id] = chosen.id
        old.setdefault(stored[r.id], []).append(r)
    return out if complete else None


def _stored_open(old: dict[str, list[Report]], r: Report) -> set[frozenset[str]]:
    """The stored clusters (by corpus event id, members so far) still open when ``r`` comes."""
    assert r.day is not None
    return {
        frozenset(x.id for x in members)
        for cid, members in old.items()
        if content_id(members[0].id, prefix="ce_") == cid
        and members[0].day is not None
        and (r.day - members[0].day).days <= LATE
    }


def _as_cluster(members: list[Report]) -> Cluster:
    c = Cluster()
    for r in members:
        c.add(r)
    return c


def _open_ids(clusters: list[Cluster], r: Report) -> set[frozenset[str]]:
    """The clusters still open when ``r`` comes, as sets of report ids."""
    assert r.day is not None
    return {
        frozenset(x.id for x in c.reports)
        for c in clusters
        if c.anchor.day is not None and (r.day - c.anchor.day).days <= LATE
    }


def _summarize(conn: sqlite3.Connection, cid: str) -> None:
    """Rewrite (or delete) the corpus event ``cid`` from the reports now assigned to it."""
    rows = conn.execute(
        "SELECT id, article_id, start, actor_code, target_code, root, quad, modality, day,"
        " day_exact, place FROM event_reports WHERE corpus_event_id = ?",
        (cid,),
    ).fetchall()
    conn.execute("DELETE FROM corpus_events WHERE id = ?", (cid,))
    if rows:
        _write_cluster(conn, _as_cluster(sorted((_report(r) for r in rows), key=lambda r: r.order)))


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _in(conn: sqlite3.Connection, sql: str, ids: Sequence[str]) -> list[tuple]:
    out: list[tuple] = []
    for chunk in _chunks(ids):
        out += conn.execute(f"{sql} ({', '.join('?' * len(chunk))})", chunk).fetchall()
    return out


def _report(row: tuple) -> Report:
    i, a, start, actor, target, root, quad, modality, day, exact, place = row
    return Report(
        i, a, start, actor, target, root, quad, modality, _day(day), bool(exact), _place_text(place)
    )


def _place_text(place: str | None) -> str | None:
    return None if place is None else json.loads(place)[2]


def _most(values: Iterable[str | None]) -> str | None:
    """The most frequent non-empty value; ties go to the first seen."""
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: counts[v]) if counts else None


def _write_cluster(conn: sqlite3.Connection, c: Cluster) -> None:
    ids = [r.id for r in c.reports]
    rows = _in(
        conn,
        "SELECT id, actor, actor_sector, target, target_sector, intensity, article_id"
        " FROM event_reports WHERE id IN",
        ids,
    )
    by_id = {row[0]: row for row in rows}
    ordered = [by_id[i] for i in ids]
    exact = [r.day for r in c.reports if r.exact and r.day]
    date = min(exact) if exact else c.anchor.day
    scores = [row[5] for row in ordered if row[5] is not None]
    conn.execute(
        "INSERT OR REPLACE INTO corpus_events (id, bucket, actor_code, actor_name, actor_sector,"
        " target_code, target_name, target_sector, root, quad, modality, date, date_exact, place,"
        " intensity, reports, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            c.id,
            c.anchor.bucket,
            c.anchor.actor,
            _most(_place_text(row[1]) for row in ordered),
            _most(row[2] for row in ordered),
            c.target,
            _most(_place_text(row[3]) for row in ordered if c.target),
            _most(row[4] for row in ordered if c.target),
            _most(r.root for r in c.reports),
            c.anchor.quad,
            _most(r.modality for r in c.reports),
            date.isoformat() if date else None,
            int(bool(exact)),
            c.places[0] if c.places else None,
            sum(scores) / len(scores) if scores else None,
            len(ids),
            len({row[6] for row in ordered}),
        ),
    )
    for chunk in _chunks(ids):
        conn.execute(
            f"UPDATE event_reports SET corpus_event_id = ? WHERE id IN ({', '.join('?' * len(chunk))})",
            (c.id, *chunk),
        )


def read_events(conn: sqlite3.Connection, article_id: str) -> tuple[Event, ...]:
    """The stored events of one article, rebuilt as records (for ``Store.analysis``)."""
    rows = conn.execute(
        f"SELECT {_REPORT_COLUMNS} FROM event_reports WHERE article_id = ? ORDER BY start, id",
        (article_id,),
    ).fetchall()
    out = []
    for row in rows:
        mentions = tuple(
            Span(s, e, t)
            for s, e, t in conn.execute(
                'SELECT start, "end", text FROM event_mentions WHERE event_id = ? ORDER BY position',
                (row[0],),
            )
        )
        out.append(_event(row, mentions))
    return tuple(out)


def _unspan(data: str | None) -> Span | None:
    return None if data is None else Span(*json.loads(data))


def _event(row: tuple, mentions: tuple[Span, ...]) -> Event:
    (eid, _aid, _bucket, _day, _exact, start, end, trigger, root, quad, cameo, intensity,
     modality, actor_code, actor_sector, actor, target_code, target_sector, target, date,
     date_span, place, claimed_by, confidence) = row  # fmt: skip
    return Event(
        id=eid,
        trigger=Span(start, end, trigger),
        root=root,
        quad=quad,
        modality=Modality(modality),
        actor=_unspan(actor),
        actor_code=actor_code,
        actor_sector=actor_sector,
        target=_unspan(target),
        target_code=target_code,
        target_sector=target_sector,
        cameo=cameo,
        intensity=intensity,
        date=date,
        date_span=_unspan(date_span),
        place=_unspan(place),
        mentions=mentions,
        claimed_by=claimed_by,
        confidence=confidence,
    )
