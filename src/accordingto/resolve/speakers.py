"""Resolve each source mention to a speaker of the article.

Rules over the parse, no coreference model: a named mention becomes or joins an entity
(surnames join the full name, "Snyder" → Timothy Snyder; "Mr. Ban" → Ban Ki-moon; a surname one
typo off joins it); a list of names ("Volker and Morrison") is one speaker; "he"/"she" take the
person named before them who scores best on nearness, subjecthood, salience and gender
(``people.py``); "it" the nearest organisation or outlet; "they" the group just named (a list
of names, a plural subject: "energy experts"), else an organisation; "we" the outlet last
quoted, else the article's author; "who" the noun its clause hangs on.  A definite description
means the person last named with its role ("the governor" → Gov. Eric Holcomb), the place
("the state" → Florida) or the organisation its head names; "his company" is the company of
whom "his" means.  Roles come from the words around the name (``entity.py``: "UK Foreign Minister", ", the
chief of the general staff …").  A dateline ("BUFFALO, N.Y. —") is never a speaker.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from accordingto.model import EntityKind, Span

from .descriptions import (
    conjuncts,
    description_name,
    elided_whole,
    heading_spans,
    in_spans,
    is_dateline,
    is_plural,
    kind_of_head,
    owner_pronoun,
    propn_name,
    with_tail,
)
from .entity import (
    GROUP_LABELS,
    SURNAME_MISLABELS,
    Entity,
    acronyms,
    person_like,
    proper_name,
    role_heads,
    role_of,
)
from .names import (
    ABBREVIATIONS,
    PRONOUN_GENDER,
    canonical_outlet,
    clean_name,
    data,
    edit1,
    name_gender,
    norm,
    outlet_like,
    word_gender,
)
from .people import (
    PERSON_LABELS,
    SUBJECTS,
    People,
    Person,
    name_words,
    proper_part,
    role_word,
    subject_weight,
    surname,
    token_indices,
)

__all__ = ["Entity", "SpeakerResolver", "clean_name", "name_gender", "outlet_like"]

#: NER labels of amounts and times, which name no speaker ("5 percent" is a share of someone).
_NOT_NAMES = frozenset({"PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "DATE", "TIME"})
_OF_WHOM = re.compile(r"\w+ of (?:whom|which)$", re.IGNORECASE)
_INDEFINITE = re.compile(r"(?:a|an|one|some|another|any)\s", re.IGNORECASE)
#: A dateline's place and what follows it up to the dash ("BUFFALO, N.Y. (AP) — ").
_DATELINE_PLACE = re.compile(r"([A-Z][A-Z.' ]*[A-Z.])[^—–\n]{0,30}?\s*(?:—|–|--)\s*")
#: How many sentences back "they" looks for a group, and "the state" for a place.
_GROUP_SENTENCES = 2
_PLACE_SENTENCES = 6


def _is_subject(word: Token) -> bool:
    """The clause's subject, or in apposition to it ("The minister, Mr. Ruiz, argues …")."""
    return word.dep_ in SUBJECTS or (word.dep_ == "appos" and word.head.dep_ in SUBJECTS)


