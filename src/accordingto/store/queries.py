"""Questions asked of a corpus store, answered as lists of small dataclasses.

Every function takes an open :class:`~accordingto.store.Store` (read-only is
enough) and keyword-only filters; none writes.  Outlets are the article's
``outlet`` as given, else its URL's host.  Dates are the articles' ``date``
strings compared as text, so ISO dates (``2026-01-31``) filter correctly and
``since``/``until`` may be a year (``2026``) or a month (``2026-01``) too:
``until`` is inclusive of everything that starts with it.  A malformed filter
(``since="yesterday"``, ``kind="quoted"``, ``only="gossip"``) raises
:class:`QueryError` rather than matching nothing.

``only`` (``"speech"``, ``"speech,thought"`` …) keeps the attributions whose cue
reports those kinds and ``min_confidence`` those at least that sure, in every
question about quotations (:func:`quotes`, :func:`search`, :func:`top_speakers`,
:func:`source_shares`, :func:`citations`, :func:`article_rows`' counts).  A
quotation stored before attributions had a kind (``reported_as`` NULL) is never
kept by ``only``; a store made before the column, opened read-only, cannot
answer ``only`` at all (:class:`~accordingto.errors.StoreError` saying what to do).

:func:`search` takes plain text by default: every word is looked up as written
(``F-16``, ``U.S.``, ``Putin's``, ``9/11``), ``"a phrase"`` in double quotes is
a phrase; ``fts=True`` passes the query to SQLite's FTS5 as it is (``OR``,
``NOT``, ``NEAR(a b)``, prefixes ``bridg*``).

>>> from accordingto.store import Store, queries
>>> with Store("corpus.db", readonly=True) as store:                  # doctest: +SKIP
...     queries.top_speakers(store, outlet="Example Times", since="2026-01")
...     queries.quotes(store, speaker="Anna Holt")
...     queries.search(store, "F-16 over al-Tanf")
...     queries.search(store, "NEAR(bridge spring)", fts=True)
...     queries.provenance(store, "q_0123456789abcdef")
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from accordingto.across.provenance import Occurrence, Provenance, search_terms, trace
from accordingto.errors import QueryError, StoreError
from accordingto.export.select import Only, Selection
from accordingto.model import EntityKind, QuoteKind

from .store import Store, has_kinds

__all__ = [
    "ArticleRow",
    "Citation",
    "FailureRow",
    "Person",
    "QueryError",
    "QuoteRow",
    "SearchHit",
    "SourceShare",
    "SpeakerCount",
    "Summary",
    "article_rows",
    "check_date",
    "citations",
    "failures",
    "person",
    "person_ids",
    "plain_query",
    "provenance",
    "quotes",
    "search",
    "source_class",
    "source_shares",
    "summary",
    "top_speakers",
    "unclassified",
]


#: Candidates fetched from the full-text index per provenance question.
CANDIDATES = 500
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One quotation with its speaker and article."""

    quote_id: str
    article_id: str
    kind: str
    text: str
    speaker: str | None
    speaker_kind: str | None
    role: str | None
    person_id: str | None
    outlet: str | None
    date: str | None
    url: str | None
    title: str | None
    #: What the cue reports (speech, thought, …); None: stored before attributions had a kind.
    reported_as: str | None = None
    confidence: float | None = None
    speaker_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A quotation matching a full-text search, with the matching words marked ``[...]``."""

    quote: QuoteRow
    snippet: str


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    """A person (speakers merged across articles) and how often they are quoted."""

    person_id: str
    name: str
    kind: str
    quotes: int
    articles: int
    outlets: int


@dataclass(frozen=True, slots=True)
class SourceShare:
    """How an outlet's quotations are sourced: counts per class of source."""

    outlet: str
    quotes: int
    anonymous: int
    official: int
    expert: int
    other: int
    #: Quotations the analyzer could not attribute to anyone.
    unattributed: int

    def share(self, name: str) -> float:
        """The share of attributed quotations of class ``name`` (0 when there are none)."""
        attributed = self.quotes - self.unattributed
        return getattr(self, name) / attributed if attributed else 0.0


@dataclass(frozen=True, slots=True)
class Citation:
    """``citing`` outlet reports words through ``cited`` (an outlet speaker or ``via`` link)."""

    citing: str
    cited: str
    quotes: int
    articles: int


