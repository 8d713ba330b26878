"""``analyze_each``: one result per document, in order; a failing or slow document fails alone."""

from __future__ import annotations

import logging

import pytest

from accordingto.corpus.each import Analyzed, Failure, analyze_each
from accordingto.corpus.run import run_corpus
from accordingto.model import Article
from accordingto.nlp import load_pipeline
from accordingto.spark.records import analyze_items
from accordingto.store import Store

TEXTS = {
    "ferry": "“We will open the ferry terminal on Monday,” said Harbour Master Lena Voss.",
    "school": "The school will close early, Principal Omar Haddad told parents on Friday.",
    "budget": "“The budget is balanced,” Finance Minister Ken Osei said in a statement.",
    "blank": "  \n\n ",
    "bridge": "“The bridge is safe,” said engineer Maria Lopez, who inspected it on day 3.",
}


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")


@pytest.fixture
def broken_on_day_3(monkeypatch):
    """The analyzer raises on the article that mentions day 3, as a bug would."""
    from accordingto.resolve import SpeakerResolver

    original = SpeakerResolver.resolve

    def broken(self, span, head=None):
        if "day 3." in self.text:
            raise IndexError("list index out of range")
        return original(self, span, head)

    monkeypatch.setattr(SpeakerResolver, "resolve", broken)


def _items(*names: str) -> list[tuple[str, Article]]:
    return [(name, Article(text=TEXTS[name])) for name in names]


@pytest.mark.parametrize("batch_size", [1, 2, 16])
def test_one_result_per_document_in_order_and_the_culprit_fails_alone(broken_on_day_3, batch_size):
    items = _items("ferry", "bridge", "school", "blank", "budget")
    results = list(analyze_each(items, nlp=load_pipeline(), batch_size=batch_size))
    assert [r.source for r in results] == ["ferry", "bridge", "school", "blank", "budget"]
    kinds = [type(r) for r in results]
    assert kinds == [Analyzed, Failure, Analyzed, Failure, Analyzed]
    bridge, blank = results[1], results[3]
    assert isinstance(bridge, Failure) and isinstance(blank, Failure)
    assert bridge.reason == (
        "bridge: analysis failed (IndexError: list index out of range); please report it"
    )
    assert blank.reason == "blank: the article text is empty"
    assert bridge.article_id == items[1][1].id and bridge.row()[0] == "bridge"


def test_the_analyses_are_those_of_analyze_many():
    from accordingto.pipeline import analyze_many

    items = _items("ferry", "school", "budget")
    got = [r.analysis for r in analyze_each(items, nlp=load_pipeline(), batch_size=2)]  # type: ignore[union-attr]
    assert got == list(analyze_many([a for _, a in items], nlp=load_pipeline()))


def test_a_document_over_its_budget_fails_with_what_to_do():
    items = _items("ferry", "school")
    results = list(analyze_each(items, nlp=load_pipeline(), budget_s=1e-9))
    assert all(isinstance(r, Failure) for r in results)
    assert results[0].reason == "ferry: took longer than 1e-09 s; raise --doc-timeout to allow more"  # type: ignore[union-attr]


def test_the_warnings_of_a_document_travel_with_it(caplog):
    german = Article(
        text="„Wir bauen die Brücke wieder auf“, sagte die Bürgermeisterin am Montag.",
        language="de",
    )
    with caplog.at_level(logging.WARNING):
        (result,) = analyze_each([("brücke.txt", german)], nlp=load_pipeline())
    assert isinstance(result, Analyzed)
    assert any("does not look like English" in w for w in result.warnings)
    assert not [r for r in caplog.records if "English" in r.getMessage()]  # not logged unnamed


def test_run_names_the_document_in_its_warnings(tmp_path, caplog):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ferry.txt").write_text(TEXTS["ferry"], encoding="utf-8")
    (folder / "rede.txt").write_text(
        "Die Stadt will die alte Brücke im kommenden Jahr abreißen und neu bauen. "
        "„Wir haben keine andere Wahl“, sagte die Bürgermeisterin am Montag vor dem Rat. "
        "Die Arbeiten sollen im Frühjahr beginnen und zwei Jahre dauern.",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        run_corpus([str(folder)], tmp_path / "c.db")
    english = [r.getMessage() for r in caplog.records if "English" in r.getMessage()]
    assert english and all(m.startswith(f"{folder}/rede.txt") for m in english), english


def test_run_records_a_slow_document_with_its_reason(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ferry.txt").write_text(TEXTS["ferry"], encoding="utf-8")
    stats = run_corpus([str(folder)], tmp_path / "c.db", budget_s=1e-9)
    assert (stats.stored, stats.failed) == (0, 1)
    with Store(tmp_path / "c.db", readonly=True) as store:
        (reason,) = store.conn.execute("SELECT reason FROM failures").fetchone()
    assert reason.endswith("took longer than 1e-09 s; raise --doc-timeout to allow more")


def test_spark_rows_come_from_the_same_runner(broken_on_day_3):
    items = [*_items("ferry", "bridge"), Failure("unread.jsonl#3", "not valid JSON")]
    out = list(analyze_items(items, nlp=load_pipeline(), batch_size=2, budget_s=60))
    failures = [row for table, row in out if table == "failures"]
    assert [f[0] for f in failures] == ["bridge", "unread.jsonl#3"]
    assert "IndexError" in failures[0][1]
    assert [row for table, row in out if table == "articles"]
