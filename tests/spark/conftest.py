"""One local SparkSession per test module (skipped only when Java is missing)."""

from __future__ import annotations

import pytest
from sparkdata import java_missing


@pytest.fixture(scope="module")
def spark():
    """A ``local[2]`` session for the module; skipped only when Java is missing."""
    if java_missing():
        pytest.skip("Spark needs Java 17 or later (no java on PATH, no JAVA_HOME)")
    from accordingto.spark import session

    spark = session("local[2]", app_name="accordingto-tests")
    spark.conf.set("spark.sql.shuffle.partitions", "2")
    yield spark
    spark.stop()
