"""``python -m accordingto.spark`` and the file given to ``spark-submit`` (see ``docs/spark.md``).

Absolute imports only, so that ``spark-submit <this file>`` runs it as a script.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys

from accordingto.corpus.each import DEFAULT_DOC_TIMEOUT
from accordingto.errors import AccordingToError
from accordingto.spark.job import INPUT_FORMATS, run_job, session


def _seconds(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds above 0")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="accordingto.spark",
        description="Analyze JSON lines or WARC files with Spark; write Parquet in the export "
        "schema (docs/export-schema.md), one folder per table.",
        epilog="example: spark-submit --master yarn .../accordingto/spark/__main__.py "
        "'s3a://bucket/news/*.jsonl' --out s3a://bucket/quotes/",
    )
    p.add_argument(
        "inputs", nargs="+", help="paths or globs Spark can read (local, hdfs://, s3a://)"
    )
    p.add_argument("--out", required=True, help="output folder (one subfolder per table)")
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="auto: .warc/.warc.gz are WARC, anything else JSON lines",
    )
    p.add_argument(
        "--partitions",
        type=int,
        default=None,
        help="repartition the records before analysis (default: as read)",
    )
    p.add_argument("--batch-size", type=int, default=16, help="articles per nlp.pipe batch")
    p.add_argument(
        "--doc-timeout",
        type=_seconds,
        default=DEFAULT_DOC_TIMEOUT,
        help="seconds one article may take; a slower one goes to the failures table",
    )
    p.add_argument(
        "--mode",
        default="errorifexists",
        choices=("errorifexists", "overwrite", "append"),
        help="when --out exists",
    )
    p.add_argument(
        "--master",
        default=None,
        help="Spark master (default: spark-submit's, or local[*] outside it)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="accordingto: %(levelname)s: %(message)s")
    try:
        spark = session(args.master)
        result = run_job(
            spark,
            args.inputs,
            args.out,
            fmt=args.input_format,
            partitions=args.partitions,
            batch_size=args.batch_size,
            mode=args.mode,
            budget_s=args.doc_timeout,
        )
    except AccordingToError as e:
        print(f"accordingto: error: {e}", file=sys.stderr)
        return e.exit_code
    print(" ".join(f"{name}={n}" for name, n in result.counts.items()), f"-> {result.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
