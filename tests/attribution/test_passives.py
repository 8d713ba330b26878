"""Passive cues: the agent speaks, the passive subject is spoken about (cues.verb_subject,
roles._patient)."""

from __future__ import annotations

import pytest

from accordingto import analyze

ROWS = [
    # an agent is the source, whatever the passive subject is
    ("The plan was criticized by the mayor as reckless.", "was criticized", "the mayor"),
    ("It was reported by the Times that the talks had failed.", "reported", "the Times"),
    # with no agent, the passive subject is the one spoken about: no source
    ("Mr. Quiros was accused of using the money for himself.", "was accused of", None),
    # negatives: an active cue keeps its subject
    ("The mayor criticized the plan as reckless.", "criticized", "The mayor"),
    ("The Times reported that the talks had failed.", "reported", "The Times"),
]


@pytest.mark.parametrize(("text", "cue", "source"), ROWS)
def test_who_speaks_in_a_passive(text, cue, source):
    found = {
        q.cue.text: (q.source.text if q.source else None)
        for q in analyze(text, events=False).quotes
        if q.cue is not None
    }
    assert found[cue] == source
