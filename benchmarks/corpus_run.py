"""How fast and how lean is ``accordingto run`` on a corpus?

Three measurements, each in fresh processes (``python -m accordingto run``):

1. **Workers.**  The same corpus (PolNeAR texts, each made unique by a short
   suffix line so that deduplication keeps them all) with ``-j 1`` and ``-j 2``;
   articles per second by wall clock, after subtracting the start-up cost
   (interpreter, spaCy pipeline load in each worker) measured by a run over a
   one-article corpus with the same ``-j``.  Figure: speed-up ``-j 2`` / ``-j 1``
   (target ≥ 1.8 on a 2-core machine).  Because a shared machine may not give two
   processes twice the CPU of one, the script also measures that (two busy loops
   against one, before and after) and reports the CPU seconds per article of each
   run, from which the speed-up with two free cores is projected
   (``2 × CPU(-j 1) / CPU(-j 2)``, start-up excluded).
2. **Against the per-article pipeline.**  In this process, the same texts
   through ``analyze_many`` with the same pipeline and batch size, as
   ``benchmarks/speed.py`` measures it (``full_pipeline``); words per second
   compared with the steady-state words per second of ``run -j 1`` (target:
   within 15 %, i.e. ratio ≥ 0.85).
3. **Memory.**  Peak RSS of the run process and of its largest worker
   (``ru_maxrss`` of the children) for corpora of ``--memory-sizes`` articles
   (default 2,000 and 20,000), ``-j 2``.  To keep 20,000 articles within minutes on
   2 cores this uses the rules-only pipeline (``ACCORDINGTO_TAGGER=0``) and the first
   paragraph-sized slice (``--memory-chars``, default 1,500 characters) of each
   PolNeAR text, repeated with a unique suffix.  Figure: growth of each peak from
   the smaller to the larger corpus (target within 10 %).

    .venv/bin/python benchmarks/corpus_run.py
    .venv/bin/python benchmarks/corpus_run.py --articles 100 --memory-sizes 500,2000 --json out.json

Without ``../shared`` the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from speed import SHARED, cpu_model, full_pipeline, peak_rss_mib

TEXTS = SHARED / "data" / "polnear" / "data"


def polnear_texts() -> list[str]:
    """The PolNeAR dev texts, then train, in file name order."""
    paths = sorted((TEXTS / "dev" / "text").glob("*.txt")) + sorted(
        (TEXTS / "train" / "text").glob("*.txt")
    )
    return [p.read_text(encoding="utf-8") for p in paths]


def unique(texts: list[str], n: int, *, chars: int | None = None) -> list[str]:
    """``n`` texts cycling through ``texts`` (cut to ``chars``), each with its own suffix line."""
    out = []
    for i in range(n):
        text = texts[i % len(texts)]
        if chars:
            text = text[:chars]
        out.append(f"{text}\n\n(Copy {i}.)\n")
    return out


def write_jsonl(texts: list[str], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"text": t, "url": f"https://bench.example/{i}"}) + "\n")
    return path


def timed_run(
    corpus: Path, db: Path, jobs: int, *, env: dict | None = None, batch_size: int = 16
) -> dict:
    """Wall and CPU seconds (run process and its workers) and peak RSS of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(corpus), str(db), str(jobs), str(batch_size)],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "wall": wall,
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        **child,
    }


# The run as a child: reports its own peak RSS and its workers' (the largest one).
_CHILD = """
import json, resource, sys
from accordingto.corpus.run import run_corpus
corpus, db, jobs, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
stats = run_corpus([corpus], db, jobs=jobs, batch_size=batch)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"stored": stats.stored, "failed": stats.failed, "quotes": stats.quotes,
                  "peak_rss_mib": own, "worker_peak_rss_mib": workers}))
"""


def _burn(seconds: float) -> float:
    start, end = time.process_time(), time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return time.process_time() - start


def parallel_capacity(seconds: float = 3.0) -> dict:
    """CPU seconds that 1 and then 2 busy processes get in ``seconds`` of wall clock.

    On an idle 2-core machine 2 processes get twice what 1 gets; on a machine
    shared with other jobs they may not, and then no ``-j 2`` can run faster by the clock.
    """
    import multiprocessing

    out = {}
    for n in (1, 2):
        with multiprocessing.get_context("fork").Pool(n) as pool:
            out[f"cpu_{n}"] = sum(pool.map(_burn, [seconds] * n))
    out["ratio"] = out["cpu_2"] / out["cpu_1"]
    return out


def workers(texts: list[str], tmp: Path, batch_size: int) -> dict:
    corpus = write_jsonl(texts, tmp / "corpus.jsonl")
    one = write_jsonl(texts[:1], tmp / "one.jsonl")
    out = {}
    for jobs in (1, 2):
        startup = timed_run(one, tmp / f"one-{jobs}.db", jobs, batch_size=batch_size)
        full = timed_run(corpus, tmp / f"run-{jobs}.db", jobs, batch_size=batch_size)
        steady = full["wall"] - startup["wall"]
        out[f"j{jobs}"] = {
            "startup": startup,
            "run": full,
            "steady_seconds": steady,
            "articles_per_second": len(texts) / steady,
            "raw_articles_per_second": len(texts) / full["wall"],
        }
        print(
            f"  -j {jobs}: {full['wall']:.1f} s ({startup['wall']:.1f} s start-up), "
            f"{len(texts) / steady:.2f} articles/s steady",
            file=sys.stderr,
        )
    out["speedup"] = out["j2"]["articles_per_second"] / out["j1"]["articles_per_second"]
    # CPU seconds per article without start-up: what -j 2 would gain with 2 free cores
    cpu = {j: out[f"j{j}"]["run"]["cpu"] - out[f"j{j}"]["startup"]["cpu"] for j in (1, 2)}
    out["cpu_per_article"] = {f"j{j}": cpu[j] / len(texts) for j in (1, 2)}
    out["cpu_projected_speedup"] = 2 * cpu[1] / cpu[2]
    out["raw_speedup"] = out["j2"]["raw_articles_per_second"] / out["j1"]["raw_articles_per_second"]
    return out


