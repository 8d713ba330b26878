"""Cross-article merging on a gold corpus of our own (tests/fixtures/events_corpus): 25 short
articles by three made-up outlets, the same events written up in different words, and
look-alikes (same dyad a week later, same day another target, the reverse direction, the same
dyad and day with another root).  Figures: pairwise precision and recall over reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from accordingto.eval.merging import load_corpus, score_merging

CORPUS = Path(__file__).parent.parent / "fixtures" / "events_corpus" / "articles.jsonl"


@pytest.fixture(scope="module")
def system():
    return score_merging(CORPUS, source="system")


def test_the_corpus_has_look_alikes_and_repeated_events():
    corpus = load_corpus(CORPUS)
    assert 20 <= len(corpus) <= 40
    reports: dict[str, int] = {}
    for g in corpus:
        for e in g.events:
            reports[e.event] = reports.get(e.event, 0) + 1
    assert reports["kharkiv-strike"] == 3 and reports["france-kenya-meeting"] == 3
    assert sum(1 for n in reports.values() if n >= 2) >= 8


def test_merging_gold_events_is_exact():
    """Merging alone (events built from the gold tuples): no look-alike merged, no report lost."""
    score = score_merging(CORPUS, source="gold")
    assert score.precision >= 0.9 and score.recall >= 0.9
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.corpus_events == score.gold_events


def test_merging_what_the_analyzer_finds_is_precise(system):
    assert system.precision >= 0.9
    # recall measured 0.647 (11 of 17 gold pairs), then 0.588 (10 of 17) once 'pledged' became
    # AID and 'promised' stayed AGREE: every pair lost is an extraction miss (see the xfail)
    assert system.recall >= 0.5


def test_merging_what_the_analyzer_finds_reaches_the_issue_s_recall(system):
    # 0.947 (18 of 19) once hosts, sanctions, denials, 'condemned the move' and 'after' clauses
    # were read (tests/events/test_event_news_rules.py); the Taiwan visit's actor is uncoded
    assert system.recall >= 0.9
