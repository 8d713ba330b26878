"""The flat export schema: rows of a real analysis, the exact inverse, Parquet round trip.

Texts are written for these tests (no third-party text).
"""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accordingto import analyze
from accordingto.errors import DataError
from accordingto.export.tables import (
    FAILURES,
    TABLES,
    from_rows,
    read_parquet,
    read_tables,
    rows,
    to_arrow,
    write_parquet,
)
from accordingto.model import (
    Analysis,
    Article,
    Diagnostic,
    EntityKind,
    Event,
    Mark,
    MarkKind,
    Modality,
    Quote,
    QuoteKind,
    ReportedAs,
    Span,
    Speaker,
)

ARTICLE = Article(
    text=(
        "Lake Orsa water levels fall\n\n"
        "“We have never seen the lake this low,” said Marta Lind, the head of the Orsa water board. "
        "“The boats cannot reach the pier.”\n\n"
        "Lind said that the board would ask farmers to save water. "
        "Farmers fear that the wells will dry up.\n\n"
        "Lind said that Sweden sent soldiers to the lake on Monday.\n\n"
        "The Orsa Courier, citing Jonas Berg, reported that the ferry will stop in August.\n\n"
        'Critics doubt the plan. It is, at best, a "bold" idea. '
        'Residents call the dry shore "the desert" now. “This is the worst summer I remember.\n'
    ),
    title="Lake Orsa water levels fall",
    url="https://example.org/orsa",
    outlet="Example News",
    date="2026-08-01",
    format="text",
    language="en",
)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(ARTICLE)


def test_the_analysis_fills_every_table(analysis: Analysis) -> None:
    """The fixture text exercises all five tables, so the round trips below mean something."""
    counts = {name: len(table) for name, table in rows(analysis).items()}
    assert list(counts) == list(TABLES)
    assert all(counts[name] > 0 for name in TABLES), counts


def test_rows_round_trip_exactly(analysis: Analysis) -> None:
    assert list(from_rows(rows(analysis))) == [analysis]


def test_rows_conform_to_their_schema(analysis: Analysis) -> None:
    for name, table_rows in rows(analysis).items():
        for row in table_rows:
            assert list(row) == TABLES[name].names, name
        pa.Table.from_pylist(table_rows, schema=TABLES[name])  # raises on a wrong type or a null


def test_every_column_is_a_scalar_so_tables_are_csv() -> None:
    scalars = (pa.string(), pa.int64(), pa.float64())
    for schema in [*TABLES.values(), FAILURES]:
        assert all(field.type in scalars for field in schema), schema


def test_quote_rows_are_denormalised(analysis: Analysis) -> None:
    quote_rows = rows(analysis)["quotes"]
    lind = [r for r in quote_rows if r["speaker_name"] == "Marta Lind"]
    assert lind and all(r["speaker_kind"] == "person" for r in lind)
    assert all(r["article_url"] == "https://example.org/orsa" for r in quote_rows)
    split = next(r for r in lind if len(json.loads(r["content_spans"])) == 2)
    assert " … " in split["content"]
    assert split["start"] < split["cue_start"] < split["end"]
    chained = [r for r in quote_rows if json.loads(r["via"])]
    assert chained and json.loads(chained[0]["via_names"]) == ["Orsa Courier"]


def test_spans_are_offsets_into_the_article_text(analysis: Analysis) -> None:
    text = analysis.article.text
    tables = rows(analysis)
    for r in tables["quotes"]:
        assert all(text[s:e] == t for s, e, t in json.loads(r["content_spans"]))
        if r["cue_start"] is not None:
            assert text[r["cue_start"] : r["cue_end"]] == r["cue_text"]
    for r in tables["marks"]:
        assert text[r["start"] : r["end"]] == r["text"]


