"""The store: migrations, idempotent upsert, dedupe, failures, FTS, read-only opening."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from accordingto.store import MIGRATIONS, Migration, Store, StoreError, canonical_url, migrate


def test_new_store_applies_every_migration_in_order(tmp_path):
    with Store(tmp_path / "c.db") as store:
        names = [r[0] for r in store.conn.execute("SELECT name FROM migrations ORDER BY seq")]
        mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert names == [m.name for m in MIGRATIONS]
    assert mode == "wal"


def test_migrate_applies_only_new_migrations(tmp_path):
    conn = sqlite3.connect(tmp_path / "c.db", isolation_level=None)
    assert migrate(conn) == [m.name for m in MIGRATIONS]
    assert migrate(conn) == []
    extra = (*MIGRATIONS, Migration("9999_extra", "CREATE TABLE extra (x INTEGER);"))
    assert migrate(conn, extra) == ["9999_extra"]


def test_failed_migration_leaves_nothing_half_done(tmp_path):
    conn = sqlite3.connect(tmp_path / "c.db", isolation_level=None)
    migrate(conn)
    bad = (*MIGRATIONS, Migration("9999_bad", "CREATE TABLE half (x);\nCREATE TABLE half (y);"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, bad)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half'").fetchone()
    assert "9999_bad" not in [r[0] for r in conn.execute("SELECT name FROM migrations")]


def test_add_twice_is_one_article(tmp_path, analyses):
    with Store(tmp_path / "c.db") as store:
        first = store.add(analyses[0], source="a.txt")
        again = store.add(analyses[0], source="a.txt")
        counts = store.counts()
    assert first.status == again.status == "stored"
    assert counts["articles"] == 1 and counts["quotes"] == 1 and counts["documents_stored"] == 1


def test_upsert_replaces_the_rows_of_an_article(tmp_path, analyses, dump_store):
    with Store(tmp_path / "c.db") as store:
        store.upsert(analyses[0], source="a.txt")
        before = dump_store(store.path)
        store.upsert(analyses[0], source="a.txt")
        assert dump_store(store.path) == before
        store.upsert(replace(analyses[0], quotes=()), source="a.txt")
        assert store.counts()["quotes"] == 0


@pytest.mark.parametrize(
    ("second_text", "second_url", "status", "reason"),
    [
        ("same", "https://elsewhere.org/z", "duplicate", "text"),  # same text, other URL
        ("other text", "http://example.org/a/", "duplicate", "url"),  # same canonical URL
        ("other text", "https://example.org/a?id=2", "stored", None),  # a query that selects
        ("other text", None, "stored", None),  # no URL: text decides
    ],
)
def test_dedupe_by_text_hash_and_canonical_url(
    tmp_path, analyses, second_text, second_url, status, reason
):
    first = analyses[0]
    text = first.article.text if second_text == "same" else second_text
    second = replace(
        first, article=replace(first.article, text=text, url=second_url), quotes=(), speakers=()
    )
    with Store(tmp_path / "c.db") as store:
        store.add(first, source="one")
        outcome = store.add(second, source="two")
    assert (outcome.status, outcome.reason) == (status, reason)
    if status == "duplicate":
        assert outcome.article_id == first.article.id


def test_failure_is_recorded_and_nothing_stored_is_lost(tmp_path, analyses):
    with Store(tmp_path / "c.db") as store:
        store.add(analyses[0], source="good")
        store.record_failure("bad.bin", "bad.bin: looks like a binary file", stage="read")
        assert store.document("bad.bin").status == "failed"
        rows = store.conn.execute("SELECT source, stage, reason FROM failures").fetchall()
        assert rows == [("bad.bin", "read", "bad.bin: looks like a binary file")]
        assert store.counts()["articles"] == 1
        # a retried failure that now succeeds replaces the failure
        store.add(analyses[1], source="bad.bin")
        assert store.counts()["failures"] == 0


def test_analysis_round_trips(tmp_path, analyses):
    with Store(tmp_path / "c.db") as store:
        for i, a in enumerate(analyses):
            store.add(a, source=str(i))
        back = {a.article.id: a for a in store.analyses()}
    for a in analyses:
        assert back[a.article.id] == a


def test_full_text_search_follows_upserts(tmp_path, analyses):
    with Store(tmp_path / "c.db") as store:
        store.add(analyses[0], source="a")
        hits = store.conn.execute(
            "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'bridge'"
        ).fetchall()
        assert len(hits) == 1
        store.upsert(replace(analyses[0], quotes=()), source="a")
        hits = store.conn.execute(
            "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'bridge'"
        ).fetchall()
        assert hits == []


def test_reader_sees_committed_rows_while_a_writer_is_open(tmp_path, analyses):
    path = tmp_path / "c.db"
    with Store(path) as writer:
        writer.add(analyses[0], source="a")
        with Store(path, readonly=True) as reader:
            assert reader.counts()["articles"] == 1
            with writer.transaction():  # a write in progress does not block the reader
                writer.upsert(analyses[1], source="b")
                assert reader.counts()["articles"] == 1
            assert reader.counts()["articles"] == 2
            with pytest.raises(sqlite3.OperationalError):
                reader.conn.execute("DELETE FROM articles")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such store"),
        (lambda p: p.write_bytes(b"not a database at all" * 100), "is not a store"),
    ],
)
def test_readonly_open_errors_say_what_to_do(tmp_path, make, message):
    path = tmp_path / "c.db"
    make(path)
    with pytest.raises(StoreError, match=message):
        Store(path, readonly=True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Example.org/a/", "example.org/a"),
        ("http://example.org/a?utm_campaign=x&fbclid=1", "example.org/a"),
        ("http://example.org/a?b=2&a=1#frag", "example.org/a?a=1&b=2"),
        ("http://example.org:8080/a", "example.org:8080/a"),
        ("mailto:x@example.org", None),
        ("", None),
        ("http://[bad", None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected
