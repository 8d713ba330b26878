"""Evaluation: gold loaders and the one span scorer shared by ``eval``, benchmarks and CI.

>>> report = evaluate_polnear("../shared/data/polnear", split="dev", limit=5)  # doctest: +SKIP
>>> report.get("content", "overlap").f1  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .polnear import GoldDocument, load_polnear
from .scoring import (
    Attribution,
    Counts,
    DocumentScore,
    Report,
    attributions_from_analysis,
    content_kind,
    score,
    score_document,
)

if TYPE_CHECKING:  # pragma: no cover
    from accordingto.model import Analysis, Article

__all__ = [
    "AnalyzeMany",
    "Attribution",
    "Counts",
    "DocumentScore",
    "GoldDocument",
    "Report",
    "attributions_from_analysis",
    "content_kind",
    "evaluate_polnear",
    "load_polnear",
    "score",
    "score_analyses",
    "score_document",
]

#: ``accordingto.pipeline.analyze_many``, or anything that maps articles to analyses in order.
AnalyzeMany = Callable[[Iterable["Article"]], Iterable["Analysis"]]


def score_analyses(gold: Sequence[GoldDocument], analyses: Iterable[Analysis]) -> Report:
    """Score analyses (one per gold document, same order) against the gold attributions.

    Raises :class:`RuntimeError` when the analyses do not line up with the documents
    or an analysis changed its article's text (the offsets would be meaningless).
    """
    predicted: list[list[Attribution]] = []
    for doc, analysis in zip(gold, analyses, strict=False):
        if analysis.article.text != doc.text:
            raise RuntimeError(f"{doc.name}: the analysis changed the article text; cannot score")
        predicted.append(attributions_from_analysis(analysis))
    if len(predicted) != len(gold):
        raise RuntimeError(f"got {len(predicted)} analyses for {len(gold)} documents")
    return score(
        [d.attributions for d in gold],
        predicted,
        [d.text for d in gold],
        names=[d.name for d in gold],
    )


def evaluate_polnear(
    path: Path | str,
    *,
    split: str = "dev",
    limit: int | None = None,
    analyze_many: AnalyzeMany | None = None,
    progress: bool = False,
) -> Report:
    """Analyze PolNeAR articles and score the quotes found against the gold attributions.

    ``analyze_many`` defaults to :func:`accordingto.pipeline.analyze_many`; each
    article is given as plain text exactly as in its file.  With ``progress``, a
    progress bar is drawn on stderr.  ``Report.documents`` holds each document's
    matching for error analysis (:meth:`DocumentScore.errors`).
    """
    from accordingto.model import Article

    gold = load_polnear(path, split=split, limit=limit)
    if analyze_many is None:
        from accordingto.pipeline import analyze_many as default

        analyze_many = default
    articles = [Article(text=doc.text, format="text") for doc in gold]
    analyses: Iterable[Analysis] = analyze_many(articles)
    if progress:
        analyses = _with_progress(analyses, len(articles))
    analyses = list(analyses)
    report = score_analyses(gold, analyses)
    if split == "dev":
        from dataclasses import replace

        from .speakers import load_gold_speakers, score_resolution

        named = [(doc.name, a) for doc, a in zip(gold, analyses, strict=True)]
        try:
            gold_speakers = load_gold_speakers()
        except FileNotFoundError:  # a source tree without the gold file
            gold_speakers = []
        if gold_speakers:
            report = replace(report, resolution=score_resolution(gold_speakers, named))
    return report


def _with_progress(items: Iterable[Analysis], total: int) -> Iterator[Analysis]:
    from rich.console import Console
    from rich.progress import track

    yield from track(items, total=total, description="analyzing", console=Console(stderr=True))