@dataclass(frozen=True, slots=True)
class FailureRow:
    """A document that could not be stored, and why."""

    source: str
    stage: str
    reason: str


@dataclass(frozen=True, slots=True)
class ArticleRow:
    article_id: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    quotes: int


@dataclass(frozen=True, slots=True)
class Person:
    """A person with the speakers merged into it and why (the evidence)."""

    person_id: str
    name: str
    kind: str
    roles: tuple[str, ...]
    articles: int
    quotes: int
    #: (speaker id, name as written, rule that merged it)
    merged: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True)
class Summary:
    articles: int
    quotes: int
    people: int
    outlets: int
    failures: int
    duplicates: int
    first_date: str | None
    last_date: str | None


_QUOTE_COLUMNS = """q.id, q.article_id, q.kind, q.text, s.name, s.kind, s.role, ps.person_id,
       coalesce(a.outlet, a.host), a.date, a.url, a.title"""
#: The columns of a store made before ``0006_reported_as`` (read-only) lack.
_KIND_COLUMNS = ", q.reported_as, q.confidence, q.speaker_confidence"
_NO_KIND_COLUMNS = ", NULL, q.confidence, NULL"
_QUOTE_JOINS = """JOIN articles a ON a.id = q.article_id
LEFT JOIN speakers s ON s.article_id = q.article_id AND s.id = q.speaker_id
LEFT JOIN person_speakers ps ON ps.speaker_id = q.speaker_id"""


def check_date(value: str, *, name: str = "since") -> str:
    """``value`` if it is a year, a month or a day (``2026``, ``2026-01``, ``2026-01-31``).

    Raises:
        QueryError: anything else, or a month or day that does not exist.
    """
    m = _DATE.fullmatch(value.strip())
    ok = m is not None and 1 <= int(m[2] or 1) <= 12
    if ok and m is not None and m[3]:
        try:
            datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            ok = False
    if not ok:
        raise QueryError(
            f"{name} {value!r} is not a date: give a year (2026), a month (2026-01) "
            "or a day (2026-01-31)"
        )
    return value.strip()


def _check_kind(kind: str | None, kinds: type[StrEnum]) -> str | None:
    if kind is None or kind in {k.value for k in kinds}:
        return kind
    raise QueryError(f"kind {kind!r} is not one of: {', '.join(k.value for k in kinds)}")


def _filters(
    outlet: str | None, since: str | None, until: str | None
) -> tuple[list[str], list[object]]:
    """SQL conditions and their arguments for an outlet and a period (checked first)."""
    since = check_date(since, name="since") if since is not None else None
    until = check_date(until, name="until") if until is not None else None
    if since and until and since > until and not since.startswith(until):
        raise QueryError(f"since {since} is after until {until}: nothing can match; swap them")
    where: list[str] = []
    args: list[object] = []
    if outlet is not None:
        if not outlet.strip():
            raise QueryError("outlet is empty: give an outlet's name or host, or leave it out")
        where.append("lower(coalesce(a.outlet, a.host)) = lower(?)")
        args.append(outlet)
    if since:
        where.append("a.date >= ?")
        args.append(since)
    if until:
        where.append("a.date < ? || char(0x10FFFF)")  # inclusive of 2026-01-31T… and of 2026-01
        args.append(until)
    return where, args


def _kept(
    store: Store, only: Only | None, min_confidence: float | None
) -> tuple[list[str], list[object]]:
    """SQL conditions on ``q`` (quotes) and their arguments for ``only`` and ``min_confidence``."""
    selection = Selection.of(only=only, min_confidence=min_confidence)
    where: list[str] = []
    args: list[object] = []
    if selection.only is not None:
        if not has_kinds(store.conn):
            raise StoreError(
                f"{store.path}: made before attributions had a kind, so --only cannot tell speech "
                "from the rest; analyze its articles again into a new store "
                f"(accordingto run INPUT... --db new.db), or leave --only out"
            )
        kinds = selection.kinds()
        where.append(f"q.reported_as IN ({', '.join('?' * len(kinds))})")
        args += kinds
    if selection.min_confidence is not None:
        where.append("q.confidence >= ?")
        args.append(selection.min_confidence)
    return where, args


def _quote_columns(store: Store) -> str:
    return _QUOTE_COLUMNS + (_KIND_COLUMNS if has_kinds(store.conn) else _NO_KIND_COLUMNS)


