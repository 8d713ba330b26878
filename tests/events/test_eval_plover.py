"""``accordingto eval plover``: the PLOVER gold records scored for actors and event types.

The small gold file here is written for the test, in the gold file's format; the real
one (``../shared``) is scored by the last test, which skips without it.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accordingto.cli import app
from accordingto.errors import DataError
from accordingto.eval.plover import evaluate_plover, load_plover_gsr, same_code

RECORDS = [
    {"id": "doc", "event": "DOCUMENT", "eventText": "documentation"},
    {
        "id": "r1",
        "event": "FIGHT",
        "text": "Russia attacked Ukraine on Monday.",
        "source": [{"actorText": "Russia", "code": "RUS"}],
        "target": [{"actorText": "Ukraine", "code": "UKR"}],
    },
    {
        "id": "r2",
        "event": "DISAPPROVE",
        "text": "NATO accused Belarus of provocations.",
        "source": [{"actorText": "NATO", "code": "IGO"}],
        "target": [{"actorText": "Belarus", "code": "BLR"}],
    },
    {
        "id": "r3",
        "event": "DEMAND",
        "text": "The weather was cold.",
        "source": [{"actorText": "Chile", "code": "CHL"}],
        "target": "diplomatic",
    },
]


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "PLOVER_GSR_CAMEO.txt"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return path


def test_old_labels_are_read_as_current_ones(gold):
    records = load_plover_gsr(gold.parent)
    assert [(r.id, r.event) for r in records] == [
        ("r1", "ASSAULT"),
        ("r2", "ACCUSE"),
        ("r3", "REQUEST"),
    ]
    assert records[2].targets == ()


@pytest.mark.parametrize(
    ("gold", "code", "sector", "same"),
    [
        ("RUS", "RUS", None, True),
        ("IGO", "NATO", "IGO", True),
        ("IGO", "RUS", "GOV", False),
        ("RUS", None, None, False),
    ],
)
def test_same_code(gold, code, sector, same):
    assert same_code(gold, code, sector) is same


def test_scores(gold):
    d = evaluate_plover(gold, coder="lexicon").to_dict()
    assert (d["records"], d["with_event"]) == (3, 2)
    assert (d["source_correct"], d["source_total"]) == (2, 3)
    assert (d["target_correct"], d["target_total"]) == (2, 2)
    assert (d["event_correct"], d["event_total"]) == (2, 3)
    assert d["type_confusions"] == [{"gold": "REQUEST", "predicted": "-", "count": 1}]


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(DataError, match="cannot read the PLOVER gold file"):
        load_plover_gsr(tmp_path)


def test_the_command(gold):
    result = CliRunner().invoke(app, ["eval", "plover", str(gold), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["source_accuracy"] == pytest.approx(2 / 3)


def test_the_shared_gold_is_scored(shared_dir):
    """The PLOVER gold is made of CAMEO-manual example sentences: it is scored, never tuned on.
    So this checks only that it runs and counts, with a loose floor far below any figure
    (no rule may be shaped to raise it: docs/events.md)."""
    path = shared_dir / "data" / "events" / "plover-ontology"
    if not path.is_dir():
        pytest.skip(f"no PLOVER gold at {path}")
    d = evaluate_plover(path, coder="lexicon").to_dict()
    assert d["records"] == d["source_total"] == d["event_total"] > 0
    assert 0 < d["with_event"] <= d["records"] and 0 < d["target_total"] <= d["records"]
    for name in ("source", "target", "event"):
        assert d[f"{name}_correct"] <= d[f"{name}_total"]
        assert d[f"{name}_accuracy"] >= 0.25


def test_the_main_event_is_the_one_reported_as_done(monkeypatch):
    from accordingto import analyze

    monkeypatch.setenv("ACCORDINGTO_EVENT_CODER", "0")
    from accordingto.eval.plover import main_event
    from accordingto.nlp import load_pipeline

    a = analyze("Russia threatened to attack Kyiv.", nlp=load_pipeline(tagger=False))
    assert sorted(e.root for e in a.events) == ["ASSAULT", "THREATEN"]
    assert main_event(a).root == "THREATEN"


@pytest.mark.parametrize(
    ("root", "modality", "code"),
    [
        ("ASSAULT", "happened", "ASSAULT"),
        ("ASSAULT", "threatened", "THREATEN"),
        ("ASSAULT", "negated", "YIELD"),
        ("AID", "planned", "AGREE"),
        ("SUPPORT", "negated", "REJECT"),
        ("REQUEST", "hypothetical", "REQUEST"),
        ("CONSULT", "ongoing", "CONSULT"),
    ],
)
def test_type_and_modality_as_one_plover_code(root, modality, code):
    from accordingto.events.lexicon import plover_code

    assert plover_code(root, modality) == code
