"""A local Markdown file states no outlet: its citations are its byline's (store/queries.citations)."""

from __future__ import annotations

import pytest

from accordingto import analyze
from accordingto.ingest import read_bytes
from accordingto.store import Store, queries

SIGNED = (
    "# Strike on depot\n\nJane Okafor  \n30 May 2023\n\n"
    "Ukraine has received approval to strike the depot, the *Times of London* reported on Tuesday.\n"
)


@pytest.mark.parametrize(
    ("source", "citing"),
    [
        (SIGNED, ["Jane Okafor"]),
        # negative case: no byline, no outlet, no URL: nobody to name as citing
        (SIGNED.replace("Jane Okafor  \n", ""), []),
    ],
)
def test_citations_fall_back_to_the_byline(tmp_path, source: str, citing: list[str]) -> None:
    analysis = analyze(read_bytes(source.encode(), source="a.md", name="a.md"))
    with Store(tmp_path / "c.db") as store:
        store.add(analysis, source="a.md")
        rows = queries.citations(store)
    assert [r.citing for r in rows] == citing
    assert all("Times of London" in r.cited for r in rows)
