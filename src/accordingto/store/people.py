"""The store's people tables, rebuilt from its speakers (the decisions: :mod:`accordingto.across.people`).

``people`` and ``person_speakers`` are derived tables of the store's schema
(migration ``0003_people``); this module is the only one that writes them, so
the schema and its writer live in one package.

>>> from accordingto.store import Store
>>> from accordingto.store.people import link_people
>>> with Store("corpus.db") as store:                  # doctest: +SKIP
...     link_people(store)
"""

from __future__ import annotations

import json
import sqlite3

from accordingto.across.people import PersonGroup, SpeakerName, group_speakers

from .store import Store

__all__ = ["link_people"]


def link_people(store: Store) -> int:
    """Rebuild ``people`` and ``person_speakers`` from the stored speakers; the number of people."""
    conn = store.conn
    speakers = [
        SpeakerName(sid, name, kind, n)
        for sid, name, kind, n in conn.execute(
            "SELECT id, min(name), kind, count(*) FROM speakers GROUP BY id ORDER BY id"
        )
    ]
    groups = group_speakers(speakers)
    with store.transaction():
        conn.execute("DELETE FROM person_speakers")
        conn.execute("DELETE FROM people")
        for g in groups:
            _insert(conn, g)
    return len(groups)


def _insert(conn: sqlite3.Connection, g: PersonGroup) -> None:
    ids = [sid for sid, _, _ in g.speakers]
    marks = ",".join("?" * len(ids))
    roles = [
        r
        for (r,) in conn.execute(
            f"SELECT role FROM speakers WHERE id IN ({marks}) AND role IS NOT NULL"
            " GROUP BY role ORDER BY count(*) DESC, role",
            ids,
        )
    ]
    articles = conn.execute(
        f"SELECT count(DISTINCT article_id) FROM speakers WHERE id IN ({marks})", ids
    ).fetchone()[0]
    quotes = conn.execute(
        f"SELECT count(*) FROM quotes WHERE speaker_id IN ({marks})", ids
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO people (id, name, kind, roles, articles, quotes) VALUES (?, ?, ?, ?, ?, ?)",
        (g.person_id, g.name, g.kind, json.dumps(roles, ensure_ascii=False), articles, quotes),
    )
    conn.executemany(
        "INSERT INTO person_speakers (person_id, speaker_id, name, rule) VALUES (?, ?, ?, ?)",
        [(g.person_id, sid, name, rule) for sid, name, rule in g.speakers],
    )
