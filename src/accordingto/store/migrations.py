"""The store's schema, as named migrations applied in order.

Each migration is a name and a script.  :func:`migrate` applies, in one
transaction each, those whose name is not yet in the ``migrations`` table, and
records them there.  A schema change is a new entry at the end of
:data:`MIGRATIONS`; entries already released are never edited (sqlite-utils'
and datasette's migration pattern).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

__all__ = ["MIGRATIONS", "Migration", "applied", "migrate"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One named schema change."""

    name: str
    sql: str


_CORE = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,              -- Article.id: content hash of the text
    source TEXT NOT NULL,             -- where it was read first (path#line, URL, WARC record)
    url TEXT,
    canonical_url TEXT,               -- for deduplication (see accordingto.store.canonical)
    outlet TEXT,                      -- the article's outlet, as given
    host TEXT,                        -- the URL's host without www. (the outlet when none is given)
    title TEXT, byline TEXT, date TEXT,
    format TEXT NOT NULL, language TEXT,
    text TEXT NOT NULL,
    versions TEXT NOT NULL            -- JSON object
);
CREATE UNIQUE INDEX articles_canonical_url ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_outlet_date ON articles(outlet, date);
CREATE INDEX articles_host ON articles(host);

CREATE TABLE speakers (
    article_id TEXT NOT NULL REFERENCES articles(id),
    id TEXT NOT NULL,                 -- Speaker.id: hash of kind and name (same name, same id)
    name TEXT NOT NULL, kind TEXT NOT NULL, role TEXT,
    mentions TEXT NOT NULL,           -- JSON list of [start, end, text]
    PRIMARY KEY (article_id, id)
);
CREATE INDEX speakers_id ON speakers(id);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,              -- Quote.id: hash of article id and content offsets
    article_id TEXT NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,               -- the content spans' text joined by " … "
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    content TEXT NOT NULL,            -- JSON list of [start, end, text]
    cue TEXT, source TEXT,            -- JSON [start, end, text] or NULL
    speaker_id TEXT,
    via TEXT NOT NULL,                -- JSON list of speaker ids, outermost first
    confidence REAL NOT NULL, method TEXT NOT NULL
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_id);

CREATE TABLE quote_via (
    quote_id TEXT NOT NULL REFERENCES quotes(id),
    position INTEGER NOT NULL,
    speaker_id TEXT NOT NULL,
    PRIMARY KEY (quote_id, position)
);

CREATE TABLE marks (
    article_id TEXT NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (article_id, start, "end", kind)
);

CREATE TABLE diagnostics (
    article_id TEXT NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL, message TEXT NOT NULL, span TEXT,
    PRIMARY KEY (article_id, position)
);

-- every input document seen, so that a resumed run skips what is done
CREATE TABLE documents (
    source TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'failed')),
    article_id TEXT,                  -- stored: its id; duplicate: the id it duplicates
    reason TEXT                       -- duplicate: which key matched
);

