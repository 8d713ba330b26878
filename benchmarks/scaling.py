"""Does analysis time grow linearly with the size of the input?

For each size (in thousands of characters) a fresh process generates ordinary quoted-speech
news text (``textgen.news_text``; ``--kind marks`` for runs of bare quotation marks),
analyzes it (``accordingto.analyze``) and then parses it once with the analyzer's spaCy
pipeline alone, in one piece (the bare parse: ``nlp(parse_text(text))``), both in that process,
and reports wall and CPU seconds of each and the process's peak RSS after each (the analysis
first, so that its peak is its own).  The slope of log(CPU time) against
log(size) is fitted by least squares: 1 means linear, 2 quadratic.  CPU time is the headline
figure, as it is less disturbed by other processes on a shared machine.

    .venv/bin/python benchmarks/scaling.py                      # 8 32 128 512 1000 (thousand chars)
    .venv/bin/python benchmarks/scaling.py --sizes 8 32 --kind marks --json scaling.json

Nothing is read from ``../shared``: the texts are generated.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure_one(kind: str, chars: int) -> dict[str, float]:
    """One size, in this process: the bare parse, then the analysis."""
    sys.path.insert(0, str(HERE))
    from textgen import marks_text, news_text

    from accordingto import analyze
    from accordingto.nlp import load_pipeline, parse_text

    text = news_text(chars) if kind == "news" else marks_text(chars)
    nlp = load_pipeline()
    nlp("Warm up: “We will rebuild,” said Mayor Ana Ortiz.")
    rss_loaded = _peak_rss_mib()
    found: list[int] = []
    wall, cpu = _timed(lambda: found.append(len(analyze(text, nlp=nlp).quotes)))
    rss_analysis = _peak_rss_mib()
    bare_wall, bare_cpu = _timed(lambda: nlp(parse_text(text)))
    return {
        "chars": len(text),
        "quotes": found[0],
        "bare_wall_s": bare_wall,
        "bare_cpu_s": bare_cpu,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_loaded_mib": rss_loaded,
        "peak_rss_mib": rss_analysis,
        "peak_rss_bare_mib": _peak_rss_mib(),
    }


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(ys) against log(xs)."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-6)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    num = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
    return num / sum((a - mx) ** 2 for a in lx)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 32, 128, 512, 1000])
    parser.add_argument("--kind", choices=("news", "marks"), default="news")
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure_one(args.kind, args.one * 1000)))
        return 0
    rows = []
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--kind", args.kind, "--one", str(size)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(f"{size}K chars failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            return 1
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{size:>5}K chars  analyze {row['cpu_s']:7.2f} CPU-s ({row['wall_s']:7.2f} s wall), "
            f"bare parse {row['bare_cpu_s']:7.2f} CPU-s; "
            f"{1000 * row['cpu_s'] / (row['chars'] / 1000):6.1f} ms/K vs "
            f"{1000 * row['bare_cpu_s'] / (row['chars'] / 1000):6.1f} ms/K bare; "
            f"peak RSS {row['peak_rss_mib']:,.0f} MiB after the analysis, "
            f"{row['peak_rss_bare_mib']:,.0f} MiB after the bare parse; {row['quotes']} quotations",
            flush=True,
        )
    if len(rows) > 1:
        sizes = [r["chars"] for r in rows]
        fit = {
            "analyze": slope(sizes, [r["cpu_s"] for r in rows]),
            "bare parse": slope(sizes, [r["bare_cpu_s"] for r in rows]),
            "peak RSS over the loaded pipeline": slope(
                sizes, [r["peak_rss_mib"] - r["peak_rss_loaded_mib"] for r in rows]
            ),
        }
        print("log-log slope (1 = linear): " + ", ".join(f"{k} {v:.2f}" for k, v in fit.items()))
    if args.json:
        args.json.write_text(json.dumps({"kind": args.kind, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
