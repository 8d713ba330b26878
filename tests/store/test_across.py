"""Across articles: people merged conservatively, provenance with misquotes flagged, citations."""

from __future__ import annotations

import pytest

from accordingto.across import normalize_quote, person_key, similarity
from accordingto.store import Store, queries
from accordingto.store.people import link_people


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Anna Holt", "anna holt", True),
        ("Dr. Karel Šťepka", "Karel Stepka", True),
        ("Mr Tom Baker", "Tom Baker", True),
        ("J.D. Vance", "J D Vance", True),
        ("Anna Holt", "Anne Holt", False),  # one letter apart is not the same name
        ("Tom Baker", "Tom Bakers", False),
    ],
)
def test_person_key(a, b, same):
    assert (person_key(a) == person_key(b)) is same


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("We will rebuild the bridge by spring", "“We will rebuild the bridge by spring,”", "same"),
        ("We will rebuild the bridge by spring", "rebuild the bridge by spring", "part"),
        ("We will rebuild the bridge by spring", "We will rebuild the bridge by summer", "altered"),
        ("We will rebuild the bridge by spring", "We never said we would build a bridge", None),
        ("No comment", "No comment at all today", None),  # too short to be part of anything
        ("", "anything", None),
    ],
)
def test_similarity_relations(a, b, relation):
    assert similarity(normalize_quote(a), normalize_quote(b))[1] == relation


def build(tmp_path, analyses) -> Store:
    store = Store(tmp_path / "c.db")
    for i, a in enumerate(analyses):
        store.add(a, source=str(i))
    link_people(store)
    return store


def test_lone_surname_joins_the_only_full_name(tmp_path, analyses):
    with build(tmp_path, analyses) as store:
        holt = [r for r in queries.top_speakers(store) if r.name == "Anna Holt"]
        assert len(holt) == 1 and holt[0].quotes == 2 and holt[0].articles == 2
        person = queries.person(store, holt[0].person_id)
        rules = {name: rule for _, name, rule in person.merged}
        assert rules == {
            "Anna Holt": "same name",
            "Holt": "surname of the only full name: anna holt",
        }


def test_lone_surname_of_two_full_names_stays_alone(tmp_path, analyses, build_analysis):
    tom = build_analysis("“Not so fast,” said Tom Holt.", [("Not so fast", "Tom Holt", "person")])
    with build(tmp_path, [*analyses, tom]) as store:
        names = {r.name: r.quotes for r in queries.top_speakers(store)}
    assert names["Holt"] == 1 and names["Anna Holt"] == 1 and names["Tom Holt"] == 1


def test_anonymous_sources_are_never_merged_with_names(tmp_path, analyses):
    with build(tmp_path, analyses) as store:
        row = next(r for r in queries.top_speakers(store) if r.kind == "anonymous")
        person = queries.person(store, row.person_id)
    assert [m[1] for m in person.merged] == ["an official"]
    assert person.merged[0][2].startswith("not merged")


def test_link_people_is_deterministic_and_idempotent(tmp_path, analyses, dump_store):
    with build(tmp_path, analyses) as store:
        first = dump_store(store.path)
        link_people(store)
        assert dump_store(store.path) == first
    with build(tmp_path / "b", list(reversed(analyses))) as store:
        assert dump_store(store.path)["people"] == first["people"]


def test_provenance_first_appearance_and_altered_version(tmp_path, analyses):
    with build(tmp_path, analyses) as store:
        hit = queries.search(store, "spring")[0]
        found = queries.provenance(store, hit.quote.quote_id)
        assert queries.provenance(store, "q_nope") is None
    assert found.first.date == "2026-01-02" and found.first.relation == "self"
    assert [(o.relation, o.date) for o in found.occurrences] == [
        ("self", "2026-01-02"),
        ("altered", "2026-01-05"),
    ]
    assert found.altered[0].outlet == "Other Daily"


def test_citations_from_via_chains(tmp_path, analyses):
    with build(tmp_path, analyses) as store:
        rows = queries.citations(store)
    assert [(r.citing, r.cited, r.quotes) for r in rows] == [("Other Daily", "Reuters", 1)]


def test_an_earlier_altered_version_is_not_the_first_appearance(tmp_path, analyses, build_analysis):
    early = build_analysis(
        "“We will rebuild the bridge by autumn,” said Anna Holt.",
        [("We will rebuild the bridge by autumn", "Anna Holt", "person")],
        date="2025-12-01",
    )
    with build(tmp_path, [*analyses, early]) as store:
        found = queries.provenance(store, queries.search(store, "spring")[0].quote.quote_id)
    assert found.occurrences[0].date == "2025-12-01" and found.occurrences[0].relation == "altered"
    assert found.first.date == "2026-01-02" and len(found.altered) == 2