def in_process(texts: list[str], batch_size: int) -> dict:
    from accordingto.nlp import load_pipeline

    nlp = load_pipeline()
    full_pipeline(nlp, sorted(texts, key=len, reverse=True)[:batch_size], batch_size)  # warm-up
    start = time.perf_counter()
    quotes = full_pipeline(nlp, texts, batch_size)
    wall = time.perf_counter() - start
    print(f"  analyze_many in process: {wall:.1f} s", file=sys.stderr)
    return {"seconds": wall, "quotes": quotes, "articles_per_second": len(texts) / wall}


def memory(texts: list[str], sizes: list[int], chars: int, tmp: Path, batch_size: int) -> dict:
    out = {}
    for n in sizes:
        corpus = write_jsonl(unique(texts, n, chars=chars), tmp / f"mem-{n}.jsonl")
        r = timed_run(
            corpus, tmp / f"mem-{n}.db", 2, env={"ACCORDINGTO_TAGGER": "0"}, batch_size=batch_size
        )
        out[str(n)] = r
        print(
            f"  {n:,} articles: {r['wall']:.0f} s, peak RSS run {r['peak_rss_mib']:.0f} MiB, "
            f"largest worker {r['worker_peak_rss_mib']:.0f} MiB",
            file=sys.stderr,
        )
    small, large = out[str(sizes[0])], out[str(sizes[-1])]
    out["growth_run"] = large["peak_rss_mib"] / small["peak_rss_mib"] - 1
    out["growth_worker"] = large["worker_peak_rss_mib"] / small["worker_peak_rss_mib"] - 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=200, help="articles for the worker comparison"
    )
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--memory-sizes", default="2000,20000")
    parser.add_argument("--memory-chars", type=int, default=1500)
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not TEXTS.is_dir():
        print(f"PolNeAR texts not found under {TEXTS}; nothing measured")
        return 0
    base = polnear_texts()
    result: dict = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "batch_size": args.batch_size,
    }
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_workers:
            texts = unique(base, args.articles)
            result["articles"] = len(texts)
            result["words"] = sum(len(t.split()) for t in texts)
            result["capacity_before"] = parallel_capacity()
            result["workers"] = workers(texts, Path(tmp), args.batch_size)
            result["capacity_after"] = parallel_capacity()
            result["in_process"] = in_process(texts, args.batch_size)
            result["run_vs_pipeline"] = (
                result["workers"]["j1"]["articles_per_second"]
                / result["in_process"]["articles_per_second"]
            )
        if not args.skip_memory:
            sizes = [int(s) for s in args.memory_sizes.split(",")]
            result["memory"] = memory(base, sizes, args.memory_chars, Path(tmp), args.batch_size)
    result["peak_rss_mib_self"] = peak_rss_mib()
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


def report(r: dict) -> str:
    lines = [f"{r['date']}; {r['nproc']} CPUs ({r['cpu']}); batch size {r['batch_size']}"]
    if "workers" in r:
        w = r["workers"]
        lines += [
            f"{r['articles']} PolNeAR articles (unique copies), {r['words']:,} words, shipped pipeline",
            *(
                f"run -j {j}          {w[f'j{j}']['articles_per_second']:6.2f} articles/s steady "
                f"({w[f'j{j}']['raw_articles_per_second']:.2f} with start-up)"
                for j in (1, 2)
            ),
            f"speed-up -j2/-j1  {w['speedup']:6.2f}  (with start-up {w['raw_speedup']:.2f}; target >= 1.8)",
            (
                f"CPU s per article -j1 {w['cpu_per_article']['j1']:.3f}, -j2 {w['cpu_per_article']['j2']:.3f}: "
                f"projected speed-up with 2 free cores {w['cpu_projected_speedup']:.2f}"
            ),
            (
                f"machine: 2 busy processes got {r['capacity_before']['ratio']:.2f}x (before) and "
                f"{r['capacity_after']['ratio']:.2f}x (after) the CPU of 1 (2.00 on an idle 2-core machine)"
            ),
            f"analyze_many      {r['in_process']['articles_per_second']:6.2f} articles/s in process",
            f"run -j 1 / analyze_many {r['run_vs_pipeline']:.2f}  (target >= 0.85)",
        ]
    if "memory" in r:
        m = r["memory"]
        sizes = [k for k in m if k.isdigit()]
        for k in sizes:
            lines.append(
                f"memory {int(k):>6,} articles: peak RSS run {m[k]['peak_rss_mib']:.0f} MiB, "
                f"largest worker {m[k]['worker_peak_rss_mib']:.0f} MiB, {m[k]['wall']:.0f} s"
            )
        lines.append(
            f"memory growth {sizes[0]} -> {sizes[-1]}: run {m['growth_run']:+.1%}, "
            f"worker {m['growth_worker']:+.1%}  (target within 10 %)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
