"""The Spark job: JSON lines or WARC files in, Parquet in the export schema out.

Reading happens where Spark reads (local paths, ``hdfs://``, ``s3a://``, globs,
comma-separated lists); each partition loads the spaCy pipeline once
(:func:`~accordingto.nlp.load.load_pipeline` is cached per Python worker, and
Spark reuses its workers) and runs :func:`~accordingto.spark.records.analyze_items`
over its records; every table of :data:`~accordingto.export.tables.TABLES`
(the events of each article included, with their offsets and ``claimed_by``)
and the ``failures`` table is written as ``<out>/<table>/part-*.parquet``.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa

from accordingto.corpus.each import DEFAULT_DOC_TIMEOUT
from accordingto.errors import SparkError
from accordingto.export.tables import FAILURES, TABLES

from .records import Item, analyze_items, jsonl_item, warc_items

__all__ = [
    "INPUT_FORMATS",
    "JobResult",
    "SparkError",
    "input_format",
    "run_job",
    "session",
    "spark_schema",
]

log = logging.getLogger(__name__)

#: ``auto`` picks ``warc`` for ``.warc``/``.warc.gz``/``.arc.gz`` paths and ``jsonl`` otherwise.
INPUT_FORMATS = ("auto", "jsonl", "warc")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True, slots=True)
class JobResult:
    """Where the job wrote, and how many rows each table got."""

    out: str
    counts: dict[str, int]


def _require_pyspark():
    try:
        import pyspark
    except ImportError as e:
        raise SparkError("pyspark is not installed: pip install 'accordingto[spark]'") from e
    return pyspark


def session(master: str | None = None, *, app_name: str = "accordingto"):
    """A SparkSession: ``master`` if given, ``local[*]`` outside ``spark-submit``, else submit's.

    In local mode the Python workers run this interpreter (``PYSPARK_PYTHON``),
    so they see the same installed packages.
    """
    _require_pyspark()
    from pyspark.sql import SparkSession

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        master = "local[*]"
    if master and master.startswith("local"):
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise SparkError(
                "Spark needs Java 17 or later: install a JDK (e.g. apt-get install "
                "openjdk-17-jre-headless) or set JAVA_HOME"
            )
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("ACCORDINGTO_SPARK_LOG", "ERROR"))
    return spark


def spark_schema(schema: pa.Schema):
    """The Spark ``StructType`` of one export table's Arrow schema (string, int64, double)."""
    from pyspark.sql import types as T

    kinds = {pa.string(): T.StringType(), pa.int64(): T.LongType(), pa.float64(): T.DoubleType()}
    return T.StructType([T.StructField(f.name, kinds[f.type], f.nullable) for f in schema])


def input_format(path: str) -> str:
    """``warc`` or ``jsonl`` for one input path, by its suffix."""
    return "warc" if path.lower().endswith(_WARC_SUFFIXES) else "jsonl"


def _jsonl_rdd(spark, paths: Sequence[str]):
    from pyspark.sql import functions as F

    frame = spark.read.text(list(paths)).select(F.col("_metadata.file_path").alias("path"), "value")
    return frame.rdd.filter(lambda r: r.value.strip()).map(
        lambda r: jsonl_item(r.value, source=r.path)
    )


def _warc_rdd(spark, paths: Sequence[str]):
    return spark.sparkContext.binaryFiles(",".join(paths)).flatMap(
        lambda pair: warc_items(pair[1], source=pair[0])
    )


def _items_rdd(spark, paths: Sequence[str], fmt: str):
    groups: dict[str, list[str]] = {"jsonl": [], "warc": []}
    for path in paths:
        groups[input_format(path) if fmt == "auto" else fmt].append(path)
    rdds = [
        reader(spark, groups[name])
        for name, reader in (("jsonl", _jsonl_rdd), ("warc", _warc_rdd))
        if groups[name]
    ]
    return rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds)


def _analyze_partition(batch_size: int, budget_s: float | None):
    def run(items: Iterable[Item]) -> Iterator[tuple[str, tuple]]:
        from accordingto.nlp.load import load_pipeline

        yield from analyze_items(
            items, nlp=load_pipeline(), batch_size=batch_size, budget_s=budget_s
        )

    return run


def run_job(
    spark,
    inputs: Sequence[str],
    out: str,
    *,
    fmt: str = "auto",
    partitions: int | None = None,
    batch_size: int = 16,
    mode: str = "errorifexists",
    budget_s: float | None = DEFAULT_DOC_TIMEOUT,
) -> JobResult:
    """Analyze every article under ``inputs`` and write the export tables under ``out``.

    ``partitions`` repartitions the records before analysis (default: as read;
    one WARC file is one partition, so give more when files are few and large).
    ``mode`` is Spark's save mode (``errorifexists``, ``overwrite``, ``append``).
    ``budget_s``: seconds each article may take (``None``: no limit); a slower
    one becomes a failure row.
    """
    if fmt not in INPUT_FORMATS:
        raise SparkError(f"unknown input format {fmt!r}; use one of: {', '.join(INPUT_FORMATS)}")
    if not inputs:
        raise SparkError("no input given: pass JSON lines or WARC paths (local, hdfs://, s3a://)")
    from pyspark.errors import PySparkException

    try:
        return _run(spark, inputs, out, fmt, partitions, batch_size, budget_s, mode)
    except PySparkException as e:  # one line, and what to do, instead of a JVM stack trace
        message = str(e).strip().splitlines()[0]
        hint = {
            "PATH_NOT_FOUND": "check the input paths",
            "PATH_ALREADY_EXISTS": "give a new --out folder or overwrite it",
        }.get(e.getCondition() or "", "see the log")
        raise SparkError(f"the Spark job failed: {message} ({hint})") from e


def _exists(spark, out: str) -> bool:
    """Whether ``out`` exists, asked of the Hadoop file system that will write it."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(out)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path)


def _run(
    spark,
    inputs: Sequence[str],
    out: str,
    fmt: str,
    partitions: int | None,
    batch_size: int,
    budget_s: float | None,
    mode: str,
) -> JobResult:
    from pyspark import StorageLevel

    if mode == "errorifexists" and _exists(spark, out):
        raise SparkError(
            f"{out} exists: give a new output folder, or overwrite it "
            "(--overwrite, or mode='overwrite')"
        )
    items = _items_rdd(spark, inputs, fmt)
    if partitions:
        items = items.repartition(partitions)
    tagged = items.mapPartitions(_analyze_partition(batch_size, budget_s)).persist(
        StorageLevel.MEMORY_AND_DISK
    )
    try:
        counts = {name: 0 for name in [*TABLES, "failures"]}
        counts.update(tagged.map(lambda pair: pair[0]).countByValue())
        for name, schema in [*TABLES.items(), ("failures", FAILURES)]:
            rows = tagged.filter(lambda pair, name=name: pair[0] == name).map(lambda pair: pair[1])
            spark.createDataFrame(rows, spark_schema(schema)).write.mode(mode).parquet(
                f"{out.rstrip('/')}/{name}"
            )
    finally:
        tagged.unpersist()
    log.info("wrote %s to %s", counts, out)
    return JobResult(out=out, counts=dict(counts))
