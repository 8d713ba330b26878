"""The command line's polish: --version, shell completion, flags in --help, `train`'s output
guard, and `serve`'s flags generated from WebSettings with a busy port refused up front.

Commands run in-process through :func:`accordingto.cli.main` unless the shell matters.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from accordingto.cli import app, main
from accordingto.web.settings import WebSettings, flag_name, serve_settings, settings_table

DOCS = Path(__file__).resolve().parents[2] / "docs"
COMMANDS = sorted(typer.main.get_command(app).commands)


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "--version")
    assert code == 0 and err == ""
    assert out.startswith("accordingto ") and "spaCy " in out
    assert len(out.strip().splitlines()) == 1


def test_show_completion_for_bash(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:  # typer's completion exits by itself
        main(["--show-completion", "bash"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "complete -o default -F _accordingto_completion accordingto" in out


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An ``accordingto`` executable on PATH that runs this interpreter's package."""
    exe = tmp_path / "bin" / "accordingto"
    exe.parent.mkdir()
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m accordingto "$@"\n')
    exe.chmod(0o755)
    yield {**os.environ, "PATH": f"{exe.parent}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("accordingto se", {"search", "serve"}),
        ("accordingto serve --allow-p", {"--allow-private-urls"}),
        ("accordingto train polnear data --ov", {"--overwrite-shipped"}),
    ],
)
def test_bash_completes_commands_and_flags(
    on_path: dict[str, str], words: str, expected: set[str]
) -> None:
    """The script `--show-completion bash` prints completes in a real bash."""
    script = (
        "source <(accordingto --show-completion bash)\n"
        f"COMP_WORDS=({words}); COMP_CWORD={len(words.split()) - 1}\n"
        "_accordingto_completion accordingto\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script], env=on_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == expected


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_flags_without_a_bool_type(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str | None
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_main(capsys, *([command] if command else []), "--help")
    assert code == 0
    assert "<bool>" not in out and "BOOLEAN" not in out
    assert "--help" in out


def test_train_needs_an_output_directory(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    code, _, err = run_main(capsys, "train", "polnear", str(tmp_path))
    assert code != 0
    assert "--out" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("inside", ["attribution-roles", "attribution-roles/../attribution-roles"])
def test_train_refuses_the_shipped_model_without_overwrite_shipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, inside: str
) -> None:
    from accordingto.cli.train import SHIPPED_MODELS

    shipped = SHIPPED_MODELS / inside
    code, out, err = run_main(capsys, "train", "polnear", str(tmp_path), "--out", str(shipped))
    assert code == 2
    assert "--overwrite-shipped" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_serve_has_a_flag_for_every_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    _, out, _ = run_main(capsys, "serve", "--help")
    flat = "".join(out.split())  # help is wrapped, at spaces and after hyphens
    names = [f.name for f in serve_settings()]
    assert len(names) >= 9 and "fetch_transport" not in names and "resolve" not in names
    for f in serve_settings():
        assert flag_name(f) in out, f.name
        assert "".join(f.metadata["help"].split()) in flat, f.name


def test_docs_web_settings_table_is_generated_from_the_settings() -> None:
    assert settings_table() in (DOCS / "web.md").read_text(encoding="utf-8")


def test_serve_passes_every_flag_to_the_settings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import accordingto.web

    seen: dict[str, object] = {}
    monkeypatch.setattr(accordingto.web, "create_app", lambda s: seen.setdefault("settings", s))
    monkeypatch.setattr(
        uvicorn.Server, "run", lambda self, sockets: seen.setdefault("sockets", sockets)
    )
    code, _, err = run_main(
        capsys, "serve", "--port", "0", "--max-fetch-bytes", "1000", "--fetch-timeout", "2.5",
        "--cache-size", "7", "--no-preload", "--allow-private-urls", "--max-upload-bytes", "99",
    )  # fmt: skip
    assert code == 0, err
    settings = seen["settings"]
    assert isinstance(settings, WebSettings)
    assert dataclasses.replace(settings, fetch_transport=None) == WebSettings(
        port=0, max_fetch_bytes=1000, fetch_timeout=2.5, cache_size=7, preload=False,
        allow_private_urls=True, max_upload_bytes=99,
    )  # fmt: skip
    for sock in seen["sockets"]:  # type: ignore[attr-defined]
        sock.close()
    assert "serving on http://127.0.0.1:" in err


def test_serve_on_a_busy_port_fails_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run_main(capsys, "serve", "--port", str(port))
    assert code == 2
    assert "serving on" not in err
    assert len(err.strip().splitlines()) == 1 and f"127.0.0.1:{port}" in err
    assert "Traceback" not in out + err


def test_serve_refuses_a_missing_store(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    code, _, err = run_main(capsys, "serve", "--db", str(tmp_path / "none.db"), "--port", "0")
    assert code == 2 and "no such store" in err and "serving on" not in err
