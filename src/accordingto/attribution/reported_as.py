"""What an attribution's cue reports: speech, a thought, an intention, an action.

PolNeAR, and so the analyzer, counts beliefs ("Russia feels that …"), intentions ("the powers
have decided to …") and acts ("voted against …") as attributions beside speech. A
fact-checker needs to tell them apart: "X said Y" is checkable against a record, "X believes
Y" is the writer's report of a state of mind. :func:`reported_as` reads the cue's words and
their parse: a lemma listed in ``attribution/data/reported_as.txt`` gives its kind, and a few
rules over the parse refine it ("hope to" is an intention, "refuse to comment" is speech,
"also known as" is no attribution at all). Every other cue reports speech.

A verb of taking a position ("endorsed", "backed", listed in ``attribution/data/stance_verbs.txt``)
whose content is only a noun phrase ("Statements … implicitly endorsed *the attacks*") reports
no words at all: it is an ``action``, a position taken.  With a clause or a quotation for
content ("endorsed the view that …") it stays speech.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..model import ReportedAs

__all__ = ["ReportedAs", "kind_of_cue", "load_kinds", "load_stance_verbs", "reported_as"]


@functools.cache
def load_kinds() -> dict[str, ReportedAs]:
    """The listed cue lemmas and their kinds (every other cue reports speech)."""
    raw = (
        resources.files(__package__).joinpath("data", "reported_as.txt").read_text(encoding="utf-8")
    )
    kinds: dict[str, ReportedAs] = {}
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, kind = line.split("\t")
            kinds[lemma.strip().lower()] = ReportedAs(kind.strip())
    return kinds


@functools.cache
def load_stance_verbs() -> frozenset[str]:
    """Lemmas of position-taking verbs ("endorse", "back"): an action when the content is a noun."""
    raw = (
        resources.files(__package__)
        .joinpath("data", "stance_verbs.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.strip().lower() for line in raw.splitlines() if line.strip() and line[0] != "#"
    )


#: Verbs whose refusal or hope is still about speaking: "declined to comment".
_SPEECH_COMPLEMENTS = frozenset(
    "comment say discuss answer explain address detail talk disclose name elaborate identify "
    "confirm specify speak respond reveal apologize".split()
)
#: Feelings that take an infinitive or "of" for what is wanted: "hopes to win", "eager to".
_WANTING = frozenset({"hope", "hop", "eager", "hopeful", "desire"})
#: Verbs that hedge the act they govern: "seemed to mock" reports mocking.
_HEDGES = frozenset({"seem", "appear"})


def _complement(token: Token) -> Token | None:
    """The infinitive or gerund a cue word governs: "refuses *to discuss*", "hopes *of* …"."""
    for child in token.children:
        if child.dep_ == "xcomp" and child.tag_ in ("VB", "VBG"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            return child
    return None


def kind_of_cue(token: Token) -> ReportedAs | None:
    """The kind one cue word reports, or None when it is not listed (then speech)."""
    lemma = token.lemma_.lower()
    kind = load_kinds().get(lemma) or load_kinds().get(token.lower_)
    if lemma == "know" and any(c.lower_ == "as" for c in token.children):
        return ReportedAs.OTHER  # "also known as": a name, not a thought
    complement = _complement(token)
    if lemma in _HEDGES and complement is not None and complement.dep_ == "xcomp":
        return kind_of_cue(complement) or ReportedAs.SPEECH  # "seemed to mock": mocking
    if lemma in _WANTING and complement is not None:
        return ReportedAs.INTENTION
    if (
        kind is ReportedAs.INTENTION
        and complement is not None
        and complement.lemma_.lower() in _SPEECH_COMPLEMENTS
    ):
        return ReportedAs.SPEECH  # "refuses to discuss", "declined to comment"
    return kind


def _root(span: Span) -> Token:
    """The span's syntactic head: its token whose head lies outside it (the last such)."""
    inside = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    return inside[-1] if inside else span[-1]


def _only_a_noun_phrase(doc: Doc, content: Sequence[tuple[int, int]]) -> bool:
    """Is the content a noun phrase: no verb, no quotation mark ("the attacks")?"""
    if not content:
        return False
    for start, end in content:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in span):
            return False
    return True


def reported_as(
    doc: Doc, start: int, end: int, *, content: Sequence[tuple[int, int]] = ()
) -> ReportedAs:
    """What the cue at characters ``start``–``end`` of ``doc`` reports.

    The cue's head word decides when it is listed; otherwise the first listed word of the
    cue, right to left ("continued to *plot* against", "*suspicions* run high"); a cue with
    no listed word reports speech.  ``content`` (character spans), when given, tells a
    position taken from words said ("endorsed the attacks" is an action).
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return ReportedAs.SPEECH
    head = _root(span)
    if head.lemma_.lower() in load_stance_verbs() and _only_a_noun_phrase(doc, content):
        return ReportedAs.ACTION
    kind = kind_of_cue(head)
    if kind is not None:
        return kind
    for token in reversed(span):
        if token.i != head.i and token.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
            kind = kind_of_cue(token)
            if kind is not None:
                return kind
    return ReportedAs.SPEECH
