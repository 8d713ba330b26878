"""``accordingto analyze``: one or more articles to a report, JSON or JSON lines."""

from __future__ import annotations

import contextlib
import errno
import io
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from accordingto.errors import AccordingToError, DiskFullError, Interrupted, OutputError
from accordingto.export import render_report, to_json, to_jsonl_line
from accordingto.export.select import Selection
from accordingto.ingest import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, read_input
from accordingto.model import Analysis, Article
from accordingto.pipeline import analyze_many

from .app import app
from .params import MinConfidence, ModelOption, Only, positive_seconds, selection

EXAMPLE = "harbor-bridge.md"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def example_article() -> Article:
    """The article bundled with the package, analyzed when no input is given."""
    from accordingto.ingest import read_bytes

    data = resources.files("accordingto").joinpath("examples", EXAMPLE).read_bytes()
    return read_bytes(data, source=EXAMPLE, name=EXAMPLE)


@app.command(
    "analyze",
    epilog="Examples:  accordingto analyze            (the bundled example)\n\n"
    "accordingto analyze article.md --format json\n\n"
    "accordingto analyze article.md --only speech --min-confidence 0.5\n\n"
    "curl -s https://example.org/story | accordingto analyze - --input-format html",
)
def analyze_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, http(s) URLs, or - for stdin. None: the bundled example."),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="text report, json, or jsonl (one line per input)."),
    ] = OutputFormat.text,
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help="text, markdown or html; default: detected."),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds allowed for fetching a URL.", callback=positive_seconds)
    ] = DEFAULT_TIMEOUT,
    max_bytes: Annotated[
        int, typer.Option(help="Largest input accepted, in bytes.", min=1)
    ] = DEFAULT_MAX_BYTES,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    allow_private_addresses: Annotated[
        bool,
        typer.Option(help="Fetch URLs on loopback, private, link-local and reserved addresses."),
    ] = False,
    events: Annotated[
        bool,
        typer.Option(
            "--events/--no-events", help="Also find the reported events (about 4 % of the time)."
        ),
    ] = True,
    only: Only = None,
    min_confidence: MinConfidence = None,
    model: ModelOption = None,
) -> None:
    """Find every quotation in articles and say who said it, and the events they report.

    The report lists speech first and attributions reporting a thought, an intention,
    an action or something else apart; --only and --min-confidence keep some of them
    (in every format; the report says how many it left out).
    """
    keep = selection(only, min_confidence)
    articles: Iterable[Article]
    if inputs:
        articles = (
            read_input(
                s,
                format=input_format,
                timeout=timeout,
                max_bytes=max_bytes,
                allow_private=allow_private_addresses,
            )
            for s in inputs
        )
    else:
        print(
            f"accordingto: no input given, analyzing the bundled example ({EXAMPLE}); see --help",
            file=sys.stderr,
        )
        articles = [example_article()]
    target = str(output) if output else "stdout"
    out = _open(output) if output else sys.stdout
    written = 0
    try:
        console = _renderer(out)
        for count, chunk in _chunks(
            analyze_many(articles, batch_size=1, events=events), output_format, console, keep
        ):
            written += count  # counted first: Ctrl-C may land as the write returns
            _emit(out, chunk, target)
        if output:
            _emit(out, "", target, close=True)  # a full disk may show only when the file is closed
    except KeyboardInterrupt:
        raise Interrupted(_interrupted(written, output_format, target)) from None
    finally:
        if output and not out.closed:
            with contextlib.suppress(OSError):
                out.close()


def _chunks(
    analyses: Iterable[Analysis],
    output_format: OutputFormat,
    console: Console,
    keep: Selection | None = None,
) -> Iterator[tuple[int, str]]:
    """``(articles, text)`` to write: one article at a time (a JSON document: all at the end)."""
    keep = keep or Selection()
    if output_format is OutputFormat.json:
        done = [keep.apply(a) for a in analyses]
        yield len(done), to_json(done) + "\n"
        return
    for a in analyses:  # streamed: one input at a time
        if output_format is OutputFormat.jsonl:
            yield 1, to_jsonl_line(keep.apply(a)) + "\n"
        else:
            with console.capture() as captured:
                console.print(render_report(a, selection=keep))
            yield 1, captured.get()


def _renderer(out: TextIO) -> Console:
    """A console that renders as one on ``out`` would (width, colours) but writes nothing:
    the text is written by :func:`_emit`, which reports a failed write in one line."""
    probe = Console(file=out, soft_wrap=False)
    return Console(
        file=io.StringIO(),
        width=probe.width,
        force_terminal=probe.is_terminal,
        color_system=probe.color_system,  # type: ignore[arg-type]
        soft_wrap=False,
    )


def _open(path: Path) -> TextIO:
    try:
        return path.open("w", encoding="utf-8")
    except OSError as e:
        raise output_error(str(path), e) from e


def _emit(out: TextIO, text: str, target: str, *, close: bool = False) -> None:
    """Write ``text`` now; a broken pipe goes up as it is (the CLI ends quietly), other errors
    become one line that says what to do."""
    try:
        out.write(text)
        out.flush()
        if close:
            out.close()
    except BrokenPipeError:
        raise
    except OSError as e:
        raise output_error(target, e) from e


def output_error(target: str, e: OSError) -> AccordingToError:
    """The error to report when writing ``target`` failed with ``e``."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            f"{target}: no space left on the device; free some space or write the output elsewhere"
        )
    if e.errno == errno.ENOENT and target != "stdout":
        folder = Path(target).parent
        return OutputError(
            f"{target}: the folder {folder} does not exist; create it first "
            f"(mkdir -p {folder}) or give another --output"
        )
    if e.errno == errno.EISDIR:
        return OutputError(f"{target}: is a folder; give a file path to --output")
    return OutputError(f"{target}: cannot be written ({e.strerror or e}); give another --output")


def _interrupted(written: int, output_format: OutputFormat, target: str) -> str:
    if written:
        return f"interrupted: {written} articles written to {target}; the rest were not analyzed"
    if output_format is OutputFormat.json:
        return (
            "interrupted: nothing written (--format json writes all articles at the end; "
            "--format jsonl writes each as it is done)"
        )
    return "interrupted: nothing written"
