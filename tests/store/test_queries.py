"""Query functions and the query commands over a small hand-built store."""

from __future__ import annotations

import csv
import io
import json

import pytest

from accordingto.cli import main
from accordingto.store import Store, queries
from accordingto.store.people import link_people


@pytest.fixture
def db(tmp_path, analyses):
    path = tmp_path / "c.db"
    with Store(path) as store:
        for i, a in enumerate(analyses):
            store.add(a, source=f"doc{i}")
        store.record_failure("bad.txt", "bad.txt: input is empty", stage="read")
        link_people(store)
    return path


@pytest.fixture
def store(db):
    with Store(db, readonly=True) as s:
        yield s


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, 3),
        ({"speaker": "Anna Holt"}, 2),
        ({"speaker": "holt"}, 2),  # a merged name finds the person
        ({"outlet": "other daily"}, 2),
        ({"outlet": "other.net"}, 0),  # the host counts only without an outlet
        ({"since": "2026-01-03"}, 2),
        ({"until": "2026-01"}, 2),  # a month is inclusive
        ({"since": "2026-02", "until": "2026-02-01"}, 1),
        ({"speaker": "Nobody"}, 0),
    ],
)
def test_quotes_filters(store, kw, expected):
    assert len(queries.quotes(store, **kw)) == expected


def test_top_speakers_by_outlet(store):
    rows = queries.top_speakers(store, outlet="Other Daily")
    assert {(r.name, r.quotes) for r in rows} == {("Anna Holt", 1), ("an official", 1)}


def test_source_shares(store):
    rows = {r.outlet: r for r in queries.source_shares(store)}
    assert rows["Other Daily"].anonymous == 1 and rows["Other Daily"].share("anonymous") == 0.5
    assert rows["Example Times"].quotes == 1


@pytest.mark.parametrize(
    ("kind", "role", "name", "expected"),
    [
        ("anonymous", None, "an official", "anonymous"),
        ("person", "Foreign Minister", "Ann Lee", "official"),
        ("person", "a professor of history", "Ann Lee", "expert"),
        ("organization", None, "the Defense Ministry", "official"),
        ("person", None, "Ann Lee", "other"),
        ("person", "chief executive", "Ann Lee", "other"),
        (None, None, None, "unattributed"),
    ],
)
def test_source_class(kind, role, name, expected):
    assert queries.source_class(kind, role, name) == expected


def test_search_marks_the_match_and_rejects_bad_fts_syntax(store):
    hits = queries.search(store, "bridge")
    assert len(hits) == 2 and all("[bridge]" in h.snippet for h in hits)
    assert queries.search(store, '"bridge by summer"')[0].quote.outlet == "Other Daily"
    with pytest.raises(queries.QueryError, match="unterminated"):
        queries.search(store, '"bridge', fts=True)


def test_summary_and_failures(store):
    s = queries.summary(store)
    assert (s.articles, s.quotes, s.failures, s.first_date, s.last_date) == (
        3,
        3,
        1,
        "2026-01-02",
        "2026-02-01",
    )
    assert queries.failures(store)[0].reason == "bad.txt: input is empty"
    assert [r.outlet for r in queries.article_rows(store)] == [
        "Other Daily",
        "Other Daily",
        "Example Times",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["quotes", "--speaker", "Anna Holt"],
        ["speakers"],
        ["sources"],
        ["citations"],
        ["search", "bridge"],
        ["failures"],
    ],
)
def test_commands_give_table_csv_and_json(db, capsys, command):
    for fmt in ("table", "csv", "json"):
        assert main([*command, "--db", str(db), "--format", fmt]) == 0
        out = capsys.readouterr().out
        if fmt == "json":
            assert isinstance(json.loads(out), list) and json.loads(out)
        elif fmt == "csv":
            assert len(list(csv.reader(io.StringIO(out)))) >= 2
        else:
            assert "┃" in out


