"""The CLI with real users: errors in one place, bad option values, outputs that cannot be
written, a reader that goes away (``| head``), Ctrl-C.

Texts are written for these tests (no third-party text).
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import accordingto
import accordingto.errors as errors
from accordingto.cli import main

RULES_ONLY = {**os.environ, "ACCORDINGTO_TAGGER": "0"}
ARTICLE = (
    "“The new library opens on Monday,” said Chief Librarian Nora Castell. "
    "Castell said that the children's section would open in June.\n"
)


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "library.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def many(tmp_path: Path) -> list[str]:
    """Two hundred short articles: long enough a run to interrupt or to cut the pipe of."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(200):
        (folder / f"{i:03d}.txt").write_text(
            f"“We will repair road {i} this year,” said Mayor Ana Ortiz on day {i}.",
            encoding="utf-8",
        )
    return sorted(str(p) for p in folder.iterdir())


# -- errors in one place ---------------------------------------------------------------------------


def _error_classes() -> set[type]:
    for info in pkgutil.walk_packages(accordingto.__path__, "accordingto."):
        if info.name.endswith("__main__"):  # runs the CLI
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # an optional dependency (pyspark, torch) is missing: not ours to judge
            continue
    found: set[type] = set()
    todo = [errors.AccordingToError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_class_lives_in_errors_py() -> None:
    outside = {
        f"{c.__module__}.{c.__qualname__}"
        for c in _error_classes()
        if c.__module__ != "accordingto.errors" and not c.__module__.startswith("test")
    }
    assert not outside, f"define these in accordingto/errors.py: {sorted(outside)}"


def test_the_docstring_draws_every_class_with_its_exit_code() -> None:
    drawn = dict(re.findall(r"(\w+(?:Error|Timeout|Busy)) \.+ (\d+)", errors.__doc__ or ""))
    classes = {
        name: cls
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.AccordingToError)
    }
    assert set(drawn) == set(classes)
    for name, cls in classes.items():
        assert int(drawn[name]) == cls.exit_code, name


def test_unrelated_classes_never_share_an_exit_code() -> None:
    classes = [c for c in _error_classes() if not c.__module__.startswith("test")]
    for a in classes:
        for b in classes:
            related = issubclass(a, b) or issubclass(b, a)
            if a is not b and not related and errors.AccordingToError not in (a, b):
                assert a.exit_code != b.exit_code, (a.__name__, b.__name__)


def test_an_exception_named_like_clicks_is_still_a_bug(
    monkeypatch: pytest.MonkeyPatch, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import accordingto.cli.analyze as analyze_module

    class Exit(Exception):  # not click's Exit: the CLI must not trust the name
        exit_code = 0

    def broken(*args, **kwargs):
        raise Exit("boom")

    monkeypatch.setattr(analyze_module, "analyze_many", broken)
    assert main(["analyze", str(article)]) == 70
    assert "internal error: Exit: boom" in one_line(capsys.readouterr().err)


def test_a_usage_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--jobs", "0"]) == 2
    assert "--jobs" in one_line(capsys.readouterr().err)


# -- bad values, unwritable outputs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "{article}", "--timeout", "-1"],
        ["analyze", "http://127.0.0.1:9/story", "--timeout", "nan"],
        ["run", "--db", "{db}", "--timeout", "nan"],
        ["run", "--db", "{db}", "--doc-timeout", "0"],
        ["run", "--db", "{db}", "--doc-timeout", "inf"],
    ],
)
def test_seconds_must_be_a_positive_number(
    args: list[str], article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = [a.format(article=article, db=tmp_path / "c.db") for a in args]
    assert main(filled) == 2
    assert "is not a number of seconds" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("output", "code", "message"),
    [
        ("{tmp}/missing/out.json", 9, "the folder {tmp}/missing does not exist"),
        ("{tmp}", 9, "is a folder"),
        pytest.param(
            "/dev/full",
            10,
            "/dev/full: no space left on the device",
            marks=pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full"),
        ),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(
    output: str,
    code: int,
    message: str,
    article: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = output.format(tmp=tmp_path)
    assert main(["analyze", str(article), "-o", target, "--format", "json"]) == code
    assert message.format(tmp=tmp_path) in one_line(capsys.readouterr().err)


# -- a reader that goes away, Ctrl-C ---------------------------------------------------------------


def _default_sigint() -> None:
    """A child of a shell's background job inherits SIGINT ignored (POSIX: ``nohup cmd &``),
    and Python then installs no KeyboardInterrupt: reset it, as a terminal's job would have it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _analyze(*args: str, **kw) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "accordingto", "analyze", *args],
        env=RULES_ONLY,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint if sys.platform != "win32" else None,
        **kw,
    )


@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_a_closed_pipe_ends_quietly(many: list[str], fmt: str) -> None:
    proc = _analyze(*many, "--format", fmt)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert proc.returncode == 141 and err == "", err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_says_what_was_written(many: list[str]) -> None:
    proc = _analyze(*many, "--format", "jsonl")
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("{")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    got = 1 + len(out.splitlines())
    m = re.fullmatch(
        r"accordingto: interrupted: (\d+) articles written to stdout; the rest were not analyzed",
        one_line(err),
    )
    assert m, err
    assert got <= int(m.group(1)) <= got + 1  # +1: Ctrl-C landed just before that write
