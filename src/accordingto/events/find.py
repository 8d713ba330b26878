"""Find event mentions in a parsed article: triggers, their actor and target, date and place.

Over the ``Doc`` the pipeline already has.  A trigger is a verb the CAMEO verb
dictionary codes into PLOVER, or an event noun made from such a verb ("strike",
"endorsement", "decision to deploy").  Its actor is the verb's subject (the agent of a
passive; the possessor or a naming modifier of a noun: "Ukrainian drone attacks", "the
US decision"), its target the object or a prepositional object.  An event noun that
is the object of a verb ("launched a strike", "received authorization") is one event:
the verb's subject acts, unless the verb is one of receiving, whose subject is the target.
One pass over the tokens: linear in the text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from accordingto.model import Modality

from .actors import ActorCode, ActorCoder
from .dates import resolve_date
from .lexicon import Coding, Lexicon, read_rows
from .modality import modality_of

__all__ = ["Found", "find_mentions"]

_OBJECTS = {"dobj", "dative", "attr", "oprd"}
_TARGET_PREPS = {"on", "against", "at", "into", "to", "toward", "towards", "with", "upon", "inside"}
_RECEIVE = {"receive", "get", "obtain", "win", "gain", "secure", "accept", "seek"}
#: Verbs whose event noun object is the event they report ("launched a strike").
_LIGHT = {
    "launch",
    "carry",
    "conduct",
    "make",
    "give",
    "take",
    "stage",
    "mount",
    "begin",
    "start",
    "undertake",
    "perform",
    "continue",
    "resume",
    "hold",
    "order",
    "step",
    "intensify",
}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NOT_PLACES = {"PERSON", "ORG", "NORP", "DATE", "TIME", "EVENT", "WORK_OF_ART", "LAW"}
#: Prepositions that name the target for some types only: where a visit or a show of force goes.
_ROOT_PREPS = {"CONSULT": {"in"}, "MOBILIZE": {"in", "near"}}
#: Types whose target, when none is coded, is the state where they happened: violence falls
#: on the people there ("gunmen killed 12 people in Kabul" → AFG).
_PLACE_TARGETS = {"ASSAULT"}
#: Verbs whose uncoded actor is the state where they happen: one hosts at home.
_AT_HOME = {"host"}
#: A dateline at a paragraph's start: "KYIV, Ukraine (AP) —", "WASHINGTON (Reuters) -",
#: "BUFFALO, N.Y. —".  Its words are where the story was filed, never an actor or a target.
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z.'’\- ]*[A-Z.](?:,[ \t]+[A-Z][\w.'’ -]{0,30}?)?"
    r"(?:[ \t]*\([^)\n]{1,40}\))?[ \t]*[—–-]{1,2}[ \t]"
)


@functools.cache
def not_event_nouns() -> frozenset[str]:
    """Nouns that look made from a CAMEO verb but name an actor or a thing: the agent nouns
    (``agents.tsv``: "government", "forces") and ``not_event_nouns.tsv``."""
    rows = read_rows("agents.tsv") + read_rows("not_event_nouns.tsv")
    return frozenset(row[0] for row in rows)


@dataclass(frozen=True, slots=True)
class Found:
    """One mention of an event, before mentions of the same occurrence are merged."""

    trigger: tuple[int, int]
    lemma: str
    coding: Coding
    modality: Modality
    actor: tuple[int, int] | None
    actor_code: ActorCode
    target: tuple[int, int] | None
    target_code: ActorCode
    date: str | None
    date_span: tuple[int, int] | None
    place: tuple[int, int] | None
    confidence: float

    @property
    def bare(self) -> bool:
        """Neither actor nor target coded ("the attack"): a further mention of an event, never
        an event of its own."""
        return not self.actor_code.code and not self.target_code.code


def _words(token: Token) -> set[str]:
    """Lemma, form and the phrase with its compounds ("drone strike", "air defense")."""
    compounds = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nummod")]
    out = {token.lemma_.lower(), token.lower_}
    if token.lower_.endswith("s") and len(token) > 3:
        out.add(token.lower_[:-1])  # "F-16s" → f-16
    out.update(w for c in compounds for w in (c.lower_, c.lemma_.lower()))
    if compounds:
        out.add(" ".join([*(c.lower_ for c in compounds), token.lemma_.lower()]))
        out.add(" ".join([compounds[-1].lower_, token.lemma_.lower()]))
    return out


def _context(verb: Token) -> tuple[set[str], set[str]]:
    """The words before (subject) and after (objects, particles, prepositions) a verb."""
    before: set[str] = set()
    after: set[str] = set()
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            before |= _words(child)
        elif child.dep_ == "agent":  # the subject of a passive
            for obj in child.children:
                before |= _words(obj)
        elif child.dep_ in _OBJECTS or child.dep_ in ("prt", "acomp", "xcomp", "nsubjpass"):
            after |= _words(child)
            for prep in child.children:  # "sent tanks to Ukraine" parsed as tanks → to
                if prep.dep_ == "prep":
                    after |= _prep_words(prep)
        elif child.dep_ == "prep" or (child.dep_ == "dative" and child.pos_ == "ADP"):
            after |= _prep_words(child)
    return before, after


def _prep_words(prep: Token) -> set[str]:
    out = {prep.lower_}
    for obj in prep.children:
        if obj.dep_ in ("pobj", "pcomp"):
            out |= _words(obj)
            out.add(f"{prep.lower_} {obj.lemma_.lower()}")
    return out


class Finder:
    """Finds event mentions in one parsed article."""

    def __init__(
        self,
        doc: Doc,
        lexicon: Lexicon,
        coder: ActorCoder,
        *,
        article_date: dt.date | None,
        speech: frozenset[str],
        quoted_subject: dict[int, ActorCode] | None = None,
        cues: frozenset[int] | None = None,
    ) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.coder = coder
        self.article_date = article_date
        self.speech = speech
        self.quoted_subject = quoted_subject or {}
        self.cues = cues or frozenset()
        self.not_events = not_event_nouns()
        self.datelines = [m.span() for m in _DATELINE.finditer(doc.text)]
        self.dateline_state = self._dateline_state()

    def _in_dateline(self, word: Token) -> bool:
        return any(start <= word.idx < end for start, end in self.datelines)

    def _dateline_state(self) -> str | None:
        """The state the first dateline names ("KRAMATORSK, Ukraine (AP) —" → UKR; "KYIV —")."""
        if not self.datelines:
            return None
        start, end = self.datelines[0]
        for part in re.split(r"[,()—–-]", self.doc.text[start:end]):
            found = self.coder.data.phrase(part.strip()) if part.strip() else ActorCode(None)
            if found.code:
                return found.code
        return None

    def _without_dateline(self, head: Token) -> tuple[ActorCode, tuple[int, int]]:
        """The code of a phrase the parse began in a dateline, read from its words after it."""
        words = self.doc[head.left_edge.i : head.i + 1]
        own = [t for t in words if not self._in_dateline(t) and t.dep_ != "det"]
        own = own or [head]
        return self.coder.data.words(t.text for t in own), (own[0].idx, head.idx + len(head))

    def _after_dateline(self, word: Token) -> Token | None:
        """The subject the parse hung on a dateline's place, or ``None``."""
        return next(
            (c for c in word.children if c.dep_ == "appos" and not self._in_dateline(c)), None
        )

    def mentions(self) -> Iterator[Found]:
        for token in self.doc:
            if token.pos_ == "VERB":
                found = self._verb(token)
            elif token.pos_ == "NOUN":
                found = self._noun(token)
            else:
                continue
            if found is not None:
                yield found

    # -- triggers -------------------------------------------------------------------------

    def _light(self, verb: Token) -> bool:
        """A light verb with no code of its own ("launch", "receive", "carry out"): its event
        noun object is the event, and its subject that event's actor (or target)."""
        lemma = verb.lemma_.lower()
        if lemma not in _LIGHT and lemma not in _RECEIVE:
            return False
        return self.lexicon.code_verb(lemma, (), ()) is None

    def _verb(self, verb: Token) -> Found | None:
        if not self.lexicon.knows_verb(verb.lemma_.lower()):
            return None  # most verbs: nothing to code, so no context to gather
        if self._light(verb) and any(
            c.dep_ == "dobj" and self._noun_coding(c) for c in verb.children
        ):
            return None  # "launched a strike": the noun is the trigger
        before, after = _context(verb)
        speech = verb.lemma_.lower() in self.speech and (
            verb.idx in self.cues or any(c.dep_ in ("ccomp", "parataxis") for c in verb.children)
        )
        coding = self.lexicon.code_verb(verb.lemma_.lower(), before, after, speech=speech)
        if coding is None:
            return None
        actor, target = self._verb_actor(verb), self._verb_target(verb, coding)
        return self._found(verb, coding, actor, target, light=None)

    def _verb_coding(self, verb: Token) -> Coding | None:
        before, after = _context(verb)
        return self.lexicon.code_verb(verb.lemma_.lower(), before, after)

    def _noun_coding(self, noun: Token) -> Coding | None:
        if noun.pos_ != "NOUN" or noun.ent_type_:
            return None
        words = _words(noun)
        for verb in self.lexicon.noun_verbs(noun.lemma_.lower()):
            coding = self.lexicon.code_verb(verb, (), words - {noun.lemma_.lower()})
            if coding is not None:
                return coding
        return None

    def _noun(self, noun: Token) -> Found | None:
        if noun.lemma_.lower() in self.not_events or noun.lower_ in self.not_events:
            return None
        coding = self._noun_coding(noun)
        if coding is None:
            return None
        light = noun.head if noun.dep_ == "dobj" and noun.head.pos_ == "VERB" else None
        if light is not None and not self._light(light):
            light = None
        giver = _object_of(noun)
        if light is None and giver is not None and self._verb_coding(giver) is not None:
            # "pledged 500 million euros in aid to Ukraine": the noun is what the verb's event
            # gives, not an event of its own, unless someone is named doing it ("endorsed
            # Ukraine's attacks")
            own = self._noun_actor(noun)
            if own is None or not self._code(own)[0].code:
                return None
        if light is not None:
            before, after = _context(light)
            specific = self.lexicon.code_verb(light.lemma_.lower(), before, after)
            if specific is not None and specific.specificity > 0:
                coding = specific  # "gave … endorsement" → the pattern's code
        actor = self._noun_actor(noun)
        target = self._noun_target(noun)
        if light is not None:
            subject = self._verb_actor(light)
            if light.lemma_.lower() in _RECEIVE:
                target = target or subject
            elif actor is None or not self._code(actor)[0]:
                actor = subject or actor
        return self._found(noun, coding, actor, target, light=light)

    # -- arguments ------------------------------------------------------------------------

    def _verb_actor(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        for child in verb.children:
            subject: Token | None = child
            if child.dep_ in ("nsubj", "csubj") and self._in_dateline(child):
                subject = self._after_dateline(child)  # "BUFFALO, N.Y. — Canada sent"
                if subject is None:
                    continue
            if child.dep_ in ("nsubj", "csubj") and subject is not None:
                return self._through_relative(subject)
            if child.dep_ == "nsubjpass":
                return None  # a passive without "by": no actor named
        if verb.dep_ == "pcomp" and verb.head.head.pos_ == "VERB":  # "arrived before carrying"
            return self._verb_actor(verb.head.head)
        if verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ":  # "Canada is ready to send"
            holder = verb.head.head
            return self._verb_actor(holder) if holder.pos_ in ("VERB", "AUX") else None
        if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
            if verb.dep_ == "conj" or not any(c.dep_ == "nsubjpass" for c in verb.head.children):
                return self._verb_actor(verb.head) if verb.head.i != verb.i else None
        if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":  # "the decision to deploy"
            return self._noun_actor(verb.head)
        return None

    def _through_relative(self, subject: Token) -> Token:
        """ "which"/"who"/"that" as a subject stands for the noun its clause hangs on."""
        if subject.tag_ in ("WDT", "WP") and subject.head.dep_ == "relcl":
            return subject.head.head
        return subject

    def _verb_target(self, verb: Token, coding: Coding) -> Token | None:
        """The passive subject, the object, or a prepositional object: the first that names
        a state or organisation ("sent F-16s to Ukraine" → Ukraine), else the first."""
        preps = _TARGET_PREPS | _ROOT_PREPS.get(coding.root, set())
        candidates = []
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                candidates.append(child)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
        for obj in objects:  # an event noun's actor or target: "rejected calls by Belarus"
            candidates += [self._event_actor(obj) or obj]
            if self.lexicon.noun_verbs(obj.lemma_.lower()):
                candidates += [t for t in [self._noun_target(obj)] if t is not None]
        for child in [*verb.children, *(c for o in objects for c in o.children)]:
            if child.dep_ in ("prep", "dative") and child.lower_ in preps:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    candidates.append(self._event_actor(pobj) or pobj)
        coded = next((c for c in candidates if self._code(c)[0].code), None)
        if coded is None:  # "threatened to block the EU's budget": the complement's target
            coded = self._complement_target(verb, coding)
        return coded or (candidates[0] if candidates else None)

    def _complement_target(self, verb: Token, coding: Coding) -> Token | None:
        """A coded target of the verb an offer, threat or promise governs ("threatened to block
        the EU's budget" → the EU), or ``None``."""
        for child in verb.children:
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                inner = self._verb_target(child, coding)
                if inner is not None and self._code(inner)[0].code:
                    return inner
        return None

    def _noun_actor(self, noun: Token) -> Token | None:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        for child in noun.children:
            if child.dep_ == "poss" and child.ent_type_ not in ("DATE", "TIME"):
                return child
        for child in reversed(list(noun.lefts)):
            if child.dep_ in ("compound", "amod", "nmod"):
                found = self._naming(child)
                if found is not None:
                    return found
        return None

    def _naming(self, word: Token) -> Token | None:
        """A modifier (or one of its own modifiers) that names a state or organisation."""
        for candidate in (word, *word.lefts):
            if candidate.ent_type_ in ("GPE", "NORP", "ORG") and self._code(candidate)[0].code:
                return candidate
        return None

    def _noun_target(self, noun: Token) -> Token | None:
        for child in noun.children:
            if child.dep_ == "prep" and (
                child.lower_ in _TARGET_PREPS or child.lower_ in ("of", "inside")
            ):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is None and child.lower_ == "inside":
                    inner = next((c for c in child.children if c.dep_ == "prep"), None)
                    obj = (
                        next((c for c in inner.children if c.dep_ == "pobj"), None)
                        if inner
                        else None
                    )
                if obj is not None:
                    return self._event_actor(obj) or obj
        return None

    def _event_actor(self, word: Token) -> Token | None:
        """The actor of an event noun standing as an argument: "endorsement of Ukraine's attacks"
        (not of a noun naming people or things, "three Turkish engineers", "an Ethiopian exile":
        they are the target themselves)."""
        lemma = word.lemma_.lower()
        if lemma in self.not_events or word.lower_ in self.not_events:
            return None
        derived = any(v != lemma for v in self.lexicon.noun_verbs(lemma))  # "response"
        if derived or self._noun_coding(word) is not None:
            return self._noun_actor(word)
        return None

    def _place_target(
        self,
        place: tuple[int, int] | None,
        actor: ActorCode,
        target: ActorCode,
        span: tuple[int, int] | None,
    ) -> tuple[ActorCode, tuple[int, int] | None]:
        """Violence with no coded target falls on the state where it happened ("militants killed
        130 people in Paris" → FRA), unless that is the actor's own state."""
        code = self._place_code(place).code
        if place is not None and not code:  # a town the dictionaries lack: the dateline's state
            code = self.dateline_state
        if code and code != actor.code:
            return ActorCode(code), span or place  # "12 people", coded by where they were
        return target, span

    def _near_state(
        self, trigger: Token, actor: ActorCode
    ) -> tuple[ActorCode, tuple[int, int] | None] | None:
        """A foreign state a military actor acts near, in the trigger's own clause: "carrying out
        operations in the waters near Russia" is aimed at Russia, as a show of force is."""
        for word in trigger.subtree:
            if word.dep_ != "pobj" or word.head.lower_ != "near" or _clause_of(word) != trigger:
                continue
            code, span = self._code(word)
            if code.code and code.code != actor.code:
                return ActorCode(code.code, code.sector), span
        return None

    def _place_code(self, place: tuple[int, int] | None) -> ActorCode:
        """The state a place is in: "Kabul", "the Elysee Palace"."""
        where = self.doc.char_span(*place) if place is not None else None
        if where is None:
            return ActorCode(None)
        found = self.coder.data.phrase(where.text)
        return found if found.code else self.coder.data.words(t.text for t in where)

    # -- the record -----------------------------------------------------------------------

    def _code(self, head: Token | None) -> tuple[ActorCode, tuple[int, int] | None]:
        if head is None or self._in_dateline(head):
            return ActorCode(None), None
        code, span = self.coder.code(head)
        if any(start <= span[0] < end for start, end in self.datelines):
            code, span = self._without_dateline(head)  # "WARSAW (Reuters) - Poland"
        if not code.code and head.i in self.quoted_subject:
            code = self.quoted_subject[head.i]
        return code, span

    def _found(
        self, trigger: Token, coding: Coding, actor: Token | None, target: Token | None, *, light
    ) -> Found | None:
        actor_code, actor_span = self._code(actor)
        target_code, target_span = self._code(target)
        if actor_code.code and actor_code == target_code:
            target_code, target_span = ActorCode(None), None
        place = self._place(trigger, light)
        if not actor_code.code and trigger.lemma_.lower() in _AT_HOME:
            home = self._place_code(place)  # "Macron hosted Ruto at the Elysee Palace"
            actor_code = ActorCode(home.code, home.sector) if home.code else actor_code
        if not target_code.code and coding.root in _PLACE_TARGETS:
            target_code, target_span = self._place_target(
                place, actor_code, target_code, target_span
            )
        if not target_code.code and actor_code.sector == "MIL":
            near = self._near_state(trigger, actor_code)  # "warships ... near Russia"
            target_code, target_span = near or (target_code, target_span)
        date, date_span = self._date(trigger, light)
        modality = modality_of(trigger, speech=self.speech, light=light)
        confidence = 0.5 + 0.15 * bool(actor_code.code) + 0.15 * bool(target_code.code)
        confidence += 0.1 * min(coding.specificity, 1)
        return Found(
            trigger=(trigger.idx, trigger.idx + len(trigger.text)),
            lemma=trigger.lemma_.lower(),
            coding=coding,
            modality=modality,
            actor=actor_span,
            actor_code=actor_code,
            target=target_span,
            target_code=target_code,
            date=date,
            date_span=date_span,
            place=place,
            confidence=round(min(confidence, 0.95), 2),
        )

    def _date(self, trigger: Token, light: Token | None):
        """The date phrase of the trigger's own clause (or of the noun's verb), resolved."""
        for word in (trigger, light, trigger.head if trigger.pos_ == "NOUN" else None):
            if word is None:
                continue
            for child in word.children:
                ent = _date_ent(child)
                if ent is not None:
                    iso = resolve_date(ent.text, self.article_date)
                    if iso is not None:
                        return iso, (ent.start_char, ent.end_char)
        return None, None

    def _place(self, trigger: Token, light: Token | None):
        """Where it happened: the first town or state named in its "in/near/at" phrases, else
        the first place ("at the Elysee Palace in Paris" → Paris, so that reports naming the
        building and the city agree).  The target may be the place: "arrived in Sweden",
        "a drone strike inside Russia"."""
        objects = [c for c in trigger.children if c.dep_ == "dobj"]
        places = [
            obj
            for word in (trigger, light, *objects)
            if word is not None
            for child in word.children
            if child.dep_ == "prep" and child.lower_ in ("in", "near", "inside", "at")
            for obj in child.subtree
            if obj.ent_type_ in _PLACE_LABELS or _town(obj)
        ]
        if not places:
            return None
        town = next((p for p in places if p.ent_type_ == "GPE" or _town(p)), places[0])
        ent = _entity(town)
        return ent.start_char, ent.end_char


def _clause_of(word: Token) -> Token:
    """The nearest verb above a word (the word's own clause)."""
    head = word.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def _town(word: Token) -> bool:
    """A proper name right after "in"/"near" that the tagger did not take for a place
    ("in Kramatorsk" tagged as a product): a town, unless it names a person, body or date."""
    return (
        word.pos_ == "PROPN"
        and word.dep_ == "pobj"
        and word.head.lower_ in ("in", "near")
        and word.ent_type_ not in _NOT_PLACES
    )


def _object_of(noun: Token) -> Token | None:
    """The verb whose object (or object's prepositional phrase) the noun is, or ``None``."""
    word = noun
    for _ in range(4):
        if word.dep_ not in ("dobj", "pobj", "prep", "dative"):
            return None
        if word.dep_ in ("dobj", "dative") and word.head.pos_ == "VERB":
            return word.head
        if word.head.i == word.i:
            return None
        word = word.head
    return None


def _date_ent(child: Token):
    """A DATE entity at or under a dependent: "On Tuesday", "Yesterday", "Tuesday's"."""
    if child.dep_ not in ("prep", "npadvmod", "poss", "tmod", "advmod", "nmod", "pobj"):
        return None
    for word in (child, *child.children):
        if word.ent_type_ == "DATE":
            return _entity(word)
    return None


def _entity(word: Token):
    """The named entity a token is part of (walking the IOB tags: no search over all entities)."""
    doc = word.doc
    start, end = word.i, word.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def find_mentions(
    doc: Doc,
    lexicon: Lexicon,
    coder: ActorCoder,
    *,
    article_date: dt.date | None,
    speech: frozenset[str],
    quoted_subject: dict[int, ActorCode] | None = None,
    cues: frozenset[int] | None = None,
) -> list[Found]:
    """Every event mention in the article, in text order (``cues``: where the attributions'
    cues start: a verb of saying is an event there only if it is an act, "accused")."""
    finder = Finder(
        doc,
        lexicon,
        coder,
        article_date=article_date,
        speech=speech,
        quoted_subject=quoted_subject,
        cues=cues,
    )
    return list(finder.mentions())