def test_provenance_command(db, capsys):
    with Store(db, readonly=True) as store:
        qid = queries.search(store, "spring")[0].quote.quote_id
    assert main(["provenance", qid, "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["first"]["quote_id"] == qid and data["occurrences"][1]["relation"] == "altered"
    assert main(["provenance", "q_missing", "--db", str(db)]) == 6
    assert "no quotation q_missing" in capsys.readouterr().err


def test_query_on_a_missing_store_is_one_line(tmp_path, capsys):
    assert main(["speakers", "--db", str(tmp_path / "none.db")]) == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "accordingto run" in err


def test_export_and_import_round_trip(db, tmp_path, capsys, dump_store):
    for fmt in ("parquet", "csv", "jsonl"):
        assert main(["export", str(tmp_path / fmt), "--db", str(db), "--format", fmt]) == 0
    assert "3 articles" in capsys.readouterr().out
    assert (tmp_path / "csv" / "quotes.csv").read_text(encoding="utf-8").count("\n") == 4
    lines = (tmp_path / "jsonl" / "analyses.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["schema_version"]
    copy = tmp_path / "copy.db"
    assert main(["import-parquet", str(tmp_path / "parquet"), "--db", str(copy)]) == 0
    assert main(["import-parquet", str(tmp_path / "parquet"), "--db", str(copy)]) == 0
    mine, theirs = dump_store(db), dump_store(copy)
    for table in ("speakers", "quotes", "quote_via", "marks", "diagnostics", "people"):
        assert mine[table] == theirs[table], table
    # the export schema's failures table keeps the source and the reason, not the stage
    assert [r.replace("'read'", "'analyze'") for r in mine["failures"]] == theirs["failures"]


def test_table_cells_are_not_read_as_markup(db, capsys):
    assert main(["search", "bridge", "--db", str(db)]) == 0
    assert "[bridge]" in capsys.readouterr().out  # rich would swallow an unescaped [bridge]


def test_import_reports_what_it_added_and_what_was_there(db, tmp_path, capsys):
    assert main(["export", str(tmp_path / "out"), "--db", str(db)]) == 0
    copy = str(tmp_path / "copy.db")
    runs = [
        (copy, "3 added, 0 already present (0 imported before, 0 same text or URL), 1 failures"),
        (copy, "0 added, 3 already present (3 imported before, 0 same text or URL), 0 failures"),
        (str(db), "0 added, 3 already present (0 imported before, 3 same text or URL), 0 failures"),
    ]
    capsys.readouterr()
    for target, expected in runs:
        assert main(["import-parquet", str(tmp_path / "out"), "--db", target]) == 0
        assert expected in capsys.readouterr().out
    with Store(db, readonly=True) as store:
        assert store.counts()["articles"] == 3


def test_export_carries_the_person_id_and_a_people_table(db, tmp_path):
    import pyarrow.parquet as pq

    assert main(["export", str(tmp_path / "out"), "--db", str(db)]) == 0
    speakers = pq.read_table(tmp_path / "out" / "speakers.parquet").to_pylist()
    quotes = pq.read_table(tmp_path / "out" / "quotes.parquet").to_pylist()
    people = {
        p["person_id"]: p for p in pq.read_table(tmp_path / "out" / "people.parquet").to_pylist()
    }
    holt = {s["person_id"] for s in speakers if s["name"] in ("Anna Holt", "Holt")}
    assert len(holt) == 1 and None not in holt  # "Holt" is Anna Holt across articles
    (pid,) = holt
    assert people[pid]["name"] == "Anna Holt" and people[pid]["quotes"] == 2
    merged = {name: rule for _, name, rule in json.loads(people[pid]["speakers"])}
    assert merged["Holt"].startswith("surname of the only full name")
    assert all(s["person_id"] in people for s in speakers)
    assert {
        q["speaker_person_id"] for q in quotes if q["speaker_name"] in ("Anna Holt", "Holt")
    } == {pid}
    # the CSV export has the same tables and columns
    assert main(["export", str(tmp_path / "csv"), "--db", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader((tmp_path / "csv" / "people.csv").open(encoding="utf-8")))
    assert {r["person_id"] for r in rows} == set(people)
