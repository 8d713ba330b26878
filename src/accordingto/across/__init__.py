"""Across articles: one speaker as one person, where a quotation came from, who cites whom."""

from __future__ import annotations

from .people import link_people, person_key
from .provenance import Occurrence, Provenance, normalize_quote, provenance, similarity

__all__ = [
    "Occurrence",
    "Provenance",
    "link_people",
    "normalize_quote",
    "person_key",
    "provenance",
    "similarity",
]
