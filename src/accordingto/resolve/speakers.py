"""Resolve each source mention to a speaker of the article.

Rules over the parse, no coreference model: a named mention becomes or joins
an entity (surnames join the full name, "Snyder" → Timothy Snyder); "he"/"she"
take the nearest person named before them, preferring subjects; "it"/"they"
the nearest organization or outlet; "we" the outlet last quoted, else the
article's author; "who" the noun its clause hangs on.  Roles come from the
words around the name ("UK Foreign Minister", ", the chief of the general
staff …").
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from accordingto.model import EntityKind, Span
from accordingto.quotes.lexicon import read_list

__all__ = ["Entity", "SpeakerResolver"]

_PERSON_LABELS = {"PERSON"}
#: Weight of how often a person was named before (up to 5 times) in choosing whom "he"/"she"
#: means: the article's main figure beats a bystander named once just before.
_SALIENCE = 0.3
_GROUP_LABELS = {"ORG", "GPE", "NORP", "FAC"}
_DETERMINERS = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True, slots=True)
class _Lists:
    """The word lists of ``resolve/data/``."""

    outlets: frozenset[str]
    suffixes: frozenset[str]
    anonymous: frozenset[str]
    pronouns: dict[str, str]  # word → person, thing, group, self or relative
    titles: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    heads: dict[str, frozenset[str]]  # a description's head noun → the name words it stands for


@functools.cache
def _data() -> _Lists:
    pkg = __package__
    pronouns = {}
    for line in read_list(pkg, "pronouns.txt"):
        word, kind = line.split()
        pronouns[word] = kind
    return _Lists(
        outlets=frozenset(read_list(pkg, "outlets.txt")),
        suffixes=frozenset(read_list(pkg, "outlet_suffixes.txt")),
        anonymous=frozenset(read_list(pkg, "anonymous.txt")),
        pronouns=pronouns,
        titles=frozenset(read_list(pkg, "titles.txt")),
        female=frozenset(read_list(pkg, "female_names.txt")),
        male=frozenset(read_list(pkg, "male_names.txt")),
        heads={
            head: frozenset([head, *words])
            for head, *words in (line.split() for line in read_list(pkg, "description_heads.txt"))
        },
    )


_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f"}
_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "pres": "president",
    "sec": "secretary",
    "prof": "professor",
}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def name_gender(name: str) -> str | None:
    """``m``, ``f`` or ``None`` from an honorific or a common given name."""
    words = [w.strip(".").lower() for w in name.split()]
    if not words:
        return None
    if words[0] in _HONORIFIC_GENDER:
        return _HONORIFIC_GENDER[words[0]]
    if len(words) < 2:
        return None
    first = words[0]
    data = _data()
    if first in data.female and first not in data.male:
        return "f"
    if first in data.male and first not in data.female:
        return "m"
    return None


_ROLE_PREPOSITION = re.compile(r"\s+(?:of|on|at|for|in|to|with|from)\s+", re.IGNORECASE)


def _role_heads(role: str) -> set[str]:
    """The head noun of each part of a role ("the chief of the general staff, a former
    civil engineer" → chief, engineer): what "the chief" can name, where "the staff" cannot."""
    heads = set()
    for part in role.split(","):
        words = _ROLE_PREPOSITION.split(part.strip(), maxsplit=1)[0].split()
        if words:
            heads.add(words[-1].lower().strip(".'’"))
    return heads


_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
#: Labels en_core_web_sm gives a lone surname at a sentence's start ("Fowler said …").
_SURNAME_MISLABELS = frozenset(_GROUP_LABELS | {"LOC"})


def _is_subject(word: Token) -> bool:
    """The clause's subject, or in apposition to it ("The minister, Mr. Ruiz, argues …")."""
    return word.dep_ in _SUBJECTS or (word.dep_ == "appos" and word.head.dep_ in _SUBJECTS)


def clean_name(name: str) -> str:
    """A name without markup, possessive or surrounding punctuation."""
    name = re.sub(r"[*_\[\]]", "", name)
    name = re.sub(r"\s+", " ", name).strip(" ,.;:“”\"'―—–-")
    return _POSSESSIVE.sub("", name)


def _proper_part(ent: SpacySpan) -> SpacySpan:
    """The entity without leading determiners and common nouns ("The historian Timothy Marsh")."""
    start = ent.start
    titles = _data().titles if ent.label_ in _PERSON_LABELS else frozenset()
    while start < ent.end - 1 and (
        ent.doc[start].pos_ in ("DET", "NOUN", "ADJ", "SPACE", "PUNCT")
        or ent.doc[start].lower_ in titles
    ):
        start += 1
    return SpacySpan(ent.doc, start, ent.end, label=ent.label)


def _norm(name: str) -> str:
    return re.sub(r"^the\s+", "", name.lower()).strip()


def _edit1(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` at most one insertion, deletion or substitution apart?"""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i:] == b[i + 1 :] or a[i + 1 :] == b[i + 1 :]


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
        a, b = _norm(self.name), _norm(name)
        if a == b:
            return True
        if not a or not b:
            return False
        # a surname joins a person (NER may call a lone surname an ORG); never a description
        named = (EntityKind.PERSON, EntityKind.UNKNOWN, EntityKind.ORGANIZATION)
        if EntityKind.PERSON in (self.kind, kind) and self.kind in named and kind in named:
            parts_a, parts_b = a.split(), b.split()
            return parts_a[-1] == parts_b[-1] and (len(parts_a) == 1 or len(parts_b) == 1)
        if self.kind is kind is EntityKind.OUTLET:  # "the Gazette" after "the Riverton Gazette"
            shorter, longer = sorted((a.split(), b.split()), key=len)
            if longer[-len(shorter) :] == shorter:
                return True
        return _acronym_variant(self.name, name)


def _acronym_variant(a: str, b: str) -> bool:
    """ "WSWS" and "WSWWS": two acronyms one typo apart (scraping and typing damage)."""
    a, b = _norm(a).upper(), _norm(b).upper()
    caps = a.isalpha() and b.isalpha() and len(a) >= 4 and len(b) >= 4
    return caps and _edit1(a, b)


def canonical_outlet(name: str) -> str:
    """A misspelt acronym of a listed outlet becomes the listed one ("WSWWS" → "WSWS")."""
    if name.isupper() and _norm(name) not in _data().outlets:
        for o in _data().outlets:
            if o.isalpha() and _acronym_variant(name, o):
                return o.upper()
    return name


def outlet_like(name: str) -> bool:
    """Is ``name`` a news outlet: listed, a typo of a listed acronym, or "… Gazette"?"""
    data = _data()
    norm = _norm(clean_name(name))
    words = clean_name(name).split()
    if norm in data.outlets:
        return True
    if len(words) == 1 and words[0].isupper():
        return any(_acronym_variant(words[0], o) for o in data.outlets if o.isalpha())
    # "the Springfield Gazette", and "the Gazette" once it has been named
    return bool(words) and words[-1][:1].isupper() and words[-1].lower() in data.suffixes


@dataclass(frozen=True, slots=True)
class _Person:
    """A person named in the article, as choosing whom "he" or "she" means reads them."""

    ent: SpacySpan
    name: str  # the fullest form of the name in the article
    named: int  # how often the surname has been named up to here
    sent: int  # the sentence (an index into the sentence starts, plus one)
    subject: bool
    gender: str | None


class SpeakerResolver:
    """Entities of one article, resolved mention by mention in text order."""

    def __init__(
        self,
        doc: Doc,
        text: str,
        *,
        quoted,
        author: str | None,
        outlet: str | None,
        sent_starts: list[int] | None = None,
    ):
        self.doc, self.text = doc, text
        self.quoted = quoted
        self.author, self.outlet = author, outlet
        self.entities: list[Entity] = []
        self.last: Entity | None = None
        self._ents = [e for e in doc.ents if not quoted(e.start_char)]
        self._sent_starts = (
            sent_starts if sent_starts is not None else [s.start_char for s in doc.sents]
        )
        self._full_names: dict[str, set[str]] = {}  # surname → full names of people
        for e in self._ents:
            if e.label_ in _PERSON_LABELS:
                name = clean_name(_proper_part(e).text)
                if len(name.split()) > 1:
                    self._full_names.setdefault(name.split()[-1].lower(), set()).add(name)
        self._honorific: dict[str, str] = {}  # surname → gender, from "Mr. Ban", "Ms. Strada"
        self._ents = self._surnames_as_people(doc, quoted)
        # the entities do not overlap, so their ends are in order too: look-ups by bisection
        self._starts = [e.start_char for e in self._ents]
        self._ends = [e.end_char for e in self._ents]
        self._people: list[_Person] | None = None  # built on the first "he"/"she"
        self._people_ends: list[int] = []

    def _surnames_as_people(self, doc: Doc, quoted) -> list[SpacySpan]:
        """The entities, with a lone surname of a person named in full counted as that person:
        NER calls a surname that opens a sentence ORG or GPE ("Fowler said …") or nothing.
        The same pass over the tokens notes the gender an honorific gives a surname."""
        ents = [
            SpacySpan(doc, e.start, e.end, label="PERSON")
            if e.label_ in _SURNAME_MISLABELS
            and clean_name(e.text).lower() in self._full_names
            and not outlet_like(e.text)
            else e
            for e in self._ents
        ]
        gender = None  # that of the honorific just before, if any
        for t in doc:
            if t.pos_ == "PROPN":
                if gender is not None:
                    last = t
                    while (
                        last.i + 1 < len(doc)
                        and doc[last.i + 1].pos_ == "PROPN"
                        and doc[last.i + 1].is_title
                    ):
                        last = doc[last.i + 1]
                    self._honorific.setdefault(last.lower_, gender)
                if (
                    t.ent_iob_ == "O"
                    and t.dep_ in _SUBJECTS
                    and t.lower_ in self._full_names
                    and not quoted(t.idx)
                ):
                    ents.append(SpacySpan(doc, t.i, t.i + 1, label="PERSON"))
            gender = _HONORIFIC_GENDER.get(t.lower_.rstrip("."))
        return sorted(ents, key=lambda e: e.start)

    # -- registry -------------------------------------------------------------

    def _add(self, name: str, kind: EntityKind, role: str | None, mention: Span | None) -> Entity:
        name = clean_name(name)
        if kind is EntityKind.OUTLET:
            name = canonical_outlet(name)
        ent = next((e for e in self.entities if e.matches(name, kind)), None)
        if ent is None:
            ent = Entity(name, kind, role, number=len(self.entities))
            self.entities.append(ent)
        else:
            if len(name) > len(ent.name) and kind is ent.kind:
                ent.name = name
            ent.role = ent.role or role
        if mention is not None and mention not in ent.mentions:
            ent.mentions.append(mention)
        return ent

    # -- named mentions -------------------------------------------------------

    def _ent_in(self, start: int, end: int, head: Token | None) -> SpacySpan | None:
        """The named entity that is the mention's head (not a modifier: "the US media")."""
        near = self._ents[
            bisect.bisect_right(self._ends, start) : bisect.bisect_left(self._starts, end)
        ]
        inside = [e for e in near if start <= e.start_char and e.end_char <= end]
        if head is None:
            return inside[0] if inside else None
        overlapping = [e for e in near if e.start_char < end and start < e.end_char]
        own = next((e for e in overlapping if e.start <= head.i < e.end), None)
        if own is None:  # "the historian Timothy Marsh": a person named in the description
            own = next(
                (
                    e
                    for e in reversed(inside)
                    if e.label_ in _PERSON_LABELS and e.root.dep_ not in ("pobj", "poss")
                ),
                None,
            )
        return own

    def _kind_of(self, name: str, label: str | None) -> EntityKind:
        if outlet_like(name):
            return EntityKind.OUTLET
        if label in _PERSON_LABELS:
            return EntityKind.PERSON
        if label in _GROUP_LABELS:
            return EntityKind.ORGANIZATION
        return EntityKind.UNKNOWN

    def _title_before(self, ent: SpacySpan) -> str:
        """ "the pro-war historian Timothy Snyder" when the parser split the noun from the name."""
        if ent.start == 0:
            return ""
        noun = self.doc[ent.start - 1]
        if noun.pos_ != "NOUN" or not noun.text.islower():
            return ""
        words = self.doc[noun.left_edge.i : noun.i + 1]
        if any(t.pos_ in ("VERB", "PUNCT") and t.text != "-" for t in words):
            return ""
        return clean_name(_DETERMINERS.sub("", words.text))

    def _role(self, start: int, end: int, ent: SpacySpan) -> str | None:
        parts = []
        pre = clean_name(_DETERMINERS.sub("", self.text[start : ent.start_char].strip(" ,")))
        if not pre and ent.label_ in _PERSON_LABELS:
            pre = self._title_before(ent)
        if (
            pre
            and ent.label_ in _PERSON_LABELS
            and pre.lower().rstrip(".") not in _HONORIFIC_GENDER
        ):
            parts.append(pre)  # "Senator", not "Ms."
        appos = next((c for c in ent.root.children if c.dep_ == "appos" and c.idx < end), None)
        if appos is not None:
            a_end = min(appos.right_edge.idx + len(appos.right_edge), end)
            parts.append(clean_name(self.text[appos.left_edge.idx : a_end]))
        role = ", ".join(p for p in parts if p)
        return role or None

    def _named(self, span: Span, head: Token | None) -> Entity | None:
        shouted = clean_name(span.text)
        if shouted.isupper() and shouted.lower() in self._full_names:  # a transcript's "WALLACE"
            full = self._full_name(shouted.title())
            if full != shouted.title():
                return self._add(full, EntityKind.PERSON, None, span)
        ent = self._ent_in(span.start, span.end, head)
        if ent is not None:
            ent = _proper_part(ent)
            name = clean_name(ent.text)
            return self._add(
                name, self._kind_of(name, ent.label_), self._role(span.start, span.end, ent), span
            )
        if head is not None and head.pos_ == "PROPN":
            toks = [t for t in head.subtree if t.pos_ == "PROPN" and span.start <= t.idx < span.end]
            name = " ".join(t.text for t in toks) or head.text
            return self._add(name, self._kind_of(name, None), None, span)
        words = clean_name(span.text).split()
        if words and all(w[:1].isupper() for w in words) and outlet_like(span.text):
            return self._add(span.text, EntityKind.OUTLET, None, span)
        return None

    # -- pronouns and descriptions --------------------------------------------

    def _antecedent(self, before: int, labels: set[str]) -> SpacySpan | None:
        """The nearest named entity with one of ``labels`` that ends before a char."""
        before_ = self._ents[: bisect.bisect_right(self._ends, before)]
        return next((e for e in reversed(before_) if e.label_ in labels), None)

    def _full_name(self, name: str) -> str:
        """The fullest name in the article that ``name`` (a surname, say) stands for."""
        last = name.split()[-1].lower() if name.split() else ""
        fuller = self._full_names.get(last, set())
        genders = {name_gender(f) for f in fuller}
        return max(sorted(fuller), key=len) if len(genders) == 1 and fuller else name

    def _person_list(self) -> list[_Person]:
        """The people named, in text order, with what choosing an antecedent reads of them."""
        if self._people is None:
            named: dict[str, int] = {}
            self._people = []
            for e in self._ents:
                if e.label_ not in _PERSON_LABELS:
                    continue
                name = self._full_name(clean_name(_proper_part(e).text))
                surname = name.split()[-1].lower() if name.split() else ""
                named[surname] = named.get(surname, 0) + 1
                sent = bisect.bisect_right(self._sent_starts, e.start_char)
                gender = self._honorific.get(surname) or name_gender(name)
                self._people.append(
                    _Person(e, name, named[surname], sent, _is_subject(e.root), gender)
                )
            self._people_ends = [p.ent.end_char for p in self._people]
        return self._people

    def _person_antecedent(self, before: int, gender: str | None) -> SpacySpan | None:
        """The person a he/she refers to: recent, a subject, the last speaker, gender agreeing.

        Each person named before scores -2 a sentence back (at most 10 sentences, so at most
        -20), +1.5 as a subject, +0.3 a time named so far (at most 5), +2 as the last speaker;
        the best, the later on a tie.  So anyone named 10 or more sentences back scores at most
        -15, and once someone nearer scores that much, only the nearer ones are looked at.
        """
        here = bisect.bisect_right(self._sent_starts, before)
        people = self._person_list()
        count = bisect.bisect_right(self._people_ends, before)
        first_near = count
        while first_near > 0 and here - people[first_near - 1].sent < 10:
            first_near -= 1
        best, best_score = self._best_person(people[first_near:count], here, gender)
        if best is not None and best_score >= -15.0:
            return best
        best, _ = self._best_person(people[:count], here, gender)
        return best

    def _best_person(
        self, people: list[_Person], here: int, gender: str | None
    ) -> tuple[SpacySpan | None, float]:
        best, best_score = None, float("-inf")
        for p in people:
            if gender and p.gender not in (None, gender):
                continue
            score = -2.0 * min(here - p.sent, 10) + (1.5 if p.subject else 0.0)
            score += _SALIENCE * min(p.named, 5)
            if self.last is not None and self.last.matches(p.name, EntityKind.PERSON):
                score += 2.0
            if score >= best_score:
                best, best_score = p.ent, score
        return best, best_score

    def _is_person_name(self, ent: SpacySpan) -> bool:
        """NER calls a lone surname ORG at times ("Snyder replied"): is it a known person's?"""
        name = clean_name(ent.text)
        return (
            any(
                e.kind is EntityKind.PERSON and e.matches(name, EntityKind.UNKNOWN)
                for e in self.entities
            )
            or name.lower() in self._full_names
        )

    def _near(self, ent: SpacySpan, char: int, sentences: int = 2) -> bool:
        here = bisect.bisect_right(self._sent_starts, char)
        return here - bisect.bisect_right(self._sent_starts, ent.start_char) <= sentences

    def _from_ent(self, ent: SpacySpan, mention: Span) -> Entity:
        ent = _proper_part(ent)
        name = clean_name(ent.text)
        if ent.label_ in _PERSON_LABELS:
            name = self._full_name(name)  # "she" → "Lynch" → "Loretta Lynch", named before
        np_start = min(t.idx for t in ent.root.subtree)
        np_end = max(t.idx + len(t) for t in ent.root.subtree)
        entity = self._add(
            name, self._kind_of(name, ent.label_), self._role(np_start, np_end, ent), None
        )
        entity.mentions.append(mention)
        return entity

    def _pronoun(self, word: str, span: Span, head: Token | None) -> Entity | None:
        kind = _data().pronouns.get(word)
        if kind == "relative" and head is not None and head.head.dep_ == "relcl":
            target = head.head.head  # who ← relcl verb ← noun
            return self.resolve(
                Span.of(self.text, target.left_edge.idx, target.idx + len(target)), target
            )
        if kind == "person":
            gender = _PRONOUN_GENDER.get(word)
            ent = self._person_antecedent(span.start, gender)
            if ent is not None:
                return self._from_ent(ent, span)
            last = self.last
            if last and last.kind is EntityKind.PERSON and name_gender(last.name) in (None, gender):
                last.mentions.append(span)
                return last
            return None
        if kind in ("thing", "group"):
            if self.last and self.last.kind in (EntityKind.OUTLET, EntityKind.ORGANIZATION):
                self.last.mentions.append(span)
                return self.last
            ent = self._antecedent(span.start, {"ORG"})
            if ent is None or self._is_person_name(ent) or not self._near(ent, span.start):
                return None  # unresolved beats a person or a far-off organisation
            return self._from_ent(ent, span)
        if kind == "self":
            if word in ("we", "us", "our") and self.last and self.last.kind is EntityKind.OUTLET:
                self.last.mentions.append(span)
                return self.last
            return self._add(
                self.author or self.outlet or "the author", EntityKind.AUTHOR, None, span
            )
        return None

    def _titled_person(self, title: str, before: int) -> SpacySpan | None:
        """The nearest person before ``before`` named with ``title`` ("President Barack Obama")."""
        before_ = self._ents[: bisect.bisect_right(self._ends, before)]
        for e in reversed([e for e in before_ if e.label_ in _PERSON_LABELS]):
            words = [t.lower_.rstrip(".") for t in self.doc[max(e.start - 2, 0) : e.start + 1]]
            if any(_ABBREVIATIONS.get(w, w) == title for w in words):
                return e
        return None

    def _description(self, span: Span, head: Token | None) -> Entity | None:
        lemma = head.lemma_.lower() if head is not None else ""
        person_title = lemma in _data().titles
        for ent in reversed(self.entities):
            if person_title and ent.kind is not EntityKind.PERSON:
                continue  # "the president" is a person ("WASHINGTON -- President Obama, …")
            if ent.role and lemma and lemma in _role_heads(ent.role):
                ent.mentions.append(span)
                return ent
        if person_title and span.text.lower().startswith("the "):
            titled = self._titled_person(lemma, span.start)
            if titled is not None:
                return self._from_ent(titled, span)
        named = self._named_by_head(span, head)
        if named is not None:
            return self._from_ent(named, span)
        if head is not None and head.lower_ in _data().anonymous:
            return self._add(span.text, EntityKind.ANONYMOUS, None, span)
        return self._add(span.text, EntityKind.UNKNOWN, None, span)

    def _named_by_head(self, span: Span, head: Token | None) -> SpacySpan | None:
        """The organisation a definite description names by its head noun, when one was
        named before: "the commission" → "the Commission on Presidential Debates", "the
        agency" → "the Congressional Budget Office" (head nouns and the name words they
        stand for: ``data/description_heads.txt``)."""
        if (
            head is None
            or head.pos_ != "NOUN"
            or not span.text.lower().startswith(("the ", "this "))
        ):
            return None
        word = head.lemma_.lower()
        marks = _data().heads.get(word, frozenset([word]))
        return next(
            (
                e
                for e in reversed(self._ents)
                if e.end_char <= span.start
                and e.label_ in ("ORG", "FAC")
                and not self._is_person_name(e)
                and any(t.lemma_.lower() in marks or t.lower_ in marks for t in e)
            ),
            None,
        )

    def resolve(self, span: Span, head: Token | None) -> Entity | None:
        """The entity a source mention refers to (``head`` is its syntactic head)."""
        word = span.text.lower().strip()
        if word in _data().pronouns:
            entity = self._pronoun(word, span, head)
        else:
            entity = self._named(span, head) or self._description(span, head)
        if entity is not None:
            self.last = entity
        return entity
