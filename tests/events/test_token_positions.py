"""spaCy makes a new ``Token`` object on every access (``doc[i]``, ``token.head``), so two
tokens are the same word when their positions (``.i``) are equal, never by ``is``.

``_clause_of`` climbed to the root with ``head.head is not head``, always true: on a sentence
with no verb above a "near" phrase (a headline, "Patrols by US warships near China.") it looped
forever.  The sentences below are written for these tests.
"""

from __future__ import annotations

import signal

import pytest

import accordingto
from accordingto.model import Article
from accordingto.nlp import load_pipeline


@pytest.fixture(autouse=True)
def _lexicon_types(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_EVENT_CODER", "0")


class _TooSlow(Exception):
    pass


def _analyze(text: str, *, seconds: int = 30):
    """Analyze ``text``, failing (not hanging) if it takes more than ``seconds``."""

    def _stop(signum, frame):
        raise _TooSlow(f"analysis of {text!r} took over {seconds} s")

    nlp = load_pipeline(tagger=False)  # loaded before the clock starts
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.alarm(seconds)
    try:
        return accordingto.analyze(Article(text=text), nlp=nlp)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _event(analysis, trigger: str):
    found = [e for e in analysis.events if any(m.text == trigger for m in e.mentions)]
    assert found, f"no event on {trigger!r}: {[e.trigger.text for e in analysis.events]}"
    return found[0]


# A military actor acting near a foreign state, with and without a verb above "near".
NEAR = [
    # headlines with no verb: the root is the event noun (these looped forever)
    ("Patrols by US warships near China.", "Patrols", "USA", "CHN"),
    ("Patrols by Chinese warships near Taiwan.", "Patrols", "CHN", "TWN"),
    ("New patrols by British warships near Iran.", "patrols", "GBR", "IRN"),
    # negatives: a verb above the phrase, as before
    ("US warships patrolled near China.", "patrolled", "USA", "CHN"),
    ("The US Navy conducted exercises near Russia.", "conducted", "USA", "RUS"),
]


@pytest.mark.parametrize(("text", "trigger", "actor", "target"), NEAR)
def test_a_near_phrase_with_or_without_a_verb_above(text, trigger, actor, target):
    e = _event(_analyze(text), trigger)
    assert (e.actor_code, e.target_code) == (actor, target)


# The target named in an "in"/"inside" phrase is also where it happened: the place is not
# "a place other than the target" (that test compared tokens by identity, so it never
# excluded anything, and making it compare positions lost these places).
PLACES = [
    ("The Japanese foreign minister arrived in Sweden on Monday.", "arrived", "SWE", "Sweden"),
    ("Ukraine launched a drone strike inside Russia.", "strike", "RUS", "Russia"),
    # negatives: the target is someone else, the place is the town
    ("Emmanuel Macron met Xi Jinping in Beijing.", "met", "CHN", "Beijing"),
    ("Russian missiles struck a railway station in Kramatorsk.", "struck", None, "Kramatorsk"),
]


@pytest.mark.parametrize(("text", "trigger", "target", "place"), PLACES)
def test_the_target_may_be_the_place(text, trigger, target, place):
    e = _event(_analyze(text), trigger)
    assert e.target_code == target
    assert e.place is not None and e.place.text == place
