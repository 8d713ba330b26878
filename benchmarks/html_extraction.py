"""How well does `accordingto` find an article's main text in HTML?

Runs :func:`accordingto.extract.extract_html` over the Zyte/ScrapingHub
article-extraction benchmark (181 news pages with the gold article body) and
prints the benchmark's own metric, re-implemented from its description:

* tokens are ``\\w+`` matches; each page's gold and predicted bodies become
  multisets of word 4-gram shingles (a page under 4 tokens: one shorter shingle);
* per page, TP = shared shingles, FP = extra predicted, FN = missing gold,
  normalised by TP+FP+FN so that long pages do not dominate;
* precision = mean over pages with TP+FP > 0 of TP/(TP+FP), recall likewise with
  TP+FN > 0 (a page with FP = FN = 0 scores 1.0), F1 = 2PR/(P+R) of those means;
* accuracy = share of pages whose token sequence equals the gold exactly;
* ± = standard deviation over bootstrap resamples of the pages.

The stored outputs of other extractors (``output/*.json``) can be scored too,
as a check that the metric reproduces the published figures.

    .venv/bin/python benchmarks/html_extraction.py
    .venv/bin/python benchmarks/html_extraction.py --reference trafilatura readability
    .venv/bin/python benchmarks/html_extraction.py --precision-off

The data is not part of the repository; without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import accordingto.extract.html
from accordingto.errors import InputError
from accordingto.extract import extract_html

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"
)
_TOKEN = re.compile(r"\w+")
_SHINGLE = 4


@dataclass(frozen=True, slots=True)
class PageCounts:
    """Normalised shingle counts of one page, and whether its tokens match the gold exactly."""

    tp: float
    fp: float
    fn: float
    exact: bool


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    accuracy: float


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of word 4-grams of ``text`` (one shorter n-gram when it has under 4 words)."""
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < _SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1))


def page_counts(gold: str, predicted: str) -> PageCounts:
    """TP, FP and FN over shingles of one page, divided by their sum."""
    truth, guess = shingles(gold), shingles(predicted)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    total = tp + fp + fn or 1
    exact = _TOKEN.findall(gold or "") == _TOKEN.findall(predicted or "")
    return PageCounts(tp / total, fp / total, fn / total, exact)


def _precision(c: PageCounts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return c.tp / (c.tp + c.fp)


def _recall(c: PageCounts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    return c.tp / (c.tp + c.fn)


def scores(pages: Sequence[PageCounts]) -> Scores:
    """Precision and recall averaged over pages, F1 of the averages, exact-match accuracy."""
    precision = statistics.mean(_precision(c) for c in pages if c.tp + c.fp > 0)
    recall = statistics.mean(_recall(c) for c in pages if c.tp + c.fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.mean(1.0 if c.exact else 0.0 for c in pages)
    return Scores(precision, recall, f1, accuracy)


def bootstrap_std(pages: Sequence[PageCounts], rounds: int, seed: int = 0) -> Scores:
    """Standard deviation of each score over ``rounds`` resamples of the pages (fixed seed)."""
    rng = random.Random(seed)
    samples = [scores(rng.choices(pages, k=len(pages))) for _ in range(rounds)]
    return Scores(*(statistics.stdev(getattr(s, f) for s in samples) for f in Scores.__slots__))


def load_pages(data: Path) -> dict[str, str]:
    """Page ID → HTML, from ``html/<id>.html.gz`` (UTF-8, as the benchmark stores them)."""
    pages = {}
    for path in sorted((data / "html").glob("*.html.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            pages[path.name.split(".")[0]] = f.read()
    return pages


def load_bodies(path: Path) -> dict[str, str]:
    """Page ID → article body from a ground-truth or output JSON file (optionally ``{"output": …}``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data = data.get("output", data) if "version" in data else data
    return {key: (item or {}).get("articleBody") or "" for key, item in data.items()}


def run_extractor(
    html_by_id: dict[str, str], extract: Callable[[str], str]
) -> tuple[dict[str, str], float]:
    """Predicted bodies by page ID, and the mean seconds per page."""
    start = time.perf_counter()
    predicted = {key: extract(html) for key, html in html_by_id.items()}
    return predicted, (time.perf_counter() - start) / max(1, len(html_by_id))


def ours(html: str) -> str:
    """What accordingto analyses for this page (empty when it finds no article text)."""
    try:
        return extract_html(html).text
    except InputError:
        return ""


def report(name: str, gold: dict[str, str], predicted: dict[str, str], rounds: int) -> str:
    """One line: precision, recall, F1 and accuracy with their bootstrap ± values."""
    pages = [page_counts(gold[key], predicted.get(key, "")) for key in gold]
    s, sd = scores(pages), bootstrap_std(pages, rounds)
    return (
        f"{name:<24} precision={s.precision:.3f} ± {sd.precision:.3f}  "
        f"recall={s.recall:.3f} ± {sd.recall:.3f}  F1={s.f1:.3f} ± {sd.f1:.3f}  "
        f"accuracy={s.accuracy:.3f} ± {sd.accuracy:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument(
        "--reference",
        nargs="*",
        default=[],
        metavar="NAME",
        help="also score stored outputs, e.g. trafilatura readability",
    )
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="resamples for ± (default 1000)"
    )
    parser.add_argument(
        "--precision-off",
        action="store_true",
        help="run extract_html with trafilatura's default balance instead of favor_precision",
    )
    args = parser.parse_args(argv)
    if args.precision_off:
        accordingto.extract.html.FAVOR_PRECISION = False
    if not (args.data / "ground-truth.json").is_file():
        print(f"skipped: no article-extraction benchmark at {args.data} (pass --data DIR)")
        return 0
    gold = load_bodies(args.data / "ground-truth.json")
    html_by_id = load_pages(args.data)
    predicted, per_page = run_extractor(html_by_id, ours)
    mode = "favor_precision" if accordingto.extract.html.FAVOR_PRECISION else "balanced"
    print(
        f"{len(gold)} pages; accordingto extract_html ({mode}): {per_page * 1000:.0f} ms per page"
    )
    print(report("accordingto", gold, predicted, args.bootstrap))
    for name in args.reference:
        path = args.data / "output" / f"{name}.json"
        if path.is_file():
            print(report(name, gold, load_bodies(path), args.bootstrap))
        else:
            print(f"{name:<24} (no stored output at {path})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
