"""``accordingto spark``: the Spark job from the command line (local mode by default)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from accordingto.corpus.each import DEFAULT_DOC_TIMEOUT

from .app import app
from .params import positive_seconds

__all__ = ["spark_command"]


@app.command(
    "spark",
    epilog="Examples:  accordingto spark articles.jsonl --out quotes/\n\n"
    "accordingto spark 'crawl/*.warc.gz' --out quotes/ --partitions 8 --master 'local[4]'\n\n"
    "On a cluster: spark-submit .../accordingto/spark/__main__.py (docs/spark.md)",
)
def spark_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="JSON lines or WARC(.gz) paths or globs that Spark reads (local, hdfs://, s3a://)."
        ),
    ],
    out: Annotated[
        str, typer.Option("--out", "-o", help="Output folder: one Parquet folder per table.")
    ],
    input_format: Annotated[
        str, typer.Option("--input-format", help="auto (by suffix), jsonl or warc.")
    ] = "auto",
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Repartition the records before analysis (default: as read)."),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch.")] = 16,
    overwrite: Annotated[
        bool, typer.Option(help="Replace the tables already under --out.")
    ] = False,
    master: Annotated[str | None, typer.Option(help="Spark master; default local[*].")] = None,
    doc_timeout: Annotated[
        float,
        typer.Option(
            help="Seconds one article may take; a slower one goes to the failures table.",
            callback=positive_seconds,
        ),
    ] = DEFAULT_DOC_TIMEOUT,
) -> None:
    """Analyze a corpus with Spark; write Parquet in the export schema (docs/export-schema.md).

    One folder per table: articles, speakers, quotes (with what each reports: reported_as),
    marks, diagnostics, events (with who claims each) and failures.  Inputs that cannot be
    analyzed go to the failures table with their reason; the job goes on.  Read the output back with accordingto.export.tables.read_parquet.
    """
    from accordingto.spark import run_job, session

    result = run_job(
        session(master),
        inputs,
        out,
        fmt=input_format,
        partitions=partitions,
        batch_size=batch_size,
        mode="overwrite" if overwrite else "errorifexists",
        budget_s=doc_timeout,
    )
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    print(f"accordingto: wrote {counts} to {result.out}", file=sys.stderr)
