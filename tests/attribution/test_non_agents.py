"""A subject that can say nothing makes no attribution (attribution/data/non_agents.txt)."""

from __future__ import annotations

import pytest

from accordingto import analyze

ROWS = [
    # a thing, not a speaker: no attribution
    (
        "Red flags for investors included that the founder had borrowed against his shares.",
        None,
    ),
    ("The reason for the delay was that the permits had lapsed, the mayor said.", "the mayor"),
    # negatives: people, bodies and documents speak, and so does a name with such a head
    (
        "Analysts for the bank said that the founder had borrowed against his shares.",
        "Analysts for the bank",
    ),
    ("The report said that the founder had borrowed against his shares.", "The report"),
    ("Point Capital said that the founder had borrowed against his shares.", "Point Capital"),
]


@pytest.mark.parametrize(("text", "source"), ROWS)
def test_only_someone_is_a_source(text, source):
    sources = [q.source.text if q.source else None for q in analyze(text, events=False).quotes]
    assert sources == ([source] if source else [])
