"""Corpora: reading many documents, fetching politely, and running the analyzer into a store.

>>> from accordingto.corpus import iter_documents, run_corpus
>>> stats = run_corpus(["news/", "feed.xml"], "corpus.db", jobs=2)     # doctest: +SKIP
"""

from __future__ import annotations

from accordingto.ingest.inputs import Document, article_from_record, input_kind, iter_documents
from accordingto.ingest.polite import PoliteFetcher

from .run import RunStats, count_documents, run_corpus

__all__ = [
    "Document",
    "PoliteFetcher",
    "RunStats",
    "article_from_record",
    "count_documents",
    "input_kind",
    "iter_documents",
    "run_corpus",
]
