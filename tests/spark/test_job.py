"""The Spark job in local mode: the same analyses as in-process, failures kept, errors in words."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from sparkdata import HTML, TEXTS, warc_bytes, write_jsonl

from accordingto.export.tables import FAILURES, TABLES, read_parquet
from accordingto.pipeline import analyze_many
from accordingto.spark import SparkError, jsonl_item, run_job, spark_schema, warc_items


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    records = [{"id": key, "text": text, "outlet": "Test Post"} for key, text in TEXTS.items()]
    write_jsonl(folder / "a.jsonl", records[:2] + ["{broken", ""])
    write_jsonl(folder / "b.jsonl", records[2:] + [{"id": "blank", "text": " "}])
    (folder / "c.warc.gz").write_bytes(
        warc_bytes(
            [
                ("response", "https://e.org/bridge", 200, "text/html", HTML.encode()),
            ]
        )
    )
    return folder


@pytest.fixture(scope="module")
def job(spark, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "tables"
    paths = [str(inputs / "*.jsonl"), str(inputs / "c.warc.gz")]
    return run_job(spark, paths, str(out), partitions=2, batch_size=2)


def _expected(inputs):
    lines = [
        line
        for f in sorted(inputs.glob("*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    items = [jsonl_item(line, source="") for line in lines]
    items += list(warc_items((inputs / "c.warc.gz").read_bytes(), source=""))
    articles = [item[1] for item in items if isinstance(item, tuple)]
    return list(analyze_many(articles))


def test_spark_gives_the_same_analyses_as_in_process(job, inputs) -> None:
    got = sorted(read_parquet(job.out), key=lambda a: a.article.id)
    expected = sorted(_expected(inputs), key=lambda a: a.article.id)
    assert len(got) == 5
    assert got == expected


def test_counts_match_what_was_written(job) -> None:
    for name in [*TABLES, "failures"]:
        assert pq.read_table(f"{job.out}/{name}").num_rows == job.counts[name], name
    assert job.counts["quotes"] >= 6 and job.counts["events"] >= 1


def test_bad_lines_are_failure_rows(job) -> None:
    failures = pq.read_table(f"{job.out}/failures").to_pylist()
    reasons = sorted(f["reason"].split(": ", 1)[1] for f in failures)
    assert len(failures) == 2
    assert reasons[0].startswith("input contains only whitespace")
    assert reasons[1].startswith("not valid JSON")
    assert any(f["input"].endswith("b.jsonl#blank") for f in failures)


def test_parquet_columns_follow_the_export_schema(job) -> None:
    for name, schema in [*TABLES.items(), ("failures", FAILURES)]:
        assert pq.read_table(f"{job.out}/{name}").column_names == schema.names, name


def test_spark_schema_keeps_names_and_nullability() -> None:
    for schema in [*TABLES.values(), FAILURES]:
        struct = spark_schema(schema)
        assert [(f.name, f.nullable) for f in struct.fields] == [
            (f.name, f.nullable) for f in schema
        ]


def test_an_existing_output_is_refused_before_any_work(spark, job, inputs) -> None:
    with pytest.raises(SparkError, match="exists: give a new output folder"):
        run_job(spark, [str(inputs / "a.jsonl")], job.out)


def test_a_missing_input_is_one_line(spark, tmp_path) -> None:
    with pytest.raises(SparkError, match="PATH_NOT_FOUND.*check the input paths"):
        run_job(spark, [str(tmp_path / "nothing.jsonl")], str(tmp_path / "out"))


@pytest.mark.parametrize(
    ("inputs_", "fmt", "match"),
    [
        ([], "auto", "no input given"),
        (["x.jsonl"], "csv", "unknown input format"),
    ],
)
def test_bad_arguments(spark, tmp_path, inputs_, fmt, match) -> None:
    with pytest.raises(SparkError, match=match):
        run_job(spark, inputs_, str(tmp_path / "out"), fmt=fmt)


def test_cli_runs_the_job_and_says_what_it_wrote(spark, inputs, tmp_path, capsys) -> None:
    from accordingto.cli import main

    out = tmp_path / "cli-out"
    assert main(["spark", str(inputs / "b.jsonl"), "--out", str(out), "--master", "local[2]"]) == 0
    err = capsys.readouterr().err
    assert "wrote 2 articles" in err and "1 events" in err  # the events table too (issue 13)
    assert len(list(read_parquet(out))) == 2


def test_cli_errors_are_one_line_with_an_exit_code(spark, job, inputs, capsys) -> None:
    from accordingto.cli import main
    from accordingto.spark.__main__ import main as submit_main

    assert main(["spark", str(inputs / "a.jsonl"), "--out", job.out]) == SparkError.exit_code
    assert submit_main([str(inputs / "a.jsonl"), "--out", job.out]) == SparkError.exit_code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("accordingto: error: ") for line in err)


def test_cli_needs_an_output_folder(capsys) -> None:
    from accordingto.cli import main

    assert main(["spark", "in.jsonl"]) == 2
    assert "--out" in capsys.readouterr().err


def test_events_are_written_with_their_article_offsets_and_claimant(job) -> None:
    articles = {
        r["article_id"]: r["text"] for r in pq.read_table(f"{job.out}/articles").to_pylist()
    }
    events = pq.read_table(f"{job.out}/events").to_pylist()
    sent = next(e for e in events if e["trigger_text"] == "sent")
    text = articles[sent["article_id"]]
    assert text[sent["trigger_start"] : sent["trigger_end"]] == "sent"
    assert sent["actor_code"] == "SWE" and sent["claimed_by_name"] == "Lena Voss"
