"""What the parse says of a source mention that is not a bare name: its head, how much of it
names the speaker ("federal prosecutors in April" → "federal prosecutors"), whether it is
plural, owned by a pronoun ("his company"), a list of names ("Volker and Morrison"), or a
dateline ("BUFFALO, N.Y. —")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .names import clean_name, data

__all__ = [
    "conjuncts",
    "description_name",
    "is_dateline",
    "is_plural",
    "kind_of_head",
    "owner_pronoun",
    "propn_run",
]

#: Right dependents that do not name the speaker: a relative clause, an apposition, and
#: prepositions other than "of" ("a group of doctors in 2015" → "a group of doctors").
_DROPPED = frozenset({"relcl", "appos", "acl", "punct", "advmod", "npadvmod", "cc", "conj"})
_DATELINE_TAIL = re.compile(
    r"^(?:,\s*(?:[A-Z][\w.]*\.?\s?){1,3})?\s*(?:\([^)\n]{1,20}\)\s*)?(?:—|–|--|-\s)"
)


def description_name(tokens: SpacySpan, head: Token) -> str:
    """The words of a description that name the speaker: up to its head, then the "of"-phrases
    that say what the head is of ("members of the union"), without quotation marks; a time,
    place or clause after it ("in April", ", who …") is not part of it."""
    end = head.i + 1
    for child in head.rights:
        if child.i >= tokens.end:
            break
        if child.dep_ in _DROPPED or (child.dep_ == "prep" and child.lower_ != "of"):
            break
        end = max(end, min(child.right_edge.i + 1, tokens.end))
    return clean_name(tokens.doc[tokens.start : end].text)


def is_plural(head: Token) -> bool:
    """A plural noun ("experts", "the unions"), not a proper name's plural ("Democrats")."""
    return head.tag_ == "NNS" or (head.pos_ == "NOUN" and head.morph.get("Number", []) == ["Plur"])


def owner_pronoun(head: Token, start: int) -> Token | None:
    """The pronoun that owns the description ("his" in "his company"), if any."""
    return next(
        (
            c
            for c in head.lefts
            if c.dep_ == "poss" and c.idx >= start and c.lower_ in ("his", "her", "its", "their")
        ),
        None,
    )


def conjuncts(head: Token, start: int, end: int) -> list[Token]:
    """The heads of a list of names joined by "and" inside ``start``–``end`` ("Volker and
    Morrison", "the United Nations and European Union"), the first one included; one head
    when the mention is no such list."""
    heads = [head]
    if head.pos_ != "PROPN":
        return heads
    for t in head.conjuncts:
        if start <= t.idx < end and t.pos_ == "PROPN" and t.i > head.i:
            heads.append(t)
    joined = any(c.lower_ in ("and", "&") for c in head.rights if start <= c.idx < end)
    return heads if joined else [head]


def propn_run(head: Token) -> SpacySpan:
    """The run of proper nouns around ``head`` that is one name ("Jeff Sanborn"), not the other
    names in its phrase ("…, president of Chapter & Verse")."""
    doc: Doc = head.doc
    start = end = head.i
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].dep_
        in (
            "compound",
            "flat",
            "nmod",
        )
    ):
        start -= 1
    while (
        end + 1 < len(doc)
        and doc[end + 1].pos_ == "PROPN"
        and doc[end + 1].head.i
        in (
            head.i,
            end,
        )
    ):
        end += 1
    return doc[start : end + 1]


def kind_of_head(word: str) -> str | None:
    """``organization`` or ``outlet`` for a head noun that names such a body, else None."""
    return data().kinds.get(word.lower())


def is_dateline(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a dateline's place ("BUFFALO, N.Y. —", "CHARLOTTE - "): in capitals
    at a paragraph's start, followed by a dash?"""
    name = text[start:end]
    at_start = start == 0 or text[start - 1] == "\n" or text[max(0, start - 2) : start] == "\n "
    return (
        at_start
        and name.upper() == name
        and any(c.isalpha() for c in name)
        and _DATELINE_TAIL.match(text[end : end + 40]) is not None
    )
