"""A store in datasette, through datasette's own test client: facets, labels, search, queries."""

from __future__ import annotations

import asyncio
import json

import pytest

from accordingto.cli import main
from accordingto.store import Store
from accordingto.store.people import link_people

datasette_app = pytest.importorskip("datasette.app", reason="datasette is not installed")


@pytest.fixture
def db(tmp_path, analyses):
    path = tmp_path / "corpus.db"
    with Store(path) as store:
        for i, a in enumerate(analyses):
            store.add(a, source=f"doc{i}")
        link_people(store)
    return path


def _get(ds, path: str) -> dict:
    async def fetch():
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response.json()

    return asyncio.run(fetch())


@pytest.fixture
def ds(db, tmp_path, capsys):
    assert main(["datasette-metadata", "--db", str(db), "-o", str(tmp_path / "m.json")]) == 0
    metadata = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    return datasette_app.Datasette([str(db)], metadata=metadata)


def test_quotes_are_faceted_and_searchable(ds):
    data = _get(ds, "/corpus/quotes.json?_shape=objects")
    assert set(data["facet_results"]) >= {"kind", "reported_as", "method"}
    kinds = {f["value"]: f["count"] for f in data["facet_results"]["kind"]["results"]}
    assert kinds == {"direct": 3}
    hits = _get(ds, "/corpus/quotes.json?_search=bridge&_shape=objects")["rows"]
    assert len(hits) == 2


def test_people_are_labelled_and_tables_described(ds):
    rows = _get(ds, "/corpus/person_speakers.json?_labels=on&_shape=objects")["rows"]
    holt = next(r for r in rows if r["name"] == "Holt")
    assert holt["person_id"]["label"] == "Anna Holt"  # the foreign key shown by the person's name
    tables = {t["name"]: t for t in _get(ds, "/corpus.json")["tables"]}
    assert tables["migrations"]["hidden"] and tables["meta"]["hidden"]
    assert not tables["quotes"]["hidden"]
    speakers = _get(ds, "/corpus/speakers.json")
    assert {"kind", "role"} <= set(speakers["facet_results"])


def test_canned_query_most_quoted(ds):
    rows = _get(ds, "/corpus/most_quoted.json?_shape=objects")["rows"]
    assert rows[0]["name"] == "Anna Holt" and rows[0]["quotes"] == 2


def test_metadata_to_stdout_and_missing_store(db, tmp_path, capsys):
    assert main(["datasette-metadata", "--db", str(db)]) == 0
    assert "corpus" in json.loads(capsys.readouterr().out)["databases"]
    assert main(["datasette-metadata", "--db", str(tmp_path / "none.db")]) == 6
