"""``run``: a corpus into the store; duplicates, failures, resumption, workers, kill -9."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from accordingto.corpus.run import count_documents, run_corpus
from accordingto.store import Store

RULES_ONLY = {**os.environ, "ACCORDINGTO_TAGGER": "0"}


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")


def test_run_stores_articles_dedupes_and_records_failures(corpus, tmp_path):
    db = tmp_path / "c.db"
    stats = run_corpus([str(corpus)], db, batch_size=4)
    assert (stats.stored, stats.duplicates, stats.failed) == (40, 2, 3)
    with Store(db, readonly=True) as store:
        docs = dict(store.conn.execute("SELECT source, status FROM documents"))
        reasons = dict(store.conn.execute("SELECT source, reason FROM failures"))
        counts = store.counts()
    assert docs[f"{corpus}/files/copy-of-000.txt"] == "duplicate"
    assert docs[f"{corpus}/more.jsonl#line 21"] == "duplicate"  # same canonical URL as line 1
    assert "only whitespace" in reasons[f"{corpus}/files/blank.txt"]
    assert "not valid UTF-8" in reasons[f"{corpus}/files/latin1.txt"]
    assert "not valid JSON" in reasons[f"{corpus}/more.jsonl#line 22"]
    assert counts["articles"] == 40 and counts["quotes"] >= 80 and counts["people"] > 0


def test_rerun_changes_nothing_and_skips_everything(corpus, tmp_path, dump_store):
    db = tmp_path / "c.db"
    run_corpus([str(corpus)], db, batch_size=8)
    before = dump_store(db)
    again = run_corpus([str(corpus)], db, batch_size=8)
    assert again.skipped == again.read == 45 and again.stored == 0
    assert dump_store(db) == before


def test_new_documents_are_added_and_failed_ones_retried_on_request(corpus, tmp_path):
    db = tmp_path / "c.db"
    run_corpus([str(corpus)], db)
    (corpus / "files" / "blank.txt").write_text("“Fixed now,” said Tom Baker.", encoding="utf-8")
    (corpus / "files" / "new.txt").write_text("“Brand new,” said Lena Varga.", encoding="utf-8")
    stats = run_corpus([str(corpus)], db)
    assert (stats.stored, stats.failed) == (1, 0)  # blank.txt is still recorded as failed
    stats = run_corpus([str(corpus)], db, retry_failed=True)
    assert stats.stored == 1 and stats.failed == 2  # blank.txt now stored; the others still bad
    with Store(db, readonly=True) as store:
        assert store.document(f"{corpus}/files/blank.txt").status == "stored"


def test_two_workers_give_the_same_store_as_one(corpus, tmp_path, dump_store):
    run_corpus([str(corpus)], tmp_path / "one.db", jobs=1, batch_size=4)
    run_corpus([str(corpus)], tmp_path / "two.db", jobs=2, batch_size=3)
    assert dump_store(tmp_path / "two.db") == dump_store(tmp_path / "one.db")


def test_count_documents(corpus):
    assert count_documents([str(corpus)]) == 23 + 22  # files, JSONL lines
    assert count_documents([str(corpus), "https://example.org/feed"]) is None


def _documents(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _run(corpus, db, jobs: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accordingto",
            "run",
            str(corpus),
            "--db",
            str(db),
            "-j",
            str(jobs),
            "--batch-size",
            "2",
            "--no-progress",
        ],
        env=RULES_ONLY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _kill_when(proc: subprocess.Popen, db, target: int, deadline: float) -> int:
    """SIGKILL the run (and its workers) once ``target`` documents are recorded; the count then."""
    while proc.poll() is None and time.monotonic() < deadline:
        if _documents(db) >= target:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return _documents(db)


def test_kill_9_at_random_points_then_resume_gives_the_uninterrupted_store(
    tmp_path, make_corpus, dump_store
):
    corpus = make_corpus(tmp_path / "corpus", n=60)
    reference = tmp_path / "reference.db"
    done = _run(corpus, reference, 1)
    assert done.wait(timeout=300) == 0, done.stderr.read().decode()
    total = _documents(reference)
    seed = int(os.environ.get("KILL_TEST_SEED", time.time_ns() % 10_000))
    rng = random.Random(seed)
    db = tmp_path / "killed.db"
    partial = []
    targets = sorted(rng.sample(range(1, total), 4))
    for round_, target in enumerate(targets):
        proc = _run(corpus, db, 2 if round_ % 2 else 1)
        partial.append(_kill_when(proc, db, target, time.monotonic() + 120))
    assert any(0 < n < total for n in partial), f"seed {seed}: no kill landed mid-run: {partial}"
    final = _run(corpus, db, 2)
    assert final.wait(timeout=300) == 0, final.stderr.read().decode()
    assert dump_store(db) == dump_store(reference), f"seed {seed}, kills after {partial} documents"
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')"
    )  # raises if corrupt
    conn.close()


def test_an_article_the_analyzer_fails_on_is_recorded_and_the_batch_goes_on(
    corpus, tmp_path, monkeypatch
):
    from accordingto.resolve import SpeakerResolver

    original = SpeakerResolver.resolve

    def broken(self, span, head=None):
        if "day 3." in self.text:
            raise IndexError("list index out of range")
        return original(self, span, head)

    monkeypatch.setattr(SpeakerResolver, "resolve", broken)
    stats = run_corpus([str(corpus)], tmp_path / "c.db", batch_size=8)
    assert (stats.stored, stats.failed) == (39, 4)
    with Store(tmp_path / "c.db", readonly=True) as store:
        reason = store.conn.execute(
            "SELECT reason FROM failures WHERE source LIKE '%003.txt'"
        ).fetchone()[0]
    assert "analysis failed (IndexError: list index out of range); please report it" in reason


def _dies_on_article_15(entries, **kw):
    """A worker that dies (as if killed for memory) on the batch holding article 15."""
    from accordingto.corpus import run as run_module

    if any(e.source.endswith("015.txt") for e in entries):
        os._exit(1)
    return run_module._real_analyze_batch(entries, **kw)


def test_a_dead_worker_stops_the_run_with_one_line_and_the_next_run_resumes(
    corpus, tmp_path, monkeypatch, dump_store
):
    from accordingto.corpus import run as run_module
    from accordingto.corpus.run import RunError

    db = tmp_path / "c.db"
    real = run_module.analyze_batch
    monkeypatch.setattr(run_module, "_real_analyze_batch", real, raising=False)
    monkeypatch.setattr(run_module, "analyze_batch", _dies_on_article_15)
    with pytest.raises(RunError, match="worker process died"):
        run_corpus([str(corpus)], db, jobs=2, batch_size=2)
    monkeypatch.setattr(run_module, "analyze_batch", real)
    with Store(db, readonly=True) as store:
        assert store.document(f"{corpus}/files/000.txt").status == "stored"  # written before: kept
        assert store.document(f"{corpus}/files/015.txt") is None
    run_corpus([str(corpus)], db, jobs=2, batch_size=2)
    run_corpus([str(corpus)], tmp_path / "ref.db", jobs=1, batch_size=4)
    assert dump_store(db) == dump_store(tmp_path / "ref.db")
