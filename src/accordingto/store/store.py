"""The corpus store: analyses in one SQLite file (WAL, FTS5), upserted by content-hash IDs.

>>> from accordingto.store import Store
>>> with Store("corpus.db") as store:                      # doctest: +SKIP
...     outcome = store.add(analysis, source="news/1.txt")

A writer opens the file read-write (creating it and applying migrations); a
reader (the web app, the query commands) opens it with ``readonly=True`` and
can read while a run writes, thanks to SQLite's write-ahead log.

Everything about one input document lands in one transaction (its analysis and
its ``documents`` row, or its failure), so a run killed at any moment leaves
whole documents only, and a resumed run skips exactly the documents recorded.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from accordingto.errors import AccordingToError, DiskFullError, StoreError
from accordingto.model import (
    Analysis,
    Article,
    Diagnostic,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    ReportedAs,
    Span,
    Speaker,
)

from .canonical import canonical_url, url_host
from .events import read_events, write_events
from .migrations import MIGRATIONS, applied, migrate

__all__ = [
    "Outcome",
    "Store",
    "StoreError",
    "explains",
    "has_events",
    "has_kinds",
    "quote_text",
    "store_error",
]

#: Seconds a connection waits for another's write lock before giving up.
BUSY_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What :meth:`Store.add` did with one document: ``stored``, ``duplicate`` or ``failed``."""

    source: str
    status: str
    article_id: str | None = None
    #: For a duplicate, the key that matched: ``text`` (same text hash) or ``url`` (canonical URL).
    reason: str | None = None


def quote_text(quote: Quote) -> str:
    """The words of a quotation: its content spans joined by `` … ``."""
    return " … ".join(s.text for s in quote.content)


