"""The public names of the store, corpus and across packages are pinned (httpx's pattern)."""

from __future__ import annotations

import pytest

import accordingto.across
import accordingto.corpus
import accordingto.store
import accordingto.store.queries


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (
            accordingto.store,
            {
                "MIGRATIONS",
                "Migration",
                "Outcome",
                "Store",
                "StoreError",
                "canonical_url",
                "migrate",
                "quote_text",
                "url_host",
            },
        ),
        (
            accordingto.store.queries,
            {
                "ArticleRow",
                "Citation",
                "FailureRow",
                "Person",
                "QueryError",
                "QuoteRow",
                "SearchHit",
                "SourceShare",
                "SpeakerCount",
                "Summary",
                "article_rows",
                "check_date",
                "citations",
                "failures",
                "person",
                "person_ids",
                "plain_query",
                "provenance",
                "quotes",
                "search",
                "source_class",
                "source_shares",
                "summary",
                "top_speakers",
                "unclassified",
            },
        ),
        (
            accordingto.corpus,
            {
                "Document",
                "PoliteFetcher",
                "RunStats",
                "article_from_record",
                "count_documents",
                "input_kind",
                "iter_documents",
                "run_corpus",
            },
        ),
        (
            accordingto.across,
            {
                "Occurrence",
                "PersonGroup",
                "Provenance",
                "SpeakerName",
                "group_speakers",
                "normalize_quote",
                "person_key",
                "search_terms",
                "similarity",
                "trace",
            },
        ),
    ],
)
def test_exported_members(module, names):
    assert set(module.__all__) == names
    assert all(hasattr(module, n) for n in names)
