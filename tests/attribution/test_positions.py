"""Position look-ups: the same answers as a pass over every range, without the pass."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import accordingto
from accordingto.attribution.positions import Buckets, Ranges
from accordingto.model import contains, overlaps

ranges = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 120)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=40,
)
query = st.tuples(st.integers(0, 250), st.integers(0, 60)).map(lambda t: (t[0], t[0] + t[1]))


@given(ranges, query)
def test_ranges_answer_as_a_full_pass(spans, q):
    index = Ranges((s, i) for i, s in enumerate(spans))
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])  # by start, ties as given
    assert index.overlapping(*q) == [i for i in order if overlaps(spans[i], q)]
    assert index.containing(*q) == [i for i in order if contains(spans[i], q)]


@given(ranges, query)
def test_buckets_answer_as_a_full_pass(spans, q):
    buckets: Buckets[int] = Buckets(block=16)
    for i, s in enumerate(spans):
        buckets.add(*s, i)
    assert set(buckets.overlapping(*q)) == {i for i, s in enumerate(spans) if overlaps(s, q)}


@pytest.fixture(scope="module")
def long_news() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from textgen import news_text

    return news_text(40_000)


def test_quotations_meet_only_the_cues_near_them(monkeypatch, long_news):
    """Every quotation was weighed against every cue (and every content piece against every
    cue): time and memory grew with their product."""
    assemble = importlib.import_module("accordingto.attribution.assemble")
    roles = importlib.import_module("accordingto.attribution.roles")
    calls = {"side": 0, "distance": 0}
    side_gap, distance = assemble._side_gap, roles._distance

    def counted_side_gap(*args):
        calls["side"] += 1
        return side_gap(*args)

    def counted_distance(*args):
        calls["distance"] += 1
        return distance(*args)

    monkeypatch.setattr(assemble, "_side_gap", counted_side_gap)
    monkeypatch.setattr(roles, "_distance", counted_distance)
    a = accordingto.analyze(long_news)
    assert len(a.quotes) > 200
    assert calls["side"] < 10 * len(a.quotes)
    assert calls["distance"] < 30 * len(a.quotes)
