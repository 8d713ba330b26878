"""Analyses for the web app: a few worker threads, a bounded queue, a time budget each.

One large paste must not block everyone else, and no request may cost without
bound.  :class:`AnalysisPool` runs analyses on ``workers`` threads, each with a
spaCy pipeline of its own (a ``Language`` object is not safe to share between
threads running it at once: explosion/spaCy#6398, #11904): the analyzer's
cached pipeline and deep copies of it, made before any analysis runs, lent
out from a free list.

* At most ``workers`` analyses run and ``queue_size`` wait; one more is refused at
  once with :class:`PoolBusy` (the app answers 503 with ``Retry-After``).
* An article whose text is longer than ``max_chars`` is refused before it is
  parsed (:class:`~accordingto.errors.InputError`, a 422).
* Each analysis has ``budget_s`` seconds: the analyzer checks its own clock
  between stages (:class:`~accordingto.errors.AnalysisTimeout`), and a waiter
  gives up ``grace_s`` after the budget whatever the analyzer does.  A thread
  cannot be killed, so an abandoned analysis keeps its slot until it ends:
  the queue stays bounded.
"""

from __future__ import annotations

import copy
import math
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from accordingto.errors import AnalysisTimeout, InputError, PoolBusy
from accordingto.model import Analysis, Article

__all__ = ["AnalysisPool", "PoolBusy", "RecentAnalyses"]


def _default_load() -> Any:
    from accordingto.nlp import load_pipeline

    return load_pipeline()


def _default_analyze(article: Article, nlp: Any, budget_s: float | None) -> Analysis:
    from accordingto.pipeline import analyze

    return analyze(article, nlp=nlp, budget_s=budget_s)


class AnalysisPool:
    """``workers`` threads analyzing articles, ``queue_size`` more waiting, each within ``budget_s``."""

    def __init__(
        self,
        *,
        workers: int = 2,
        queue_size: int = 8,
        budget_s: float | None = 30.0,
        max_chars: int = 200_000,
        grace_s: float = 5.0,
        load: Callable[[], Any] = _default_load,
        analyze: Callable[[Article, Any, float | None], Analysis] = _default_analyze,
    ) -> None:
        if workers < 1 or queue_size < 0:
            raise ValueError("workers must be at least 1 and queue_size at least 0")
        self.workers, self.queue_size = workers, queue_size
        self.budget_s, self.max_chars, self.grace_s = budget_s, max_chars, grace_s
        self._load, self._analyze = load, analyze
        self._executor: ThreadPoolExecutor | None = None
        self._slots = threading.BoundedSemaphore(workers + queue_size)
        self._free: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._loaded = False
        self._create_lock = threading.Lock()
        self._load_lock = threading.Lock()

    # -- pipelines ----------------------------------------------------------------

    def preload(self) -> None:
        """Load every worker's pipeline now (else the first analysis loads them)."""
        with self._load_lock:
            if self._loaded:
                return
            base = self._load()
            # ``load_pipeline`` is cached: one object per process.  Every other worker gets
            # a deep copy of it, made here, before any thread runs it (copying a pipeline
            # while it parses could copy its caches half-updated).
            for nlp in [base, *(copy.deepcopy(base) for _ in range(self.workers - 1))]:
                self._free.put(nlp)
            self._loaded = True

    def _borrow(self) -> Any:
        self.preload()
        return self._free.get()  # never waits long: one pipeline per worker thread

    def _run(self, article: Article, started: list[float]) -> Analysis:
        nlp = self._borrow()  # the first analysis loads the pipelines: not part of its budget
        started.append(time.monotonic())
        try:
            return self._analyze(article, nlp, self.budget_s)
        finally:
            self._free.put(nlp)

    # -- analyses -----------------------------------------------------------------

    def retry_after(self) -> int:
        """Seconds after which a refused request may well find a free slot."""
        return max(1, math.ceil(self.budget_s or 10))

    def submit(self, article: Article) -> tuple[Future[Analysis], list[float]]:
        """Queue an analysis; its future and the list its start time is appended to.

        Raises:
            InputError: the article's text is longer than ``max_chars``.
            PoolBusy: every worker is busy and the queue is full.
        """
        if len(article.text) > self.max_chars:
            raise InputError(
                f"the article has {len(article.text):,} characters, more than the limit of "
                f"{self.max_chars:,}; analyze a shorter part, or use `accordingto analyze`"
            )
        if not self._slots.acquire(blocking=False):
            raise PoolBusy(
                f"all {self.workers} analyzers are busy and {self.queue_size} articles are "
                f"waiting; try again in {self.retry_after()} s",
                self.retry_after(),
            )
        started: list[float] = []
        try:
            future = self._threads().submit(self._run, article, started)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future, started

    def analyze(self, article: Article) -> Analysis:
        """Analyze ``article`` on a worker, waiting for it at most its budget after it starts."""
        future, started = self.submit(article)
        while True:
            try:
                return future.result(timeout=0.05)
            except TimeoutError:
                if self._over_budget(started):
                    raise AnalysisTimeout(
                        f"the analysis took longer than {self.budget_s:g} s; "
                        "analyze a shorter text, or use `accordingto analyze`"
                    ) from None

    def _over_budget(self, started: list[float]) -> bool:
        if self.budget_s is None or not started:
            return False  # no budget, or still queued (the queue is bounded: it moves)
        return time.monotonic() - started[0] > self.budget_s + self.grace_s

    def _threads(self) -> ThreadPoolExecutor:
        with self._create_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self.workers, thread_name_prefix="accordingto-analyze"
                )
            return self._executor

    def close(self) -> None:
        """Cancel queued analyses and let running ones end; a later analysis starts new threads."""
        with self._create_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


class RecentAnalyses:
    """The last ``size`` analyses by article ID, for permalinks and downloads (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, Analysis] = OrderedDict()

    def add(self, analysis: Analysis) -> None:
        with self._lock:
            self._items[analysis.article.id] = analysis
            self._items.move_to_end(analysis.article.id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, article_id: str) -> Analysis | None:
        with self._lock:
            return self._items.get(article_id)
