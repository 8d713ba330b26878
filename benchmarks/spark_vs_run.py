"""Spark local mode against `accordingto run` and in-process `analyze_many`: same quotes? how slow?

Reads the PolNeAR train texts from ``../shared/data/polnear`` (skips with one line
when absent), writes them as one JSON-lines file (``{"id": name, "text": text}``)
and analyses that file three ways, one after the other, on this machine:

1. in process: each line read as the job reads it (:func:`accordingto.spark.jsonl_item`),
   then :func:`accordingto.pipeline.analyze_many` with one loaded pipeline (1 process);
2. ``accordingto run FILE --db DB -j W`` (W worker processes) in a subprocess;
3. ``python -m accordingto.spark FILE --out DIR --master local[W] --partitions W``
   in a subprocess.

Checks: Spark's Parquet read back (``read_parquet``) equals the in-process
analyses record for record (per article ID: a text given twice is one article),
and holds the quote IDs of ``run``'s store, with the same speaker and ``via`` for
every ID its analysis does not repeat (see :func:`quote_keys`).  Reports each system's wall clock (start-up,
pipeline loading and writing included for the subprocesses) and the ratios.

All three run the code of one commit (HEAD, exported with ``git archive`` to a
temporary folder put first on ``PYTHONPATH``, which Spark's Python workers
inherit): in a checkout that others edit while it runs, systems run minutes
apart would otherwise analyze with different code.

    .venv/bin/python benchmarks/spark_vs_run.py --workers 2 [--limit N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"


def write_input(path: Path, limit: int | None) -> int:
    from accordingto.eval.polnear import find_split

    texts = sorted((find_split(POLNEAR, "train") / "text").glob("*.txt"))[:limit]
    with path.open("w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"id": t.stem, "text": t.read_text(encoding="utf-8")}) + "\n")
    return len(texts)


def in_process(path: Path) -> tuple[list, dict]:
    from accordingto.nlp.load import load_pipeline
    from accordingto.pipeline import analyze_many
    from accordingto.spark import jsonl_item

    wall = time.perf_counter()
    nlp = load_pipeline()
    load = time.perf_counter() - wall
    lines = path.read_text(encoding="utf-8").splitlines()
    items = [jsonl_item(line, source=str(path)) for line in lines]
    analyses = list(analyze_many([i[1] for i in items if isinstance(i, tuple)], nlp=nlp))
    return analyses, {"wall_s": time.perf_counter() - wall, "pipeline_load_s": load}


def _timed(cmd: list[str]) -> dict:
    wall = time.perf_counter()
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return {"wall_s": time.perf_counter() - wall, "stdout": done.stdout.strip()[-300:]}


def run_store(path: Path, db: Path, workers: int) -> tuple[dict[str, tuple], dict]:
    exe = str(Path(sys.executable).with_name("accordingto"))
    figures = _timed([exe, "run", str(path), "--db", str(db), "-j", str(workers), "--no-progress"])
    with sqlite3.connect(db) as conn:
        via: dict[str, list[str]] = {}
        for qid, sid in conn.execute(
            "SELECT quote_id, speaker_id FROM quote_via ORDER BY quote_id, position"
        ):
            via.setdefault(qid, []).append(sid)
        quotes = {
            qid: (qid, sid, tuple(via.get(qid, ())))
            for qid, sid in conn.execute("SELECT id, speaker_id FROM quotes")
        }
    return quotes, figures


def spark_job(path: Path, out: Path, workers: int) -> tuple[list, dict]:
    from accordingto.export.tables import read_parquet

    figures = _timed(
        [
            sys.executable,
            "-m",
            "accordingto.spark",
            str(path),
            "--out",
            str(out),
            "--master",
            f"local[{workers}]",
            "--partitions",
            str(workers),
        ]
    )
    return list(read_parquet(out)), figures


def quote_keys(analyses) -> set:
    """(quote ID, speaker ID, via) of every quotation whose ID is unique in its analysis.

    The analyzer sometimes reports the same words twice with two cues (one ID, two
    speakers); a store keyed by quote ID keeps one of them, so those are compared by ID only.
    """
    keys = set()
    for a in analyses:
        ids = Counter(q.id for q in a.quotes)
        keys |= {(q.id, q.speaker_id, q.via) for q in a.quotes if ids[q.id] == 1}
    return keys


def quote_ids(analyses) -> set:
    return {q.id for a in analyses for q in a.quotes}


_FIELDS = ("article", "quotes", "speakers", "marks", "diagnostics", "versions")


def record_differences(got: list, expected: list) -> list[dict]:
    """Per article ID whose analyses differ: the fields that differ."""
    mine = {a.article.id: a for a in got}
    theirs = {a.article.id: a for a in expected}
    out = [{"article_id": i, "fields": ["missing"]} for i in sorted(set(mine) ^ set(theirs))]
    for i in sorted(set(mine) & set(theirs)):
        if fields := [f for f in _FIELDS if getattr(mine[i], f) != getattr(theirs[i], f)]:
            out.append({"article_id": i, "fields": fields})
    return out


def _keep(directory: Path | None, tmp: Path, base: list) -> None:
    if directory is None:
        return
    from accordingto.export import to_jsonl_line

    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "in_process.jsonl").open("w", encoding="utf-8") as f:
        f.writelines(to_jsonl_line(a) + "\n" for a in base)
    for name in ("out", "store.db", "train.jsonl"):
        (shutil.copytree if (tmp / name).is_dir() else shutil.copy)(tmp / name, directory / name)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--limit", type=int, default=None, help="first N train texts only")
    p.add_argument("--workers", type=int, default=2, help="run -j and local[N] workers")
    p.add_argument("--json", type=Path, default=None, help="write the figures here")
    p.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="copy the input and every system's output into this folder",
    )
    p.add_argument("--in-snapshot", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if not POLNEAR.is_dir():
        print(f"skipped: PolNeAR not found at {POLNEAR}")
        return 0
    if args.in_snapshot is None:
        return _in_snapshot(sys.argv[1:])
    import accordingto

    assert accordingto.__file__.startswith(os.environ["PYTHONPATH"]), accordingto.__file__
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = write_input(tmp / "train.jsonl", args.limit)
        words = sum(len(json.loads(line)["text"].split()) for line in (tmp / "train.jsonl").open())
        base, base_fig = in_process(tmp / "train.jsonl")
        store_quotes, run_fig = run_store(tmp / "train.jsonl", tmp / "store.db", args.workers)
        spark, spark_fig = spark_job(tmp / "train.jsonl", tmp / "out", args.workers)
        _keep(args.keep, tmp, base)
    differences = record_differences(spark, base)
    same_records = not differences
    spark_quotes = quote_keys(spark)
    run_quotes = {store_quotes[k[0]] for k in spark_quotes if k[0] in store_quotes}
    same_as_run = quote_ids(spark) == set(store_quotes) and spark_quotes == run_quotes
    figures = {
        "commit": args.in_snapshot,
        "articles": n,
        "words": words,
        "workers": args.workers,
        "tagger": os.environ.get("ACCORDINGTO_TAGGER", "1") != "0",
        "quote_ids": {
            "in_process": len(quote_ids(base)),
            "run": len(store_quotes),
            "spark": len(quote_ids(spark)),
        },
        "quotes_sharing_an_id": sum(len(a.quotes) for a in spark) - len(quote_ids(spark)),
        "spark_records_equal_in_process": same_records,
        "spark_quotes_equal_run": same_as_run,
        "record_differences": differences,
        "quotes_only_in_spark": sorted(map(list, spark_quotes - run_quotes), key=str)[:50],
        "quote_ids_only_in_run": sorted(set(store_quotes) - quote_ids(spark))[:50],
        "in_process": base_fig,
        "run": run_fig,
        "spark": spark_fig,
        "ratio_wall_spark_over_run": spark_fig["wall_s"] / run_fig["wall_s"],
        "ratio_wall_spark_over_in_process": spark_fig["wall_s"] / base_fig["wall_s"],
    }
    _print(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if same_records and same_as_run else 1


def _in_snapshot(argv: list[str]) -> int:
    """Run this script again with HEAD's ``src/`` first on ``PYTHONPATH``."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    snapshot = Path(tempfile.mkdtemp(prefix="accordingto-snapshot-"))
    try:
        archive = subprocess.run(
            ["git", "archive", "HEAD", "src/accordingto"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(snapshot / "src")}
        return subprocess.run(
            [sys.executable, __file__, *argv, "--in-snapshot", commit], check=False, env=env
        ).returncode
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)