@dataclass(frozen=True, slots=True)
class _Group:
    """Something "they" may mean: a list of names or a plural subject, where it ends."""

    end: int
    sent: int
    start: int
    head: Token


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
        self._last_person: str | None = None  # the surname of the last person quoted
        self._last_sentence = -1  # the sentence of the last source resolved
        self._described_people: set[int] = set()  # ids of entities that are described people
        lone = {e.text for e in doc.ents if e.label_ in PERSON_LABELS and len(e) == 1}
        self._ents = [
            SpacySpan(doc, e.start, e.end, label="PERSON")
            if person_like(e, lone, text[e.end_char : e.end_char + 8])
            else e
            for e in doc.ents
            if e.label_ not in _NOT_NAMES
            and not quoted(e.start_char)
            and not is_dateline(text, e.start_char, e.end_char)
        ]
        self._sent_starts = (
            sent_starts if sent_starts is not None else [s.start_char for s in doc.sents]
        )
        self._full_names: dict[str, set[str]] = {}  # surname → full names of people
        self._first_words: dict[str, set[str]] = {}  # "ban" → Ban Ki-moon (family name first)
        headings = heading_spans(text, doc)  # a headline's "Derelict Obama" is no full name
        for e in self._ents:
            if e.label_ in PERSON_LABELS and not in_spans(headings, e.start_char):
                name = clean_name(proper_part(e).text)
                if len(name_words(name)) > 1:
                    self._full_names.setdefault(surname(name), set()).add(name)
                    self._first_words.setdefault(name.split()[0].lower(), set()).add(name)
        self._named_in_full: dict[str, list[tuple[int, str]]] = {}  # surname → (where, name)
        for e in self._ents:
            if (
                e.label_ in PERSON_LABELS
                and len(name_words(name := clean_name(proper_part(e).text))) > 1
            ):
                self._named_in_full.setdefault(surname(name), []).append((e.start_char, name))
        self._honorific: dict[str, str] = {}  # surname → gender, from "Mr. Ban", "Ms. Strada"
        self._titled: dict[str, set[str]] = {}  # surname → every gender its titles give
        self._first_titled: dict[str, int] = {}  # surname → where a title first precedes it
        self._ents = self._surnames_as_people(doc, quoted, lone)
        # the entities do not overlap, so their ends are in order too: look-ups by bisection
        self._starts = [e.start_char for e in self._ents]
        self._ends = [e.end_char for e in self._ents]
        self._aliases = acronyms(self._ents)
        # what "it", "he" or "she" may mean: not a name in a heading or a related-links teaser
        self._prose = [e for e in self._ents if not in_spans(headings, e.start_char)]
        self._prose_ends = [e.end_char for e in self._prose]
        self._people: People | None = None  # built on the first "he"/"she"
        self._building = False
        self._groups: list[_Group] | None = None  # built on the first "they"
        self._they: tuple[int, int, Entity] | None = None  # the last "they": end, sentence, whom

    def _surnames_as_people(self, doc: Doc, quoted, lone: set[str]) -> list[SpacySpan]:
        """The entities, with a lone surname of a person named in full counted as that person:
        NER calls a surname that opens a sentence ORG or GPE ("Fowler said …") or nothing; a
        lone name NER called a person once is one as a subject elsewhere ("Oz has …").
        The same pass over the tokens notes the gender an honorific or title gives a surname."""
        ents = [
            SpacySpan(doc, e.start, e.end, label="PERSON")
            if e.label_ in SURNAME_MISLABELS
            and clean_name(e.text).lower() in self._full_names
            and not outlet_like(e.text)
            else e
            for e in self._ents
        ]
        for i in token_indices(doc, ("PROPN",)):
            t, before = doc[i], doc[i - 1] if i > 0 else None
            gender = word_gender(before.lower_) if before is not None and before.is_title else None
            if gender is not None:  # "Mr. Ban", "Princess Anne": the name's last word
                last = t
                while (
                    last.i + 1 < len(doc)
                    and doc[last.i + 1].pos_ == "PROPN"
                    and doc[last.i + 1].is_title
                ):
                    last = doc[last.i + 1]
                self._honorific.setdefault(last.lower_, gender)
                self._titled.setdefault(last.lower_, set()).add(gender)
                self._first_titled.setdefault(last.lower_, t.idx)
            if (
                t.ent_iob_ == "O"
                and t.dep_ in SUBJECTS
                and (t.lower_ in self._full_names or t.text in lone)
                and not quoted(t.idx)
            ):
                ents.append(SpacySpan(doc, t.i, t.i + 1, label="PERSON"))
        return sorted(ents, key=lambda e: e.start)

    # -- registry -------------------------------------------------------------

    def _add(self, name: str, kind: EntityKind, role: str | None, mention: Span | None) -> Entity:
        name = clean_name(name)
        name = self._aliases.get(name, name)
        if kind is EntityKind.OUTLET:
            name = canonical_outlet(name)
        ent = next((e for e in self.entities if self._same(e, name, kind)), None)
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

    def _same(self, entity: Entity, name: str, kind: EntityKind) -> bool:
        """Does ``name`` join ``entity``?  A surname two people of the article share joins
        neither of them by the surname alone ("Obama" is not Michelle Obama)."""
        if not entity.matches(name, kind):
            return False
        shared = len(self._full_names.get(surname(name), ())) > 1
        return not shared or norm(entity.name) == norm(name)

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
                    if e.label_ in PERSON_LABELS and e.root.dep_ not in ("pobj", "poss")
                ),
                None,
            )
        return own

    def _kind_of(self, name: str, label: str | None) -> EntityKind:
        if outlet_like(name):
            return EntityKind.OUTLET
        if label in PERSON_LABELS:
            return EntityKind.PERSON
        if label in GROUP_LABELS:
            return EntityKind.ORGANIZATION
        words = name.split()
        kind = kind_of_head(words[-1]) if len(words) > 1 and words[-1][:1].isupper() else None
        return EntityKind(kind) if kind else EntityKind.UNKNOWN

    def _name_of(
        self, head: Token, start: int, end: int
    ) -> tuple[str, EntityKind, SpacySpan | None]:
        """The name (and kind) a proper noun ``head`` inside ``start``–``end`` is part of."""
        ent = self._ent_in(start, end, head)
        if ent is not None:
            ent = proper_part(ent)
            name = clean_name(ent.text)
            if ent.label_ in PERSON_LABELS:
                name = self._full_name(name)
            return name, self._kind_of(name, ent.label_), ent
        name = clean_name(propn_name(head, start, end).text) or head.text
        return name, self._kind_of(name, None), None

    def _one_name(self, heads: list[Token]) -> bool:
        """Are the heads of a list all inside one named entity ("Johnson & Johnson")?"""
        ent = self._ent_in(heads[0].idx, heads[-1].idx + len(heads[-1]), None)
        return ent is not None and ent.start <= heads[0].i and heads[-1].i < ent.end

    def _listed(self, span: Span, heads: list[Token]) -> Entity:
        """A list of names ("Vindman and Williams", "the United Nations and European Union")."""
        named = [self._name_of(h, span.start, span.end) for h in heads]
        names = [n for n, _, _ in named]
        kinds = {k for _, k, _ in named}
        kind = kinds.pop() if len(kinds) == 1 else EntityKind.UNKNOWN
        if kind is EntityKind.PERSON:
            kind = EntityKind.UNKNOWN  # several people
        name = ", ".join(names[:-1]) + " and " + names[-1]
        return self._add(name, kind, None, span)

    def _named(self, span: Span, head: Token | None) -> Entity | None:
        shouted = clean_name(span.text)
        if shouted.isupper() and shouted.lower() in self._full_names:  # a transcript's "WALLACE"
            full = self._full_name(shouted.title())
            if full != shouted.title():
                return self._add(full, EntityKind.PERSON, None, span)
        if head is not None:
            heads = conjuncts(head, span.start, span.end)
            if len(heads) > 1 and not self._one_name(heads):
                return self._listed(span, heads)
        ent = self._ent_in(span.start, span.end, head)
        if ent is not None:
            ent = proper_part(ent)
            name = clean_name(ent.text)
            if ent.label_ in PERSON_LABELS:
                name = self._person_name(ent)
            elif ent.label_ == "ORG":
                name = clean_name(proper_part(with_tail(ent)).text)
            return self._add(
                name,
                self._kind_of(name, ent.label_),
                role_of(self.doc, self.text, span.start, span.end, ent),
                span,
            )
        if head is not None and head.pos_ == "PROPN":
            name = clean_name(propn_name(head, span.start, span.end).text) or head.text
            if name.lower() in self._full_names:  # a surname NER missed ("According to Ham")
                return self._add(self._full_name(name), EntityKind.PERSON, None, span)
            return self._add(name, self._kind_of(name, None), None, span)
        words = clean_name(span.text).split()
        if words and all(w[:1].isupper() for w in words) and outlet_like(span.text):
            return self._add(span.text, EntityKind.OUTLET, None, span)
        return None

    # -- pronouns -------------------------------------------------------------

    def _antecedent(self, before: int, labels: set[str]) -> SpacySpan | None:
        """The nearest named entity with one of ``labels`` that ends before a char."""
        before_ = self._prose[: bisect.bisect_right(self._prose_ends, before)]
        return next((e for e in reversed(before_) if e.label_ in labels), None)

    def _subject_body(self, before: int) -> SpacySpan | None:
        """The organisation or country that is the subject of the clause just before "it"
        ("… how strongly should Mexico retaliate? It has shown …"), in its sentence or the one
        before."""
        here = self._sentence(before)
        for e in reversed(self._prose[: bisect.bisect_right(self._prose_ends, before)]):
            if here - self._sentence(e.start_char) > 1:
                return None
            if e.label_ in ("ORG", "GPE") and e.root.dep_ in SUBJECTS:
                return e
        return None

    def _body_described(self, span: Span) -> Entity | None:
        """The body "it" stands for when the clause before it in its sentence has a described
        one for subject ("While the Russian government is under pressure, it is also terrified
        of …"): a subject whose head noun names an organisation (``kind_heads.txt``)."""
        here = self._sentence(span.start)
        start = self._sent_starts[here - 1] if here > 0 else 0
        words = self.doc.char_span(start, span.start, alignment_mode="contract")
        if words is None:
            return None
        for t in reversed(words):
            if (
                t.pos_ == "NOUN"
                and t.dep_ in SUBJECTS
                and not t.ent_type_
                and kind_of_head(t.lemma_) == "organization"
            ):
                found = self.resolve(Span.of(self.text, t.left_edge.idx, t.idx + len(t)), t)
                if found is None or found.kind is not EntityKind.ORGANIZATION:
                    return None
                found.mentions.append(span)
                return found
        return None

    def _full_name(self, name: str) -> str:
        """The fullest name in the article that ``name`` (a surname, say) stands for: one full
        name with that surname (or, for a name one typo off, a surname one typo off), or the
        one full name that starts with it ("Mr. Ban" → Ban Ki-moon)."""
        words = name_words(name)
        last = surname(name)
        fuller = self._full_names.get(last, set())
        if not fuller and len(words) == 1 and len(last) >= 6:
            near = [s for s in self._full_names if len(s) >= 6 and edit1(s, last)]
            fuller = self._full_names[near[0]] if len(near) == 1 else set()
        if not fuller and len(words) == 1:
            lists = data()
            starts = self._first_words.get(last, set())
            if (
                len(starts) == 1
                and last not in lists.male
                and last not in lists.female
                and "-" in next(iter(starts)).split()[-1]
            ):
                fuller = starts
        genders = {name_gender(f) for f in fuller}
        if self._titled_otherwise(last, genders):
            return name  # "Mr. Obama" is not the article's only full Obama, Michelle Obama
        return max(sorted(fuller), key=len) if len(genders) == 1 and fuller else name

    def _titled_otherwise(self, last: str, genders: set[str | None]) -> bool:
        """Was the surname given a title of another gender than its full names' before any
        of them was named ("Mr. Obama …", later "Michelle Obama")?"""
        titled = self._titled.get(last, set())
        full = self._named_in_full.get(last, [])
        first = self._first_titled.get(last)
        return (
            bool(titled - genders)
            and None not in genders
            and first is not None
            and bool(full)
            and first < full[0][0]
        )

    def _person_name(self, ent: SpacySpan) -> str:
        """The full name a person's mention stands for; a surname several people share
        ("Obama") goes to the one its title fits ("Mr. Obama", "President Obama")."""
        name = self._full_name(clean_name(ent.text))
        candidates = self._full_names.get(surname(name), set())
        if len(name_words(name)) > 1 or len(candidates) < 2:
            return name
        titles = [role_word(t.text) for t in self.doc[max(0, ent.start - 2) : ent.start]]
        roles = self._roles()
        for word in reversed(titles):
            gender = word_gender(word)
            fits = {
                c
                for c in candidates
                if (name_gender(c) == gender if gender else c in roles.get(word, ()))
            }
            if len(fits) == 1:
                return fits.pop()
        if any(w in data().titles for w in titles):
            return name  # "President Obama": a title that fits neither says who it is not
        # else the one of them the article names in full most often ("Hillary Clinton" three
        # times, "Bill Clinton" once: "Clinton" is Hillary Clinton); on a tie, neither
        counts = Counter(full for _, full in self._named_in_full.get(surname(name), []))
        ranked = counts.most_common(2)
        if len(ranked) == 2 and ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
        return name

    def _roles(self) -> dict[str, set[str]]:
        """Role word → full names of the people named with it (``People.roles``)."""
        if self._people is None and not self._building:
            self._people_index()
        return self._people.roles if self._people is not None else {}

    def _people_index(self) -> People:
        if self._people is None:
            self._building = True  # the index names its people with _person_name
            self._people = People(
                self.doc,
                self._prose,
                self._sent_starts,
                self._person_name,
                self._honorific,
                author=self.author,
                quoted=self.quoted,
                shared=frozenset(k for k, v in self._full_names.items() if len(v) > 1),
            )
            self._building = False
        return self._people

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

    def _sentence(self, char: int) -> int:
        return bisect.bisect_right(self._sent_starts, char)

    def _near(self, ent: SpacySpan, char: int, sentences: int = 2) -> bool:
        return self._sentence(char) - self._sentence(ent.start_char) <= sentences

    def _from_ent(self, ent: SpacySpan, mention: Span, name: str | None = None) -> Entity:
        """The entity ``ent`` names (as ``name``, if given), with ``mention`` one of its own."""
        ent = proper_part(ent)
        if name is None:
            name = clean_name(ent.text)
            if ent.label_ in PERSON_LABELS:
                name = self._person_name(ent)  # "she" → "Lynch" → "Loretta Lynch", named before
            elif ent.label_ == "ORG":
                name = clean_name(proper_part(with_tail(ent)).text)
        np_start = min(t.idx for t in ent.root.subtree)
        np_end = max(t.idx + len(t) for t in ent.root.subtree)
        entity = self._add(
            name,
            self._kind_of(name, ent.label_),
            role_of(self.doc, self.text, np_start, np_end, ent),
            None,
        )
        entity.mentions.append(mention)
        return entity

    def _person(self, word: str, before: int) -> Person | None:
        """The person "he"/"she" at ``before`` means.  The last person quoted counts as the
        last speaker unless someone else spoke in this very sentence ("a reporter asked X …,
        to which he replied": X, not the person quoted before the reporter)."""
        gender = PRONOUN_GENDER.get(word)
        last = self._last_person
        other = self.last is not None and self.last.kind is not EntityKind.PERSON
        if other and id(self.last) not in self._described_people:
            if self._last_sentence == self._sentence(before):
                last = None
        return self._people_index().antecedent(before, gender, last)

    def _he_or_she(self, word: str, span: Span) -> Entity | None:
        gender = PRONOUN_GENDER.get(word)
        person = self._person(word, span.start)
        if isinstance(person, Person) and isinstance(person.entity, Entity):
            person.entity.mentions.append(span)  # "The former mayor said … he said"
            return person.entity
        if person is not None:
            if gender and len(self._full_names.get(surname(person.name), ())) < 2:
                self._people_index().learned.setdefault(surname(person.name), gender)
            return self._from_ent(person.ent, span, person.name)
        last = self.last
        if last and last.kind is EntityKind.PERSON and name_gender(last.name) in (None, gender):
            last.mentions.append(span)
            return last
        return None

    def _note_described(self, entity: Entity | None, head: Token | None) -> None:
        """A description of one person that stays itself ("The former mayor said …", "a
        spokeswoman said …") is someone a later "he" or "she" may mean."""
        if entity is None or head is None or head.pos_ != "NOUN" or is_plural(head):
            return
        word = head.lemma_.lower()
        lists = data()
        if entity.kind is EntityKind.PERSON or not (
            word in lists.titles or word in lists.gendered or word in lists.anonymous
        ):
            return
        words = SpacySpan(self.doc, head.left_edge.i, head.i + 1)
        self._described_people.add(id(entity))
        self._people_index().note(words, entity.name, entity, lists.gendered.get(word))

    def _note_person(self, entity: Entity, head: Token) -> None:
        """A person quoted by name counts as named there, for a later "he" or "she"."""
        if head.pos_ == "PROPN":
            run = propn_name(head, head.idx, head.idx + len(head))
            self._people_index().note(
                SpacySpan(self.doc, run.start, run.end, label="PERSON"), entity.name
            )

    def _noun_before(self, word: Token) -> Token | None:
        """The noun just before a relative pronoun the parse did not attach to it."""
        i = word.i - 1
        while i >= 0 and self.doc[i].text == ",":
            i -= 1
        noun = self.doc[i] if i >= 0 else None
        return noun if noun is not None and noun.pos_ in ("NOUN", "PROPN") else None

    def _relative(self, head: Token) -> Entity | None:
        """ "who" → the noun its clause hangs on; through an apposition to the name ("John
        Bentel, a tech staffer … who"); a list of names whole ("Democrats and Republicans, who")."""
        target = head.head.head  # who ← relcl verb ← noun
        if target.dep_ == "appos" and target.head.pos_ == "PROPN":
            target = target.head
        end = max([target, *(c for c in target.conjuncts if c.i > target.i)], key=lambda t: t.i)
        return self.resolve(Span.of(self.text, target.left_edge.idx, end.idx + len(end)), target)

    def _pronoun(self, word: str, span: Span, head: Token | None) -> Entity | None:
        kind = data().pronouns.get(word)
        if kind == "relative" and head is not None and head.head.dep_ == "relcl":
            return self._relative(head)
        if kind == "relative" and head is not None:  # "the Department which reported …"
            noun = self._noun_before(head)
            if noun is not None:
                return self.resolve(
                    Span.of(self.text, noun.left_edge.idx, noun.idx + len(noun)), noun
                )
        if kind == "person":
            return self._he_or_she(word, span)
        if kind == "group" and (group := self._group(span.start)) is not None:
            group.mentions.append(span)
            self._they = (span.end, self._sentence(span.start), group)
            return group
        if kind in ("thing", "group"):
            if self.last and self.last.kind in (EntityKind.OUTLET, EntityKind.ORGANIZATION):
                self.last.mentions.append(span)
                return self.last
            subject = self._subject_body(span.start) if kind == "thing" else None
            here = self._sentence(span.start)
            if kind == "thing" and (subject is None or self._sentence(subject.start_char) != here):
                described = self._body_described(span)  # its own clause's subject comes first
                if described is not None:
                    return described
            ent = subject or self._antecedent(span.start, {"ORG"})
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

    # -- groups: what "they" means --------------------------------------------

    def _group_list(self) -> list[_Group]:
        """Lists of names and plural subjects, in text order (one pass over the tokens)."""
        if self._groups is None:
            groups = []
            for i in token_indices(self.doc, ("PROPN", "NOUN")):
                t = self.doc[i]
                if t.dep_ == "conj" and t.head.pos_ == "PROPN":
                    continue
                listed = (
                    t.pos_ == "PROPN" and len(conjuncts(t, t.left_edge.idx, len(self.text))) > 1
                )
                plural = (
                    t.dep_ in SUBJECTS
                    and (is_plural(t) or t.tag_ == "NNPS")
                    and subject_weight(t) > 1.0
                )
                if (listed or plural) and not self.quoted(t.idx):
                    end = max([t, *t.conjuncts], key=lambda c: c.i)
                    groups.append(
                        _Group(end.idx + len(end), self._sentence(t.idx), t.left_edge.idx, t)
                    )
            self._groups = groups
        return self._groups

    def _group(self, before: int) -> Entity | None:
        """The list of names or plural subject "they" means: the last one before it, in its
        sentence or the one before."""
        groups = self._group_list()
        i = bisect.bisect_right([g.end for g in groups], before)
        if i == 0:
            return None
        g = groups[i - 1]
        here = self._sentence(before)
        if self._they is not None and self._they[0] > g.end and here - self._they[1] <= 1:
            return self._they[2]  # "They sent a letter … “…,” they wrote."
        if here - g.sent > _GROUP_SENTENCES - 1:
            return None
        end = max([g.head, *g.head.conjuncts], key=lambda c: c.i)
        start = g.head.left_edge.idx
        mention = Span.of(self.text, start, end.idx + len(end))
        heads = conjuncts(g.head, start, mention.end)
        if len(heads) > 1 and not self._one_name(heads):
            return self._listed(mention, heads)
        if g.head.pos_ == "PROPN" and (ent := self._ent_in(start, mention.end, g.head)):
            return self._from_ent(ent, mention)
        return self._described(mention, g.head, definite=False)

    # -- descriptions ---------------------------------------------------------

    def _titled_person(self, title: str, before: int) -> SpacySpan | None:
        """The nearest person before ``before`` named with ``title`` ("President Barack Obama")."""
        before_ = self._ents[: bisect.bisect_right(self._ends, before)]
        for e in reversed([e for e in before_ if e.label_ in PERSON_LABELS]):
            words = [t.lower_.rstrip(".") for t in self.doc[max(e.start - 2, 0) : e.start + 1]]
            if any(ABBREVIATIONS.get(w, w) == title for w in words):
                return e
        return None

    def _share_of_whom(self, span: Span) -> Entity | None:
        """ "95 retired generals and admirals -- most of whom …": the group before it."""
        if _OF_WHOM.match(span.text) is None:
            return None
        words = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        if words is None:
            return None
        i = words.start - 1
        while i >= 0 and self.doc[i].is_punct:
            i -= 1
        if i < 0 or self.doc[i].pos_ not in ("NOUN", "PROPN"):
            return None
        last = noun = self.doc[i]
        while noun.dep_ == "conj" or (noun.dep_ == "pobj" and noun.head.lower_ == "of"):
            # "generals and admirals", "family members of 9/11 victims"
            noun = noun.head if noun.dep_ == "conj" else noun.head.head
        group = Span.of(self.text, noun.left_edge.idx, last.idx + len(last))
        entity = self._described(group, noun, definite=False)
        entity.mentions.append(span)
        return entity

    def _pair(self, span: Span, head: Token) -> Entity | None:
        """ "the two countries", "both candidates": the list of two names last named before."""
        two = any(c.lower_ in ("two", "both") for c in head.lefts) and is_plural(head)
        if not two:
            return None
        for g in reversed(self._group_list()):
            if g.end > span.start:
                continue
            if self._sentence(span.start) - g.sent > _PLACE_SENTENCES:
                return None
            heads = conjuncts(g.head, g.start, g.end)
            if len(heads) == 2 and not self._one_name(heads):
                entity = self._listed(Span.of(self.text, g.start, g.end), heads)
                entity.mentions.append(span)
                return entity
        return None

    def _owned(self, span: Span, head: Token) -> Entity | None:
        """ "his company" → Clarke's company, of the person "his" means."""
        owner = owner_pronoun(head, span.start)
        if owner is None or owner.lower_ not in ("his", "her"):
            return None
        person = self._person(owner.lower_, owner.idx)
        if person is None:
            return None
        rest = description_name(self.doc[owner.i + 1 : head.i + 1 + len(list(head.rights))], head)
        name = f"{name_words(person.name)[-1]}’s {rest}"
        kind = kind_of_head(head.lemma_)
        if kind is not None:
            return self._add(name, EntityKind(kind), None, span)
        anonymous = head.lower_ in data().anonymous
        return self._add(
            name, EntityKind.ANONYMOUS if anonymous else EntityKind.UNKNOWN, None, span
        )

    def _place(self, span: Span, head: Token) -> Entity | None:
        """ "the state" → the place named last before it (Florida), a few sentences back."""
        if head.lemma_.lower() not in data().places:
            return None
        ent = self._antecedent(span.start, {"GPE"})
        if ent is None or not self._near(ent, span.start, _PLACE_SENTENCES):
            return None
        return self._from_ent(ent, span)

    def _outlet_named(self, head: Token) -> Entity | None:
        """ "the newspaper", "the website": the outlet quoted last."""
        if kind_of_head(head.lemma_) != "outlet":
            return None
        quoted = next((e for e in reversed(self.entities) if e.kind is EntityKind.OUTLET), None)
        if quoted is not None:
            return quoted
        last = self.last
        if last is not None and last.kind is EntityKind.UNKNOWN and proper_name(last.name):
            last.kind = EntityKind.OUTLET  # "Zero Hedge asked … The website noted …"
            return last
        ent = self._antecedent(head.idx, {"ORG"})
        if ent is None or self._is_person_name(ent) or not self._near(ent, head.idx, 3):
            return None
        entity = self._from_ent(ent, Span.of(self.text, head.idx, head.idx + len(head)))
        entity.mentions.pop()
        return entity

    def _with_role(self, span: Span, head: Token) -> Entity | None:
        """ "the governor" → the person last named with that role ("Gov. Eric Holcomb")."""
        person = self._people_index().with_role(head.lemma_.lower(), span.start)
        return self._from_ent(person.ent, span, person.name) if person is not None else None

    def _description(self, span: Span, head: Token | None) -> Entity | None:
        if head is None:
            return self._add(span.text, EntityKind.UNKNOWN, None, span)
        definite = span.text.lower().startswith(("the ", "this "))
        owned = self._owned(span, head) or self._share_of_whom(span) or self._pair(span, head)
        if owned is not None:
            return owned
        # "the agency", "Russian state media" say what they are; "a union" need not
        media = head.lower_ == "media" and _INDEFINITE.match(span.text) is None
        if is_plural(head):  # "the unions", "defense attorneys": no one person or body
            return self._described(span, head, definite=media)
        lemma = head.lemma_.lower()
        if definite:
            for find in (self._with_role, self._place):
                found = find(span, head)
                if found is not None:
                    if span not in found.mentions:
                        found.mentions.append(span)
                    return found
        person_title = lemma in data().titles
        for ent in reversed(self.entities):
            if person_title and ent.kind is not EntityKind.PERSON:
                continue  # "the president" is a person ("WASHINGTON -- President Obama, …")
            if ent.role and lemma and lemma in role_heads(ent.role):
                ent.mentions.append(span)
                return ent
        if person_title and definite:
            titled = self._titled_person(lemma, span.start)
            if titled is not None:
                return self._from_ent(titled, span)
        named = self._named_by_head(span, head)
        if named is not None:
            return self._from_ent(named, span)
        outlet = self._outlet_named(head) if definite else None
        if outlet is not None:
            outlet.mentions.append(span)
            return outlet
        return self._described(span, head, definite=definite or media)

    def _described(self, span: Span, head: Token, *, definite: bool) -> Entity:
        """A description that stays itself: its naming words, its kind from its head."""
        tokens = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        name = description_name(tokens, head) if tokens is not None else clean_name(span.text)
        whole = elided_whole(head)
        if whole is not None and name:  # "5 percent" of the likely voters named before
            return self._add(f"{name} of {whole}", EntityKind.UNKNOWN, None, span)
        if head.lower_ in data().anonymous:
            return self._add(name or span.text, EntityKind.ANONYMOUS, None, span)
        kind = (kind_of_head(head.lower_) or kind_of_head(head.lemma_)) if definite else None
        return self._add(name or span.text, EntityKind(kind or "unknown"), None, span)

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
        marks = data().heads.get(word, frozenset([word]))
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

    def _without_dateline(self, span: Span, head: Token | None) -> tuple[Span, Token | None]:
        """A source that opens with a dateline ("BUFFALO, N.Y. — Police in the city"), without
        it; its head moves into what is left."""
        m = _DATELINE_PLACE.match(span.text)
        if m is None or not is_dateline(self.text, span.start, span.start + len(m.group(1))):
            return span, head
        rest = Span.of(self.text, span.start + m.end(), span.end)
        if head is not None and head.idx < rest.start:
            words = self.doc.char_span(rest.start, rest.end, alignment_mode="expand")
            head = words.root if words is not None else None
        return rest, head

    def resolve(self, span: Span, head: Token | None) -> Entity | None:
        """The entity a source mention refers to (``head`` is its syntactic head)."""
        if is_dateline(self.text, span.start, span.end):
            return None
        span, head = self._without_dateline(span, head)
        word = span.text.lower().strip()
        if word in data().pronouns:
            entity = self._pronoun(word, span, head)
        else:
            entity = self._named(span, head)
            if entity is not None and entity.kind is EntityKind.PERSON and head is not None:
                self._note_person(entity, head)
            if entity is None:
                entity = self._description(span, head)
                self._note_described(entity, head)
        if entity is not None:
            self.last = entity
            if entity.kind is EntityKind.PERSON:
                self._last_person = surname(entity.name)
            self._last_sentence = self._sentence(span.start)
        return entity
