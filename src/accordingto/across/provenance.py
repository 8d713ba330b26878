"""Where a quotation came from: the same or nearly the same words in other articles.

For one stored quotation, candidates are found with the full-text index
(FTS5, any of its longer words), then compared word by word
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
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["ALTERED_MIN", "Occurrence", "Provenance", "normalize_quote", "provenance", "similarity"]

#: Similarity from which two different wordings count as one quotation altered.
ALTERED_MIN = 0.6
#: Fewest words for a ``part`` or ``altered`` match (shorter quotes must be the same).
MIN_WORDS = 4
#: Candidates fetched from the full-text index per question.
CANDIDATES = 500
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


_SELECT = """
SELECT q.id, q.article_id, q.text, s.name, coalesce(a.outlet, a.host), a.date, a.url
FROM quotes q JOIN articles a ON a.id = q.article_id
LEFT JOIN speakers s ON s.article_id = q.article_id AND s.id = q.speaker_id
"""


def provenance(conn, quote_id: str) -> Provenance | None:
    """The provenance of the stored quotation ``quote_id`` (``None`` if there is no such quote)."""
    row = conn.execute(_SELECT + " WHERE q.id = ?", (quote_id,)).fetchone()
    if row is None:
        return None
    words = normalize_quote(row[2])
    me = Occurrence(*row, similarity=1.0, relation="self")
    found = [me]
    for cand in _candidates(conn, words, quote_id):
        score, relation = similarity(words, normalize_quote(cand[2]))
        if relation is not None:
            found.append(Occurrence(*cand, similarity=round(score, 3), relation=relation))
    found.sort(key=lambda o: (o.date is None, o.date or "", o.article_id, o.quote_id))
    first = next(o for o in found if o.relation in ("self", "same", "part"))
    return Provenance(me, first, tuple(found))


def _candidates(conn, words: list[str], quote_id: str) -> list[tuple]:
    terms = sorted(set(words), key=lambda w: (-len(w), w))[:16]
    if not terms:
        return []
    match = " OR ".join('"' + w.replace('"', '""') + '"' for w in terms)
    return conn.execute(
        _SELECT + " WHERE q.rowid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?"
        " ORDER BY rank LIMIT ?) AND q.id != ?",
        (match, CANDIDATES, quote_id),
    ).fetchall()
