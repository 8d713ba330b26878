"""``accordingto serve``: its flags and defaults (the server itself is tested through create_app)."""

from __future__ import annotations

import inspect

from accordingto.cli import main
from accordingto.cli.serve import serve


def test_help_shows_flags_and_an_example(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--db", "--host", "--port", "--allow-private-urls", "accordingto serve --db"):
        assert flag in out


def test_binds_to_localhost_by_default():
    params = inspect.signature(serve).parameters
    assert params["host"].default == "127.0.0.1"
    assert params["allow_private_urls"].default is False


def test_missing_store_is_a_one_line_error(capsys, tmp_path):
    assert main(["serve", "--db", str(tmp_path / "nope.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "accordingto run" in err


def test_serve_answers_on_localhost(corpus_db):
    """The real command, as a user starts it: it serves the pages and the corpus."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "accordingto", "serve", "--db", str(corpus_db), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None and answer.json()["corpus"] is True
        assert httpx.get(f"http://127.0.0.1:{port}/corpus.json").json()["summary"]["articles"] == 3
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"serving on http://127.0.0.1:{port}/" in err
