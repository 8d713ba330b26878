"""``run`` stopped from outside: Ctrl-C, SIGTERM, kill -9; and its progress, document by document.

Real processes: the run is started with ``python -m accordingto run`` and
signalled once it has stored a few documents.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accordingto.corpus.run import run_corpus

RULES_ONLY = {**os.environ, "ACCORDINGTO_TAGGER": "0"}
INTERRUPTED = re.compile(
    r"^accordingto: interrupted: (\d+) articles stored; run the same command again to resume$"
)


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(
                "SELECT count(*) FROM documents WHERE status = 'stored'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _start(corpus: Path, db: Path, jobs: int) -> subprocess.Popen[str]:
    """The run, its stderr to a file (a pipe would stay open in workers that outlive it)."""
    with (db.parent / f"{db.name}.err").open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "accordingto", "run", str(corpus), "--db", str(db),
             "-j", str(jobs), "--batch-size", "1", "--no-progress"],
            env=RULES_ONLY, stdout=subprocess.DEVNULL, stderr=err, text=True,
            preexec_fn=_default_sigint,
        )  # fmt: skip


def _default_sigint() -> None:
    """A child of a shell's background job inherits SIGINT ignored (POSIX: ``nohup cmd &``),
    and Python then installs no KeyboardInterrupt: reset it, as a terminal's job would have it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stderr(db: Path) -> str:
    return (db.parent / f"{db.name}.err").read_text()


def _when_stored(proc: subprocess.Popen[str], db: Path, n: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while _stored(db) < n:
        assert proc.poll() is None, f"the run ended first: {_stderr(db)}"
        assert time.monotonic() < deadline, "the run stored nothing in time"
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _alive(pid: int) -> bool:
    """Running, or stopped: not gone and not a zombie (a dead child nobody has reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if _alive(p)]
        if not alive:
            return []
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def _end(pids: list[int]) -> None:
    """Kill what is left of a failed test's workers, so that they do not outlive it."""
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def big_corpus(tmp_path, make_corpus):
    return make_corpus(tmp_path / "corpus", n=300)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("jobs", "signum", "code"), [(1, signal.SIGINT, 130), (2, signal.SIGTERM, 143)]
)
def test_an_interrupted_run_says_what_it_kept_and_resumes(big_corpus, tmp_path, jobs, signum, code):
    db = tmp_path / "c.db"
    proc = _start(big_corpus, db, jobs)
    _when_stored(proc, db, 3)
    workers = _children(proc.pid)
    assert len(workers) == (jobs if jobs > 1 else 0)
    proc.send_signal(signum)
    try:
        proc.wait(timeout=60)
        assert _gone_within(workers, 10) == [], "workers outlived their interrupted run"
    finally:
        _end(workers)
    err = _stderr(db)
    assert proc.returncode == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and (m := INTERRUPTED.match(lines[0])), err
    kept = _stored(db)
    assert int(m.group(1)) == kept >= 3
    stats = run_corpus([str(big_corpus)], db)
    assert stats.skipped >= kept and stats.stored + kept == 300


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl")
def test_workers_end_with_a_killed_run(big_corpus, tmp_path):
    db = tmp_path / "c.db"
    proc = _start(big_corpus, db, 2)
    _when_stored(proc, db, 2)
    workers = _children(proc.pid)
    assert len(workers) == 2
    proc.kill()  # kill -9: no handler runs in the parent
    proc.wait(timeout=30)
    try:
        assert _gone_within(workers, 10) == [], "worker processes outlived their run"
    finally:
        _end(workers)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_progress_moves_per_document(corpus, tmp_path, jobs):
    seen: list[int] = []
    run_corpus(
        [str(corpus)],
        tmp_path / "c.db",
        jobs=jobs,
        batch_size=8,
        progress=lambda s: seen.append(s.done + s.unwritten),
    )
    steps = sorted(set(seen))
    assert steps[-1] == 45
    # batches of 8: per batch would show about 6 values; per document shows nearly all 45
    assert len(steps) >= 35, steps
