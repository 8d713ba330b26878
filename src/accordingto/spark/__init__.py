"""Beyond one machine: the analysis as a PySpark job writing Parquet in the export schema.

>>> from accordingto.spark import run_job, session
>>> result = run_job(session("local[2]"), ["articles.jsonl"], "out/")   # doctest: +SKIP
>>> result.counts["quotes"]                                             # doctest: +SKIP

From the shell: ``accordingto spark INPUT... --out DIR`` (local mode), or
``spark-submit .../accordingto/spark/__main__.py INPUT... --out DIR`` on a
cluster (see ``docs/spark.md``).  The output folder is read back with
:func:`accordingto.export.tables.read_parquet`.  pyspark is imported only when a
session is made, so this package imports without it.
"""

from .job import INPUT_FORMATS, JobResult, SparkError, input_format, run_job, session, spark_schema
from .records import Failure, analyze_items, jsonl_item, warc_items

__all__ = [
    "INPUT_FORMATS",
    "Failure",
    "JobResult",
    "SparkError",
    "analyze_items",
    "input_format",
    "jsonl_item",
    "run_job",
    "session",
    "spark_schema",
    "warc_items",
]
