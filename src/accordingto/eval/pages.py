"""Speaker accuracy on real news pages: the hand-made gold of ``eval/gold/pages-speakers.tsv``.

Each gold item is an anchor (a short piece of an attribution's content, as the page's gold
article body has it) and the speaker a careful reader names for it.  A page's HTML goes
through the same reader as ``accordingto analyze page.html``; each anchor is looked up in the
extracted text, and the attribution whose content holds it is scored with
:func:`~accordingto.eval.speakers.same_speaker`.  How the gold was made:
``eval/gold/README.md``.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from accordingto.errors import DataError
from accordingto.model import Analysis, overlaps

from .speakers import same_speaker

__all__ = [
    "GoldAttribution",
    "PageResult",
    "PagesReport",
    "find_anchor",
    "load_gold_pages",
    "evaluate_pages",
    "score_page",
]

GOLD_FILE = "pages-speakers.tsv"


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    page: str
    anchor: str
    #: The names that count, the fullest first.
    speakers: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """One gold item on one page: where its anchor is and what the analyzer said."""

    gold: GoldAttribution
    located: bool
    found: bool = False
    correct: bool = False
    predicted: str | None = None


@dataclass(frozen=True, slots=True)
class PageResult:
    page: str
    outcomes: tuple[Outcome, ...]


@dataclass(slots=True)
class PagesReport:
    pages: list[PageResult] = field(default_factory=list)

    def _count(self, test: Callable[[Outcome], bool]) -> int:
        return sum(1 for p in self.pages for o in p.outcomes if test(o))

    @property
    def total(self) -> int:
        return self._count(lambda o: True)

    @property
    def located(self) -> int:
        return self._count(lambda o: o.located)

    @property
    def found(self) -> int:
        return self._count(lambda o: o.found)

    @property
    def correct(self) -> int:
        return self._count(lambda o: o.correct)

    @property
    def accuracy(self) -> float:
        """Right speakers among the gold items whose attribution was found."""
        return self.correct / self.found if self.found else 0.0

    @property
    def coverage(self) -> float:
        """Attributions found among the gold items whose anchor is in the extracted text."""
        return self.found / self.located if self.located else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "pages": len(self.pages),
            "total": self.total,
            "located": self.located,
            "found": self.found,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "coverage": round(self.coverage, 4),
            "errors": [
                {
                    "page": p.page,
                    "anchor": o.gold.anchor,
                    "gold": o.gold.speakers[0],
                    "predicted": o.predicted,
                    "found": o.found,
                    "located": o.located,
                }
                for p in self.pages
                for o in p.outcomes
                if not o.correct
            ],
        }


def load_gold_pages() -> list[GoldAttribution]:
    """The gold items shipped with the package (anchors and names only, no page text)."""
    raw = resources.files(__package__).joinpath("gold", GOLD_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(raw.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        GoldAttribution(r["page"], r["anchor"], tuple(r["speaker"].split("|")), r["kind"])
        for r in rows
    ]


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` with quotes straightened and whitespace runs as one space, and where each char came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def find_anchor(text: str, anchor: str) -> tuple[int, int] | None:
    """Where ``anchor`` is in ``text`` (quotes and whitespace folded), as offsets into ``text``."""
    folded, where = _fold(text)
    needle, _ = _fold(anchor.strip())
    at = folded.find(needle)
    if at < 0 or not needle:
        return None
    return where[at], where[at + len(needle) - 1] + 1


def score_page(page: str, gold: Sequence[GoldAttribution], analysis: Analysis) -> PageResult:
    """Score one analyzed page on its gold items."""
    outcomes = []
    for g in gold:
        at = find_anchor(analysis.article.text, g.anchor)
        if at is None:
            outcomes.append(Outcome(g, located=False))
            continue
        start, end = at
        quote = next(
            (q for q in analysis.quotes if any(overlaps(s.range, (start, end)) for s in q.content)),
            None,
        )
        if quote is None:
            outcomes.append(Outcome(g, located=True))
            continue
        speaker = analysis.speaker(quote.speaker_id)
        name = speaker.name if speaker is not None else None
        right = speaker is not None and any(
            same_speaker(s, speaker.name, speaker.kind) for s in g.speakers
        )
        outcomes.append(Outcome(g, located=True, found=True, correct=right, predicted=name))
    return PageResult(page, tuple(outcomes))


def page_files(root: Path, pages: Iterable[str]) -> dict[str, Path]:
    """Each gold page's ``html/<page>.html.gz`` under the benchmark's ``root``."""
    html = root / "html"
    if not html.is_dir():
        raise DataError(
            f"no html/ folder in {root}: give the article-extraction-benchmark folder "
            "(../shared/data/article-extraction-benchmark)"
        )
    files = {p: html / f"{p}.html.gz" for p in pages}
    missing = [p for p, f in files.items() if not f.is_file()]
    if missing:
        raise DataError(f"{len(missing)} gold pages missing under {html}, e.g. {missing[0]}")
    return files


def evaluate_pages(root: Path) -> PagesReport:
    """Analyze every gold page under ``root`` as ``accordingto analyze page.html`` does, and score it."""
    from accordingto.ingest import read_bytes
    from accordingto.pipeline import analyze_many

    by_page: dict[str, list[GoldAttribution]] = {}
    for g in load_gold_pages():
        by_page.setdefault(g.page, []).append(g)
    files = page_files(root, by_page)
    articles = [
        read_bytes(gzip.decompress(path.read_bytes()), source=str(path), format="html")
        for path in files.values()
    ]
    report = PagesReport()
    for page, analysis in zip(files, analyze_many(articles), strict=True):
        report.pages.append(score_page(page, by_page[page], analysis))
    return report
