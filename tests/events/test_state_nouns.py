""" "the country", "the nation", "the island" (and their possessive) stand for the state named
last before them, in their sentence or the one before; never for their own clause's subject,
nor after "an", nor for a place that is no state, nor for a state named further back.
The sentences are written for these tests (the merging corpus's "the island's president"
was the one gold pair it missed)."""

from __future__ import annotations

import pytest

import accordingto
from accordingto.model import Article
from accordingto.nlp import load_pipeline


@pytest.fixture(autouse=True)
def _lexicon_types(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_EVENT_CODER", "0")


def _event(text: str, trigger: str):
    analysis = accordingto.analyze(Article(text=text), nlp=load_pipeline(tagger=False))
    found = [e for e in analysis.events if any(m.text == trigger for m in e.mentions)]
    assert found, f"no event on {trigger!r}: {[e.trigger.text for e in analysis.events]}"
    return found[0]


ROWS = [
    # the state named just before, in the same sentence or the one before
    (
        "China threatened Taiwan with military action on Monday after the island's president "
        "visited the United States.",
        "visited",
        "TWN",
        "USA",
    ),
    ("Ukraine struck a Russian depot. The country's president visited Poland on Friday.",
     "visited", "UKR", "POL"),
    ("Japan won the match. The nation's prime minister visited China.", "visited", "JPN", "CHN"),
    # not its own clause's subject: China does not threaten itself
    ("Taiwan held elections on Saturday. On Monday China threatened the island with sanctions.",
     "threatened", "CHN", "TWN"),
    # negatives
    ("The island's president visited the United States.", "visited", None, "USA"),  # none before
    ("An island nation's president visited Japan.", "visited", None, "JPN"),  # not "the"
    ("Greek officials said Crete was safe. The island's governor visited Turkey.",
     "visited", None, "TUR"),  # the place named last is no state
    ("Ukraine struck a Russian depot. Officials spoke. Nobody was hurt. "
     "The country's president visited Poland on Friday.", "visited", None, "POL"),  # too far
    ("Texas sued Mexico. The state's governor visited Mexico.", "visited", None, "MEX"),
    ("India hosted Japan on Monday. The other nation's prime minister visited China.",
     "visited", None, "CHN"),  # "the other nation" is not the one named last
    ("Spain beat France on Sunday. The two countries' leaders visited Brazil on Monday.",
     "visited", None, "BRA"),  # plural: no one state
]  # fmt: skip


@pytest.mark.parametrize(("text", "trigger", "actor", "target"), ROWS)
def test_a_definite_state_noun_stands_for_the_state_named_before(text, trigger, actor, target):
    e = _event(text, trigger)
    assert (e.actor_code, e.target_code) == (actor, target)