def test_parquet_round_trip(analysis: Analysis, tmp_path) -> None:
    other = Analysis(article=Article(text="Nothing quoted here."), versions={"x": "1"})
    counts = write_parquet([analysis, other], tmp_path)
    assert counts["articles"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.parquet" for n in TABLES)
    assert pq.read_schema(tmp_path / "quotes.parquet").names == TABLES["quotes"].names
    assert list(read_parquet(tmp_path)) == [analysis, other]


def test_an_article_given_twice_comes_back_once(analysis: Analysis) -> None:
    """A corpus may hold the same text twice; its rows must not merge into one doubled record."""
    twice = {name: r + r for name, r in rows(analysis).items()}
    assert list(from_rows(twice)) == [analysis]


def test_read_tables_accepts_spark_style_folders(analysis: Analysis, tmp_path) -> None:
    """Spark writes ``<table>/part-*.parquet`` with every column nullable."""
    for name, table in to_arrow([analysis]).items():
        (tmp_path / name).mkdir()
        loose = pa.schema([f.with_nullable(True) for f in table.schema])
        pq.write_table(table.cast(loose), tmp_path / name / "part-00000.snappy.parquet")
        (tmp_path / name / "_SUCCESS").touch()
    assert list(read_parquet(tmp_path)) == [analysis]


def test_tables_write_as_csv(analysis: Analysis) -> None:
    out = io.StringIO()
    quote_rows = rows(analysis)["quotes"]
    writer = csv.DictWriter(out, fieldnames=TABLES["quotes"].names)
    writer.writeheader()
    writer.writerows(quote_rows)
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["quote_id"] for r in back] == [r["quote_id"] for r in quote_rows]


# --- negative cases -----------------------------------------------------------------------


def test_missing_articles_table_says_what_to_give(tmp_path) -> None:
    with pytest.raises(DataError, match="no articles.parquet"):
        list(read_parquet(tmp_path))


def test_a_table_without_the_schema_columns_is_refused(tmp_path) -> None:
    pq.write_table(pa.table({"article_id": ["a_1"]}), tmp_path / "articles.parquet")
    with pytest.raises(DataError, match="lacks column"):
        read_tables(tmp_path)


def test_rows_of_an_unknown_article_are_refused(analysis: Analysis) -> None:
    tables = rows(analysis)
    tables["articles"] = []
    with pytest.raises(DataError, match="missing from 'articles'"):
        list(from_rows(tables))


# --- property: any record the model allows survives the round trip ------------------------

_text = st.text(max_size=12)
_span = st.builds(Span, st.integers(0, 10_000), st.integers(0, 10_000), _text)
_opt_text = st.none() | _text


@st.composite
def _analyses(draw) -> Analysis:
    speakers = draw(
        st.lists(
            st.builds(
                Speaker,
                st.text(min_size=1, max_size=8),
                _text,
                st.sampled_from(list(EntityKind)),
                _opt_text,
                st.lists(_span, max_size=3).map(tuple),
            ),
            max_size=3,
            unique_by=lambda s: s.id,
        )
    )
    ids = [s.id for s in speakers]
    speaker_id = st.none() | st.sampled_from(ids) if ids else st.none()
    via = st.lists(st.sampled_from(ids), max_size=2).map(tuple) if ids else st.just(())
    quotes = st.builds(
        Quote,
        st.text(min_size=1, max_size=8),
        st.sampled_from(list(QuoteKind)),
        st.lists(_span, min_size=1, max_size=3).map(tuple),
        st.none() | _span,
        st.none() | _span,
        speaker_id,
        via,
        st.floats(0, 1, allow_nan=False),
        st.sampled_from(["cue", "continuation"]),
        st.sampled_from(list(ReportedAs)),
        st.none() | st.floats(0, 1, allow_nan=False),
    )
    events = st.builds(
        Event,
        st.text(min_size=1, max_size=8),
        _span,
        st.sampled_from(["ASSAULT", "CONSULT", "AID"]),
        st.integers(1, 4),
        st.sampled_from(list(Modality)),
        st.none() | _span,
        _opt_text,
        _opt_text,
        st.none() | _span,
        _opt_text,
        _opt_text,
        _opt_text,
        st.none() | st.floats(-10, 10, allow_nan=False),
        _opt_text,
        st.none() | _span,
        st.none() | _span,
        st.lists(_span, max_size=2).map(tuple),
        speaker_id,
        st.floats(0, 1, allow_nan=False),
    )
    return Analysis(
        article=draw(
            st.builds(
                Article,
                st.text(min_size=1),
                _opt_text,
                _opt_text,
                _opt_text,
                _opt_text,
                _opt_text,
                st.sampled_from(["text", "html"]),
                _opt_text,
            )
        ),
        quotes=tuple(draw(st.lists(quotes, max_size=4))),
        speakers=tuple(speakers),
        marks=tuple(
            draw(st.lists(st.builds(Mark, st.sampled_from(list(MarkKind)), _span), max_size=2))
        ),
        diagnostics=tuple(
            draw(st.lists(st.builds(Diagnostic, _text, _text, st.none() | _span), max_size=2))
        ),
        versions=draw(st.dictionaries(_text, _text, max_size=3)),
        events=tuple(draw(st.lists(events, max_size=3, unique_by=lambda e: e.id))),
    )


