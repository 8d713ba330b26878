"""``accordingto run``: analyze a corpus into a store, with a progress bar and worker processes."""

from __future__ import annotations

import functools
import logging
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from accordingto.corpus import PoliteFetcher
from accordingto.corpus.each import DEFAULT_DOC_TIMEOUT
from accordingto.corpus.run import RunStats, count_documents, run_corpus
from accordingto.errors import Interrupted, NothingStoredError
from accordingto.ingest import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

from .app import app
from .params import ModelOption, only_kinds, positive_seconds, selection
from .params import min_confidence as check_min_confidence

DB_HELP = "The store: an SQLite file (created if missing)."


@app.command(
    "run",
    epilog="Examples:  accordingto run news/ --db corpus.db -j 2\n\n"
    "accordingto run articles.jsonl CC-NEWS-2026.warc.gz --db corpus.db\n\n"
    "accordingto run https://example.org/feed.xml urls.urls --db corpus.db --delay 2\n\n"
    "accordingto run news/ --db corpus.db --only speech   (stores all; counts speech)",
)
def run_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Folders, files (.txt .md .html), .jsonl/.csv (.gz), .warc(.gz), feeds (.rss .atom "
            ".xml or a feed URL), URL lists (.urls) and URLs."
        ),
    ] = None,
    db: Annotated[Path, typer.Option("--db", help=DB_HELP)] = Path("corpus.db"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Articles per batch sent to a worker.")
    ] = 16,
    input_type: Annotated[
        str | None,
        typer.Option(
            "--input-type",
            help="Read every input as: folder, file, jsonl, csv, warc, feed, urls, url.",
        ),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option(help="Try again documents that failed before.")
    ] = False,
    delay: Annotated[
        float, typer.Option(help="Seconds between requests to one host.", min=0.0)
    ] = 1.0,
    timeout: Annotated[
        float, typer.Option(help="Seconds allowed for fetching a URL.", callback=positive_seconds)
    ] = DEFAULT_TIMEOUT,
    doc_timeout: Annotated[
        float,
        typer.Option(
            help="Seconds one document may take to analyze; a slower one fails with its reason.",
            callback=positive_seconds,
        ),
    ] = DEFAULT_DOC_TIMEOUT,
    retries: Annotated[int, typer.Option(help="Tries again after a timeout, 429 or 5xx.")] = 3,
    robots: Annotated[bool, typer.Option(help="Obey robots.txt.")] = True,
    max_bytes: Annotated[
        int, typer.Option(help="Largest page fetched, in bytes.")
    ] = DEFAULT_MAX_BYTES,
    allow_private_addresses: Annotated[
        bool,
        typer.Option(help="Fetch URLs on loopback, private, link-local and reserved addresses."),
    ] = False,
    progress: Annotated[
        bool | None, typer.Option(help="Show a progress bar (default: when stderr is a terminal).")
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            metavar="KIND[,KIND]",
            callback=only_kinds,
            help="Count only attributions reported as these kinds (speech, thought, intention, "
            "action, other) in the summary.  The store keeps every kind, so nothing is lost: "
            "ask for a kind later (accordingto quotes --only speech).",
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            metavar="P",
            callback=check_min_confidence,
            help="Count only attributions whose confidence is at least P (0 to 1) in the "
            "summary; the store keeps them all (accordingto quotes --min-confidence P).",
        ),
    ] = None,
    model: ModelOption = None,
) -> None:
    """Analyze every document of a corpus into a store; a killed run resumes where it stopped.

    Re-running on the same inputs adds only what is new.  Documents that fail are
    recorded with their reason (see: accordingto failures --db DB) and the run goes on.
    """
    specs = inputs or []
    keep = selection(only, min_confidence)
    show = sys.stderr.isatty() if progress is None else progress
    with (
        _terminated_is_interrupted(),
        PoliteFetcher(
            delay=delay,
            timeout=timeout,
            retries=retries,
            robots=robots,
            max_bytes=max_bytes,
            allow_private=allow_private_addresses,
        ) as fetcher,
    ):
        run = functools.partial(
            run_corpus,
            specs,
            db,
            jobs=jobs,
            batch_size=batch_size,
            fetcher=fetcher,
            kind=input_type,
            retry_failed=retry_failed,
            budget_s=doc_timeout,
            keep=keep,
        )
        stats = _with_bar(specs, run) if show else run()
    print(_summary(stats, db, keep.describe()))
    if stats.stored == 0 and stats.failed:
        raise NothingStoredError(
            f"no article stored: {stats.failed:,} documents failed; "
            f"see why with: accordingto failures --db {db}"
        )


@contextmanager
def _terminated_is_interrupted() -> Iterator[None]:
    """SIGTERM ends the run as Ctrl-C does (workers ended, the batch rolled back), exit 143."""

    def on_term(signum: int, frame: object) -> None:
        raise Interrupted("terminated", exit_code=128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread (e.g. called from a test's thread): leave it
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _with_bar(specs: list[str], run: Callable[..., RunStats]) -> RunStats:
    total = count_documents(specs)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} docs/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
    )
    with (
        Progress(*columns, console=Console(stderr=True), transient=False) as bar,
        _logging_to(bar.console),
    ):
        task = bar.add_task("analyzing", total=total, rate=0.0, failed=0)

        def update(stats: RunStats) -> None:
            new = stats.done + stats.unwritten - stats.skipped
            bar.update(
                task,
                completed=stats.done + stats.unwritten,
                failed=stats.failed,
                rate=new / stats.seconds if stats.seconds else 0.0,
            )

        stats = run(progress=update)
        update(stats)
    return stats


class _ConsoleHandler(logging.Handler):
    """Log lines printed above the progress bar, through its console (not under it)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        self.console.print(self.format(record), markup=False, highlight=False, soft_wrap=True)


@contextmanager
def _logging_to(console: Console) -> Iterator[None]:
    """Route the root logger's output through ``console`` while the bar is shown."""
    root = logging.getLogger()
    handlers = root.handlers[:]
    handler = _ConsoleHandler(console)
    handler.setFormatter(
        handlers[0].formatter if handlers else logging.Formatter("accordingto: %(message)s")
    )
    root.handlers = [handler]
    try:
        yield
    finally:
        root.handlers = handlers


def _quoted(stats: RunStats, selection: str) -> str:
    """``1,234 quotations, 1,010 speech`` (and how many the selection keeps)."""
    shown = f"{stats.quotes:,} quotations, {stats.speech:,} speech"
    if stats.kept is not None:
        shown += f"; {stats.kept:,} kept by {selection}, all stored"
    return shown


def _summary(stats: RunStats, db: Path, selection: str = "") -> str:
    parts = [
        f"{stats.stored:,} articles stored ({_quoted(stats, selection)})",
        f"{stats.duplicates:,} duplicates",
        f"{stats.failed:,} failed",
    ]
    if stats.skipped:
        parts.append(f"{stats.skipped:,} already in the store")
    line = f"{db}: " + ", ".join(parts) + f" in {stats.seconds:.1f} s"
    if stats.failed:
        line += f"; see why with: accordingto failures --db {db}"
    return line
