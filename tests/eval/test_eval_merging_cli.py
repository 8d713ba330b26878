"""``accordingto eval merging``: merge precision and recall on a gold events corpus."""

from __future__ import annotations

import json
from pathlib import Path

from accordingto.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "events_corpus" / "articles.jsonl"


def test_eval_merging_prints_both_figures_as_json(capsys):
    assert main(["eval", "merging", str(CORPUS), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"system", "gold"}
    assert out["gold"]["precision"] == out["gold"]["recall"] == 1.0
    assert 0.0 <= out["system"]["recall"] <= 1.0 and out["system"]["precision"] >= 0.9


def test_eval_merging_on_a_missing_or_malformed_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    for path in (tmp_path / "none.jsonl", bad):
        assert main(["eval", "merging", str(path)]) == 5  # evaluation data missing or malformed
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "internal error" not in err
