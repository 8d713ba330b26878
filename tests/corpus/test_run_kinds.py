"""``accordingto run --only / --min-confidence``: the store keeps every attribution; the
options choose what the summary counts (issue 12)."""

from __future__ import annotations

import sqlite3

import pytest

from accordingto.cli import main
from accordingto.corpus.run import run_corpus
from accordingto.export.select import Selection

TEXT = (
    "“We will open the ferry terminal on Monday,” said Harbour Master Lena Voss.\n\n"
    "Voss believes that the islanders will use it every day.\n"
)


@pytest.fixture
def news(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ferry.txt").write_text(TEXT, encoding="utf-8")
    return folder


def _kinds(db) -> list[str]:
    conn = sqlite3.connect(db)
    rows = sorted(r[0] for r in conn.execute("SELECT reported_as FROM quotes"))
    conn.close()
    return rows


@pytest.mark.parametrize(
    ("args", "summary"),
    [
        ([], "(2 quotations, 1 speech)"),
        (["--only", "speech"], "(2 quotations, 1 speech; 1 kept by --only speech, all stored)"),
        (["--only", "thought"], "; 1 kept by --only thought, all stored)"),
        (["--only", "action,other"], "; 0 kept by --only action,other, all stored)"),
        (["--min-confidence", "0"], "(2 quotations, 1 speech),"),  # 0 keeps everything
        (
            ["--only", "thought,speech", "--min-confidence", "0"],
            "; 2 kept by --only speech,thought --min-confidence 0, all stored)",
        ),
    ],
)
def test_the_store_keeps_every_kind_and_the_summary_counts_the_selection(
    news, tmp_path, capsys, args, summary
):
    db = tmp_path / "c.db"
    assert main(["run", str(news), "--db", str(db), "--no-progress", *args]) == 0
    assert summary in capsys.readouterr().out
    assert _kinds(db) == ["speech", "thought"]  # nothing left out of the store


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "gossip"], "'gossip' is not a kind of attribution"),
        (["--only", ""], "no kind given"),
        (["--min-confidence", "2"], "2 is not a probability"),
        (["--min-confidence", "-0.5"], "-0.5 is not a probability"),
    ],
)
def test_bad_values_are_one_line_exit_2_before_anything_is_written(
    news, tmp_path, capsys, args, message
):
    db = tmp_path / "c.db"
    assert main(["run", str(news), "--db", str(db), "--no-progress", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not db.exists()


def test_run_corpus_counts_what_a_selection_keeps(news, tmp_path):
    stats = run_corpus([str(news)], tmp_path / "c.db", keep=Selection.of(only="speech"))
    assert (stats.quotes, stats.speech, stats.kept) == (2, 1, 1)
    assert run_corpus([str(news)], tmp_path / "d.db").kept is None
