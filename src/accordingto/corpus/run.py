"""``run``: analyze every document of a corpus into a store, resumably, with worker processes.

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
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accordingto.errors import Interrupted, RunError
from accordingto.export.select import Selection
from accordingto.ingest.inputs import ARTICLE_SUFFIXES, Document, input_kind, iter_documents
from accordingto.ingest.polite import PoliteFetcher
from accordingto.model import Article, Quote, ReportedAs
from accordingto.store import Store, canonical_url

from .each import DEFAULT_DOC_TIMEOUT, Analyzed, Failure, analyze_each, log_warnings, refusal

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
    #: Of ``quotes``, those reported as speech (the rest: thought, intention, action, other).
    speech: int = 0
    #: Of ``quotes``, those the run's selection (``--only``, ``--min-confidence``) keeps;
    #: ``None`` without one.  The store keeps every attribution either way.
    kept: int | None = None
    #: Analyzed (or failed) in a worker and not yet written: the progress bar counts them.
    unwritten: int = 0
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
    """One document on its way: an article to analyze, or a duplicate to record."""

    source: str
    article: Article | None
    duplicate_of: tuple[str, str] | None = None


#: What becomes of an entry: its analysis, its failure, or (a duplicate) the entry itself.
_Result = Analyzed | Failure | _Entry


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
    budget_s: float | None = DEFAULT_DOC_TIMEOUT,
    keep: Selection | None = None,
) -> RunStats:
    """Analyze the documents of ``specs`` into the store at ``db``; return the counts.

    ``jobs`` worker processes (1: analyze in this process); ``retry_failed``
    tries again documents an earlier run recorded as failed; ``budget_s`` is
    the seconds one document may take (``None``: no limit).  ``progress`` is
    called with the counts after each document.  ``keep`` (``--only``,
    ``--min-confidence``) only counts the attributions it keeps (``RunStats.kept``):
    the store keeps every attribution, so that later questions can ask for any kind.

    Raises:
        Interrupted: on ``KeyboardInterrupt`` (the workers are ended; what was
            written is kept and the message says how much).
    """
    stats = RunStats(kept=None if keep is None or keep.everything else 0)

    def on_document() -> None:
        stats.unwritten += 1
        if progress:
            progress(stats)

    try:
        with Store(db) as store:
            docs = iter_documents(specs, fetcher=fetcher, kind=kind)
            batches = _batches(_triage(docs, store, stats, retry_failed, progress), batch_size)
            analyze = _Analyzer(jobs, budget_s, on_document)
            try:
                for results in analyze(batches):
                    _write(store, results, stats, keep)
                    if progress:
                        progress(stats)
            except BaseException:
                analyze.close(abort=True)
                raise
            analyze.close()
            from accordingto.store.people import link_people

            link_people(store)
    except KeyboardInterrupt as e:
        raise Interrupted(
            f"interrupted: {stats.stored:,} articles stored; run the same command again to resume",
            exit_code=getattr(e, "exit_code", 130),
        ) from None
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
        if (reason := refusal(article)) is not None:
            store.record_failure(doc.source, f"{doc.source}: {reason}", stage="analyze")
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


def _batches(entries: Iterator[_Entry], size: int) -> Iterator[list[_Entry]]:
    batch: list[_Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(
    store: Store, results: list[_Result], stats: RunStats, keep: Selection | None = None
) -> None:
    """Write one batch's results in one transaction; count them once it is committed."""
    stored = duplicates = failed = 0
    quotes: list[Quote] = []
    with store.transaction():
        for r in results:
            if isinstance(r, Failure):
                store.record_failure(r.source, r.reason, stage="analyze")
                failed += 1
            elif isinstance(r, Analyzed):
                if store.add(r.analysis, source=r.source).status == "stored":
                    stored += 1
                    quotes += r.analysis.quotes
                else:
                    duplicates += 1
            elif r.duplicate_of is not None:
                store.record_duplicate(r.source, *r.duplicate_of)
                duplicates += 1
    stats.stored += stored
    stats.duplicates += duplicates
    stats.failed += failed
    stats.quotes += len(quotes)
    stats.speech += sum(q.reported_as is ReportedAs.SPEECH for q in quotes)
    if stats.kept is not None and keep is not None:
        stats.kept += sum(map(keep.keeps, quotes))
    analyzed = [r for r in results if not isinstance(r, _Entry)]
    stats.unwritten = max(0, stats.unwritten - len(analyzed))
    for r in analyzed:
        log_warnings(r, log)


# -- analysis, in this process or in workers ------------------------------------------------------

