"""A store in datasette: facets, labels, descriptions and canned queries in one ``metadata.json``.

``datasette corpus.db -m metadata.json`` then opens with the tables described,
quotations faceted by kind and method, speakers by kind and role, articles by
outlet and date, foreign keys labelled (a quotation's article by its title, a
merged speaker's person by name), the bookkeeping tables hidden, full-text search
on the quotations (``quotes_fts``), and a few canned
queries (the most quoted people, sources per outlet).

>>> from accordingto.store.datasette import metadata
>>> metadata("corpus")["databases"]["corpus"]["tables"]["quotes"]["facets"]
['kind', 'reported_as', 'method']
"""

from __future__ import annotations

from typing import Any

__all__ = ["metadata"]

_TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "One row per article: its text and metadata (outlet as given, host of its URL).",
        "label_column": "title",
        "facets": ["outlet", "host", "format", "language"],
        "sort_desc": "date",
        "columns": {
            "id": "a_ + content hash of the text",
            "canonical_url": "the URL without tracking parameters, for deduplication",
            "host": "the URL's host without www. (the outlet when none is given)",
            "versions": "JSON: the versions of the analyzer and models",
        },
    },
    "quotes": {
        "description": "One row per quotation: its words, offsets into the article text, speaker.",
        "label_column": "text",
        "facets": ["kind", "reported_as", "method"],
        "fts_table": "quotes_fts",
        "fts_pk": "rowid",
        "columns": {
            "kind": "direct, indirect or mixed",
            "text": "the content spans' words joined by …",
            "content": "JSON list of [start, end, text] spans",
            "cue": "JSON [start, end, text] of the reporting verb, or null",
            "source": "JSON [start, end, text] of the source as written, or null",
            "speaker_id": "the speaker (see speakers; people merges them across articles)",
            "via": "JSON list of speaker ids the words came through, outermost first",
            "confidence": "calibrated probability that the attribution is right",
            "reported_as": "what the cue reports: speech, thought, intention, action or other "
            "(null: stored before the analyzer knew)",
            "speaker_confidence": "probability that the speaker is the right one, or null",
        },
    },
    "speakers": {
        "description": "One row per speaker per article (same kind and name, same id).",
        "label_column": "name",
        "facets": ["kind", "role"],
        "columns": {"mentions": "JSON list of [start, end, text] mentions in the article"},
    },
    "people": {
        "description": "Speakers merged across articles (rebuilt after each run).",
        "label_column": "name",
        "facets": ["kind"],
        "sort_desc": "quotes",
        "columns": {"roles": "JSON list of the roles seen, most frequent first"},
    },
    "person_speakers": {
        "description": "Which speaker is which person, and the rule that merged them.",
        "label_column": "name",
        "facets": ["rule"],
    },
    "marks": {
        "description": "Quotation marks that are not speech: scare quotes and titles.",
        "facets": ["kind"],
    },
    "diagnostics": {
        "description": "What the analyzer could not make sense of.",
        "facets": ["code"],
    },
    "documents": {"description": "Every input document a run has seen.", "facets": ["status"]},
    "failures": {"description": "Inputs that could not be stored, and why.", "facets": ["stage"]},
    "quote_via": {"hidden": True},
    "migrations": {"hidden": True},
    "meta": {"hidden": True},
}

_QUERIES = {
    "most_quoted": {
        "title": "Most quoted people",
        "sql": (
            "select p.id as person_id, p.name, p.kind, count(*) as quotes,"
            " count(distinct q.article_id) as articles"
            " from quotes q join person_speakers ps on ps.speaker_id = q.speaker_id"
            " join people p on p.id = ps.person_id"
            " group by p.id order by quotes desc limit 100"
        ),
    },
    "speakers_per_outlet": {
        "title": "Who each outlet quotes",
        "sql": (
            "select coalesce(a.outlet, a.host) as outlet, s.name, s.kind, count(*) as quotes"
            " from quotes q join articles a on a.id = q.article_id"
            " join speakers s on s.article_id = q.article_id and s.id = q.speaker_id"
            " where :outlet = '' or coalesce(a.outlet, a.host) = :outlet"
            " group by 1, 2, 3 order by quotes desc limit 200"
        ),
    },
}


def metadata(database: str = "corpus") -> dict[str, Any]:
    """datasette metadata for a store opened as ``database`` (datasette names it after the
    file: ``corpus`` for ``corpus.db``)."""
    return {
        "title": "accordingto: who said what",
        "description": "Quotations, speakers and people found by accordingto "
        "(docs/store.md has the schema).",
        "databases": {
            database: {
                "tables": {name: dict(conf) for name, conf in _TABLES.items()},
                "queries": {name: dict(q) for name, q in _QUERIES.items()},
            }
        },
    }
