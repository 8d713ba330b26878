"""``accordingto analyze``: one or more articles to a report, JSON or JSON lines."""

from __future__ import annotations

import sys
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from accordingto.export import render_report, to_json, to_jsonl_line
from accordingto.ingest import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, read_input
from accordingto.model import Article
from accordingto.pipeline import analyze_many

from .app import app

EXAMPLE = "harbor-bridge.md"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def example_article() -> Article:
    """The article bundled with the package, analysed when no input is given."""
    from accordingto.ingest import read_bytes

    data = resources.files("accordingto").joinpath("examples", EXAMPLE).read_bytes()
    return read_bytes(data, source=EXAMPLE, name=EXAMPLE)


@app.command(
    "analyze",
    epilog="Examples:  accordingto analyze            (the bundled example)\n\n"
    "accordingto analyze article.md --format json\n\n"
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
        float, typer.Option(help="Seconds allowed for fetching a URL.")
    ] = DEFAULT_TIMEOUT,
    max_bytes: Annotated[
        int, typer.Option(help="Largest input accepted, in bytes.")
    ] = DEFAULT_MAX_BYTES,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    allow_private_addresses: Annotated[
        bool,
        typer.Option(help="Fetch URLs on loopback, private, link-local and reserved addresses."),
    ] = False,
) -> None:
    """Find every quotation in articles and say who said it."""
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
            f"accordingto: no input given, analysing the bundled example ({EXAMPLE}); see --help",
            file=sys.stderr,
        )
        articles = [example_article()]
    analyses = analyze_many(articles, batch_size=1)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        if output_format is OutputFormat.json:
            out.write(to_json(list(analyses)) + "\n")
            return
        console = Console(file=out, soft_wrap=False)
        for a in analyses:  # streamed: one input at a time
            if output_format is OutputFormat.jsonl:
                out.write(to_jsonl_line(a) + "\n")
                out.flush()
            else:
                console.print(render_report(a))
    finally:
        if output:
            out.close()
