"""What each stored attribution reports (migration 0006_reported_as): stored, filtered by the
queries (--only, --min-confidence), exported, and older stores still open with nothing lost."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pyarrow.parquet as pq
import pytest

from accordingto.cli import main
from accordingto.errors import QueryError, StoreError
from accordingto.model import Analysis, ReportedAs
from accordingto.store import Store, queries
from accordingto.store.people import link_people
from accordingto.store.transfer import export_store

#: (reported_as, confidence, speaker_confidence) given to the fixture's three quotations.
KINDS = [
    (ReportedAs.SPEECH, 0.9, 0.8),
    (ReportedAs.THOUGHT, 0.6, None),
    (ReportedAs.INTENTION, 0.3, 0.4),
]


def _kinded(analyses: list[Analysis]) -> list[Analysis]:
    out = []
    for a, (kind, conf, speaker_conf) in zip(analyses, KINDS, strict=True):
        (q,) = a.quotes
        q = dataclasses.replace(
            q, reported_as=kind, confidence=conf, speaker_confidence=speaker_conf
        )
        out.append(dataclasses.replace(a, quotes=(q,)))
    return out


def _fill(path, analyses) -> None:
    with Store(path) as store:
        for i, a in enumerate(analyses):
            store.add(a, source=f"doc{i}")
        link_people(store)


@pytest.fixture
def kinded(analyses):
    return _kinded(analyses)


@pytest.fixture
def db(tmp_path, kinded):
    path = tmp_path / "k.db"
    _fill(path, kinded)
    return path


def _make_older(path) -> None:
    """The store as a version before 0006 left it: no kind or speaker confidence columns."""
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX quotes_reported_as")
    conn.execute("ALTER TABLE quotes DROP COLUMN reported_as")
    conn.execute("ALTER TABLE quotes DROP COLUMN speaker_confidence")
    conn.execute("DELETE FROM migrations WHERE name = '0006_reported_as'")
    conn.commit()
    conn.close()


@pytest.fixture
def older(tmp_path, analyses):
    path = tmp_path / "old.db"
    _fill(path, analyses)
    _make_older(path)
    return path


def test_kinds_and_speaker_confidence_are_stored_and_read_back(db, kinded):
    with Store(db, readonly=True) as store:
        for a in kinded:
            assert store.analysis(a.article.id) == a
        rows = store.conn.execute("SELECT reported_as, speaker_confidence FROM quotes").fetchall()
    assert sorted(rows, key=str) == sorted([(k.value, s) for k, _, s in KINDS], key=str)


def test_a_kind_outside_the_five_is_refused_by_the_table(db):
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE quotes SET reported_as = 'gossip'")
    conn.close()


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, {"speech", "thought", "intention"}),
        ({"only": "speech"}, {"speech"}),
        ({"only": "thought,intention"}, {"thought", "intention"}),
        ({"only": ["speech", ReportedAs.INTENTION]}, {"speech", "intention"}),
        ({"only": "action"}, set()),
        ({"min_confidence": 0.5}, {"speech", "thought"}),
        ({"min_confidence": 0.95}, set()),
        ({"only": "speech,thought", "min_confidence": 0.7}, {"speech"}),
    ],
)
def test_quotes_keep_the_kinds_asked_for(db, kw, expected):
    with Store(db, readonly=True) as store:
        rows = queries.quotes(store, **kw)
    assert {r.reported_as for r in rows} == expected


def test_every_quotation_question_takes_the_filter(db):
    with Store(db, readonly=True) as store:
        hits = queries.search(store, "rebuild")
        assert {r.quote.reported_as for r in hits} == {"speech", "thought"}
        assert [r.quote.text for r in queries.search(store, "rebuild", only="thought")] == [
            "We will rebuild the bridge by summer"
        ]
        holt = [s for s in queries.top_speakers(store) if s.name == "Anna Holt"]
        assert holt[0].quotes == 2
        holt = [s for s in queries.top_speakers(store, only="speech") if s.name == "Anna Holt"]
        assert holt[0].quotes == 1
        assert sum(r.quotes for r in queries.source_shares(store, min_confidence=0.5)) == 2
        assert queries.citations(store) and not queries.citations(store, only="speech")
        counts = {r.article_id: r.quotes for r in queries.article_rows(store, only="speech")}
        assert sorted(counts.values()) == [0, 0, 1]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"only": "gossip"}, "'gossip' is not a kind of attribution"),
        ({"only": ""}, "no kind given"),
        ({"min_confidence": 2}, "not a probability"),
        ({"min_confidence": -1}, "not a probability"),
    ],
)
def test_bad_filters_are_refused(db, kw, message):
    with Store(db, readonly=True) as store:
        for ask in (queries.quotes, queries.top_speakers, queries.citations):
            with pytest.raises(QueryError, match=message):
                ask(store, **kw)


# --- the query commands --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("quotes", ["--only", "speech"], {"speech"}),
        ("quotes", ["--only", "thought,intention"], {"thought", "intention"}),
        ("quotes", ["--min-confidence", "0.5"], {"speech", "thought"}),
        ("quotes", [], {"speech", "thought", "intention"}),
    ],
)
def test_quotes_command_options(db, capsys, command, args, expected):
    assert main([command, "--db", str(db), "--format", "json", *args]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["reported_as"] for r in rows} == expected


@pytest.mark.parametrize("command", ["quotes", "speakers", "sources", "citations", "search"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "gossip"], "'gossip' is not a kind of attribution"),
        (["--min-confidence", "2"], "2 is not a probability"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(db, capsys, command, args, message):
    words = ["bridge"] if command == "search" else []
    assert main([command, *words, "--db", str(db), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_speakers_command_counts_only_what_is_kept(db, capsys):
    assert main(["speakers", "--db", str(db), "--format", "json", "--only", "speech"]) == 0
    rows = {r["name"]: r["quotes"] for r in json.loads(capsys.readouterr().out)}
    assert rows.get("Anna Holt") == 1 and "an official" not in rows


# --- exports -------------------------------------------------------------------------------


def test_parquet_and_csv_exports_carry_the_kind_and_speaker_confidence(db, tmp_path):
    with Store(db, readonly=True) as store:
        export_store(store, tmp_path / "pq")
        export_store(store, tmp_path / "csv", format="csv")
    quotes = pq.read_table(tmp_path / "pq" / "quotes.parquet").to_pylist()
    assert {(r["reported_as"], r["speaker_confidence"]) for r in quotes} == {
        (k.value, s) for k, _, s in KINDS
    }
    header = (tmp_path / "csv" / "quotes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "reported_as" in header and "speaker_confidence" in header
    assert (tmp_path / "pq" / "events.parquet").exists()


def test_export_and_import_round_trip_keeps_the_kinds(db, tmp_path, kinded):
    with Store(db, readonly=True) as store:
        export_store(store, tmp_path / "out")
    from accordingto.store.transfer import import_parquet

    with Store(tmp_path / "again.db") as store:
        import_parquet(store, tmp_path / "out")
        for a in kinded:
            assert store.analysis(a.article.id) == a


# --- stores made before the migration ------------------------------------------------------


def test_an_older_store_opens_read_only_as_it_is(older, analyses):
    with Store(older, readonly=True) as store:
        a = store.analysis(analyses[0].article.id)
        assert a is not None and a.quotes[0].speaker_confidence is None
        assert len(queries.quotes(store)) == 3
        assert {r.reported_as for r in queries.quotes(store)} == {None}
        assert len(queries.quotes(store, min_confidence=0.5)) == 3
        assert queries.unclassified(store) == 3
        with pytest.raises(StoreError, match="made before attributions had a kind"):
            queries.quotes(store, only="speech")
    columns = {r[1] for r in sqlite3.connect(older).execute("PRAGMA table_info(quotes)")}
    assert "reported_as" not in columns  # nothing was written


def test_only_on_an_older_read_only_store_says_what_to_do(older, capsys):
    assert main(["quotes", "--db", str(older), "--only", "speech"]) == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "new store" in err


def test_opening_an_older_store_for_writing_adds_the_columns_and_loses_nothing(
    older, dump_store, analyses
):
    before = dump_store(older)
    with Store(older) as store:
        assert queries.unclassified(store) == 3
        assert queries.quotes(store, only="speech") == []  # NULL: never kept by --only
        assert len(queries.quotes(store)) == 3
    after = dump_store(older)
    assert set(after) == set(before)
    for table, rows in before.items():
        if table != "quotes":
            assert after[table] == rows, table
    conn = sqlite3.connect(older)
    stored = conn.execute("SELECT count(*) FROM quotes WHERE reported_as IS NULL").fetchone()
    names = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY seq")]
    conn.close()
    assert stored == (3,) and names[-1] == "0006_reported_as"


def test_older_rows_export_with_no_kind(older, tmp_path):
    with Store(older) as store:
        export_store(store, tmp_path / "out")
        export_store(store, tmp_path / "json", format="jsonl")
    quotes = pq.read_table(tmp_path / "out" / "quotes.parquet").to_pylist()
    assert {r["reported_as"] for r in quotes} == {None}
    lines = (tmp_path / "json" / "analyses.jsonl").read_text(encoding="utf-8").splitlines()
    assert {q["reported_as"] for line in lines for q in json.loads(line)["quotes"]} == {None}


def test_a_new_article_in_an_older_store_gets_its_kind(older, build_analysis):
    new = build_analysis(
        "“The ferry will run again,” said Lena Voss.",
        [("The ferry will run again", "Lena Voss", "person")],
    )
    (q,) = new.quotes
    new = dataclasses.replace(new, quotes=(dataclasses.replace(q, reported_as=ReportedAs.SPEECH),))
    with Store(older) as store:
        store.add(new, source="new")
        assert [r.text for r in queries.quotes(store, only="speech")] == [
            "The ferry will run again"
        ]


# --- events in the export (issue 13) -------------------------------------------------------


def _with_event(build_analysis) -> Analysis:
    from accordingto.model import Event, Modality, Span

    text = "Lena Voss said that Sweden sent soldiers to the port on Monday."
    a = build_analysis(
        text,
        [("that Sweden sent soldiers to the port on Monday", "Lena Voss", "person")],
        date="2026-03-02",
    )
    at = text.index("sent")
    actor = Span.of(text, text.index("Sweden"), text.index("Sweden") + 6)
    event = Event(
        id="e_1",
        trigger=Span.of(text, at, at + 4),
        root="COOPERATE",
        quad=2,
        modality=Modality.HAPPENED,
        actor=actor,
        actor_code="SWE",
        mentions=(Span.of(text, at, at + 4),),
        claimed_by=a.speakers[0].id,
        confidence=0.6,
    )
    return dataclasses.replace(a, events=(event,))


def test_a_stores_export_has_an_events_table_that_imports_back(tmp_path, build_analysis):
    analysis = _with_event(build_analysis)
    with Store(tmp_path / "e.db") as store:
        store.add(analysis, source="doc")
        assert store.analysis(analysis.article.id) == analysis  # events rebuilt too
        export_store(store, tmp_path / "out")
        export_store(store, tmp_path / "csv", format="csv")
    (row,) = pq.read_table(tmp_path / "out" / "events.parquet").to_pylist()
    text = analysis.article.text
    assert row["article_id"] == analysis.article.id
    assert text[row["trigger_start"] : row["trigger_end"]] == "sent"
    assert row["claimed_by"] == analysis.speakers[0].id and row["claimed_by_name"] == "Lena Voss"
    assert row["corpus_event_id"] and row["corpus_event_id"].startswith("ce_")
    assert "claimed_by" in (tmp_path / "csv" / "events.csv").read_text(encoding="utf-8")
    from accordingto.store.transfer import import_parquet

    with Store(tmp_path / "again.db") as store:
        import_parquet(store, tmp_path / "out")
        assert store.analysis(analysis.article.id) == analysis
