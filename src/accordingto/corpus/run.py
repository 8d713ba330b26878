"""``run``: analyse every document of a corpus into a store, resumably, with worker processes.

The main process reads the inputs in order, skips documents the store has
already recorded (so a killed run resumes where it stopped), records unreadable
ones as failures, and spots duplicates (same text hash or canonical URL as a
stored or in-flight article) before any parsing.  The rest go in batches to
``jobs`` worker processes, each of which loads the spaCy pipeline once.  Results
are written back **in input order**, one transaction per batch, so the store a
run leaves does not depend on ``jobs``, on timing, or on how often the run was
killed and started again.

>>> stats = run_corpus(["news/"], "corpus.db", jobs=2)        # doctest: +SKIP
>>> stats.stored, stats.failed                                 # doctest: +SKIP
(120, 1)
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from accordingto.errors import AccordingToError
from accordingto.ingest.inputs import ARTICLE_SUFFIXES, Document, input_kind, iter_documents
from accordingto.ingest.polite import PoliteFetcher
from accordingto.model import Analysis, Article
from accordingto.store import Store, canonical_url

__all__ = ["RunError", "RunStats", "count_documents", "run_corpus"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RunStats:
    """Counts of one run, updated as it goes (the progress callback receives it)."""

    read: int = 0
    #: Recorded by an earlier (perhaps killed) run, so not done again.
    skipped: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    quotes: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        """Documents finished by this run or an earlier one."""
        return self.skipped + self.stored + self.duplicates + self.failed

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True, slots=True)
class _Entry:
    """One document on its way: an article to analyse, or a duplicate to record."""

    source: str
    article: Article | None
    duplicate_of: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class _Result:
    source: str
    analysis: Analysis | None = None
    error: str | None = None
    duplicate_of: tuple[str, str] | None = None


def run_corpus(
    specs: Iterable[str],
    db: str | Path,
    *,
    jobs: int = 1,
    batch_size: int = 16,
    fetcher: PoliteFetcher | None = None,
    kind: str | None = None,
    retry_failed: bool = False,
    progress: Callable[[RunStats], None] | None = None,
) -> RunStats:
    """Analyse the documents of ``specs`` into the store at ``db``; return the counts.

    ``jobs`` worker processes (1: analyse in this process); ``retry_failed``
    tries again documents an earlier run recorded as failed.  ``progress`` is
    called with the counts after each batch is written.
    """
    stats = RunStats()
    with Store(db) as store:
        docs = iter_documents(specs, fetcher=fetcher, kind=kind)
        batches = _batches(_triage(docs, store, stats, retry_failed, progress), batch_size)
        analyse = _Analyser(jobs)
        try:
            for results in analyse(batches):
                _write(store, results, stats)
                if progress:
                    progress(stats)
        finally:
            analyse.close()
        from accordingto.across.people import link_people

        link_people(store)
    return stats


def _triage(
    docs: Iterator[Document],
    store: Store,
    stats: RunStats,
    retry_failed: bool,
    progress: Callable[[RunStats], None] | None,
) -> Iterator[_Entry]:
    """Skip, fail or mark as duplicate what needs no analysis; yield the rest, in order."""
    pending_ids: dict[str, str] = {}  # article id -> source, of articles not yet written
    pending_urls: dict[str, str] = {}  # canonical URL -> article id
    for doc in docs:
        stats.read += 1
        known = store.document(doc.source)
        if known is not None and not (retry_failed and known.status == "failed"):
            stats.skipped += 1
            if progress and stats.skipped % 100 == 0:
                progress(stats)
            continue
        if doc.article is None:
            store.record_failure(doc.source, doc.error or "unreadable", stage=doc.stage)
            stats.failed += 1
            continue
        article = doc.article
        if (reason := _check(article)) is not None:
            store.record_failure(doc.source, f"{doc.source}: {reason}", stage="analyse")
            stats.failed += 1
            continue
        dup = store.duplicate_of(article) or _pending_duplicate(article, pending_ids, pending_urls)
        if dup is not None:
            yield _Entry(doc.source, None, dup)
            continue
        pending_ids[article.id] = doc.source
        if (url := canonical_url(article.url)) is not None:
            pending_urls[url] = article.id
        if len(pending_ids) > 10_000:  # written long ago: the store answers for them now
            pending_ids.clear()
            pending_urls.clear()
        yield _Entry(doc.source, article)


def _pending_duplicate(
    article: Article, ids: dict[str, str], urls: dict[str, str]
) -> tuple[str, str] | None:
    if article.id in ids:
        return article.id, "text"
    url = canonical_url(article.url)
    if url is not None and url in urls:
        return urls[url], "url"
    return None


def _check(article: Article) -> str | None:
    """Why the analyzer would refuse the article (empty, over-long), else ``None``."""
    from accordingto.pipeline import MAX_CHARS

    if not article.text.strip():
        return "the article text is empty"
    if len(article.text) > MAX_CHARS:
        return f"{len(article.text):,} characters, more than the {MAX_CHARS:,} analysed at once"
    return None


def _batches(entries: Iterator[_Entry], size: int) -> Iterator[list[_Entry]]:
    batch: list[_Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(store: Store, results: list[_Result], stats: RunStats) -> None:
    """Write one batch's results in one transaction."""
    with store.transaction():
        for r in results:
            if r.error is not None:
                store.record_failure(r.source, r.error, stage="analyse")
                stats.failed += 1
            elif r.duplicate_of is not None:
                store.record_duplicate(r.source, *r.duplicate_of)
                stats.duplicates += 1
            elif r.analysis is not None:
                outcome = store.add(r.analysis, source=r.source)
                if outcome.status == "stored":
                    stats.stored += 1
                    stats.quotes += len(r.analysis.quotes)
                else:
                    stats.duplicates += 1


