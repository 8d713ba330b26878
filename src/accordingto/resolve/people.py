"""The people of one article, as choosing whom "he", "she" or "the governor" means reads them.

Built once per article in one pass over its named people: each mention's sentence, whether it
is a main clause's subject, how often the person was named so far, a gender (honorific, title,
role word, given name), and the role words each person is named with ("Gov. Eric Holcomb",
"Jane Doe, the former mayor"), so that a definite description ("the governor") means the
person last named with that role.  Definite descriptions of people in subject position join
the list as mentions of the person they describe ("The president … he said").
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .descriptions import is_plural
from .names import ABBREVIATIONS, clean_name, data, name_gender, word_gender

__all__ = ["People", "Person", "name_words", "proper_part", "surname", "token_indices"]

PERSON_LABELS = frozenset({"PERSON"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
#: Weight of how often a person was named before (up to 5 times) in choosing whom "he"/"she"
#: means: the article's main figure beats a bystander named once just before.
_SALIENCE = 0.3
#: The rest of the score of a person for "he"/"she" (``People.antecedent`` says how it adds up).
_PER_SENTENCE = 2.0
_MAIN_SUBJECT = 1.5
_OTHER_SUBJECT = 0.75
_LAST_SPEAKER = 2.0
_NO_GENDER = 0.5
_OBJECT = 0.5
_INTRODUCED = 1.0
_OWNER = 0.5
_SALIENCE_CAP = 5
#: How far back (in people named) a definite description looks for the person with its role.
_ROLE_LOOKBACK = 200


@dataclass(frozen=True, slots=True)
class Person:
    """One mention of a person named in the article."""

    ent: SpacySpan  # the named mention (for a description: the name it stands for)
    end: int  # where this mention ends (the description's end for a description)
    name: str  # the fullest form of the name in the article
    named: int  # how often the surname has been named up to here
    sent: int  # the sentence (an index into the sentence starts, plus one)
    subject: float  # 1.5 a main clause's subject, 0.75 another clause's, else 0
    gender: str | None  # a description's own ("the spokeswoman"); a name's is looked up
    entity: object = None  # the speaker a description stands for ("the former mayor")


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def name_words(name: str) -> list[str]:
    """A name's words without a generational suffix ("James P. Kennedy Jr." → James P. Kennedy)."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in _SUFFIXES:
        words.pop()
    return words


def surname(name: str) -> str:
    words = name_words(name)
    return words[-1].lower() if words else ""


def proper_part(ent: SpacySpan) -> SpacySpan:
    """The entity without leading determiners and common nouns ("The historian Timothy Marsh")."""
    start = ent.start
    titles = data().titles if ent.label_ in PERSON_LABELS else frozenset()
    while start < ent.end - 1 and (
        ent.doc[start].pos_ in ("DET", "NOUN", "ADJ", "SPACE", "PUNCT")
        or ent.doc[start].lower_ in titles
    ):
        start += 1
    return SpacySpan(ent.doc, start, ent.end, label=ent.label)


def token_indices(doc: Doc, pos: tuple[str, ...], deps: frozenset[str] | None = None) -> list[int]:
    """The indices of the tokens with one of the parts of speech (and dependency labels), found
    in the doc's arrays: a pass over a long text without making a Token for every word."""
    columns = doc.to_array(["POS", "DEP"])
    if len(columns) == 0:
        return []
    mask = numpy.isin(columns[:, 0], [doc.vocab.strings[p] for p in pos])
    if deps is not None:
        mask &= numpy.isin(columns[:, 1], [doc.vocab.strings[d] for d in deps])
    return [int(i) for i in numpy.nonzero(mask)[0]]


