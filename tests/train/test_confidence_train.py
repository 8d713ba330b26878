"""The confidence model's training command: deterministic, end to end on a slice of train."""

from __future__ import annotations

import dataclasses
import json

import pytest

from accordingto.attribution.confidence import Evidence, LogisticModel, features
from accordingto.train.confidence import Row, fit, main, train_referents

EV = Evidence(
    method="cue",
    kind="direct",
    found_by="both",
    reported_as="speech",
    quotes=1,
    content_chars=80,
    pieces=1,
    cue_gap=2,
    source_gap=1,
    cited=False,
    mention="name",
    speaker_kind="person",
    named_here=True,
    antecedent=0,
    speaker_mentions=3,
)


def _rows() -> list[Row]:
    rows = []
    for n in range(40):
        pronoun = n % 2 == 0
        ev = dataclasses.replace(
            EV, mention="pronoun" if pronoun else "name", named_here=not pronoun, antecedent=n * 40
        )
        written = "he" if pronoun else "Ana Ortiz"
        rows.append(Row(f"d{n % 5}", ev, n % 3 != 0, (n, n + 2), written, "Ana Ortiz", "person"))
    return rows


def test_fit_is_deterministic_and_learns_both_models():
    referents = {(f"d{n % 5}", n, n + 2): ("Ana Ortiz" if n % 4 else "Bo Lind") for n in range(40)}
    first, second = fit(_rows(), referents), fit(_rows(), referents)
    assert first == second
    model = LogisticModel.from_dict(first["speaker"])
    assert 0.0 < model.probability(features(EV)) < 1.0
    assert first["trained_on"]["speakers"] == 40


def test_row_round_trips_through_json():
    row = _rows()[3]
    assert Row.from_json(row.to_json()) == row


def test_pronoun_rows_are_judged_by_the_referent_list():
    row = _rows()[0]  # "he", gold referent needed
    assert row.speaker_right({}) is None
    assert row.speaker_right({("d0", 0, 2): "Ana Ortiz"}) is True
    assert row.speaker_right({("d0", 0, 2): "Bo Lind"}) is False


def test_the_hand_labelled_train_referents_load():
    referents = train_referents()
    assert len(referents) >= 150
    assert all(doc and start < end for doc, start, end in referents)


def test_train_command_end_to_end_on_a_slice(shared_dir, tmp_path):
    polnear = shared_dir / "data" / "polnear"
    if not polnear.is_dir():
        pytest.skip("PolNeAR not in ../shared")
    out, rows = tmp_path / "weights.json", tmp_path / "rows.jsonl"
    assert main([str(polnear), "--limit", "3", "--out", str(out), "--rows", str(rows)]) == 0
    weights = json.loads(out.read_text(encoding="utf-8"))
    assert weights["trained_on"]["documents"] == 3
    for part in ("attribution", "speaker"):
        assert LogisticModel.from_dict(weights[part]).weights
    # fitting again from the rows gives the same weights (no analysis, no randomness)
    again = tmp_path / "again.json"
    assert main([str(polnear), "--from-rows", str(rows), "--out", str(again)]) == 0
    assert json.loads(again.read_text(encoding="utf-8")) == weights
