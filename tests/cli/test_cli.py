"""The command line: `analyze` and `eval`, good inputs and bad ones.

Most tests call :func:`accordingto.cli.main` in-process (fast: the spaCy
pipeline is loaded once); the ones where the real process matters (exit status,
logging to stderr, stdin) run ``python -m accordingto``.  Every bad input must
give a non-zero exit, exactly one line on stderr and no traceback.

Texts are written for these tests (no third-party text).
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

import accordingto.ingest.read as read_module
from accordingto.cli import app, main
from accordingto.ingest import DEFAULT_MAX_BYTES

ARTICLE = (
    "Library reopens after flood repairs\n\n"
    "The central library in Millbrook reopened on Saturday, eight months after a flood "
    "damaged its ground floor.\n\n"
    "“We lost about four thousand books, but not a single reader,” said Chief Librarian "
    "Nora Castell. “People kept asking when they could come back.”\n\n"
    "Castell said that the children's section would open again in June.\n"
)
SECOND = (
    "Bus fares to rise in Millbrook\n\n"
    "Bus fares in Millbrook will rise by ten cents from next month, the transport "
    "authority said on Friday.\n\n"
    "“Fuel and wages have gone up, and the fares must follow,” said Omar Reyes, "
    "who heads the authority.\n"
)
GERMAN = (
    "Die Stadtbibliothek von Millbrook ist am Samstag wieder geöffnet worden, acht Monate "
    "nach einem Hochwasser. „Wir haben viertausend Bücher verloren, aber keinen einzigen "
    "Leser“, sagte die Leiterin der Bibliothek. Sie sagte außerdem, dass die Kinderabteilung "
    "im Juni wieder öffnen werde, und dass die Stadt die Kosten übernehmen wolle.\n"
)


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m accordingto`` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "accordingto", *args],
        check=False,
        input=stdin.decode("utf-8") if stdin is not None else None,
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=timeout,
    )  # fmt: skip


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code != 0
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].strip()


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "library.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --- good inputs -----------------------------------------------------------------------


def test_no_input_analyses_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "analyze", "--format", "json")
    assert code == 0
    assert "bundled example" in err
    data = json.loads(out)
    speakers = {s["name"]: s for s in data["speakers"]}
    assert "Daniel Okafor" in speakers
    okafor = speakers["Daniel Okafor"]
    assert okafor["kind"] == "person"
    kinds = [q["kind"] for q in data["quotes"] if q["speaker_id"] == okafor["id"]]
    assert "direct" in kinds


def test_no_input_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "analyze")
    assert code == 0
    assert "Daniel Okafor" in out


def test_json_output_spans_index_the_text(
    capsys: pytest.CaptureFixture[str], article_file: Path
) -> None:
    code, out, _ = run_main(capsys, "analyze", str(article_file), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"]
    text = data["article"]["text"]
    assert text == ARTICLE
    spans = [
        span
        for q in data["quotes"]
        for span in [*q["content"], q["cue"], q["source"]]
        if span is not None
    ]
    spans += [m for s in data["speakers"] for m in s["mentions"]]
    spans += [m["span"] for m in data["marks"]]
    assert data["quotes"] and spans
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]
    assert any("Nora Castell" in s["name"] for s in data["speakers"])


def test_jsonl_gives_one_line_per_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    code, out, _ = run_main(capsys, "analyze", str(first), str(second), "--format", "jsonl")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["article"]["text"] for line in lines] == [ARTICLE, SECOND]


def test_output_option_writes_a_file(
    capsys: pytest.CaptureFixture[str], article_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run_main(capsys, "analyze", str(article_file), "-f", "json", "-o", str(target))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["article"]["text"] == ARTICLE


def test_stdin(tmp_path: Path) -> None:
    result = run_process("analyze", "-", "--format", "json", stdin=ARTICLE.encode(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["article"]["text"] == ARTICLE
    assert data["quotes"]


#: Every registered command, so that a new one is held to the same rule.
COMMANDS = sorted(typer.main.get_command(app).commands)


def test_commands_are_registered() -> None:
    assert {"analyze", "eval"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_an_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping inside an example line
    code, out, _ = run_main(capsys, command, "--help")
    assert code == 0
    examples = [
        line
        for line in out.splitlines()
        if f"accordingto {command}" in line and "Usage:" not in line
    ]
    assert examples, f"`accordingto {command} --help` shows no example:\n{out}"


def test_top_level_help_lists_the_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_main(capsys, "--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_non_english_text_warns_and_finds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bibliothek.txt"
    path.write_text(GERMAN, encoding="utf-8")
    result = run_process("analyze", str(path), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "english" in result.stderr.lower()
    data = json.loads(result.stdout)
    assert data["quotes"] == []
    assert data["article"]["language"] != "en"


# --- bad inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\n\t \n"),
        ("binary.txt", b"%PDF-1.4\x00\x01\x02\x00\x00binary\x00data" * 20),
        ("latin1.txt", "Der Bürgermeister sagte, die Brücke sei sicher.".encode("latin-1")),
        ("nav.html", b"<html><body><nav>a</nav></body></html>"),
    ],
    ids=["empty", "whitespace-only", "binary", "invalid-utf8", "html-without-article"],
)
def test_bad_file_is_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run_main(capsys, "analyze", str(path))
    assert_one_line_error(code, out, err)
    assert name in err


def test_bad_file_in_a_real_process(tmp_path: Path) -> None:
    """The same contract end to end: exit status, one line, no traceback."""
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run_process("analyze", str(path), cwd=tmp_path)
    assert_one_line_error(result.returncode, result.stdout, result.stderr)
    assert "empty" in result.stderr


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_main(capsys, "analyze", str(tmp_path / "no-such-article.txt"))
    assert_one_line_error(code, out, err)
    assert "no such file" in err


def test_file_over_the_cap(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(("The council said the bridge was safe. " * 60)[:2000], encoding="utf-8")
    assert path.stat().st_size == 2000
    code, out, err = run_main(capsys, "analyze", str(path), "--max-bytes", "1000")
    assert_one_line_error(code, out, err)
    assert "limit" in err


def test_huge_file_is_refused_without_reading_it_all(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    size = 50_000_000
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        line = b"The mayor said the bridge would be repaired next year.\n"
        for _ in range(size // len(line)):
            f.write(line)
        f.write(b"x" * (size - f.tell()))
    assert path.stat().st_size == size

    read_sizes: list[int] = []
    real_open = open

    class CountingFile:
        def __init__(self, f):
            self._f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

        def read(self, n: int = -1) -> bytes:
            data = self._f.read(n)
            read_sizes.append(len(data))
            return data

        def __getattr__(self, name):
            return getattr(self._f, name)

    def counting_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return CountingFile(f) if "b" in mode and Path(file) == path else f

    monkeypatch.setattr(read_module, "open", counting_open, raising=False)
    try:
        code, out, err = run_main(capsys, "analyze", str(path))
    finally:
        path.unlink()  # pytest keeps tmp_path of recent runs: do not leave 50 MB behind
    assert_one_line_error(code, out, err)
    assert "50,000,000 bytes" in err
    # its size is known from fstat, so nothing (at most the cap) is read
    assert sum(read_sizes) <= DEFAULT_MAX_BYTES + 1 < size


class _Handler(http.server.BaseHTTPRequestHandler):
    release: threading.Event

    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            self.release.wait(10)  # longer than the client's timeout
            return
        self.send_error(404, "Not Found")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server: /slow never answers in time, anything else is 404."""
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"release": release})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.handle_error = lambda request, address: None  # a client that gave up is not an error
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def test_url_404(capsys: pytest.CaptureFixture[str], server: str) -> None:
    code, out, err = run_main(
        capsys, "analyze", f"{server}/news/missing.html", "--allow-private-addresses"
    )
    assert_one_line_error(code, out, err)
    assert "404" in err


def test_url_timeout(capsys: pytest.CaptureFixture[str], server: str) -> None:
    code, out, err = run_main(
        capsys, "analyze", f"{server}/slow", "--timeout", "0.5", "--allow-private-addresses"
    )
    assert_one_line_error(code, out, err)
    assert "timed out" in err


def test_unknown_eval_dataset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_main(capsys, "eval", "no-such-corpus", str(tmp_path))
    assert_one_line_error(code, out, err)
    assert "no-such-corpus" in err


# --- eval ------------------------------------------------------------------------------


def test_eval_polnear_on_three_dev_articles(
    capsys: pytest.CaptureFixture[str], shared_dir: Path
) -> None:
    polnear = shared_dir / "data" / "polnear"
    if not (polnear / "data" / "dev").is_dir():
        pytest.skip(f"PolNeAR not found at {polnear}")
    code, out, err = run_main(capsys, "eval", "polnear", str(polnear), "--limit", "3")
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "source" in out
    assert "3 articles" in out


def test_a_bug_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import accordingto.cli.analyze as analyze_command

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(analyze_command, "analyze_many", broken)
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    assert main(["analyze", str(path)]) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error: IndexError" in err[0] and "Traceback" not in err[0]
