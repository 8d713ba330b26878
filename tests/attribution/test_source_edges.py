"""Source and content edges at PolNeAR's commas and marks (attribution/assemble.py)."""

from __future__ import annotations

import pytest

from accordingto.attribution.assemble import Found, with_content_edges, with_source_comma
from accordingto.attribution.cues import Cue
from accordingto.model import QuoteKind

ROWS = [
    # an apposition or a relative clause set off by commas: the closing comma is the source's
    (
        "Tom Clarke, a nursing home owner, said the plan was sound.",
        "Tom Clarke, a nursing home owner",
        "Tom Clarke, a nursing home owner,",
    ),
    (
        "Mr. Kamin, who runs the fund, said the plan was sound.",
        "Mr. Kamin, who runs the fund",
        "Mr. Kamin, who runs the fund,",
    ),
    # a source with no comma inside ends before the one after it
    ("Mr. Kamin, who runs the fund said so.", "Mr. Kamin,", "Mr. Kamin"),
    # negatives: nothing to move
    ("Mr. Kamin said the plan was sound.", "Mr. Kamin", "Mr. Kamin"),
    ("The plan was sound, Mr. Kamin, 54, said.", "Mr. Kamin, 54,", "Mr. Kamin, 54,"),
]


@pytest.mark.parametrize(("text", "given", "expected"), ROWS)
def test_the_closing_comma_belongs_to_a_source_with_a_comma_inside(text, given, expected):
    start = text.index(given)
    cue = Cue(cue=(0, 0), token=0, source=(start, start + len(given)), source_token=0, content=())
    found = Found(content=((0, 1),), kind=QuoteKind.INDIRECT, cue=cue)
    source = with_source_comma(text, found).cue.source
    assert text[source[0] : source[1]] == expected


CONTENT_EDGES = [
    # a bare comma at the end of a piece closes the writer's clause, not the claim
    (
        "He said the plan was sound, and the board agreed.",
        "the plan was sound,",
        "the plan was sound",
    ),
    # nor on a parenthesis it did not open
    (
        "The aide (who said she has pneumonia) left early.",
        "she has pneumonia)",
        "she has pneumonia",
    ),
    ("He said the cost (about $5 million) was fair.", "the cost (about $5 million)", None),
    # a quotation the piece opens takes its closing mark
    ("“The plan is sound.” The mayor said so.", "“The plan is sound.", "“The plan is sound.”"),
    ('"The plan is sound." The mayor said so.', '"The plan is sound.', '"The plan is sound."'),
    # negatives: a closed quotation, a comma inside the marks, a piece that opens none
    ("“The plan is sound,” the mayor said.", "“The plan is sound,”", "“The plan is sound,”"),
    ("He said the plan was sound. Others agreed.", "the plan was sound", "the plan was sound"),
    ("He called it “sound” yesterday.", "it “sound", "it “sound"),
]


@pytest.mark.parametrize(("text", "given", "expected"), CONTENT_EDGES)
def test_a_content_ends_at_polnears_edges(text, given, expected):
    start = text.index(given)
    found = Found(content=((start, start + len(given)),), kind=QuoteKind.INDIRECT)
    ((s, e),) = with_content_edges(text, found).content
    assert text[s:e] == (expected or given)