def unclassified(store: Store) -> int:
    """How many stored quotations have no kind (stored before ``0006_reported_as``)."""
    if not has_kinds(store.conn):
        return store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
    return store.conn.execute("SELECT count(*) FROM quotes WHERE reported_as IS NULL").fetchone()[0]


def _where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> list[QuoteRow]:
    """Quotations, earliest first; ``speaker`` is a person ID or any name merged into a person."""
    where, args = _filters(outlet, since, until)
    kind = _check_kind(kind, QuoteKind)
    kept, kept_args = _kept(store, only, min_confidence)
    if speaker:
        where.append(
            "ps.person_id IN (SELECT person_id FROM person_speakers WHERE person_id = ?"
            " OR lower(name) = lower(?) UNION SELECT id FROM people WHERE lower(name) = lower(?))"
        )
        args += [speaker, speaker, speaker]
    if kind:
        where.append("q.kind = ?")
        args.append(kind)
    where += kept
    args += kept_args
    sql = (
        f"SELECT {_quote_columns(store)} FROM quotes q {_QUOTE_JOINS}"
        + _where(where)
        + " ORDER BY a.date IS NULL, a.date, q.article_id, q.start LIMIT ? OFFSET ?"
    )
    return [QuoteRow(*r) for r in store.conn.execute(sql, [*args, limit, offset])]


