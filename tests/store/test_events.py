"""Events in the store: reports with their evidence, merged across articles into corpus events.

Merging is checked on reports built by hand (same event / look-alike, one behaviour a row),
then through the store: upsert, idempotence, order independence, incremental merging."""

from __future__ import annotations

import datetime
import random
import sqlite3

import pytest

from accordingto.model import (
    Analysis,
    Article,
    EntityKind,
    Event,
    Modality,
    Span,
    Speaker,
    content_id,
)
from accordingto.store import Store
from accordingto.store.events import QUADS, Report, cluster, places_agree, read_events


def rep(
    rid: str,
    article: str,
    actor: str | None,
    target: str | None,
    root: str,
    day: str | None,
    *,
    exact: bool = True,
    place: str | None = None,
    modality: str = "happened",
) -> Report:
    return Report(
        id=rid,
        article_id=article,
        start=0,
        actor=actor,
        target=target,
        root=root,
        quad=QUADS[root],
        modality=modality,
        day=datetime.date.fromisoformat(day) if day else None,
        exact=exact,
        place=place,
    )


def groups(reports: list[Report]) -> set[frozenset[str]]:
    return {frozenset(r.id for r in c.reports) for c in cluster(reports)}


ANCHOR = rep("a", "art1", "RUS", "UKR", "ASSAULT", "2026-03-10", place="Kharkiv")