class Store:
    """A corpus store in the SQLite file at ``path``; use it as a context manager.

    ``readonly=True`` opens an existing store for reading only (it must exist
    and be migrated); otherwise the file is created if needed and pending
    migrations are applied.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.conn = _connect(self.path, readonly)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (a checkpoint folds the write-ahead log into the file)."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back on an exception."""
        if self.conn.in_transaction:  # nested: the outer one commits
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.commit()
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise
        except sqlite3.Error as e:
            if explains(e):  # full disk, damaged file, ...: one line that says what to do
                raise store_error(e, self.path) from e
            raise

    # -- documents ---------------------------------------------------------------

    def document(self, source: str) -> Outcome | None:
        """What was recorded for the input document ``source``, or ``None`` if it is new."""
        row = self.conn.execute(
            "SELECT source, status, article_id, reason FROM documents WHERE source = ?", (source,)
        ).fetchone()
        return Outcome(*row) if row else None

    def duplicate_of(self, article: Article) -> tuple[str, str] | None:
        """``(article_id, key)`` of a stored article this one duplicates, by text hash or canonical URL."""
        if self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
            return article.id, "text"
        url = canonical_url(article.url)
        if url is not None:
            row = self.conn.execute(
                "SELECT id FROM articles WHERE canonical_url = ?", (url,)
            ).fetchone()
            if row:
                return row[0], "url"
        return None

    def add(self, analysis: Analysis, *, source: str) -> Outcome:
        """Store the analysis of the document ``source`` unless it duplicates a stored article.

        Idempotent: adding the same document again changes nothing and returns
        the outcome recorded the first time.
        """
        with self.transaction():
            known = self.document(source)
            if known is not None and known.status != "failed":
                return known
            dup = self.duplicate_of(analysis.article)
            if dup is not None:
                outcome = Outcome(source, "duplicate", dup[0], dup[1])
            else:
                self.upsert(analysis, source=source)
                outcome = Outcome(source, "stored", analysis.article.id)
            self._record(outcome)
        return outcome

    def record_duplicate(self, source: str, article_id: str, key: str) -> Outcome:
        """Record that the document ``source`` duplicates the article ``article_id`` (by ``key``)."""
        with self.transaction():
            outcome = Outcome(source, "duplicate", article_id, key)
            self._record(outcome)
        return outcome

    def record_failure(self, source: str, reason: str, *, stage: str = "analyze") -> Outcome:
        """Record that the document ``source`` failed at ``stage`` (read, fetch, analyze) and why."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO failures (source, stage, reason) VALUES (?, ?, ?)",
                (source, stage, reason),
            )
            outcome = Outcome(source, "failed", None, reason)
            self._record(outcome)
        return outcome

    def _record(self, outcome: Outcome) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO documents (source, status, article_id, reason) VALUES (?, ?, ?, ?)",
            (outcome.source, outcome.status, outcome.article_id, outcome.reason),
        )
        if outcome.status != "failed":
            self.conn.execute("DELETE FROM failures WHERE source = ?", (outcome.source,))

    # -- analyses ------------------------------------------------------------------

    def upsert(self, analysis: Analysis, *, source: str) -> None:
        """Insert the analysis, replacing everything stored under its article's ID.

        Raises:
            sqlite3.IntegrityError: another article has the same canonical URL
                (:meth:`add` checks that first and records a duplicate).
        """
        a = analysis.article
        with self.transaction() as conn:
            self._delete_children(a.id)
            conn.execute(
                "INSERT INTO articles (id, source, url, canonical_url, outlet, host, title,"
                " byline, date, format, language, text, versions)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    a.id,
                    source,
                    a.url,
                    canonical_url(a.url),
                    a.outlet,
                    url_host(a.url),
                    a.title,
                    a.byline,
                    a.date,
                    a.format,
                    a.language,
                    a.text,
                    json.dumps(analysis.versions, sort_keys=True),
                ),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO speakers (article_id, id, name, kind, role, mentions) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (a.id, s.id, s.name, s.kind.value, s.role, _spans(s.mentions))
                    for s in analysis.speakers
                ],
            )
            conn.executemany(
                'INSERT OR IGNORE INTO quotes (id, article_id, kind, text, start, "end", content, cue, source,'
                " speaker_id, via, confidence, method, reported_as, speaker_confidence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_quote_row(a.id, q) for q in analysis.quotes],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO quote_via (quote_id, position, speaker_id) VALUES (?, ?, ?)",
                [(q.id, i, v) for q in analysis.quotes for i, v in enumerate(q.via)],
            )
            conn.executemany(
                'INSERT OR IGNORE INTO marks (article_id, kind, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                [
                    (a.id, m.kind.value, m.span.start, m.span.end, m.span.text)
                    for m in analysis.marks
                ],
            )
            conn.executemany(
                "INSERT INTO diagnostics (article_id, position, code, message, span) VALUES (?, ?, ?, ?, ?)",
                [
                    (a.id, i, d.code, d.message, _span(d.span))
                    for i, d in enumerate(analysis.diagnostics)
                ],
            )
            write_events(conn, analysis)  # its events, and the corpus events they join

    def _delete_children(self, article_id: str) -> None:
        conn = self.conn
        conn.execute(
            "DELETE FROM quote_via WHERE quote_id IN (SELECT id FROM quotes WHERE article_id = ?)",
            (article_id,),
        )
        for table in ("quotes", "speakers", "marks", "diagnostics", "articles"):
            column = "id" if table == "articles" else "article_id"
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (article_id,))

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of one article, rebuilt as the record, or ``None``."""
        row = self.conn.execute(
            "SELECT id, text, title, byline, date, outlet, url, format, language, versions"
            " FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return self._rebuild(row) if row else None

    def analyses(self) -> Iterator[Analysis]:
        """Every stored analysis, in article ID order, one at a time (memory stays flat)."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY id")]
        for article_id in ids:
            found = self.analysis(article_id)
            if found is not None:
                yield found

    def _rebuild(self, row: tuple) -> Analysis:
        aid, text, title, byline, date, outlet, url, fmt, language, versions = row
        article = Article(
            text=text,
            title=title,
            byline=byline,
            date=date,
            outlet=outlet,
            url=url,
            format=fmt,
            language=language,
        )
        kinds = "reported_as, speaker_confidence" if has_kinds(self.conn) else "NULL, NULL"
        q = self.conn.execute(
            f"SELECT id, kind, content, cue, source, speaker_id, via, confidence, method, {kinds}"
            ' FROM quotes WHERE article_id = ? ORDER BY start, "end", id',
            (aid,),
        )
        quotes = tuple(
            Quote(
                id=i,
                kind=QuoteKind(k),
                content=_unspans(c),
                cue=_unspan(cue),
                source=_unspan(src),
                speaker_id=sid,
                via=tuple(json.loads(via)),
                confidence=conf,
                method=method,
                # NULL: stored before attributions had a kind; that analyzer showed all as speech
                reported_as=ReportedAs(reported_as or ReportedAs.SPEECH),
                speaker_confidence=speaker_conf,
            )
            for i, k, c, cue, src, sid, via, conf, method, reported_as, speaker_conf in q
        )
        speakers = tuple(
            Speaker(i, name, EntityKind(kind), role, _unspans(m))
            for i, name, kind, role, m in self.conn.execute(
                "SELECT id, name, kind, role, mentions FROM speakers WHERE article_id = ? ORDER BY rowid",
                (aid,),
            )
        )
        marks = tuple(
            Mark(MarkKind(k), Span(s, e, t))
            for k, s, e, t in self.conn.execute(
                'SELECT kind, start, "end", text FROM marks WHERE article_id = ? ORDER BY start, "end"',
                (aid,),
            )
        )
        diagnostics = tuple(
            Diagnostic(code, message, _unspan(span))
            for code, message, span in self.conn.execute(
                "SELECT code, message, span FROM diagnostics WHERE article_id = ? ORDER BY position",
                (aid,),
            )
        )
        events = read_events(self.conn, aid) if has_events(self.conn) else ()
        return Analysis(
            article, quotes, speakers, marks, diagnostics, json.loads(versions), events=events
        )

    # -- bookkeeping -------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table, and documents per status (``stored``, ``duplicate``, ``failed``)."""
        out = {
            t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "quotes", "speakers", "failures", "people")
        }
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM documents GROUP BY status"
        ):
            out[f"documents_{status}"] = n
        return out

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly and not path.is_file():
        raise StoreError(
            f"{path}: no such store; create one with: accordingto run INPUT... --db {path}"
        )
    if not readonly and not _writable(path):
        raise StoreError(_read_only(path, "the file or its folder is not writable"))
    try:
        if readonly:
            conn = sqlite3.connect(
                _read_only_uri(path),
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT,
                check_same_thread=False,
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
            _refuse_foreign(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        _check_schema(conn, path, readonly=readonly)
    except sqlite3.Error as e:
        raise store_error(e, path) from e
    return conn


def _writable(path: Path) -> bool:
    """Whether a run can write the store (and the journal files beside it)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    parent = next((p for p in path.parents if p.exists()), Path("."))
    return os.access(parent, os.W_OK)


def _read_only_uri(path: Path) -> str:
    """The URI that opens the store read-only, also on read-only media.

    Reading a WAL database needs its ``-shm`` file, which SQLite creates beside
    it; where the folder is not writable and no write-ahead log is left over
    (a store closed cleanly has none), ``immutable=1`` reads the file as it is,
    without locks.  A log left in a read-only folder is read with ``mode=ro``.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and not wal.exists():
        uri += "&immutable=1"
    return uri


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse another application's database: tables, but no migration log of ours."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    if tables and "migrations" not in tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{path}: is another application's SQLite database (tables: {shown}), not a store; "
            "give --db a new file name"
        )


def _read_only(path: Path, why: str) -> str:
    return (
        f"{path}: the store is read-only ({why}); a run must write it: copy it somewhere "
        f"writable, or read it as it is (accordingto speakers --db {path}, accordingto serve)"
    )


#: SQLite's primary result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``) we explain.
_BUSY, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 8, 10, 11, 13, 14, 26


def store_error(e: sqlite3.Error, path: str | Path | None = None) -> AccordingToError:
    """The error to report for an SQLite error met using the store at ``path``.

    A full disk is a :class:`~accordingto.errors.DiskFullError`; a damaged,
    read-only, locked or unreadable store, or a file that is not one, a
    :class:`~accordingto.errors.StoreError` whose message says what to do.
    """
    where = str(path) if path is not None else "store"
    code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _FULL:
        return DiskFullError(
            f"{where}: the disk is full; everything stored so far is kept: "
            "free some space and run the same command again to resume"
        )
    if code == _READONLY:
        return StoreError(_read_only(Path(where), str(e)))
    if code == _NOTADB:
        return StoreError(
            f"{where}: is not a store ({e}); pass a store made by accordingto run, "
            "or a new file name"
        )
    if code == _CORRUPT:
        recover = f"sqlite3 {where} .recover" if path is not None else "sqlite3's .recover"
        return StoreError(
            f"{where}: the store is damaged ({e}); restore it from a backup, or save what is "
            f"left with {recover}"
        )
    if code == _BUSY:
        return StoreError(
            f"{where}: another process has held the store's write lock for {BUSY_TIMEOUT:g} s; "
            "wait for it to finish and try again"
        )
    if code in (_IOERR, _CANTOPEN):
        return StoreError(
            f"{where}: cannot be read or written ({e}); check the disk and the file's permissions"
        )
    return StoreError(
        f"{where}: cannot be used as a store ({e}); pass a store made by accordingto run, "
        "or a new file name"
    )


def has_events(conn: sqlite3.Connection) -> bool:
    """Whether the store has the event tables (a store made before them, read-only, has not)."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corpus_events'"
    ).fetchone()
    return row is not None


def has_kinds(conn: sqlite3.Connection) -> bool:
    """Whether the store's quotations have ``reported_as`` and ``speaker_confidence`` columns
    (a store made before them, read-only, has not; see ``docs/store.md``)."""
    return any(r[1] == "reported_as" for r in conn.execute("PRAGMA table_info(quotes)"))


def explains(e: sqlite3.Error) -> bool:
    """Whether ``e`` is about the file or the disk (full, damaged, read-only, locked), not a bug."""
    code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
    return code in (_BUSY, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB)


#: Migrations a reader can do without: a store made before them is read as it is (it may be on
#: read-only media, where they cannot be applied); what needs them says so (``has_events``).
READ_OPTIONAL = frozenset({"0004_events", "0005_stage_analyze", "0006_reported_as"})


def _check_schema(conn: sqlite3.Connection, path: Path, *, readonly: bool = False) -> None:
    names = applied(conn)
    missing = [m.name for m in MIGRATIONS if m.name not in names]
    if missing and readonly and set(missing) <= READ_OPTIONAL:
        return
    if missing:
        raise StoreError(
            f"{path}: the store lacks migrations {', '.join(missing)}; open it once for writing "
            f"to apply them, e.g. accordingto run --db {path} (with no input)"
        )


def _span(span: Span | None) -> str | None:
    return (
        None if span is None else json.dumps([span.start, span.end, span.text], ensure_ascii=False)
    )


def _spans(spans: tuple[Span, ...]) -> str:
    return json.dumps([[s.start, s.end, s.text] for s in spans], ensure_ascii=False)


def _unspan(data: str | None) -> Span | None:
    return None if data is None else Span(*json.loads(data))


def _unspans(data: str) -> tuple[Span, ...]:
    return tuple(Span(*s) for s in json.loads(data))


def _quote_row(article_id: str, q: Quote) -> tuple:
    return (
        q.id,
        article_id,
        q.kind.value,
        quote_text(q),
        q.start,
        q.end,
        _spans(q.content),
        _span(q.cue),
        _span(q.source),
        q.speaker_id,
        json.dumps(list(q.via)),
        q.confidence,
        q.method,
        q.reported_as.value,
        q.speaker_confidence,
    )
