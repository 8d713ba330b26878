"""The kind of attribution measured on hand-labelled PolNeAR cues (eval/cue_kinds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accordingto.attribution.reported_as import ReportedAs
from accordingto.errors import DataError
from accordingto.eval.cue_kinds import evaluate_cue_kinds, load_gold_cues

POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "data" / "polnear"


def test_the_gold_samples_are_large_enough_and_labelled_with_the_documented_kinds():
    dev, train = load_gold_cues("dev"), load_gold_cues("train")
    assert len(dev) >= 300 and len(train) >= 150
    assert {g.reported_as for g in dev} == set(ReportedAs)
    assert all(g.end > g.start for g in dev + train)


def test_an_unknown_split_is_a_data_error():
    with pytest.raises(DataError, match="no cue-kind gold"):
        load_gold_cues("test")


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="needs ../shared/data/polnear")
@pytest.mark.parametrize("split", ["dev", "train"])
def test_the_kind_is_right_nine_times_in_ten(split):
    report = evaluate_cue_kinds(POLNEAR, split=split)
    assert len(report.pairs) == len(load_gold_cues(split))
    assert report.accuracy >= 0.9