# (name, second report, merged with ANCHOR?)
CASES = [
    ("same dyad, root, day", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-10"), True),
    ("a day later", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-11"), True),
    ("a day earlier", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-09"), True),
    ("two days later (both dated by the text)", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-12"), False),
    ("the next week", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-17"), False),
    ("undated, article of the next day", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-11", exact=False), True),
    ("undated, article two days on", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-12", exact=False), True),
    ("undated, article three days on", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-13", exact=False), False),
    ("another target, same day", rep("b", "art2", "RUS", "SYR", "ASSAULT", "2026-03-10"), False),
    ("target not found in one report", rep("b", "art2", "RUS", None, "ASSAULT", "2026-03-10"), True),
    ("reversed direction", rep("b", "art2", "UKR", "RUS", "ASSAULT", "2026-03-10"), False),
    ("other actor", rep("b", "art2", "BLR", "UKR", "ASSAULT", "2026-03-10"), False),
    ("another quad class", rep("b", "art2", "RUS", "UKR", "THREATEN", "2026-03-10"), False),
    ("same quad, other root, no place", rep("b", "art2", "RUS", "UKR", "COERCE", "2026-03-10"), False),
    ("same quad, other root, same day and place", rep("b", "art2", "RUS", "UKR", "COERCE", "2026-03-10", place="the city of Kharkiv"), True),
    ("place named the longer way", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-10", place="the city of Kharkiv"), True),
    ("another place", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-10", place="Odesa"), False),
    ("ongoing is factual too", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-10", modality="ongoing"), True),
    ("denied, not happened", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-10", modality="negated"), False),
    ("hypothetical, not happened", rep("b", "art2", "RUS", "UKR", "ASSAULT", "2026-03-10", modality="hypothetical"), False),
    ("same article: a second event", rep("b", "art1", "RUS", "UKR", "ASSAULT", "2026-03-10"), False),
    ("no day at all", rep("b", "art2", "RUS", "UKR", "ASSAULT", None), False),
]  # fmt: skip


@pytest.mark.parametrize(("name", "other", "merged"), CASES, ids=[c[0] for c in CASES])
def test_merge_pairs(name, other, merged):
    got = groups([ANCHOR, other])
    assert (frozenset({"a", "b"}) in got) is merged, name


def test_no_actor_no_target_is_never_merged():
    a = rep("a", "art1", None, None, "ASSAULT", "2026-03-10")
    b = rep("b", "art2", None, None, "ASSAULT", "2026-03-10")
    assert groups([a, b]) == {frozenset("a"), frozenset("b")}


def test_actorless_reports_merge_by_target():
    a = rep("a", "art1", None, "UKR", "ASSAULT", "2026-03-10")
    b = rep("b", "art2", None, "UKR", "ASSAULT", "2026-03-10")
    c = rep("c", "art3", None, "SYR", "ASSAULT", "2026-03-10")
    assert groups([a, b, c]) == {frozenset("ab"), frozenset("c")}


def test_targetless_report_between_two_targets_stays_apart():
    ukr = rep("u", "art1", "RUS", "UKR", "ASSAULT", "2026-03-10")
    syr = rep("s", "art2", "RUS", "SYR", "ASSAULT", "2026-03-10")
    vague = rep("v", "art3", "RUS", None, "ASSAULT", "2026-03-10")
    assert groups([ukr, syr, vague]) == {frozenset("u"), frozenset("s"), frozenset("v")}


def test_three_outlets_one_event_and_a_lookalike_a_week_later():
    reports = [
        rep("l", "ledger", "RUS", "UKR", "ASSAULT", "2026-03-10", place="Kharkiv"),
        rep("h", "harbor", "RUS", "UKR", "ASSAULT", "2026-03-11", exact=False),
        rep("w", "wire", "RUS", "UKR", "ASSAULT", "2026-03-10", place="Kharkiv, Ukraine"),
        rep("o", "ledger2", "RUS", "UKR", "ASSAULT", "2026-03-17", place="Odesa"),
        rep("o2", "wire2", "RUS", "UKR", "ASSAULT", "2026-03-18", exact=False),
    ]
    assert groups(reports) == {frozenset("lhw"), frozenset({"o", "o2"})}


def test_chains_do_not_stretch_an_event_over_days():
    """Daily strikes on one city are separate events, not one growing cluster."""
    reports = [
        rep(f"d{i}", f"art{i}", "RUS", "UKR", "ASSAULT", f"2026-03-{10 + i}") for i in range(6)
    ]
    clusters = cluster(reports)
    assert len(clusters) == 3  # each event spans at most WINDOW days either side of its anchor
    for c in clusters:
        days = [r.day for r in c.reports if r.day]
        assert (max(days) - min(days)).days <= 1


def test_merging_does_not_depend_on_the_order_reports_arrive_in():
    reports = [
        rep(f"r{i}", f"art{i % 7}", actor, target, root, f"2026-03-{day:02d}", exact=exact)
        for i, (actor, target, root, day, exact) in enumerate(
            [
                ("RUS", "UKR", "ASSAULT", 10, True),
                ("RUS", "UKR", "ASSAULT", 11, False),
                ("RUS", None, "ASSAULT", 10, True),
                ("RUS", "SYR", "ASSAULT", 10, True),
                ("UKR", "RUS", "ASSAULT", 10, True),
                ("DEU", "UKR", "AID", 9, True),
                ("DEU", "UKR", "AID", 9, False),
                ("DEU", "MDA", "AID", 9, True),
                ("RUS", "UKR", "ASSAULT", 17, True),
                ("RUS", "UKR", "ASSAULT", 12, False),
            ]
        )
    ]
    expected = groups(reports)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = reports[:]
        rng.shuffle(shuffled)
        assert groups(shuffled) == expected


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("Kharkiv", "the city of Kharkiv", True),
        ("Kharkiv", "Kharkiv, Ukraine", True),
        ("Kharkiv", None, True),
        ("Kharkiv", "Odesa", False),
        ("the Elysee Palace", "Paris", False),
    ],
)
def test_places(a, b, agree):
    assert places_agree(a, b) is agree


# -- through the store ---------------------------------------------------------------


def make_event(
    article: Article,
    trigger: str,
    actor: str | None,
    target: str | None,
    root: str,
    *,
    date: str | None = None,
    place: str | None = None,
    modality: Modality = Modality.HAPPENED,
    claimed_by: str | None = None,
    intensity: float | None = -10.0,
) -> Event:
    text = article.text
    at = text.index(trigger)
    span = Span.of(text, at, at + len(trigger))
    where = text.index(place) if place else -1
    return Event(
        id=content_id(article.id, span.start, span.end, root, prefix="e_"),
        trigger=span,
        root=root,
        quad=QUADS[root],
        modality=modality,
        actor=Span.of(text, 0, 7) if actor else None,
        actor_code=actor,
        actor_sector="MIL" if actor else None,
        target_code=target,
        cameo="190",
        intensity=intensity,
        date=date,
        date_span=None,
        place=Span.of(text, where, where + len(place)) if place else None,
        mentions=(span,),
        claimed_by=claimed_by,
        confidence=0.8,
    )


def article(text: str, outlet: str, date: str) -> Article:
    return Article(text=text, outlet=outlet, date=date, title=text[:12])


OFFICIALS = Speaker(
    content_id("anonymous", "officials", prefix="s_"), "officials", EntityKind.ANONYMOUS
)


def corpus() -> list[Analysis]:
    a1 = article(
        "Russian drones struck Kharkiv on Tuesday, officials said.", "Daily Ledger", "2026-03-10"
    )
    a2 = article("Russia attacked Kharkiv with drones on Tuesday.", "Harbor Post", "2026-03-11")
    a3 = article("Russian jets bombed Idlib in Syria on Tuesday.", "Harbor Post", "2026-03-11")
    a4 = article("Russian drones struck Odesa on Tuesday.", "Daily Ledger", "2026-03-17")
    return [
        Analysis(a1, speakers=(OFFICIALS,), events=(
            make_event(a1, "struck", "RUS", "UKR", "ASSAULT", date="2026-03-10", place="Kharkiv", claimed_by=OFFICIALS.id),
        )),
        Analysis(a2, events=(make_event(a2, "attacked", "RUS", "UKR", "ASSAULT", date="2026-03-10", place="Kharkiv"),)),
        Analysis(a3, events=(make_event(a3, "bombed", "RUS", "SYR", "ASSAULT", date="2026-03-10", place="Idlib"),)),
        Analysis(a4, events=(make_event(a4, "struck", "RUS", "UKR", "ASSAULT", date="2026-03-17", place="Odesa"),)),
    ]  # fmt: skip


def dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in ("event_reports", "event_mentions", "corpus_events")
        }
    finally:
        conn.close()


def store_all(path, analyses: list[Analysis]) -> None:
    with Store(path) as store:
        for a in analyses:
            store.add(a, source=a.article.id)


def test_reports_and_mentions_are_stored_with_their_evidence(tmp_path):
    analyses = corpus()
    store_all(tmp_path / "c.db", analyses)
    with Store(tmp_path / "c.db", readonly=True) as store:
        for a in analyses:
            assert read_events(store.conn, a.article.id) == a.events
        rows = store.conn.execute(
            "SELECT actor_code, target_code, root, reports, articles, date, place FROM corpus_events"
            " ORDER BY date, target_code"
        ).fetchall()
    assert rows == [
        ("RUS", "SYR", "ASSAULT", 1, 1, "2026-03-10", "Idlib"),
        ("RUS", "UKR", "ASSAULT", 2, 2, "2026-03-10", "Kharkiv"),
        ("RUS", "UKR", "ASSAULT", 1, 1, "2026-03-17", "Odesa"),
    ]


def test_storing_again_or_in_another_order_gives_the_same_tables(tmp_path):
    analyses = corpus()
    store_all(tmp_path / "a.db", analyses)
    expected = dump(tmp_path / "a.db")
    store_all(tmp_path / "a.db", analyses)  # the same documents again: nothing changes
    assert dump(tmp_path / "a.db") == expected
    rng = random.Random(3)
    for n in range(4):
        shuffled = analyses[:]
        rng.shuffle(shuffled)
        store_all(tmp_path / f"b{n}.db", shuffled)
        assert dump(tmp_path / f"b{n}.db") == expected


def test_an_article_added_later_joins_the_stored_event(tmp_path):
    analyses = corpus()
    store_all(tmp_path / "c.db", analyses)
    late = article(
        "Kharkiv was hit by Russian drones, the governor said.", "Northern Wire", "2026-03-11"
    )
    extra = Analysis(late, events=(make_event(late, "hit", "RUS", "UKR", "ASSAULT"),))
    store_all(tmp_path / "c.db", [extra])
    with Store(tmp_path / "c.db", readonly=True) as store:
        kharkiv = store.conn.execute(
            "SELECT reports, articles FROM corpus_events WHERE place = 'Kharkiv'"
        ).fetchall()
        n = store.conn.execute("SELECT count(*) FROM corpus_events").fetchone()[0]
    assert kharkiv == [(3, 3)]
    assert n == 3


def test_replacing_an_article_updates_its_events_and_loses_nothing_else(tmp_path):
    analyses = corpus()
    store_all(tmp_path / "c.db", analyses)
    before = dump(tmp_path / "c.db")
    a2 = analyses[1]
    moved = Analysis(a2.article, events=(
        make_event(a2.article, "attacked", "RUS", "UKR", "ASSAULT", date="2026-03-17", place="Kharkiv"),
    ))  # fmt: skip
    with Store(tmp_path / "c.db") as store:
        store.upsert(moved, source="again")
        rows = store.conn.execute(
            "SELECT date, reports FROM corpus_events WHERE target_code = 'UKR' ORDER BY date, place"
        ).fetchall()
        ids = {r[0] for r in store.conn.execute("SELECT id FROM event_reports")}
    # the Kharkiv report of the 10th is alone now; the moved one (Kharkiv) and Odesa stay apart
    assert rows == [("2026-03-10", 1), ("2026-03-17", 1), ("2026-03-17", 1)]
    assert ids == {r[0] for r in before["event_reports"]}
    with Store(tmp_path / "c.db") as store:
        store.upsert(a2, source="back")
    assert dump(tmp_path / "c.db") == before


def test_an_analysis_without_events_stores_none(tmp_path):
    a = article("Nothing happened.", "Daily Ledger", "2026-03-10")
    store_all(tmp_path / "c.db", [Analysis(a)])
    assert dump(tmp_path / "c.db") == {
        "event_reports": [],
        "event_mentions": [],
        "corpus_events": [],
    }


_KILLER = """
import os, signal, sys
sys.path.insert(0, {tests!r})
import accordingto.store.events as ev
from accordingto.store import Store
from test_events import corpus
calls = 0
real = ev.remerge
def remerge(*args, **kw):
    global calls
    calls += 1
    if calls == {kill_at}:
        os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction: reports written, not merged
    return real(*args, **kw)
ev.remerge = remerge
with Store({db!r}) as store:
    for a in corpus()[{skip}:] + corpus()[:{skip}]:
        store.add(a, source=a.article.id)
"""


@pytest.mark.parametrize(("kill_at", "skip"), [(1, 0), (2, 1), (3, 2), (4, 3)])
def test_kill_9_mid_transaction_then_resume_gives_the_same_tables(tmp_path, kill_at, skip):
    import subprocess
    import sys
    from pathlib import Path

    expected_db = tmp_path / "whole.db"
    store_all(expected_db, corpus())
    db = tmp_path / "killed.db"
    script = _KILLER.format(
        tests=str(Path(__file__).parent), kill_at=kill_at, skip=skip, db=str(db)
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert killed.returncode == -9, killed.stderr.decode()
    resumed = subprocess.run(
        [sys.executable, "-c", script.replace(f"calls == {kill_at}", "False")], capture_output=True
    )
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert dump(db) == dump(expected_db)


def _random_corpus(rng: random.Random, n: int, days: int = 40) -> list[Analysis]:
    """Articles of one to three events, mostly RUS > UKR strikes on dense days (one bucket)."""
    out = []
    for i in range(n):
        day = datetime.date(2026, 3, 1) + datetime.timedelta(days=rng.randrange(days))
        text = f"Report {i}: Russian drones struck Kharkiv and Odesa; Russia hit Idlib."
        a = Article(text=text, outlet=f"Outlet {i % 5}", date=day.isoformat())
        events = []
        for trigger in rng.sample(["struck", "hit", "Report"], rng.randint(1, 3)):
            when = day - datetime.timedelta(days=rng.randrange(3))
            events.append(
                make_event(
                    a,
                    trigger,
                    rng.choice(["RUS", "RUS", "RUS", "UKR"]),
                    rng.choice(["UKR", "UKR", None, "SYR"]),
                    rng.choice(["ASSAULT", "ASSAULT", "COERCE"]),
                    date=when.isoformat() if rng.random() < 0.6 else None,
                    place=rng.choice(["Kharkiv", "Odesa", "Idlib", None]),
                )
            )
        out.append(Analysis(a, events=tuple(events)))
    return out


def _partition(path) -> set[frozenset[str]]:
    conn = sqlite3.connect(path)
    try:
        groups: dict[str, set[str]] = {}
        for rid, cid in conn.execute("SELECT id, corpus_event_id FROM event_reports"):
            groups.setdefault(cid, set()).add(rid)
        return {frozenset(g) for g in groups.values()}
    finally:
        conn.close()


def _full(path) -> set[frozenset[str]]:
    """What merging every stored report at once gives."""
    from accordingto.store.events import _report

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT id, article_id, start, actor_code, target_code, root, quad, modality, day,"
            " day_exact, place FROM event_reports"
        ).fetchall()
    finally:
        conn.close()
    return {frozenset(r.id for r in c.reports) for c in cluster(_report(row) for row in rows)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_merging_equals_merging_everything_at_once(tmp_path, seed):
    """Articles arrive in random order and some are replaced: after every step the stored
    corpus events are exactly those of merging all stored reports from scratch."""
    rng = random.Random(seed)
    analyses = _random_corpus(rng, 60)
    db = tmp_path / "c.db"
    with Store(db) as store:
        for step, a in enumerate(analyses):
            store.add(a, source=a.article.id)
            if step % 7 == 6:  # replace an earlier article's events with others
                old = analyses[rng.randrange(step)]
                redo = _random_corpus(random.Random(step), 1)[0].events
                text = old.article.text
                moved = Analysis(old.article, events=tuple(
                    make_event(old.article, text[e.trigger.start:e.trigger.end], e.actor_code, e.target_code, e.root, date=e.date)
                    for e in redo
                ))  # fmt: skip
                store.upsert(moved, source="again")
            assert _partition(db) == _full(db), step
        n = store.conn.execute("SELECT count(*) FROM corpus_events").fetchone()[0]
    assert n == len(_full(db))


@pytest.mark.parametrize(
    ("event_date", "article_date", "day", "exact"),
    [
        ("2026-03-10", "2026-03-11", "2026-03-10", True),
        (None, "2026-03-11", "2026-03-11", False),
        (None, "2026-03-11T08:30:00+00:00", "2026-03-11", False),
        ("2026-03", "2026-03-11", "2026-03-11", False),  # a month: the article's day within it
        ("2025-12", "2026-03-11", None, False),  # another month: too vague to merge
        (None, None, None, False),
        (None, "March 2026", None, False),
    ],
)
def test_the_day_merging_uses(event_date, article_date, day, exact):
    from accordingto.store.events import report_of

    a = Article(text="Russian drones struck Kharkiv.", date=article_date)
    e = make_event(a, "struck", "RUS", "UKR", "ASSAULT", date=event_date)
    r = report_of(e, a.id, article_date)
    assert (r.day.isoformat() if r.day else None, r.exact) == (day, exact)
    assert (r.bucket is None) is (day is None)
