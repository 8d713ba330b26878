"""A store made before the event tables (migrations 0004, 0005) can still be read read-only."""

from __future__ import annotations

import sqlite3

import pytest

from accordingto.cli import main
from accordingto.errors import StoreError
from accordingto.store import Store
from accordingto.store.escalation import corpus_events, escalation


@pytest.fixture
def older_store(tmp_path, analyses):
    """A store as an older version left it: no event tables, a failure stage 'analyse'."""
    path = tmp_path / "old.db"
    with Store(path) as store:
        for a in analyses:
            store.add(a, source=a.article.url or a.article.id)
        store.record_failure("bad.txt", "not valid UTF-8", stage="read")
    conn = sqlite3.connect(path)
    for table in ("event_mentions", "event_reports", "corpus_events"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("DELETE FROM migrations WHERE name IN ('0004_events', '0005_stage_analyze')")
    conn.commit()
    conn.close()
    return path


def test_an_older_store_is_read_read_only_as_it_is(older_store):
    with Store(older_store, readonly=True) as store:
        assert store.counts()["articles"] > 0
    conn = sqlite3.connect(older_store)  # nothing was written: still the older schema
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "corpus_events" not in names


def test_events_of_an_older_store_say_what_to_do(older_store, capsys):
    with Store(older_store, readonly=True) as store:
        with pytest.raises(StoreError, match="made before events were stored"):
            corpus_events(store)
        with pytest.raises(StoreError, match="made before events were stored"):
            escalation(store, "RUS", "UKR")
    assert main(["events", "--db", str(older_store)]) == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "accordingto run --db" in err


def test_opening_it_for_writing_adds_the_tables(older_store):
    with Store(older_store) as store:
        assert corpus_events(store) == []
    with Store(older_store, readonly=True) as store:
        assert corpus_events(store) == []


def test_a_store_missing_a_core_migration_is_still_refused(older_store):
    conn = sqlite3.connect(older_store)
    conn.execute("DELETE FROM migrations WHERE name = '0003_people'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="lacks migrations"):
        Store(older_store, readonly=True)