def top_speakers(
    store: Store,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> list[SpeakerCount]:
    """The most quoted people (merged across articles), most quotations first."""
    where, args = _filters(outlet, since, until)
    kind = _check_kind(kind, EntityKind)
    where.append("p.id IS NOT NULL")
    if kind:
        where.append("p.kind = ?")
        args.append(kind)
    kept, kept_args = _kept(store, only, min_confidence)
    where += kept
    args += kept_args
    sql = (
        "SELECT p.id, p.name, p.kind, count(*), count(DISTINCT q.article_id),"
        " count(DISTINCT coalesce(a.outlet, a.host))"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
        " JOIN person_speakers ps ON ps.speaker_id = q.speaker_id JOIN people p ON p.id = ps.person_id"
        + _where(where)
        + " GROUP BY p.id ORDER BY count(*) DESC, p.name LIMIT ?"
    )
    return [SpeakerCount(*r) for r in store.conn.execute(sql, [*args, limit])]


def source_shares(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> list[SourceShare]:
    """Per outlet: quotations from anonymous, official, expert and other sources (see :func:`source_class`)."""
    conn = store.conn
    conn.create_function("source_class", 3, source_class, deterministic=True)
    where, args = _filters(outlet, since, until)
    kept, kept_args = _kept(store, only, min_confidence)
    where += kept
    args += kept_args
    sql = (
        "SELECT coalesce(a.outlet, a.host, '(no outlet)') AS o, source_class(s.kind, s.role, s.name) AS c,"
        " count(*) FROM quotes q JOIN articles a ON a.id = q.article_id"
        " LEFT JOIN speakers s ON s.article_id = q.article_id AND s.id = q.speaker_id"
        + _where(where)
        + " GROUP BY o, c"
    )
    table: dict[str, dict[str, int]] = {}
    for o, c, n in conn.execute(sql, args):
        table.setdefault(o, {})[c] = n
    rows = [
        SourceShare(
            o,
            sum(c.values()),
            *(c.get(k, 0) for k in ("anonymous", "official", "expert", "other", "unattributed")),
        )
        for o, c in table.items()
    ]
    return sorted(rows, key=lambda r: (-r.quotes, r.outlet))


@functools.cache
def _role_words() -> dict[str, re.Pattern[str]]:
    text = (
        resources.files("accordingto.across")
        .joinpath("data", "source-roles.txt")
        .read_text("utf-8")
    )
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
        elif current is not None:
            current.append(re.escape(line))
    return {
        k: re.compile(r"\b(?:" + "|".join(v) + r")\b", re.IGNORECASE) for k, v in sections.items()
    }


def source_class(kind: str | None, role: str | None, name: str | None = None) -> str:
    """``anonymous``, ``official``, ``expert``, ``other``, or ``unattributed`` (no speaker).

    Anonymous is the analyzer's speaker kind; official and expert come from words
    of the role (or, for organisations and anonymous descriptions, the name) listed
    in ``accordingto/across/data/source-roles.txt``.
    """
    if kind is None:
        return "unattributed"
    if kind == "anonymous":
        return "anonymous"
    words = _role_words()
    said = " ".join(x for x in (role, name if kind in ("organization", "outlet") else None) if x)
    if said and words["official"].search(said):
        return "official"
    if said and words["expert"].search(said):
        return "expert"
    return "other"


_OCCURRENCE = """
SELECT q.id, q.article_id, q.text, s.name, coalesce(a.outlet, a.host), a.date, a.url
FROM quotes q JOIN articles a ON a.id = q.article_id
LEFT JOIN speakers s ON s.article_id = q.article_id AND s.id = q.speaker_id
"""


def _occurrence(row: tuple) -> Occurrence:
    quote_id, article_id, text, speaker, outlet, date, url = row
    return Occurrence(quote_id, article_id, text, speaker, outlet, date, url, 0.0, "candidate")


def provenance(store: Store, quote_id: str) -> Provenance | None:
    """Where the quotation ``quote_id`` first appeared, where it was repeated, and altered versions.

    Candidates are the quotations sharing any of its longer words (the full-text
    index); :func:`accordingto.across.provenance.trace` decides which are occurrences.
    """
    row = store.conn.execute(_OCCURRENCE + " WHERE q.id = ?", (quote_id,)).fetchone()
    if row is None:
        return None
    me = _occurrence(row)
    terms = search_terms(me.text)
    candidates = []
    if terms:
        candidates = store.conn.execute(
            _OCCURRENCE + " WHERE q.rowid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?"
            " ORDER BY rank LIMIT ?) AND q.id != ?",
            (" OR ".join(_fts_string(t) for t in terms), CANDIDATES, quote_id),
        ).fetchall()
    return trace(me, map(_occurrence, candidates))


def _fts_string(text: str) -> str:
    """``text`` as one FTS5 string: a phrase of its words, whatever punctuation it holds."""
    return '"' + text.replace('"', '""') + '"'


_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')


def plain_query(text: str) -> str | None:
    """An FTS5 query that finds every word of ``text`` as written, or ``None`` if it has none.

    Words are taken as they are (``F-16``, ``Putin's``, ``U.S.``, ``9/11``: FTS5
    reads each as the phrase of its parts); text between double quotes is one
    phrase.  Every term must match.

    >>> plain_query('F-16 "a phrase" Biden:')
    '"F-16" AND "a phrase" AND "Biden:"'
    """
    terms = [m[1] if m[1] is not None else m[2] for m in _TERM.finditer(text.replace("\0", " "))]
    terms = [t for t in terms if any(c.isalnum() for c in t)]
    return " AND ".join(map(_fts_string, terms)) or None


def search(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    fts: bool = False,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> list[SearchHit]:
    """Quotations holding every word of ``query`` (``"a phrase"`` as a phrase), best first.

    With ``fts=True`` the query is FTS5 syntax as it is: ``OR``, ``NOT``,
    ``NEAR(a b)``, ``prefix*``, ``"a phrase"``.

    Raises:
        QueryError: ``fts=True`` and the query is not valid FTS5 syntax, or a malformed filter.
    """
    where, args = _filters(outlet, since, until)
    kept, kept_args = _kept(store, only, min_confidence)
    where += kept
    args += kept_args
    match = query if fts else plain_query(query)
    if not match or not match.strip():
        return []
    sql = (
        f"SELECT {_quote_columns(store)}, snippet(quotes_fts, 0, '[', ']', '…', 16)"
        f" FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid {_QUOTE_JOINS}"
        " WHERE quotes_fts MATCH ?"
        + "".join(f" AND {w}" for w in where)
        + " ORDER BY quotes_fts.rank LIMIT ?"
    )
    try:
        rows = store.conn.execute(sql, [match, *args, limit]).fetchall()
    except sqlite3.OperationalError as e:
        if not fts:
            raise
        raise QueryError(
            f'FTS5 query {query!r}: {e}; use words, "a phrase", OR, NOT, NEAR(a b), '
            "or search without --fts for plain words"
        ) from e
    return [SearchHit(QuoteRow(*r[:-1]), r[-1]) for r in rows]


def citations(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> list[Citation]:
    """Which outlets cite which: an article's outlet and each outlet it reports words through.

    An outlet is cited when a quotation's speaker is an outlet ("Reuters reported …")
    or an outlet is in its ``via`` chain ("…, an official told Reuters").  The citing side is
    the article's outlet, else its site's host, else its byline (a local file states no outlet).
    """
    where, args = _filters(None, since, until)
    kept, kept_args = _kept(store, only, min_confidence)
    where += kept
    args += kept_args
    cond = "".join(f" AND {w}" for w in where)
    sql = f"""
    SELECT citing, cited, count(DISTINCT quote_id), count(DISTINCT article_id) FROM (
        SELECT coalesce(a.outlet, a.host, a.byline) AS citing, s.name AS cited, q.id AS quote_id,
               a.id AS article_id
        FROM quotes q JOIN articles a ON a.id = q.article_id
        JOIN speakers s ON s.article_id = q.article_id AND s.id = q.speaker_id
        WHERE s.kind = 'outlet' {cond}
        UNION ALL
        SELECT coalesce(a.outlet, a.host, a.byline), s.name, q.id, a.id
        FROM quote_via v JOIN quotes q ON q.id = v.quote_id JOIN articles a ON a.id = q.article_id
        JOIN speakers s ON s.article_id = q.article_id AND s.id = v.speaker_id
        WHERE s.kind = 'outlet' {cond}
    ) WHERE citing IS NOT NULL AND lower(citing) != lower(cited)
    GROUP BY citing, cited ORDER BY count(DISTINCT quote_id) DESC, citing, cited
    """
    return [Citation(*r) for r in store.conn.execute(sql, args + args)]


def failures(store: Store, *, limit: int = 100) -> list[FailureRow]:
    """Documents that could not be stored, by source."""
    rows = store.conn.execute(
        "SELECT source, stage, reason FROM failures ORDER BY source LIMIT ?", (limit,)
    )
    return [FailureRow(*r) for r in rows]


def article_rows(
    store: Store,
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
    offset: int = 0,
    only: Only | None = None,
    min_confidence: float | None = None,
) -> list[ArticleRow]:
    """Articles, newest first, with their number of quotations (those kept by ``only`` and
    ``min_confidence``)."""
    where, args = _filters(outlet, since, until)
    kept, kept_args = _kept(store, only, min_confidence)
    counted = "".join(f" AND {w}" for w in kept)
    sql = (
        "SELECT a.id, a.title, coalesce(a.outlet, a.host), a.date, a.url,"
        f" (SELECT count(*) FROM quotes q WHERE q.article_id = a.id{counted}) FROM articles a"
        + _where(where)
        + " ORDER BY a.date IS NULL, a.date DESC, a.id LIMIT ? OFFSET ?"
    )
    return [ArticleRow(*r) for r in store.conn.execute(sql, [*kept_args, *args, limit, offset])]


def person(store: Store, person_id: str) -> Person | None:
    """A person and the evidence for each speaker merged into it, or ``None``."""
    row = store.conn.execute(
        "SELECT id, name, kind, roles, articles, quotes FROM people WHERE id = ?", (person_id,)
    ).fetchone()
    if row is None:
        return None
    merged = tuple(
        store.conn.execute(
            "SELECT speaker_id, name, rule FROM person_speakers WHERE person_id = ? ORDER BY name, speaker_id",
            (person_id,),
        )
    )
    return Person(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], row[5], merged)


def person_ids(store: Store, speaker_ids: list[str]) -> dict[str, str]:
    """``speaker id -> person id`` for those of ``speaker_ids`` merged into a person."""
    found: dict[str, str] = {}
    for i in range(0, len(speaker_ids), 500):  # SQLite's limit on host parameters
        chunk = speaker_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            store.conn.execute(
                f"SELECT speaker_id, person_id FROM person_speakers WHERE speaker_id IN ({marks})",
                chunk,
            ).fetchall()
        )
    return found


def summary(store: Store) -> Summary:
    """What the store holds, in a few numbers."""

    def one(sql):
        return store.conn.execute(sql).fetchone()

    dates = one("SELECT min(date), max(date) FROM articles")
    return Summary(
        one("SELECT count(*) FROM articles")[0],
        one("SELECT count(*) FROM quotes")[0],
        one("SELECT count(*) FROM people")[0],
        one("SELECT count(DISTINCT coalesce(outlet, host)) FROM articles")[0],
        one("SELECT count(*) FROM failures")[0],
        one("SELECT count(*) FROM documents WHERE status = 'duplicate'")[0],
        dates[0],
        dates[1],
    )
