"""Analyze many documents, each failing alone: the one batch runner of ``run`` and the Spark job.

>>> for result in analyze_each([("a.txt", article)], budget_s=120):   # doctest: +SKIP
...     print(result.source, "failed" if isinstance(result, Failure) else "analyzed")

:func:`analyze_each` parses with ``nlp.pipe`` in batches (fast) and yields, in
input order, one :class:`Analyzed` or one :class:`Failure` per document.  A
document that makes the analyzer raise, or that runs past its time budget, is
retried alone (so a failure of the batch as a whole is not pinned on it), then
becomes a failure with its reason; the documents before it keep their analyses
and the ones after it are analyzed as a new batch.  The warnings the analyzer
logs for a document travel with its result, for the caller to log with the
document's name (workers must not write to the terminal under a progress bar).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from accordingto.errors import AccordingToError, AnalysisTimeout
from accordingto.model import Analysis, Article

__all__ = ["DEFAULT_DOC_TIMEOUT", "Analyzed", "Failure", "analyze_each", "log_warnings", "refusal"]

log = logging.getLogger(__name__)

#: Seconds one document may take by default (``run --doc-timeout``, the Spark job's too).
DEFAULT_DOC_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class Analyzed:
    """The analysis of the document ``source``, and the warnings logged while making it."""

    source: str
    analysis: Analysis
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that did not become an analysis, and why (a row of ``tables.FAILURES``)."""

    source: str
    reason: str
    article_id: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def input(self) -> str:
        """The ``input`` column of the failures table: the document's name."""
        return self.source

    def row(self) -> tuple[Any, ...]:
        return (self.source, self.reason, self.article_id)


def analyze_each(
    items: Iterable[tuple[str, Article]],
    *,
    nlp=None,
    batch_size: int = 16,
    budget_s: float | None = None,
) -> Iterator[Analyzed | Failure]:
    """One :class:`Analyzed` or :class:`Failure` per ``(source, article)``, in order.

    ``budget_s``: seconds each document may take (``None``: no limit); one that
    takes longer fails with "took longer than N s".  Lazy: documents are read
    from ``items`` one batch at a time.
    """
    if nlp is None:
        from accordingto.nlp import load_pipeline

        nlp = load_pipeline()
    batch: list[tuple[str, Article]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _each_of_batch(batch, nlp, budget_s)
            batch = []
    if batch:
        yield from _each_of_batch(batch, nlp, budget_s)


def _each_of_batch(
    batch: list[tuple[str, Article]], nlp, budget_s: float | None
) -> Iterator[Analyzed | Failure]:
    todo = batch
    while todo:
        done = 0
        for result, raised in _until_failure(todo, nlp, budget_s):
            if raised and len(todo) > 1:  # the culprit is tried alone before it is blamed
                ((result, _),) = _until_failure(todo[done : done + 1], nlp, budget_s)
            yield result
            done += 1
            if raised:  # the batch's parse is lost: the rest is a new batch
                break
        todo = todo[done:]


def _until_failure(
    todo: list[tuple[str, Article]], nlp, budget_s: float | None
) -> Iterator[tuple[Analyzed | Failure, bool]]:
    """``(result, raised)`` for the documents of ``todo``, parsed in one ``nlp.pipe`` batch,
    up to the first that makes the analyzer raise (``raised``).

    A document the analyzer refuses outright (empty, over-long) fails without
    joining the batch, so it does not cost the others their parse.
    """
    from accordingto.pipeline import analyze_many

    accepted = [(s, a) for s, a in todo if refusal(a) is None]
    analyses = analyze_many(
        (a for _, a in accepted), batch_size=max(1, len(accepted)), nlp=nlp, budget_s=budget_s
    )
    for source, article in todo:
        if (why := refusal(article)) is not None:
            yield Failure(source, f"{source}: {why}", article.id), False
            continue
        warnings: list[str] = []
        try:
            with _captured(warnings):
                analysis = next(analyses)
        except Exception as err:
            yield Failure(source, _reason(source, err, budget_s), article.id, tuple(warnings)), True
            return
        yield Analyzed(source, analysis, tuple(warnings)), False


def refusal(article: Article) -> str | None:
    """Why the analyzer would refuse the article (empty, over-long), else ``None``."""
    from accordingto.pipeline import MAX_CHARS

    if not article.text.strip():
        return "the article text is empty"
    if len(article.text) > MAX_CHARS:
        return f"{len(article.text):,} characters, more than the {MAX_CHARS:,} analyzed at once"
    return None


def _reason(source: str, err: Exception, budget_s: float | None) -> str:
    if isinstance(err, AnalysisTimeout):
        return f"{source}: took longer than {budget_s:g} s; raise --doc-timeout to allow more"
    if isinstance(err, AccordingToError):
        return f"{source}: {err}"
    # A batch must not die for one document, whatever went wrong with it: the
    # reason is kept with the failure and the traceback goes to the log.
    log.debug("analysis of %s failed", source, exc_info=True)
    return f"{source}: analysis failed ({type(err).__name__}: {err}); please report it"


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def _captured(into: list[str]) -> Iterator[None]:
    """Collect the package's warnings into ``into`` instead of letting them reach the terminal."""
    logger = logging.getLogger("accordingto")
    handler = _Collect(into)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def log_warnings(result: Analyzed | Failure, logger: logging.Logger = log) -> None:
    """Log the warnings of one document's analysis, each with the document's name."""
    for message in result.warnings:
        logger.warning("%s: %s", result.source, message)
