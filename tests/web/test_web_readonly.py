"""The corpus pages over a store on read-only media: no 500s, nothing written beside it.

Root ignores file modes, so as root the app runs in a forked child that has
dropped to ``nobody`` (uid 65534) first; otherwise ``chmod`` alone makes the
copy read-only.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accordingto.web import WebSettings, create_app

NOBODY = 65534


def _unprivileged(fn: Callable[[], dict]) -> dict:
    """``fn()`` run without the right to write the store (as ``nobody`` when we are root)."""
    if os.geteuid() != 0:
        return fn()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, run, report, leave without cleanup
        os.close(r)
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            out = fn()
        except BaseException as e:  # everything goes back to the parent
            out = {"error": repr(e)}
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        data = f.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.fixture
def read_only_store(corpus_db):
    folder = Path(tempfile.mkdtemp(prefix="ro-store-"))
    copy = folder / "corpus.db"
    shutil.copy(corpus_db, copy)
    copy.chmod(0o444)
    folder.chmod(0o555)
    yield copy
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_a_read_only_store_is_served_without_errors(read_only_store, corpus_client):
    voss = next(
        s["person_id"]
        for s in corpus_client.get("/speakers.json").json()["speakers"]
        if s["name"] == "Lena Voss"
    )
    article = corpus_client.get("/corpus.json").json()["articles"][0]["article_id"]
    quote = corpus_client.get("/search.json", params={"q": "ferry"}).json()["hits"][0]["quote_id"]
    paths = [
        "/corpus",
        "/corpus.json",
        "/search?q=ferry",
        "/search.csv?q=ferry",
        "/speakers",
        f"/speakers/{voss}",
        "/outlet?name=Harbour+Herald",
        f"/quotes/{quote}",
        f"/articles/{article}",
        f"/articles/{article}/record.json",
    ]

    # the same pages from the writable store first: this also loads, before any privileges
    # are dropped, what Python reads lazily from its own install (codecs, compiled templates)
    assert {p: corpus_client.get(p).status_code for p in paths} == dict.fromkeys(paths, 200)

    def serve() -> dict:
        settings = WebSettings(db=read_only_store)
        with TestClient(create_app(settings), raise_server_exceptions=False) as c:
            return {p: [c.get(p).status_code, c.get(p).text[:200]] for p in paths}

    got = _unprivileged(serve)
    assert "error" not in got, got
    assert {p: s for p, (s, _) in got.items()} == dict.fromkeys(paths, 200), got
    assert sorted(os.listdir(read_only_store.parent)) == ["corpus.db"]  # no -wal, no -shm
