"""The corpus store: many analyses in one SQLite file, and the questions asked of it.

>>> from accordingto.store import Store, queries
>>> with Store("corpus.db", readonly=True) as store:          # doctest: +SKIP
...     for row in queries.top_speakers(store, outlet="example.org", limit=10):
...         print(row.name, row.quotes)

See ``docs/store.md`` for the schema and the query functions.
"""

from __future__ import annotations

from .canonical import canonical_url, url_host
from .migrations import MIGRATIONS, Migration, migrate
from .store import Outcome, Store, StoreError, quote_text

__all__ = [
    "MIGRATIONS",
    "Migration",
    "Outcome",
    "Store",
    "StoreError",
    "canonical_url",
    "migrate",
    "quote_text",
    "url_host",
]
