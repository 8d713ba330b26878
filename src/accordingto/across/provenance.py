"""Where a quotation came from: the same or nearly the same words in other articles.

For one quotation, candidates (found by :func:`accordingto.store.queries.provenance`
with the store's full-text index, any of :func:`search_terms`) are compared word by word
(:func:`similarity`, difflib's matching blocks over normalised words).  Each
occurrence gets a relation:

* ``same``: the same words once case, punctuation and quotation marks are set aside;
* ``part``: the words of one are a contiguous part of the other (an excerpt);
* ``altered``: at least :data:`ALTERED_MIN` similar but neither of the above:
  flagged as a possible misquote.

The first appearance is the earliest occurrence of the same words (``same`` or
``part``, or the quotation itself) by article date; altered versions are listed
but never count as the first.  Articles without a date come last, then by article
ID, so the answer is stable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

__all__ = [
    "ALTERED_MIN",
    "Occurrence",
    "Provenance",
    "normalize_quote",
    "search_terms",
    "similarity",
    "trace",
]

#: Similarity from which two different wordings count as one quotation altered.
ALTERED_MIN = 0.6
#: Fewest words for a ``part`` or ``altered`` match (shorter quotes must be the same).
MIN_WORDS = 4
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def normalize_quote(text: str) -> list[str]:
    """The words of a quotation as compared: lower case, no punctuation, one kind of apostrophe.

    >>> normalize_quote("“We WON’T stop,” — he said.")
    ['we', "won't", 'stop', 'he', 'said']
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return _WORD.findall(text)


def similarity(a: list[str], b: list[str]) -> tuple[float, str | None]:
    """How alike two word lists are (0..1), and their relation: same, part, altered or ``None``."""
    if not a or not b:
        return 0.0, None
    if a == b:
        return 1.0, "same"
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    ratio = matcher.ratio()
    shorter = min(len(a), len(b))
    if shorter < MIN_WORDS:
        return ratio, None
    longest = max((m.size for m in matcher.get_matching_blocks()), default=0)
    if longest == shorter:
        return ratio, "part"
    return ratio, ("altered" if ratio >= ALTERED_MIN else None)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One quotation in one article, as a provenance answer lists it."""

    quote_id: str
    article_id: str
    text: str
    speaker: str | None
    outlet: str | None
    date: str | None
    url: str | None
    #: Word similarity to the quotation asked about (1.0 for itself).
    similarity: float
    #: ``self``, ``same``, ``part`` or ``altered`` (a possible misquote).
    relation: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """A quotation, the first appearance of its words, and every occurrence, earliest first."""

    quote: Occurrence
    first: Occurrence
    occurrences: tuple[Occurrence, ...]

    @property
    def altered(self) -> tuple[Occurrence, ...]:
        """The occurrences flagged as possible misquotes."""
        return tuple(o for o in self.occurrences if o.relation == "altered")


def trace(quote: Occurrence, candidates: Iterable[Occurrence]) -> Provenance:
    """The provenance of ``quote`` among ``candidates`` (other quotations sharing some of its words).

    Each candidate's ``similarity`` and ``relation`` are computed here (whatever
    they were); candidates with no relation are dropped.
    """
    words = normalize_quote(quote.text)
    me = replace(quote, similarity=1.0, relation="self")
    found = [me]
    for cand in candidates:
        score, relation = similarity(words, normalize_quote(cand.text))
        if relation is not None:
            found.append(replace(cand, similarity=round(score, 3), relation=relation))
    found.sort(key=lambda o: (o.date is None, o.date or "", o.article_id, o.quote_id))
    first = next(o for o in found if o.relation in ("self", "same", "part"))
    return Provenance(me, first, tuple(found))


def search_terms(text: str, *, most: int = 16) -> list[str]:
    """The longest distinct words of ``text``, to find candidate occurrences with (at most ``most``)."""
    return sorted(set(normalize_quote(text)), key=lambda w: (-len(w), w))[:most]
