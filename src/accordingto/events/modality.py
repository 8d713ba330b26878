"""Modality from the parse: did the event happen, or is it planned, threatened, demanded,
hypothetical or denied?

The trigger's own clause is read first (negation, modal auxiliaries, the progressive),
then the words that govern it, upwards through complements and purpose clauses:
a verb or noun of planning, threat, demand, refusal or failure (``data/modality.tsv``),
a modal on a governing clause ("might serve to test"), a conditional ("if"), an
infinitive of purpose.  The walk stops at a verb of reporting: what a speaker says
happened keeps its own modality (who says so is ``claimed_by``).
"""

from __future__ import annotations

import functools

from spacy.tokens import Token

from accordingto.model import Modality

from .lexicon import read_rows

__all__ = ["modality_of"]

_NEGATORS = {"not", "n't", "never", "no", "nope", "neither", "nor"}
_UPWARD = {"xcomp", "ccomp", "advcl", "acl", "pcomp", "prep", "pobj", "dobj", "conj", "relcl"}
_STEPS = 6
#: How reported words hang on their verb of reporting.
_CONTENT = {"ccomp", "parataxis", "dobj", "conj"}
_SPEECH_ACTS = {Modality.NEGATED, Modality.DEMANDED, Modality.THREATENED}


@functools.cache
def _cues() -> dict[str, dict[str, Modality]]:
    out: dict[str, dict[str, Modality]] = {}
    for kind, word, modality in read_rows("modality.tsv"):
        out.setdefault(kind, {})[word] = Modality(modality)
    return out


def _negated(word: Token) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or c.lower_ in ("never",)
        for c in word.children
    )


def _own(word: Token, speech: frozenset[str] = frozenset()) -> Modality | None:
    """Modality set inside the word's own clause or phrase."""
    cues = _cues()
    if _negated(word):
        return Modality.NEGATED
    for child in word.children:
        if child.dep_ in ("aux", "auxpass") and child.tag_ == "MD":
            if child.lower_ == "would" and _reported(word, speech):
                return Modality.PLANNED  # the future of reported speech: "said it would send"
            found = cues["modal"].get(child.lower_)
            if found is not None:
                return found
        if child.dep_ == "mark" and child.lower_ in cues["mark"]:
            return cues["mark"][child.lower_]
        if child.dep_ == "amod" and child.lower_ in cues["adj"]:
            return cues["adj"][child.lower_]
    if _going_to(word):
        return Modality.PLANNED
    return None


def _past_ability(adjective: Token) -> bool:
    """ "was able to stop", "have been able to hold": ability in the past says it happened."""
    holder = adjective.head
    return adjective.lemma_.lower() == "able" and "Past" in holder.morph.get("Tense", [])


def _reported(word: Token, speech: frozenset[str]) -> bool:
    head = word.head
    return word.dep_ == "ccomp" and head.lemma_.lower() in speech and head.tag_ in ("VBD", "VBN")


def _going_to(word: Token) -> bool:
    """ "is going to send", "is to send"."""
    head = word.head
    if word.dep_ != "xcomp" or head.lemma_ not in ("go", "be"):
        return False
    return head.lemma_ == "be" or any(c.lemma_ == "be" for c in head.children if c.dep_ == "aux")


def _governor(word: Token, head: Token) -> Modality | None:
    """Modality the head gives a complement, purpose clause or argument it governs."""
    cues = _cues()
    lemma = head.lemma_.lower()
    if head.pos_ == "VERB" and lemma in cues["verb"] and word.dep_ in _UPWARD - {"conj"}:
        return (
            Modality.NEGATED if _negated(head) and lemma not in ("deny",) else cues["verb"][lemma]
        )
    if head.pos_ == "ADJ" and lemma in cues["inf"] and word.dep_ == "xcomp":  # "ready to send"
        return None if _past_ability(head) else cues["inf"][lemma]
    if head.pos_ in ("NOUN", "PROPN") and head.lower_ in cues["noun"]:
        return cues["noun"][head.lower_]
    if head.pos_ in ("NOUN",) and lemma in cues["noun"]:
        return cues["noun"][lemma]
    if word.dep_ in ("advcl", "acl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in word.children
    ):
        return Modality.HYPOTHETICAL  # an infinitive of purpose: "arrived … to push for"
    return None


def modality_of(trigger: Token, *, speech: frozenset[str], light: Token | None = None) -> Modality:
    """The modality of the event ``trigger`` names (``light``: the verb an event noun is the
    object of, "launched a strike"; ``speech``: lemmas of reporting verbs)."""
    for word in (trigger, light):
        if word is not None and (found := _own(word, speech)) is not None:
            return found
    word = light if light is not None else trigger
    for _ in range(_STEPS):
        head = word.head
        if head.i == word.i or word.dep_ not in _UPWARD:
            break
        found = _governor(word, head)
        if head.lemma_.lower() in speech and head.pos_ == "VERB" and word.dep_ in _CONTENT:
            # what a speaker reports keeps its own modality, unless denied, demanded, threatened
            if found is not None and found in _SPEECH_ACTS:
                return found
            return _aspect(trigger)
        if found is None and word.dep_ != "relcl":
            found = _own(head) if head.pos_ in ("VERB", "AUX") else None
        if found is not None:
            return found
        if word.dep_ == "relcl":
            break
        word = head
    return _aspect(trigger)


def _aspect(trigger: Token) -> Modality:
    if trigger.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lemma_ == "be" for c in trigger.children
    ):
        return Modality.ONGOING
    return Modality.HAPPENED
