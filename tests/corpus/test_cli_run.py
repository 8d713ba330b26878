"""``accordingto run`` on the command line: summary, progress bar, one-line errors."""

from __future__ import annotations

import pytest

from accordingto.cli import main


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")


def test_run_prints_a_summary_and_points_at_failures(corpus, tmp_path, capsys):
    db = tmp_path / "c.db"
    assert main(["run", str(corpus), "--db", str(db), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "40 articles stored" in out and "2 duplicates" in out and "3 failed" in out
    assert f"accordingto failures --db {db}" in out
    assert main(["run", str(corpus), "--db", str(db), "--progress"]) == 0
    captured = capsys.readouterr()
    assert "45 already in the store" in captured.out
    assert "45/45" in captured.err and "failed" in captured.err  # the bar: count, failures


def test_run_with_no_input_only_creates_the_store(tmp_path, capsys):
    db = tmp_path / "new.db"
    assert main(["run", "--db", str(db), "--no-progress"]) == 0
    assert db.is_file() and "0 articles stored" in capsys.readouterr().out


def test_run_on_a_file_that_is_not_a_store_is_one_line(tmp_path, corpus, capsys):
    db = tmp_path / "c.db"
    db.write_bytes(b"this is not sqlite" * 200)
    assert main(["run", str(corpus), "--db", str(db), "--no-progress"]) == 6
    err = capsys.readouterr().err
    assert err.startswith("accordingto: error:") and err.count("\n") == 1