def subject_weight(word: Token) -> float:
    """1.5 for a main clause's subject (or in apposition to it), 0.75 for another clause's,
    0.5 for an object, -0.5 for an owner ("Obama's policies"), else 0."""
    if word.dep_ in ("appos", "conj") and word.head.dep_ in SUBJECTS:
        word = word.head  # "Prince Harry and Meghan Markle spoke …": both subjects
    if word.dep_ in ("dobj", "dative"):
        return _OBJECT
    if word.dep_ == "poss":
        return -_OWNER
    if word.dep_ not in SUBJECTS:
        return 0.0
    verb = word.head
    main = verb.dep_ in ("ROOT", "conj") or (verb.dep_ == "ccomp" and verb.head.dep_ == "ROOT")
    return _MAIN_SUBJECT if main and verb.dep_ != "ccomp" else _OTHER_SUBJECT


#: Role words that name the same office ("Justice Frank Nervo" … "the judge").
_SAME_ROLE = {"justice": "judge", "magistrate": "judge"}


def role_word(word: str) -> str:
    w = word.lower().strip(".'’")
    w = ABBREVIATIONS.get(w, w)
    return _SAME_ROLE.get(w, w)


def _title_words(ent: SpacySpan) -> list[str]:
    """The title words just before a name or inside its entity ("former Mayor", "Gov.")."""
    doc, words = ent.doc, []
    start = proper_part(ent).start
    i = start - 1
    titles = data().titles
    while (
        i >= max(0, start - 4)
        and doc[i].pos_ in ("PROPN", "NOUN")
        and doc[i].is_alpha | (doc[i].text.endswith("."))
    ):
        if doc[i].lower_ in titles or doc[i].head.i >= start or doc[i].head.i == i + 1:
            words.append(role_word(doc[i].text))
            i -= 1
        else:
            break
    return words[:1] + [w for w in words[1:] if w in titles]


def _appositive_heads(ent: SpacySpan) -> list[str]:
    """The head nouns of an apposition to a name, or of the noun the name is in apposition to
    ("Jane Doe, the former mayor of X"; "the mayor, Jane Doe")."""
    root = ent.root
    heads = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        heads.append(root.head)
    return [h.lemma_.lower() for h in heads]


