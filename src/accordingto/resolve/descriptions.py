"""What the parse says of a source mention that is not a bare name: its head, how much of it
names the speaker ("federal prosecutors in April" → "federal prosecutors"), whether it is
plural, owned by a pronoun ("his company"), a list of names ("Volker and Morrison"), or a
dateline ("BUFFALO, N.Y. —")."""

from __future__ import annotations

import bisect
import re
import sys

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .names import clean_name, data

__all__ = [
    "conjuncts",
    "heading_spans",
    "in_spans",
    "elided_whole",
    "description_name",
    "is_dateline",
    "is_plural",
    "kind_of_head",
    "owner_pronoun",
    "propn_name",
    "with_tail",
]

_TIME_LABELS = frozenset({"DATE", "TIME"})
_DATELINE_TAIL = re.compile(
    r"^(?:,\s*(?:[A-Z][\w.]*\.?\s?){1,3})?\s*(?:\([^)\n]{1,20}\)\s*)?(?:—|–|--|-\s)"
)


def _names_it(child: Token) -> bool:
    """Is a right dependent of a description's head part of what names the speaker?  Not a
    time ("in April", "in 2015"), nor anything after a comma (", who …", ", a former …")."""
    if child.dep_ in ("punct", "relcl", "appos") and (
        child.dep_ == "punct" or child.nbor(-1).text == ","
    ):
        return False
    if child.dep_ in ("prep", "npadvmod", "advmod"):
        objects = [t for t in child.subtree if t.ent_type_]
        return not (objects and all(t.ent_type_ in _TIME_LABELS for t in objects))
    return True


def description_name(tokens: SpacySpan, head: Token) -> str:
    """The words of a description that name the speaker: up to its head, then what follows it
    ("experts on jail suicide", "a group representing rural counties") up to a time ("in
    April") or a comma (", who …"), without quotation marks."""
    end = head.i + 1
    for child in head.rights:
        if child.i >= tokens.end or not _names_it(child):
            break
        end = max(end, min(child.right_edge.i + 1, tokens.end))
    return clean_name(tokens.doc[tokens.start : end].text)


#: Heads of a share of a group ("46 percent", "a majority") whose "of …" may be left out.
_SHARES = frozenset({"percent", "%", "percentage", "majority", "minority", "half", "third"})


def elided_whole(head: Token) -> str | None:
    """The group a share is of when its paragraph names it just before ("Among likely voters, 46
    percent would choose Clinton … while 5 percent prefer …": likely voters), if the share
    ("5 percent") has no "of" phrase of its own."""
    if head.lemma_.lower() not in _SHARES or any(c.lower_ == "of" for c in head.rights):
        return None
    for t in reversed(head.doc[max(0, head.i - 60) : head.i]):
        if "\n" in t.text:
            break  # the paragraph's start
        share_of = t.lower_ == "of" and t.head.lemma_.lower() in _SHARES
        if share_of or t.lower_ == "among":
            obj = next((c for c in t.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return head.doc[obj.left_edge.i : obj.i + 1].text  # not "in a two-way race"
    return None


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


def propn_name(head: Token, start: int, end: int) -> SpacySpan:
    """The proper name whose head is ``head``, inside ``start``–``end``: its words up to the
    last proper noun, "for" and "of" phrases included ("the United Nations High Commissioner
    for Human Rights"), not an apposition after a comma ("Jeff Sanborn, president of …")."""
    words = [t for t in head.subtree if start <= t.idx < end]
    first = next((i for i, t in enumerate(words) if t.i == head.i), 0)
    for i in range(first, len(words)):
        if words[i].text in (",", "(", ";", "—", "–") or words[i].dep_ in ("relcl", "appos"):
            words = words[:i]
            break
    lo = 0
    while lo < first and words[lo].pos_ != "PROPN":  # not "the", not "a prospect Vindman"
        lo += 1
    hi = len(words) - 1
    while hi > first and words[hi].pos_ != "PROPN":
        hi -= 1
    if lo >= len(words) or hi < lo or any(words[k].i + 1 != words[k + 1].i for k in range(lo, hi)):
        return head.doc[head.i : head.i + 1]
    return head.doc[words[lo].i : words[hi].i + 1]


def with_tail(ent: SpacySpan) -> SpacySpan:
    """An organisation's name with the "for"/"of"/"on" phrase of proper nouns NER left off it
    ("the U.S. Court of Appeals" + "for the Sixth Circuit")."""
    doc, end = ent.doc, ent.end
    if end + 1 >= len(doc) or doc[end].lower_ not in ("for", "of", "on"):
        return ent
    i = end + 1
    if doc[i].lower_ == "the":
        i += 1
    j = i
    while j < len(doc) and doc[j].text[:1].isupper() and doc[j].pos_ in ("PROPN", "ADJ"):
        j += 1
    return doc[ent.start : j] if j > i and doc[j - 1].pos_ == "PROPN" else ent


def kind_of_head(word: str) -> str | None:
    """``organization`` or ``outlet`` for a head noun that names such a body, else None."""
    return data().kinds.get(word.lower())


_SENTENCE_END = tuple(".!?:;\"”’')…")


def heading_spans(text: str, doc: Doc | None = None) -> list[tuple[int, int]]:
    """The paragraphs that are no prose: a heading or a related-links teaser a page's
    extraction kept ("Russia vows revenge for drone attack"), up to 20 words with no
    sentence-ending mark, or (read in ``doc``) in title case, its common words capitalised
    ("Derelict Obama and Clinton Put Americans at Risk."); in text order."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip(" *#_>|-\t")
        words = stripped.split()
        if words and len(words) <= 20:
            bare = not stripped.endswith(_SENTENCE_END)
            if bare or (doc is not None and _title_case(doc, pos, pos + len(line))):
                spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _title_case(doc: Doc, start: int, end: int) -> bool:
    """Are the words after the first that are no name and no function word all capitalised
    ("Risk"; prose has "met"), or is it names and small words alone ("Derelict Obama and
    Clinton;")?"""
    words = doc.char_span(start, end, alignment_mode="expand")
    if words is None:
        return False
    content = [
        t for t in words[1:] if t.is_alpha and len(t) >= 3 and not t.is_stop and not t.ent_type_
    ]
    return len(words) >= 2 and all(t.text[:1].isupper() for t in content)


def in_spans(spans: list[tuple[int, int]], char: int) -> bool:
    """Is ``char`` inside one of the sorted, disjoint ``spans``?"""
    i = bisect.bisect_right(spans, (char, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= char < spans[i][1]


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