# -- analysis, in this process or in workers ------------------------------------------------------

_NLP = None


def _init_worker() -> None:
    """Load the pipeline once per worker process."""
    global _NLP
    from accordingto.nlp import load_pipeline

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    _NLP = load_pipeline()


def analyse_batch(entries: list[_Entry]) -> list[_Result]:
    """Analyse a batch; an article that makes the analyzer fail is one failed result.

    After a failure the articles before the culprit keep their analyses, the
    culprit is tried alone (so a failure of the batch as a whole is not pinned
    on it), and the rest of the batch is analysed again: one bad article costs
    about half a batch, not the batch.
    """
    if _NLP is None:
        _init_worker()
    todo = [e for e in entries if e.article is not None]
    found: dict[str, Analysis] = {}
    failed: dict[str, str] = {}
    while todo:
        analyses, error = _analyse_until_failure(todo)
        found.update((e.source, a) for e, a in zip(todo, analyses, strict=False))
        done = len(analyses)
        if error is not None:
            culprit = todo[done]
            alone, error = _analyse_until_failure([culprit])
            if alone:
                found[culprit.source] = alone[0]
            else:
                failed[culprit.source] = error or "analysis failed"
            done += 1
        todo = todo[done:]
    return [
        _Result(e.source, found.get(e.source), failed.get(e.source), e.duplicate_of)
        for e in entries
    ]


def _analyse_until_failure(todo: list[_Entry]) -> tuple[list[Analysis], str | None]:
    """The analyses of ``todo`` up to the first that fails, and that one's reason (or ``None``)."""
    from accordingto.pipeline import analyze_many

    out: list[Analysis] = []
    try:
        for analysis in analyze_many([e.article for e in todo], batch_size=len(todo), nlp=_NLP):
            out.append(analysis)
    except AccordingToError as err:
        return out, f"{todo[len(out)].source}: {err}"
    except Exception as err:
        source = todo[len(out)].source
        log.warning("analysis of %s failed", source, exc_info=len(todo) == 1)
        return out, f"{source}: analysis failed ({type(err).__name__}: {err}); please report it"
    return out, None


class _Analyser:
    """Maps batches to results, in order, in this process or in ``jobs`` worker processes."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = ProcessPoolExecutor(
                self.jobs, mp_context=multiprocessing.get_context(method), initializer=_init_worker
            )

    def __call__(self, batches: Iterator[list[_Entry]]) -> Iterator[list[_Result]]:
        if self.pool is None:
            yield from map(analyse_batch, batches)
            return
        in_flight: deque = deque()
        limit = 2 * self.jobs  # bounded: memory stays flat however large the corpus
        for batch in batches:
            if all(e.article is None for e in batch):  # nothing to parse: skip the round trip
                in_flight.append(_Done(analyse_batch(batch)))
            else:
                in_flight.append(_submit(self.pool, batch))
            while len(in_flight) >= limit:
                yield _result(in_flight.popleft())
        while in_flight:
            yield _result(in_flight.popleft())

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


_WORKER_DIED = (
    "a worker process died (out of memory?); everything written so far is kept: "
    "run the same command again to resume, perhaps with fewer jobs (-j)"
)


def _submit(pool: ProcessPoolExecutor, batch: list[_Entry]):
    """Hand a batch to the workers; a pool broken by a dead worker may refuse it here already."""
    try:
        return pool.submit(analyse_batch, batch)
    except BrokenProcessPool as e:
        raise RunError(_WORKER_DIED) from e


def _result(future) -> list[_Result]:
    try:
        return future.result()
    except BrokenProcessPool as e:
        raise RunError(_WORKER_DIED) from e


class RunError(AccordingToError):
    """The run cannot go on; what was written is kept and a new run resumes."""

    exit_code = 7


@dataclass(frozen=True, slots=True)
class _Done:
    """A batch finished in the main process, queued in order with the workers' futures."""

    value: list[_Result]

    def result(self) -> list[_Result]:
        return self.value


# -- counting ahead, for the progress bar's ETA ------------------------------------------------------


def count_documents(specs: Iterable[str]) -> int | None:
    """How many documents ``specs`` hold, counted cheaply; ``None`` when it cannot be known.

    Folders, article files, JSONL and CSV files are counted (lines, rows);
    WARC files, feeds, URL lists and URLs make the total unknown.
    """
    total = 0
    for spec in specs:
        kind = input_kind(spec)
        if kind == "folder":
            files = [
                str(p)
                for p in sorted(Path(spec).rglob("*"))
                if p.is_file() and not any(s.startswith(".") for s in p.relative_to(spec).parts)
            ]
            kinds = [input_kind(f) for f in files]
            files = [
                f
                for f, k in zip(files, kinds, strict=True)
                if k != "file" or f.lower().endswith(ARTICLE_SUFFIXES)
            ]
            sub = count_documents(files)
        else:
            sub = _count_file(spec, kind)
        if sub is None:
            return None
        total += sub
    return total


def _count_file(path: str, kind: str) -> int | None:
    if kind == "file":
        return 1
    if kind not in ("jsonl", "csv") or not os.path.isfile(path):
        return None
    import gzip

    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            lines = sum(1 for line in f if line.strip())
    except (OSError, EOFError):
        return None
    return max(0, lines - 1) if kind == "csv" else lines
