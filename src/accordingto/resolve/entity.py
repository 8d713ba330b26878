"""A speaker as it is built up (``Entity``), and what a name and the words around it say:
its role ("UK Foreign Minister", ", the chief of …"), whether NER's organisation is a person,
the acronyms an article defines by naming a body in full."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from accordingto.model import EntityKind, Span

from .descriptions import kind_of_head
from .names import HONORIFIC_GENDER, acronym_variant, clean_name, data, norm, outlet_like
from .people import PERSON_LABELS, name_words

__all__ = [
    "GROUP_LABELS",
    "SURNAME_MISLABELS",
    "Entity",
    "acronyms",
    "person_like",
    "proper_name",
    "role_heads",
    "role_of",
    "title_before",
]

GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
#: Labels en_core_web_sm gives a lone surname at a sentence's start ("Fowler said …").
SURNAME_MISLABELS = frozenset(GROUP_LABELS | {"LOC"})
_DETERMINERS = re.compile(r"^(the|a|an)(\s+|$)", re.IGNORECASE)
_WHO = re.compile(r"\s*,\s*who\b")
_BREAK = re.compile(r"\s(?:--|—|–|-)\s|\n")
_ROLE_PREPOSITION = re.compile(r"\s+(?:of|on|at|for|in|to|with|from)\s+", re.IGNORECASE)


@dataclass
class Entity:
    """A speaker being built up from its mentions; ``number``: its place in the article's list.

    It has no ID while the article is read, as its name may still grow ("Ortiz", then "Mayor
    Ana Ortiz"): the pipeline gives IDs once every name is final.
    """

    name: str
    kind: EntityKind
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)
    number: int = -1

    def matches(self, name: str, kind: EntityKind) -> bool:
        a, b = norm(self.name), norm(name)
        if a == b:
            return True
        if not a or not b:
            return False
        # a surname joins a person (NER may call a lone surname an ORG); never a description
        named = (EntityKind.PERSON, EntityKind.UNKNOWN, EntityKind.ORGANIZATION)
        if EntityKind.PERSON in (self.kind, kind) and self.kind in named and kind in named:
            parts_a, parts_b = name_words(a), name_words(b)
            return parts_a[-1:] == parts_b[-1:] and (len(parts_a) == 1 or len(parts_b) == 1)
        if self.kind is kind is EntityKind.OUTLET:  # "the Gazette" after "the Riverton Gazette"
            shorter, longer = sorted((a.split(), b.split()), key=len)
            if longer[-len(shorter) :] == shorter:
                return True
        return acronym_variant(self.name, name)


def role_heads(role: str) -> set[str]:
    """The head noun of each part of a role ("the chief of the general staff, a former
    civil engineer" → chief, engineer): what "the chief" can name, where "the staff" cannot."""
    heads = set()
    for part in role.split(","):
        words = _ROLE_PREPOSITION.split(part.strip(), maxsplit=1)[0].split()
        if words:
            heads.add(words[-1].lower().strip(".'’"))
    return heads


def proper_name(name: str) -> bool:
    """A proper name: every word capitalised but small words ("Bank of America")."""
    words = name.split()
    small = ("of", "the", "and", "for", "&")
    return bool(words) and all(w[:1].isupper() or w in small for w in words)


def person_like(ent: SpacySpan, lone_people: set[str], after: str) -> bool:
    """Is an entity NER calls an organisation or place a person's name: two or three
    capitalised words, the first a common given name, or the last one named alone as a person
    elsewhere ("Figgins said"), or followed by ", who"; and no word for a body ("Jordan Valley
    Authority")?"""
    words = ent.text.split()
    lists = data()
    return (
        ent.label_ in SURNAME_MISLABELS
        and 2 <= len(words) <= 3
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and (
            words[0].lower() in lists.female
            or words[0].lower() in lists.male
            or words[-1] in lone_people
            or _WHO.match(after) is not None
        )
        and not any(kind_of_head(w) for w in words)
        and not outlet_like(ent.text)
    )


def acronyms(ents: list[SpacySpan]) -> dict[str, str]:
    """Acronyms that stand for an organisation named in full in the article: "IMF" for
    "the International Monetary Fund", "US" for "the United States" (the initials of
    its capitalised words); an acronym two names share stands for neither."""
    full: dict[str, set[str]] = {}
    for e in ents:
        name = clean_name(_DETERMINERS.sub("", e.text))
        words = [w for w in name.split() if w[:1].isupper()]
        if e.label_ in ("ORG", "FAC", "GPE") and len(words) >= 2 and not name.isupper():
            initials = "".join(w[0] for w in words)
            full.setdefault(initials, set()).add(name)
    out = {}
    for e in ents:
        short = clean_name(e.text)
        key = short.replace(".", "")
        if key.isupper() and len(full.get(key, ())) == 1:
            out[short] = next(iter(full[key]))
    return out


def title_before(doc: Doc, ent: SpacySpan) -> str:
    """ "the pro-war historian Timothy Snyder" when the parser split the noun from the name;
    not a noun the name merely follows ("the night Epstein died")."""
    if ent.start == 0:
        return ""
    noun = doc[ent.start - 1]
    if noun.pos_ != "NOUN" or not noun.text.islower():
        return ""
    tied = ent.start <= noun.head.i < ent.end or (
        ent.root.head.i == noun.i and ent.root.dep_ in ("appos", "compound")
    )
    if not tied:
        return ""
    words = doc[noun.left_edge.i : noun.i + 1]
    if any(t.pos_ in ("VERB", "PUNCT") and t.text != "-" for t in words):
        return ""
    return clean_name(_DETERMINERS.sub("", words.text))


def role_of(doc: Doc, text: str, start: int, end: int, ent: SpacySpan) -> str | None:
    """The role the words around a name give it: a title before it ("Senator", not "Ms.")
    and an apposition after it (", the chief of the general staff")."""
    parts = []
    before = _BREAK.split(text[start : ent.start_char])[-1]  # not a dateline
    pre = clean_name(_DETERMINERS.sub("", before.strip(" ,")))
    if not pre and ent.label_ in PERSON_LABELS:
        pre = title_before(doc, ent)
    if (
        pre
        and ent.label_ in PERSON_LABELS
        and pre.lower().rstrip(".") not in HONORIFIC_GENDER
        and any(c.isalpha() for c in pre)
        and pre.split()[-1].lower() not in ("both", "and", "all", "each")
    ):
        parts.append(pre)  # "Senator", not "Ms."
    appos = next((c for c in ent.root.children if c.dep_ == "appos" and c.idx < end), None)
    if appos is not None and appos.pos_ in ("NOUN", "PROPN"):
        a_end = min(appos.right_edge.idx + len(appos.right_edge), end)
        parts.append(clean_name(text[appos.left_edge.idx : a_end]))
    role = ", ".join(p for p in parts if p)
    return role or None
