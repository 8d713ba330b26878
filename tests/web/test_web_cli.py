"""``accordingto serve``: its flags and defaults (the server itself is tested through create_app)."""

from __future__ import annotations

import inspect

from accordingto.cli import main
from accordingto.cli.serve import serve_command


def test_help_shows_flags_and_an_example(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--db", "--host", "--port", "--allow-private-urls", "accordingto serve --db"):
        assert flag in out


def test_binds_to_localhost_by_default():
    params = inspect.signature(serve_command).parameters
    assert params["host"].default == "127.0.0.1"
    assert params["allow_private_urls"].default is False


def test_missing_store_is_a_one_line_error(capsys, tmp_path):
    assert main(["serve", "--db", str(tmp_path / "nope.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "accordingto run" in err
