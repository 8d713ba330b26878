"""en_core_web_sm's attribute ruler, with each kind of word matched once.

spaCy's ``AttributeRuler`` runs a ``Matcher`` of all its patterns (179 in en_core_web_sm)
over every token of every doc: on PolNeAR dev that is 1.4 of the 10.3 CPU-seconds of the
whole bare parse, more than the parser's own steps.  All but a few of those patterns are
one token long and read only a handful of the token's attributes (``TAG``, ``LOWER``,
``DEP``, ``IS_SPACE``), so which of them match a token depends only on those values.
:func:`memoize_matches` gives a loaded ruler a ``match`` that asks spaCy's own ``Matcher``
once per distinct combination of them (on that token) and remembers the answer; longer
patterns still run through a ``Matcher`` of their own.  The ruler's own ``set_annotations``
then applies the matches in the order spaCy would, so every token's POS, TAG, MORPH and
LEMMA are exactly the original's (``tests/nlp/test_attribute_ruler.py`` checks that on
real sentences, and on PolNeAR dev and train when ``../shared`` is there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc

__all__ = ["MEMO_SIZE", "memoize_matches"]

#: Distinct words remembered before the memo starts again (a bound on its memory).
MEMO_SIZE = 200_000
#: Token attributes a one-token pattern may read for its matches to be remembered.
_KEYED = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE", "IS_PUNCT"})

Match = tuple[int, int, int, int]


def _split(ruler: Any) -> tuple[Matcher, Matcher, list[str]] | None:
    """The ruler's patterns as a matcher of the one-token ones and one of the rest, and the
    token attributes the one-token ones read; ``None`` when one reads anything else."""
    single, multi = Matcher(ruler.vocab), Matcher(ruler.vocab)
    read: set[str] = set()
    for attr_id in range(len(ruler.attrs)):
        key = str(attr_id)
        found = ruler.matcher.get(key)
        if found is None:
            continue
        patterns = found[1]
        ones = [p for p in patterns if len(p) == 1 and "OP" not in p[0]]
        rest = [p for p in patterns if not (len(p) == 1 and "OP" not in p[0])]
        for pattern in ones:
            names = {str(name).upper() for name in pattern[0]}
            if not names <= _KEYED:
                return None
            read |= names
        if ones:
            single.add(key, ones)
        if rest:
            multi.add(key, rest)
    return single, multi, sorted(read)


def memoize_matches(ruler: Any) -> bool:
    """Give ``ruler`` (a loaded ``AttributeRuler``) the memoized ``match``; ``False``, and
    the ruler left as it is, when its patterns read what the memo does not key on."""
    split = _split(ruler)
    if split is None:
        return False
    single, multi, read = split
    ruler.match = _matcher(ruler, single, multi, [name for name in read])
    return True


def _matcher(
    ruler: Any, single: Matcher, multi: Matcher, attrs: list[int | str]
) -> Callable[[Doc], list[Match]]:
    strings = ruler.vocab.strings
    memo: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}

    def one_token(doc: Doc, i: int) -> tuple[tuple[int, int], ...]:
        found = single(doc[i : i + 1], allow_missing=True, as_spans=False)
        return tuple(sorted((int(strings[m_id]), m_id) for m_id, _, _ in found))

    def match(doc: Doc) -> list[Match]:
        if len(memo) > MEMO_SIZE:
            memo.clear()
        out: list[Match] = []
        for i, row in enumerate(map(tuple, doc.to_array(attrs).tolist())):
            hits = memo.get(row)
            if hits is None:
                hits = memo[row] = one_token(doc, i)
            out.extend((attr_id, m_id, i, i + 1) for attr_id, m_id in hits)
        for m_id, start, end in multi(doc, allow_missing=True, as_spans=False):
            out.append((int(strings[m_id]), m_id, start, end))
        out.sort()
        return out

    return match
