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


def test_warnings_name_their_document_above_the_progress_bar(tmp_path, capsys):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ferry.txt").write_text(
        "“We will open the ferry terminal on Monday,” said Harbour Master Lena Voss.",
        encoding="utf-8",
    )
    (folder / "rede.txt").write_text(
        "Die Stadt will die alte Brücke im kommenden Jahr abreißen und neu bauen. "
        "„Wir haben keine andere Wahl“, sagte die Bürgermeisterin am Montag vor dem Rat. "
        "Die Arbeiten sollen im Frühjahr beginnen und zwei Jahre dauern.",
        encoding="utf-8",
    )
    args = ["run", str(folder), "--db", str(tmp_path / "c.db"), "-j", "2", "--progress"]
    assert main(args) == 0
    err = capsys.readouterr().err
    warning = [line for line in err.splitlines() if "does not look like English" in line]
    assert warning and all(f"{folder}/rede.txt: " in line for line in warning), err
    assert "2/2" in err