def _print(f: dict) -> None:
    tagger = "with" if f["tagger"] else "without (ACCORDINGTO_TAGGER=0)"
    print(
        f"PolNeAR train: {f['articles']} articles, {f['words']:,} words; pipeline {tagger} tagger"
    )
    for name, label in (
        ("in_process", "in-process analyze_many (1 proc)"),
        ("run", f"accordingto run -j {f['workers']}"),
        ("spark", f"spark local[{f['workers']}]"),
    ):
        s = f[name]
        print(
            f"{label:34} wall {s['wall_s']:7.1f} s  "
            f"{f['words'] / s['wall_s']:6.0f} words/s  {f['quote_ids'][name]} quote IDs"
        )
    print(
        f"spark records == in-process: {f['spark_records_equal_in_process']} "
        f"({len(f['record_differences'])} articles differ); spark quotes == run quotes: "
        f"{f['spark_quotes_equal_run']} ({len(f['quotes_only_in_spark'])} only in spark, "
        f"{len(f['quote_ids_only_in_run'])} only in run; {f['quotes_sharing_an_id']} quotes "
        "share an ID with another, compared by ID)"
    )
    print(
        f"wall ratio spark/run {f['ratio_wall_spark_over_run']:.2f}, spark/in-process "
        f"{f['ratio_wall_spark_over_in_process']:.2f}  (code: {f['commit']})"
    )


if __name__ == "__main__":
    sys.exit(main())