_NLP = None
#: In a worker: where it reports each document done, and the budget of one document.
_TICKS: Any = None
_BUDGET: float | None = None
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _load() -> None:
    """Load the pipeline once per process."""
    global _NLP
    from accordingto.nlp import load_pipeline

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    _NLP = load_pipeline()


def _init_worker(ticks: Any, parent: int, budget_s: float | None) -> None:
    """Set up a worker process: it ends with the run, leaves Ctrl-C to it, loads the pipeline."""
    global _TICKS, _BUDGET
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C: it ends the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (fork copies it)
    _die_with(parent)
    _TICKS, _BUDGET = ticks, budget_s
    _load()


def _die_with(parent: int) -> None:
    """End this process when ``parent`` dies, even of ``kill -9`` (no orphan holding 300 MB)."""
    if sys.platform.startswith("linux") and _pdeathsig():
        if os.getppid() != parent:  # it died before prctl took effect
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _pdeathsig() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Where prctl is missing: poll the parent's pid, and end this process when it changes."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _tick() -> None:
    if _TICKS is not None:
        _TICKS.put(1)


def analyze_batch(
    entries: list[_Entry],
    *,
    budget_s: float | None = None,
    on_document: Callable[[], None] | None = None,
) -> list[_Result]:
    """Analyze a batch with :func:`~accordingto.corpus.each.analyze_each`, in input order.

    An article that makes the analyzer fail, or takes more than ``budget_s``
    seconds, is one :class:`Failure`; the others keep their analyses.
    ``on_document`` is called after each article.
    """
    if _NLP is None:
        _load()
    todo = [(e.source, e.article) for e in entries if e.article is not None]
    done: list[_Result] = []
    for result in analyze_each(todo, nlp=_NLP, batch_size=max(1, len(todo)), budget_s=budget_s):
        done.append(result)
        if on_document:
            on_document()
    out = iter(done)
    return [next(out) if e.article is not None else e for e in entries]


def _in_worker(entries: list[_Entry]) -> list[_Result]:
    return analyze_batch(entries, budget_s=_BUDGET, on_document=_tick)


class _Analyzer:
    """Maps batches to results, in order, in this process or in ``jobs`` worker processes."""

    def __init__(self, jobs: int, budget_s: float | None, on_document: Callable[[], None]) -> None:
        self.jobs = max(1, jobs)
        self.budget_s = budget_s
        self.on_document = on_document
        self.pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            self.ticks = context.SimpleQueue()
            self.pool = ProcessPoolExecutor(
                self.jobs,
                mp_context=context,
                initializer=_init_worker,
                initargs=(self.ticks, os.getpid(), budget_s),
            )

    def __call__(self, batches: Iterator[list[_Entry]]) -> Iterator[list[_Result]]:
        if self.pool is None:
            for batch in batches:
                yield analyze_batch(batch, budget_s=self.budget_s, on_document=self.on_document)
            return
        in_flight: deque[Future | _Done] = deque()
        limit = 2 * self.jobs  # bounded: memory stays flat however large the corpus
        for batch in batches:
            if all(e.article is None for e in batch):  # nothing to parse: skip the round trip
                in_flight.append(_Done(list(batch)))
            else:
                in_flight.append(self._submit(batch))
            while len(in_flight) >= limit:
                yield self._result(in_flight.popleft())
        while in_flight:
            yield self._result(in_flight.popleft())

    def _submit(self, batch: list[_Entry]) -> Future:
        """Hand a batch to the workers; a pool broken by a dead worker may refuse it here already."""
        assert self.pool is not None
        try:
            return self.pool.submit(_in_worker, batch)
        except BrokenProcessPool as e:
            raise RunError(_WORKER_DIED) from e

    def _result(self, future: Future | _Done) -> list[_Result]:
        """The batch's results, moving the progress bar as the workers finish each document."""
        while isinstance(future, Future) and not future.done():
            wait([future], timeout=0.2, return_when=FIRST_COMPLETED)
            self._drain()
        self._drain()
        try:
            return future.result()
        except BrokenProcessPool as e:
            raise RunError(_WORKER_DIED) from e

    def _drain(self) -> None:
        while not self.ticks.empty():
            self.ticks.get()
            self.on_document()

    def close(self, *, abort: bool = False) -> None:
        """Shut the workers down; ``abort``: end them now, in the middle of their batches."""
        if self.pool is None:
            return
        if abort:  # ProcessPoolExecutor cannot cancel a running task (3.14 adds terminate_workers)
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


_WORKER_DIED = (
    "a worker process died (out of memory?); everything written so far is kept: "
    "run the same command again to resume, perhaps with fewer jobs (-j)"
)


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