CREATE TABLE failures (
    source TEXT PRIMARY KEY,
    stage TEXT NOT NULL,              -- read, fetch or analyse
    reason TEXT NOT NULL
);
"""

_FTS = """
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content='quotes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER quotes_au AFTER UPDATE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO quotes_fts(rowid, text) VALUES (new.rowid, new.text);
END;
"""

_PEOPLE = """
-- derived: speakers merged across articles (rebuilt by accordingto.across.people)
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL, kind TEXT NOT NULL,
    roles TEXT NOT NULL,              -- JSON list of the roles seen, most frequent first
    articles INTEGER NOT NULL, quotes INTEGER NOT NULL
);
CREATE TABLE person_speakers (
    person_id TEXT NOT NULL REFERENCES people(id),
    speaker_id TEXT NOT NULL,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,               -- why this speaker is this person (the evidence)
    PRIMARY KEY (speaker_id)
);
CREATE INDEX person_speakers_person ON person_speakers(person_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_EVENTS = """
CREATE TABLE event_reports (
    id TEXT PRIMARY KEY,              -- Event.id: hash of article id, trigger offsets and root
    article_id TEXT NOT NULL,         -- no REFERENCES: the article's row is replaced in place on upsert
    corpus_event_id TEXT NOT NULL,    -- the merged event (corpus_events.id)
    bucket TEXT,                      -- merge index: actor code | quad | modality group (NULL: not merged)
    day TEXT,                         -- the day merging uses: the event's, else the article's
    day_exact INTEGER NOT NULL,       -- 1 when the text gives the day
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, trigger TEXT NOT NULL,
    root TEXT NOT NULL, quad INTEGER NOT NULL, cameo TEXT, intensity REAL,
    modality TEXT NOT NULL,
    actor_code TEXT, actor_sector TEXT, actor TEXT,       -- actor: JSON [start, end, text]
    target_code TEXT, target_sector TEXT, target TEXT,
    date TEXT, date_span TEXT, place TEXT,                -- date as the analyzer gave it
    claimed_by TEXT,                  -- speaker id of the attribution it sits in; NULL: the author
    confidence REAL NOT NULL
);
CREATE INDEX event_reports_article ON event_reports(article_id);
CREATE INDEX event_reports_bucket_day ON event_reports(bucket, day);
CREATE INDEX event_reports_corpus ON event_reports(corpus_event_id);
CREATE INDEX event_reports_claimed ON event_reports(claimed_by);

CREATE TABLE event_mentions (
    event_id TEXT NOT NULL REFERENCES event_reports(id),
    position INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
);
-- derived: reports merged across articles (rewritten segment by segment as articles arrive)
CREATE TABLE corpus_events (
    id TEXT PRIMARY KEY,              -- ce_ + hash of its first report's id
    bucket TEXT,
    actor_code TEXT, actor_name TEXT, actor_sector TEXT,
    target_code TEXT, target_name TEXT, target_sector TEXT,
    root TEXT NOT NULL, quad INTEGER NOT NULL, modality TEXT NOT NULL,
    date TEXT,                        -- the earliest day a text gives, else the first article's date
    date_exact INTEGER NOT NULL,
    place TEXT,
    intensity REAL,                   -- mean Goldstein score of its reports
    reports INTEGER NOT NULL, articles INTEGER NOT NULL
);
CREATE INDEX corpus_events_dyad ON corpus_events(actor_code, target_code, date);
CREATE INDEX corpus_events_date ON corpus_events(date);
"""

_REPORTED_AS = """
-- what each attribution's cue reports, and how sure the speaker is (schema 1.2);
-- rows stored before keep NULL in both: nothing is guessed for them
ALTER TABLE quotes ADD COLUMN reported_as TEXT
    CHECK (reported_as IN ('speech', 'thought', 'intention', 'action', 'other'));
ALTER TABLE quotes ADD COLUMN speaker_confidence REAL;
CREATE INDEX quotes_reported_as ON quotes(reported_as);
"""

#: Every migration, in the order it is applied.  Append; never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_core", _CORE),
    Migration("0002_quotes_fts", _FTS),
    Migration("0003_people", _PEOPLE),
    Migration("0004_events", _EVENTS),  # written by accordingto.store.events
    # one spelling: failures recorded before it said stage 'analyse'
    Migration(
        "0005_stage_analyze", "UPDATE failures SET stage = 'analyze' WHERE stage = 'analyse';"
    ),
    Migration("0006_reported_as", _REPORTED_AS),
)


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to this database, in order (none for a new one)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not exists:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY seq")]


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; their names."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (seq INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)"
    )
    done = set(applied(conn))
    new = []
    for m in migrations:
        if m.name in done:
            continue
        with conn:  # one transaction: the script and its record land together, or neither
            conn.execute("BEGIN")
            for statement in _statements(m.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO migrations (name) VALUES (?)", (m.name,))
        new.append(m.name)
    return new


def _statements(script: str) -> list[str]:
    """The statements of a script (``executescript`` would commit mid-way)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return out
