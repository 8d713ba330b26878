"""How fast is the whole analyzer, compared with the spaCy parse it is built on?

Runs :func:`accordingto.analyze_many` over the PolNeAR dev texts (each as
``Article(text=...)``) and, in the same process with the same loaded pipeline
and the same batch size, a bare ``nlp.pipe`` over the same texts.  Both are
warmed up first (on the longest batch); then the two measurements alternate for
``--rounds`` rounds (bare first in odd rounds, pipeline first in even ones) and
the median of each is reported, with the ratio
pipeline / bare (the floor set for the analyzer is 0.7: quote finding,
attribution and resolution may cost at most ~30 % on top of parsing).

Words are whitespace-separated tokens of the texts (``len(text.split())``).
Words per second are by wall clock; the same by this process's CPU time is
printed too, as it is less disturbed by other processes on a shared machine.

Memory: ``tracemalloc`` only sees Python allocations and misses most of
spaCy's (Cython/NumPy buffers), so we report the process's peak resident set
size (``resource.getrusage(...).ru_maxrss``) after each phase, and the growth of
that peak during the first pipeline phase over the peak the bare parse had
already reached.

    .venv/bin/python benchmarks/speed.py --rounds 3
    .venv/bin/python benchmarks/speed.py --limit 20 --json speed.json
    .venv/bin/python benchmarks/speed.py --model accurate   # floor 0.3

The data is not part of the repository; without ``../shared`` the script says
so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_TEXTS = SHARED / "data" / "polnear" / "data" / "dev" / "text"
#: Ratio pipeline / bare parse below which the analyzer is too slow (the issues' floors),
#: per model: ``fast`` (the CNN tagger) and ``accurate`` (with the MiniLM tagger, issue 14).
FLOORS = {"fast": 0.7, "accurate": 0.3}
FLOOR = FLOORS["fast"]


def peak_rss_mib() -> float:
    """The process's peak resident set size so far, in MiB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mib() -> float | None:
    """The current resident set size in MiB (Linux only), else ``None``."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def bare_parse(nlp, texts: Sequence[str], batch_size: int) -> int:
    """Parse with ``nlp.pipe`` only; returns the number of tokens (so the docs are used)."""
    return sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))


def full_pipeline(nlp, texts: Sequence[str], batch_size: int, events: bool = True) -> int:
    """The whole analyzer, streamed as a user would; returns the number of quotes found."""
    from accordingto import Article, analyze_many

    articles = (Article(text=t) for t in texts)
    found = analyze_many(articles, batch_size=batch_size, nlp=nlp, events=events)
    return sum(len(a.quotes) for a in found)


def timed(run: Callable[[], int]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, result) of ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(
    texts: Sequence[str],
    *,
    rounds: int,
    batch_size: int,
    events: bool = True,
    model: str = "fast",
) -> dict:
    """Warm up, then alternate bare and pipeline ``rounds`` times; medians, ratio and memory."""
    import spacy

    from accordingto.nlp import load_base_pipeline, load_pipeline, pipeline_name

    words = sum(len(t.split()) for t in texts)
    rss: dict[str, float | None] = {"start": peak_rss_mib()}
    # the baseline is the plain English pipeline; the analyzer's adds the trained tagger
    # (when shipped) on top of it, and its cost counts against the analyzer
    base = load_base_pipeline()
    nlp = load_pipeline(model=model)
    rss["after_load"] = peak_rss_mib()
    # Warm up on the longest batch: besides caches and lazy loads, the first pass over long
    # texts grows the heap (page faults), which would otherwise be charged to whichever
    # measurement happens to run first.
    warm = sorted(texts, key=len, reverse=True)[:batch_size]
    bare_parse(base, warm, batch_size)
    full_pipeline(nlp, warm, batch_size, events)
    rss["after_warmup"] = peak_rss_mib()

    bare_s: list[float] = []
    pipe_s: list[float] = []
    bare_cpu: list[float] = []
    pipe_cpu: list[float] = []
    quotes = tokens = 0
    for r in range(rounds):
        # Bare first in odd rounds, pipeline first in even ones, so neither always goes first.
        # Round 1 runs bare first: the pipeline's RSS growth is then over the bare parse's peak.
        for phase in ("bare", "pipeline") if r % 2 == 0 else ("pipeline", "bare"):
            if phase == "bare":
                wall, cpu, tokens = timed(lambda: bare_parse(base, texts, batch_size))
                bare_s.append(wall)
                bare_cpu.append(cpu)
            else:
                wall, cpu, quotes = timed(lambda: full_pipeline(nlp, texts, batch_size, events))
                pipe_s.append(wall)
                pipe_cpu.append(cpu)
            if r == 0:
                rss[f"after_{phase}"] = peak_rss_mib()
                rss[f"current_after_{phase}"] = current_rss_mib()
        print(
            f"  round {r + 1}: bare {words / bare_s[-1]:,.0f} w/s, pipeline "
            f"{words / pipe_s[-1]:,.0f} w/s, ratio {bare_s[-1] / pipe_s[-1]:.2f} "
            f"(CPU time: {bare_cpu[-1] / pipe_cpu[-1]:.2f})",
            file=sys.stderr,
        )
    rss["end"] = peak_rss_mib()
    bare_wps = words / statistics.median(bare_s)
    pipe_wps = words / statistics.median(pipe_s)
    # CPU time is less disturbed than wall time by other processes on a shared machine.
    bare_cpu_wps = words / statistics.median(bare_cpu)
    pipe_cpu_wps = words / statistics.median(pipe_cpu)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "pipeline": pipeline_name(nlp),
            "baseline": pipeline_name(base),
        },
        "events": events,
        "model": model,
        "articles": len(texts),
        "words": words,
        "tokens": tokens,
        "quotes": quotes,
        "batch_size": batch_size,
        "rounds": rounds,
        "bare_seconds": bare_s,
        "pipeline_seconds": pipe_s,
        "bare_words_per_second": bare_wps,
        "pipeline_words_per_second": pipe_wps,
        "ratio": pipe_wps / bare_wps,
        "floor": FLOORS[model],
        "bare_cpu_seconds": bare_cpu,
        "pipeline_cpu_seconds": pipe_cpu,
        "bare_words_per_cpu_second": bare_cpu_wps,
        "pipeline_words_per_cpu_second": pipe_cpu_wps,
        "cpu_ratio": pipe_cpu_wps / bare_cpu_wps,
        "round_ratios": [b / p for b, p in zip(bare_s, pipe_s, strict=True)],
        "peak_rss_mib": rss,
        "pipeline_rss_growth_mib": rss["after_pipeline"] - rss["after_bare"],
    }


def report(result: dict) -> str:
    """The figures as printed, one line per measurement."""
    m, rss = result["machine"], result["peak_rss_mib"]
    ratio, floor = result["ratio"], result["floor"]
    verdict = "ok" if ratio >= floor else "BELOW FLOOR"
    lines = [
        (
            f"{result['date']}; {m['nproc']} CPUs ({m['cpu']}); Python {m['python']}, "
            f"spaCy {m['spacy']}, {m['pipeline']}"
        ),
        (
            f"{result['articles']} PolNeAR dev articles, {result['words']:,} words, "
            f"batch size {result['batch_size']}, median of {result['rounds']} rounds, "
            f"events {'on' if result['events'] else 'off'}, model {result['model']}"
        ),
        f"bare nlp.pipe   {result['bare_words_per_second']:>9,.0f} words/s",
        (
            f"analyze_many    {result['pipeline_words_per_second']:>9,.0f} words/s "
            f"({result['quotes']:,} quotes)"
        ),
        (
            f"ratio           {ratio:>9.2f}  (floor {floor}: {verdict}; per round: "
            + ", ".join(f"{r:.2f}" for r in result["round_ratios"])
            + ")"
        ),
        (
            f"by CPU time     bare {result['bare_words_per_cpu_second']:,.0f}, analyze_many "
            f"{result['pipeline_words_per_cpu_second']:,.0f} words/CPU-s, "
            f"ratio {result['cpu_ratio']:.2f}"
        ),
        (
            f"peak RSS (MiB)  start {rss['start']:.0f}, after load {rss['after_load']:.0f}, "
            f"after warm-up {rss['after_warmup']:.0f}, after bare {rss['after_bare']:.0f}, "
            f"after pipeline {rss['after_pipeline']:.0f}, end {rss['end']:.0f}"
        ),
        (
            f"pipeline phase peak RSS growth {result['pipeline_rss_growth_mib']:+.1f} MiB"
            + _current(rss)
        ),
    ]
    return "\n".join(lines)


def _current(rss: dict) -> str:
    bare, pipe = rss.get("current_after_bare"), rss.get("current_after_pipeline")
    if bare is None or pipe is None:
        return ""
    return f"; current RSS after bare {bare:.0f} MiB, after pipeline {pipe:.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="use only the first N dev articles")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument(
        "--batch-size", type=int, default=16, help="nlp.pipe batch size (default 16)"
    )
    parser.add_argument(
        "--json", type=Path, metavar="OUT", help="also write the figures to OUT as JSON"
    )
    parser.add_argument(
        "--no-events", action="store_true", help="analyze without the events stage (issue 13)"
    )
    parser.add_argument(
        "--model", choices=tuple(FLOORS), default="fast", help="fast (default) or accurate"
    )
    args = parser.parse_args(argv)
    if not SHARED.is_dir() or not DEV_TEXTS.is_dir():
        print(f"speed benchmark skipped: PolNeAR dev texts not found at {DEV_TEXTS}")
        return 0
    if args.rounds < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--rounds and --limit must be at least 1")
    paths = sorted(DEV_TEXTS.glob("*.txt"))[: args.limit]
    texts = [t for t in (p.read_text(encoding="utf-8") for p in paths) if t.strip()]
    result = measure(
        texts,
        rounds=args.rounds,
        batch_size=args.batch_size,
        events=not args.no_events,
        model=args.model,
    )
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
