"""`dyads` and `accordingto dyads`: the pairs of actors with events between them, most events
first, counting what `escalation` counts; an older store says what to do."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from test_events import OFFICIALS, article, make_event
from test_events_cli import _analyses

from accordingto.cli import main
from accordingto.errors import QueryError, StoreError
from accordingto.model import Analysis, Modality
from accordingto.store import Store
from accordingto.store.escalation import DyadRow, dyads, escalation
from accordingto.store.people import link_people


def _more() -> list[Analysis]:
    """Beyond test_events_cli's corpus: a pair with no target code, one with the same code on
    both sides, a pair acting as much one way as the other, a planned event, an undated one."""

    def one(text, outlet, date, trigger, actor, target, root, when, **kw):
        a = article(text, outlet, date)
        return Analysis(
            a,
            speakers=(OFFICIALS,),
            events=(make_event(a, trigger, actor, target, root, date=when, **kw),),
        )

    return [
        one("France met Germany in Paris on Monday.", "Daily Ledger", "2026-03-09",
            "met", "FRA", "DEU", "CONSULT", "2026-03-09", intensity=1.0),
        one("Germany hosted France on Friday.", "Harbor Post", "2026-03-20",
            "hosted", "DEU", "FRA", "CONSULT", "2026-03-20", intensity=1.0),
        one("Poland will send tanks to Ukraine.", "Harbor Post", "2026-03-20",
            "send", "POL", "UKR", "AID", "2026-03-20", modality=Modality.PLANNED),
        one("Russia shelled its own border town on Monday.", "Northern Wire", "2026-03-23",
            "shelled", "RUS", "RUS", "ASSAULT", "2026-03-23"),
        one("Turkey protested on Monday.", "Northern Wire", "2026-03-23",
            "protested", "TUR", None, "PROTEST", "2026-03-23"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("dyads") / "c.db"
    with Store(path) as store:
        for a in _analyses() + _more():
            store.add(a, source=a.article.id)
        link_people(store)
    return path


def test_pairs_most_events_first_the_busier_actor_first(db):
    with Store(db, readonly=True) as store:
        got = dyads(store)
    assert got == [
        # RUS>UKR: the strike reported twice counts once, the denied one not; 3 strikes and
        # a threat one way, a strike the other; the planned aid, the shelling of its own
        # town and the protest with no target are no dyad's
        DyadRow("RUS", "UKR", 5, 4, 1, 4, "2026-03-10", "2026-03-24"),
        DyadRow("DEU", "FRA", 2, 1, 1, 0, "2026-03-09", "2026-03-20"),  # even: by code
        DyadRow("DEU", "UKR", 1, 1, 0, 0, "2026-03-09", "2026-03-09"),
    ]


def test_a_pairs_events_are_those_its_timeline_counts(db):
    with Store(db, readonly=True) as store:
        for d in dyads(store, limit=None):
            weeks = escalation(store, d.a, d.b)
            assert sum(w.events for w in weeks if w.direction == f"{d.a}>{d.b}") == d.a_to_b
            assert sum(w.events for w in weeks if w.direction == f"{d.b}>{d.a}") == d.b_to_a
            assert sum(w.material_conflict for w in weeks) == d.material_conflict


@pytest.mark.parametrize(
    ("kwargs", "pairs"),
    [
        ({"actor": "ukr"}, [("RUS", "UKR"), ("DEU", "UKR")]),
        ({"actor": "FRA"}, [("DEU", "FRA")]),
        ({"actor": "POL"}, []),  # only a plan
        ({"actor": "POL", "modalities": ["planned"]}, [("POL", "UKR")]),
        ({"modalities": ["negated"]}, [("RUS", "UKR")]),  # the denied shelling
        ({"since": "2026-03-20"}, [("RUS", "UKR"), ("DEU", "FRA")]),  # even: conflict first
        ({"until": "2026-03-09"}, [("DEU", "UKR"), ("FRA", "DEU")]),  # FRA met DEU
        ({"limit": 1}, [("RUS", "UKR")]),
        ({"actor": "CHN"}, []),
    ],
)
def test_filters(db, kwargs, pairs):
    with Store(db, readonly=True) as store:
        assert [(d.a, d.b) for d in dyads(store, **kwargs)] == pairs


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"actor": "r-u"}, "is not an actor code"),
        ({"since": "March"}, "since"),
        ({"modalities": []}, "no modality given"),
        ({"modalities": ["rumoured"]}, "is not one of"),
        ({"limit": 0}, "below 1"),
    ],
)
def test_malformed_filters_say_what_is_accepted(db, kwargs, message):
    with Store(db, readonly=True) as store, pytest.raises(QueryError, match=message):
        dyads(store, **kwargs)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_lists_the_pairs(db, capsys):
    code, out, _ = run(capsys, "dyads", "--db", str(db))
    assert code == 0 and "RUS" in out and "DEU" in out and "2026-03-24" in out
    code, out, _ = run(capsys, "dyads", "--db", str(db), "--format", "csv", "--actor", "UKR")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["a"], r["b"], r["a_to_b"], r["b_to_a"]) for r in rows] == [
        ("RUS", "UKR", "4", "1"),
        ("DEU", "UKR", "1", "0"),
    ]
    code, out, _ = run(capsys, "dyads", "--db", str(db), "--format", "json", "--limit", "1")
    assert code == 0 and '"material_conflict": 4' in out


def test_the_command_rejects_a_malformed_filter_in_one_line(db, capsys):
    code, _, err = run(capsys, "dyads", "--db", str(db), "--actor", "r-u")
    assert code == 2 and err.count("\n") == 1 and "is not an actor code" in err


def test_an_older_store_says_what_to_do(db, tmp_path, capsys):
    old = tmp_path / "old.db"
    with Store(old) as store:
        for a in _analyses()[:2]:
            store.add(a, source=a.article.id)
    conn = sqlite3.connect(old)
    for table in ("event_mentions", "event_reports", "corpus_events"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("DELETE FROM migrations WHERE name IN ('0004_events', '0005_stage_analyze')")
    conn.commit()
    conn.close()
    with Store(old, readonly=True) as store, pytest.raises(StoreError, match="before events"):
        dyads(store)
    code, _, err = run(capsys, "dyads", "--db", str(old))
    assert code == 6 and err.count("\n") == 1 and "accordingto run --db" in err
