"""Actors resolved to what they act for: an ISO-3 state or an organisation code, and a sector.

Looked up in data files (see ``events/data``): international organisations
(``organisations.tsv``), seats of government used as metonyms (``seats.tsv``:
"the Kremlin" → RUS, government; "the Pentagon" → USA, military), the Phoenix actor
dictionaries (``actors.tsv``: states with their capitals and alternate names,
institutions, people), country names and demonyms (``countries.tsv``: "Ukrainian
drones" → UKR) and agent nouns for sectors (``agents.tsv``: "troops" → military).
A person the dictionaries do not know is coded by the role the article gives them
("US Secretary of State Antony Blinken" → USA, government); a pronoun takes the
speaker the pipeline already resolved for that mention.  No network, no second resolver.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import read_rows

__all__ = ["ActorCode", "ActorCoder", "Actors"]

#: Dependents that belong to a name or description in front of its head.
_LEFT = {"compound", "amod", "nmod", "poss", "det", "nummod", "npadvmod"}
_PRONOUNS = {"it", "he", "she", "they", "we", "its", "his", "her", "their", "i", "you"}
_SECTORS = re.compile(r"^([A-Z]{3})((?:[A-Z]{3})*)$")
_DETERMINER = re.compile(r"^(the|a|an)\s+")
_POSSESSIVE = re.compile(r"\s*[’']s$")
#: Nouns that, after "the", stand for a state named just before ("the island's president").
_STATE_NOUNS = {"country", "nation", "island"}
#: How many sentences back (the current one included) such a noun's state may be named.
_ANTECEDENT_SENTENCES = 2


@dataclass(frozen=True, slots=True)
class ActorCode:
    """What an actor acts for: ``code`` (ISO-3 or organisation) and ``sector`` (PLOVER's)."""

    code: str | None
    sector: str | None = None

    def __bool__(self) -> bool:
        return self.code is not None or self.sector is not None


class Actors:
    """The actor data files, read once."""

    def __init__(self) -> None:
        rows = read_rows("organisations.tsv")
        self.igo = {name: code for name, code in rows if name.startswith("IGO")}
        self.orgs = {name: code for name, code in rows if not name.startswith("IGO")}
        self.seats = {name: (iso, sector) for name, iso, sector in read_rows("seats.tsv")}
        self.named = dict(read_rows("actors.tsv"))
        self.agents = dict(read_rows("agents.tsv"))
        self.countries: dict[str, str] = {}
        self.iso3: set[str] = set()
        for iso, name, nationality in read_rows("countries.tsv"):
            self.iso3.add(iso)
            for word in [name, *nationality.split("|")]:
                self.countries.setdefault(word.lower(), iso)

    def cameo(self, code: str) -> ActorCode:
        """A CAMEO actor code as (state or organisation, sector): ``USAMIL`` → (USA, MIL)."""
        for prefix, org in self.igo.items():
            if code.startswith(prefix):
                return ActorCode(org, "IGO")
        m = _SECTORS.match(code)
        if m is None:
            return ActorCode(None)
        state = m.group(1) if m.group(1) in self.iso3 else None
        sector = m.group(2)[:3] or None
        if state is None and m.group(1) in ("IGO", "NGO", "MNC"):
            return ActorCode(None, m.group(1))
        if state is None:
            sector = sector or m.group(1)
        return ActorCode(state, sector)

    def phrase(self, text: str) -> ActorCode:
        """Code a name or description as written ("the Kremlin", "Ukrainian", "NATO"); a short
        acronym only in capitals ("WHO", not "who"; "UN", not "un")."""
        key = _POSSESSIVE.sub("", _DETERMINER.sub("", text.lower().strip()))
        if len(key) <= 4 and text.strip().islower():
            return ActorCode(None, self.agents.get(key))
        if key in self.orgs:
            return ActorCode(self.orgs[key], "IGO")
        if key in self.seats:
            return ActorCode(*self.seats[key])
        if key in self.named:
            return self.cameo(self.named[key].upper())
        if key in self.countries:
            return ActorCode(self.countries[key])
        return ActorCode(None, self.agents.get(key))

    def words(self, words: Iterable[str]) -> ActorCode:
        """Combine the codes of several words of a description: a state from one, a sector from
        another ("US" + "Secretary of State" → USA, GOV); the longest run of words first."""
        words = [w for w in words if w]
        state: str | None = None
        sector: str | None = None
        n = len(words)
        used = [False] * n
        for size in range(min(n, 5), 0, -1):
            for i in range(n - size + 1):
                if any(used[i : i + size]):
                    continue
                found = self.phrase(" ".join(words[i : i + size]))
                if found.sector == "IGO" and _names_more(words, i + size):
                    continue  # "European Council on Foreign Relations" is no EU body
                if found:
                    state = state or found.code
                    sector = sector or found.sector
                    used[i : i + size] = [True] * size
        return ActorCode(state, sector)


def _names_more(words: list[str], end: int) -> bool:
    """Do the words go on, after ``end``, as one longer proper name ("… on Foreign Relations")?"""
    rest = words[end : end + 2]
    return len(rest) == 2 and rest[0] in ("on", "for", "of") and rest[1][:1].isupper()


@functools.cache
def load_actors() -> Actors:
    return Actors()


class ActorCoder:
    """Codes the actor or target of an event from its head token in the parse.

    ``speakers`` maps the character start of each resolved speaker mention to that
    speaker's (name, role): a pronoun or a surname takes the speaker's code.
    """

    def __init__(self, speakers: dict[int, tuple[str, str | None]] | None = None) -> None:
        self.data = load_actors()
        self.speakers = speakers or {}

    def code(self, head: Token) -> tuple[ActorCode, tuple[int, int]]:
        """The code of the phrase ``head`` heads, and the character span of that phrase."""
        left = _left_edge(head)
        span = (head.doc[left].idx, head.idx + len(head.text))
        if head.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY"):
            return ActorCode(None), span
        spoken = self.speakers.get(head.idx) or self.speakers.get(head.doc[left].idx)
        if head.lower_ in _PRONOUNS or head.tag_ in ("WP", "WDT", "PRP", "PRP$"):
            if spoken is None:
                return ActorCode(None), span
            return self.speaker_code(*spoken), span
        whole = self.data.phrase(head.doc[left : head.i + 1].text)
        if whole.code:
            return whole, span
        words = [t.text for t in head.doc[left : head.i + 1] if t.dep_ != "det"]
        last = head.text if head.text.isupper() else head.lemma_.lower()
        found = self.data.words([*words[:-1], last])
        if not found.code:
            found = self.data.words(words)
        if not found.code and spoken is not None:
            found = _merge(found, self.speaker_code(*spoken))
        if not found.code:
            found = _merge(found, self._of_phrase(head))
        if not found.code:
            found = _merge(found, self._named_before(head.doc[left : head.i + 1]))
        return (found if found else ActorCode(None)), span

    def speaker_code(self, name: str, role: str | None) -> ActorCode:
        """What a resolved speaker acts for: by name, else by the role the article gives them."""
        found = self.data.phrase(name)
        if not found.code and role:
            found = _merge(found, self.data.words(re.findall(r"[\w.\-]+", role)))
        if not found.code:
            found = _merge(found, self.data.words(name.split()))
        return found

    def _of_phrase(self, head: Token) -> ActorCode:
        """A description's state from its "of"/"in" phrase: "the capital city of Russia"."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.data.phrase(obj.text)
                        if found.code:
                            return ActorCode(found.code, self.data.agents.get(head.lemma_.lower()))
        return ActorCode(None)

    def _named_before(self, phrase) -> ActorCode:
        """ "the country", "the nation", "the island" (or its possessive, "the island's
        president") stands for the place named last before it, in its sentence or the one
        before, when that place codes as a state: "China threatened Taiwan after the island's
        president visited" → TWN.  Not the subject of its own clause ("China threatened the
        island": not China), not "an island", not a place that is no state ("Crete … the
        island's"), not a state named further back."""
        noun = next((t for t in phrase if _definite_state_noun(t)), None)
        if noun is None:
            return ActorCode(None)
        clause = _clause(noun)
        sentences = 0
        for t in reversed(noun.doc[: noun.i]):
            if t.ent_type_ == "GPE" and t.ent_iob_ == "B":
                place = _entity_at(t)
                root = place.root
                if not (root.dep_ in ("nsubj", "nsubjpass") and root.head.i == clause):
                    found = self.data.phrase(place.text)
                    code = found.code if found.code in self.data.iso3 else None
                    return ActorCode(code)
            sentences += t.is_sent_start
            if sentences >= _ANTECEDENT_SENTENCES:
                break
        return ActorCode(None)


def _definite_state_noun(t: Token) -> bool:
    """ "the country", "the island" (not "the two countries", "the other nation")."""
    children = [c.lower_ for c in t.children]
    return (
        t.tag_ == "NN"
        and t.lemma_.lower() in _STATE_NOUNS
        and "the" in children
        and not {"other", "same"} & set(children)
    )


def _entity_at(first: Token) -> Span:
    """The entity that starts at ``first``."""
    end = first.i + 1
    while end < len(first.doc) and first.doc[end].ent_iob_ == "I":
        end += 1
    return first.doc[first.i : end]


def _clause(word: Token) -> int:
    """The position of the nearest verb above ``word`` (its clause), or of the root."""
    head = word.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head.i


def _merge(a: ActorCode, b: ActorCode) -> ActorCode:
    return ActorCode(a.code or b.code, a.sector or b.sector)


def _left_edge(head: Token) -> int:
    """The first token of the name or description ``head`` heads (its left modifiers)."""
    left = head.i
    for child in head.lefts:
        if child.dep_ in _LEFT and child.ent_type_ not in ("DATE", "TIME", "ORDINAL"):
            left = min(left, child.left_edge.i)
    while left < head.i and head.doc[left].dep_ in ("det", "punct", "case"):
        left += 1
    return left