class People:
    """The people named in one article, in text order, with their roles and genders."""

    def __init__(
        self,
        doc: Doc,
        ents: list[SpacySpan],
        sent_starts: list[int],
        name_of: Callable[[SpacySpan], str],
        honorific: dict[str, str],
        *,
        author: str | None,
        quoted: Callable[[int], bool],
        shared: frozenset[str] = frozenset(),
    ):
        self.doc, self.sent_starts = doc, sent_starts
        self.name_of, self.honorific = name_of, honorific
        self.roles: dict[str, set[str]] = {}  # role word → full names of people named with it
        self.learned: dict[str, str] = {}  # surname → gender a resolved pronoun gave it
        self.shared = shared  # surnames several people of the article have
        author_surname = surname(clean_name(author)) if author else ""
        people = self._named(ents, author_surname)
        people += self._described(people, quoted)
        people.sort(key=lambda p: p.end)
        self.people = people
        self.ends = [p.end for p in people]

    def _named(self, ents: list[SpacySpan], author_surname: str) -> list[Person]:
        named: dict[str, int] = {}
        out = []
        for e in ents:
            if e.label_ not in PERSON_LABELS:
                continue
            name = self.name_of(proper_part(e))
            last = surname(name)
            if not last:
                continue
            words = _title_words(e) + _appositive_heads(e)
            for w in words:
                self.roles.setdefault(w, set()).add(name)
                if (g := word_gender(w)) is not None:
                    self.honorific.setdefault(last, g)
            if last == author_surname:  # the byline's writer is never "he" or "she"
                continue
            named[last] = named.get(last, 0) + 1
            sent = bisect.bisect_right(self.sent_starts, e.start_char)
            weight = subject_weight(e.root)
            if named[last] == 1 and any(c.dep_ == "appos" for c in e.root.children):
                weight += _INTRODUCED  # "Henry Crespo, president of …": the next to speak
            out.append(Person(e, e.end_char, name, named[last], sent, weight, None))
        return out

    def _described(self, people: list[Person], quoted: Callable[[int], bool]) -> list[Person]:
        """ "The president" as a clause's subject: a mention of the person last named with
        that role, for a later "he" or "she"."""
        out = []
        ends = [p.end for p in people]
        roles = self.roles
        for i in token_indices(self.doc, ("NOUN",), SUBJECTS):
            t = self.doc[i]
            if role_word(t.lemma_) not in roles:
                continue
            if is_plural(t) or not any(c.lower_ == "the" for c in t.lefts) or quoted(t.idx):
                continue
            p = self.with_role(t.lemma_.lower(), t.idx, people, ends)
            if p is not None:
                sent = bisect.bisect_right(self.sent_starts, t.idx)
                end = t.idx + len(t)
                out.append(Person(p.ent, end, p.name, p.named, sent, subject_weight(t), None))
        return out

    def with_role(
        self,
        word: str,
        before: int,
        people: list[Person] | None = None,
        ends: list[int] | None = None,
    ) -> Person | None:
        """The person last named before ``before`` who is named with the role ``word``."""
        holders = self.roles.get(role_word(word))
        if not holders:
            return None
        people = self.people if people is None else people
        ends = self.ends if ends is None else ends
        i = bisect.bisect_right(ends, before)
        for p in reversed(people[max(0, i - _ROLE_LOOKBACK) : i]):
            if p.name in holders:
                return p
        return None

    def note(
        self, words: SpacySpan, name: str, entity: object = None, gender: str | None = None
    ) -> None:
        """A speaker named where NER saw no person ("According to Ham, …"), or described
        ("The former mayor said …"): a mention too, for a later "he" or "she"."""
        at = bisect.bisect_left(self.ends, words.end_char)
        if at < len(self.ends) and self.ends[at] == words.end_char:
            return
        before = [p for p in self.people[:at] if p.name == name]
        sent = bisect.bisect_right(self.sent_starts, words.start_char)
        weight = subject_weight(words.root)
        person = Person(words, words.end_char, name, len(before) + 1, sent, weight, gender, entity)
        self.people.insert(at, person)
        self.ends.insert(at, words.end_char)

    def gender(self, p: Person) -> str | None:
        """From an honorific or title given the surname ("Ms. Vale"), else the given name,
        else a pronoun that meant them before; a surname several people of the article have
        says nothing, so then from the given name alone."""
        if p.gender is not None or p.entity is not None:
            return p.gender
        last = surname(p.name)
        if last in self.shared:
            return name_gender(p.name)
        return self.honorific.get(last) or name_gender(p.name) or self.learned.get(last)

    def antecedent(
        self, before: int, gender: str | None, last_speaker: str | None
    ) -> Person | None:
        """The person a he/she refers to: recent, a subject, the last speaker, gender agreeing.

        Each person named before scores -2 a sentence back (at most 10 sentences, so at most
        -20), +1.5 as a main clause's subject (+0.75 another clause's), +0.3 a time named so
        far (at most 5), +2 as the last speaker, -0.5 when nothing says their gender and the
        pronoun has one; the best, the later on a tie.  So anyone named 10 or more sentences
        back scores at most -15, and once someone nearer scores that much, only the nearer
        ones are looked at.
        """
        here = bisect.bisect_right(self.sent_starts, before)
        count = bisect.bisect_right(self.ends, before)
        people = self.people
        first_near = count
        while first_near > 0 and here - people[first_near - 1].sent < 10:
            first_near -= 1
        best, score = self._best(people[first_near:count], here, gender, last_speaker)
        if best is not None and score >= -15.0:
            return best
        best, _ = self._best(people[:count], here, gender, last_speaker)
        return best

    def _best(
        self, people: list[Person], here: int, gender: str | None, last_speaker: str | None
    ) -> tuple[Person | None, float]:
        best, best_score = None, float("-inf")
        for p in people:
            g = self.gender(p)
            if gender and g not in (None, gender):
                continue
            score = -_PER_SENTENCE * min(here - p.sent, 10) + p.subject
            score += _SALIENCE * min(p.named, _SALIENCE_CAP)
            if last_speaker is not None and surname(p.name) == last_speaker:
                score += _LAST_SPEAKER
            if gender and g is None:
                score -= _NO_GENDER
            if score >= best_score:
                best, best_score = p, score
        return best, best_score