@settings(max_examples=60, deadline=None)
@given(_analyses())
def test_any_analysis_round_trips_through_rows_and_arrow(analysis: Analysis) -> None:
    assert list(from_rows(rows(analysis))) == [analysis]
    tables = {name: t.to_pylist() for name, t in to_arrow([analysis]).items()}
    assert list(from_rows(tables)) == [analysis]


def test_tables_written_before_the_person_id_still_read(tmp_path):
    analysis = Analysis(ARTICLE, speakers=(Speaker("s_1", "Marta Lind", EntityKind.PERSON),))
    write_parquet([analysis], tmp_path)
    for name, column in (("speakers", "person_id"), ("quotes", "speaker_person_id")):
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pq.read_table(path).drop_columns([column]), path)
    tables = read_tables(tmp_path)
    assert tables["speakers"].column("person_id").to_pylist() == [None]
    assert list(read_parquet(tmp_path)) == [analysis]


def test_rows_take_the_person_ids_of_a_store():
    speaker = Speaker("s_1", "Marta Lind", EntityKind.PERSON)
    analysis = Analysis(ARTICLE, speakers=(speaker,))
    assert rows(analysis)["speakers"][0]["person_id"] is None
    assert rows(analysis, {"s_1": "p_9"})["speakers"][0]["person_id"] == "p_9"
    assert list(from_rows(rows(analysis, {"s_1": "p_9"}))) == [analysis]


def test_quote_rows_say_what_each_attribution_reports(analysis: Analysis) -> None:
    by_words = {r["content"]: r for r in rows(analysis)["quotes"]}
    assert by_words["that the wells will dry up"]["reported_as"] == "thought"
    assert by_words["that the board would ask farmers to save water"]["reported_as"] == "speech"
    for r in by_words.values():
        q = next(q for q in analysis.quotes if q.id == r["quote_id"])
        assert r["speaker_confidence"] == q.speaker_confidence


def test_event_rows_carry_article_offsets_and_who_claims_them(analysis: Analysis) -> None:
    text = analysis.article.text
    (row,) = rows(analysis)["events"]
    assert row["article_id"] == analysis.article.id and row["root"] == "COOPERATE"
    assert text[row["trigger_start"] : row["trigger_end"]] == row["trigger_text"] == "sent"
    assert row["actor_code"] == "SWE" and row["claimed_by_name"] == "Marta Lind"
    assert row["claimed_by"] == analysis.events[0].claimed_by and row["corpus_event_id"] is None
    assert all(text[s:e] == t for s, e, t in json.loads(row["mentions"]))


def test_an_event_the_author_asserts_has_no_claimant() -> None:
    text = "Sweden sent soldiers to the lake on Monday."
    event = Event("e_1", Span.of(text, 7, 11), "COOPERATE", 2, Modality.HAPPENED)
    (row,) = rows(Analysis(Article(text), events=(event,)))["events"]
    assert row["claimed_by"] is None and row["claimed_by_name"] is None


def test_rows_take_the_corpus_event_ids_of_a_store(analysis: Analysis) -> None:
    eid = analysis.events[0].id
    (row,) = rows(analysis, corpus_events={eid: "ce_1"})["events"]
    assert row["corpus_event_id"] == "ce_1"
    assert list(from_rows(rows(analysis, corpus_events={eid: "ce_1"}))) == [analysis]


def test_tables_written_before_reported_as_still_read_as_speech(analysis: Analysis, tmp_path):
    """An export or Spark output older than schema 1.2: no kinds, no speaker confidence, no events."""
    write_parquet([analysis], tmp_path)
    path = tmp_path / "quotes.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["reported_as", "speaker_confidence"]), path)
    (tmp_path / "events.parquet").unlink()
    tables = read_tables(tmp_path)
    assert set(tables["quotes"].column("reported_as").to_pylist()) == {None}
    assert tables["quotes"].schema.field("speaker_confidence").type == pa.float64()
    (back,) = read_parquet(tmp_path)
    assert {q.reported_as for q in back.quotes} == {ReportedAs.SPEECH} and back.events == ()
    assert {q.speaker_confidence for q in back.quotes} == {None}
