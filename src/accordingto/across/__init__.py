"""Across articles: one speaker as one person, where a quotation came from.

Pure decisions over plain values: no SQL here.  The store reads its tables,
asks these functions, and writes the answers (:mod:`accordingto.store.people`,
:func:`accordingto.store.queries.provenance`).
"""

from __future__ import annotations

from .people import PersonGroup, SpeakerName, group_speakers, person_key
from .provenance import Occurrence, Provenance, normalize_quote, search_terms, similarity, trace

__all__ = [
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
]
