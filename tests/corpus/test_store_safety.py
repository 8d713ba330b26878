"""A run and the query commands on stores that are not what they should be.

Another application's database, a read-only file or folder, a file damaged
mid-way, a disk that fills up during a run, a run where every document fails:
each ends with one line that says what to do and its own exit code, and
nothing already stored is lost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import accordingto.store.store as store_module
from accordingto.cli import main
from accordingto.corpus.run import run_corpus
from accordingto.errors import DiskFullError, NothingStoredError, StoreError
from accordingto.store import Store

RULES_ONLY = {**os.environ, "ACCORDINGTO_TAGGER": "0"}


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_run_refuses_another_applications_database(corpus, tmp_path, capsys):
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    assert main(["run", str(corpus), "--db", str(db), "--no-progress"]) == StoreError.exit_code
    line = one_line(capsys.readouterr().err)
    assert "another application's SQLite database (tables: customers)" in line
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    conn.close()


def test_a_damaged_store_is_one_line_for_queries_and_runs(corpus, tmp_path, capsys):
    db = tmp_path / "c.db"
    run_corpus([str(corpus)], db)
    size = db.stat().st_size
    with db.open("r+b") as f:  # a third of the file overwritten, as by a failing disk
        f.seek(size // 3)
        f.write(b"\xa5" * (size // 3))
    for command in (["speakers"], ["quotes"], ["search", "said"], ["run", str(corpus)]):
        code = main([*command, "--db", str(db)])
        line = one_line(capsys.readouterr().err)
        assert code == StoreError.exit_code, (command, line)
        assert "the store is damaged" in line and f"sqlite3 {db} .recover" in line, line


def test_every_document_failing_is_an_error(tmp_path, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "blank.txt").write_text("\n\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes('caf\xe9 said "hello"'.encode("latin-1"))
    db = tmp_path / "c.db"
    assert main(["run", str(folder), "--db", str(db), "--no-progress"]) == 11
    assert NothingStoredError.exit_code == 11
    captured = capsys.readouterr()
    assert "2 failed" in captured.out
    assert one_line(captured.err).startswith("accordingto: error: no article stored: 2 documents")


# -- a full disk ---------------------------------------------------------------------------------


def _limit_pages(monkeypatch, pages: int) -> None:
    """Every store connection may grow the file to ``pages`` pages only: a tiny disk."""
    real = store_module._connect

    def limited(path, readonly):
        conn = real(path, readonly)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store_module, "_connect", limited)


def _page_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()


def test_a_full_disk_mid_run_keeps_what_was_stored_and_the_run_resumes(
    corpus, tmp_path, monkeypatch, capsys, dump_store
):
    reference = tmp_path / "reference.db"
    run_corpus([str(corpus)], reference, batch_size=4)
    db = tmp_path / "c.db"
    run_corpus([str(corpus / "files" / "000.txt")], db)  # the schema and one article
    _limit_pages(monkeypatch, _page_count(db) + 12)
    code = main(["run", str(corpus), "--db", str(db), "--batch-size", "4", "--no-progress"])
    line = one_line(capsys.readouterr().err)
    assert code == DiskFullError.exit_code == 10
    assert "the disk is full; everything stored so far is kept" in line and "resume" in line
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT count(*) FROM documents WHERE status = 'stored'").fetchone()[0]
    orphans = conn.execute(
        "SELECT count(*) FROM documents WHERE status = 'stored'"
        " AND article_id NOT IN (SELECT id FROM articles)"
    ).fetchone()[0]
    conn.close()
    assert 1 < stored < 40 and orphans == 0  # whole batches only: some, not all
    monkeypatch.undo()
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")
    assert main(["run", str(corpus), "--db", str(db), "--batch-size", "4", "--no-progress"]) == 0
    assert dump_store(db) == dump_store(reference)


# -- read-only media -----------------------------------------------------------------------------


def _as_reader(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m accordingto ARGS`` as a user who cannot write the store (root would)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot test a read-only store")
        prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "accordingto", *args],
        capture_output=True,
        text=True,
        env={**RULES_ONLY, "HOME": "/tmp"},
        cwd="/",
        timeout=300,
    )


@pytest.fixture
def read_only_store(corpus):
    """A store in a folder that the test's reader cannot write, as on read-only media."""
    root = Path(tempfile.mkdtemp(prefix="accordingto-ro-"))
    try:
        for folder in ("file", "folder"):
            (root / folder).mkdir()
            run_corpus([str(corpus)], root / folder / "c.db")
        os.chmod(root, 0o755)
        os.chmod(root / "file" / "c.db", 0o444)  # the file is read-only, its folder is not
        os.chmod(root / "file", 0o777)
        os.chmod(root / "folder" / "c.db", 0o444)  # neither (no -shm can be made beside it)
        os.chmod(root / "folder", 0o555)
        probe = _as_reader("--version")
        if probe.returncode != 0:
            pytest.skip(f"the other user cannot run Python here: {probe.stderr.strip()}")
        yield root
    finally:
        for path in (root, root / "file", root / "folder"):
            if path.exists():
                os.chmod(path, 0o755)
        shutil.rmtree(root)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_read_only_store_can_be_queried(read_only_store, where):
    db = str(read_only_store / where / "c.db")
    done = _as_reader("speakers", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"name"' in done.stdout
    done = _as_reader("search", "said", "--db", db)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_run_on_a_read_only_store_says_so(read_only_store, corpus, where):
    db = str(read_only_store / where / "c.db")
    done = _as_reader("run", str(corpus), "--db", db, "--retry-failed", "--no-progress")
    assert done.returncode == StoreError.exit_code, done.stderr
    line = one_line(done.stderr)
    assert "the store is read-only" in line and "copy it somewhere writable" in line


def test_store_readonly_opens_a_store_in_a_read_only_folder(read_only_store):
    if os.geteuid() == 0:  # root writes anyway; the subprocess tests above cover this case
        pytest.skip("root can write the folder")
    with Store(read_only_store / "folder" / "c.db", readonly=True) as store:
        assert store.counts()["articles"] == 40
