"""How quotations are read once found (issue 12): a quoted fragment inside the writer's own
sentence is a mixed quotation of the speaker it continues, a whole sentence in another
language is never a scare quote, and a scare quote is never also part of an attribution.

Rows are tables of our own sentences with negatives.  The analyzer runs as shipped (rules and
the trained tagger) where a row is about the final record, the rules alone otherwise.
"""

from __future__ import annotations

import importlib

import pytest

import accordingto
from accordingto.attribution.assemble import Found
from accordingto.model import Article, MarkKind, QuoteKind
from accordingto.nlp import load_pipeline
from accordingto.quotes.marks import Quoted


def _analyze(text: str, *, tagger: bool = False):
    nlp = load_pipeline(tagger=tagger)
    return accordingto.analyze(Article(text=text), nlp=nlp, events=False)


CONTINUED = [
    # a fragment in the writer's sentence: mixed, the writer's words around it in the content
    (
        "Mayor Ana Ortiz spoke for an hour. “The bridge is finished,” she said. "
        "But the repairs must be “paid for by the state.”",
        "mixed",
        "But the repairs must be “paid for by the state.”",
    ),
    (
        "“The bridge is finished,” said Mayor Ana Ortiz. It means that the council "
        "“has to find the money somewhere else.”",
        "mixed",
        "It means that the council “has to find the money somewhere else.”",
    ),
    # negatives: a quoted sentence after the writer's words, and one standing alone, are direct
    (
        "“The bridge is finished,” said Mayor Ana Ortiz. This raised the question, "
        "“Who will pay for the repairs?”",
        "direct",
        "“Who will pay for the repairs?”",
    ),
    (
        "“The bridge is finished,” said Mayor Ana Ortiz.\n\n“Who will pay for the repairs now "
        "that the money is gone?”",
        "direct",
        "“Who will pay for the repairs now that the money is gone?”",
    ),
]


@pytest.mark.parametrize(("text", "kind", "content"), CONTINUED)
def test_a_continued_quotation_is_mixed_when_it_is_a_fragment(text, kind, content):
    a = _analyze(text)
    q = next(q for q in a.quotes if q.method == "continuation")
    assert (q.kind.value, " … ".join(c.text for c in q.content)) == (kind, content)
    assert a.speaker(q.speaker_id).name == "Ana Ortiz"


FOREIGN = [
    # a whole sentence in another language: quoted words, whoever said them
    ("On every wall of the old town, the slogan “Wir schaffen das!” had been painted.", None),
    ("On every wall of the old town, the slogan “Nous ne céderons pas.” was painted.", None),
    ("On every wall of the old town, the slogan “Мы победим!” had been painted.", None),
    # negatives: English words, and a foreign phrase that is no sentence, stay scare quotes
    ("On every wall of the old town, the slogan “We will win!” had been painted.", "scare"),
    ("The country’s “Wirtschaftswunder” lasted two decades.", "scare"),
]


@pytest.mark.parametrize(("text", "mark"), FOREIGN)
def test_a_sentence_in_another_language_is_not_a_scare_quote(text, mark):
    a = _analyze(text)
    assert [m.kind.value for m in a.marks] == ([mark] if mark else [])
    assert bool(a.quotes) is (mark is None)


def _found(start: int, end: int) -> Found:
    return Found(((start, end),), QuoteKind.MIXED, key=f"f{start}")


UNCLAIMED = [
    # a scare quote inside an attribution's content is that attribution's (mixed) words
    ([_found(0, 50)], [(MarkKind.SCARE, Quoted(20, 30))], []),
    # negatives: a scare quote outside every content stays; a title inside one stays too
    ([_found(0, 50)], [(MarkKind.SCARE, Quoted(60, 70))], [(MarkKind.SCARE, Quoted(60, 70))]),
    ([_found(0, 50)], [(MarkKind.TITLE, Quoted(20, 30))], [(MarkKind.TITLE, Quoted(20, 30))]),
    ([_found(0, 25)], [(MarkKind.SCARE, Quoted(20, 30))], [(MarkKind.SCARE, Quoted(20, 30))]),
]


@pytest.mark.parametrize(("found", "marks", "expected"), UNCLAIMED)
def test_unclaimed_marks(found, marks, expected):
    module = importlib.import_module("accordingto.attribution.assemble")
    assert module.unclaimed_marks(found, marks) == expected


#: The whole analyzer (rules and tagger): the same words are never a scare mark and part of an
#: attribution.  Sentences in which the tagger finds an attribution the rules do not.
NEVER_BOTH = [
    "The US media is advocating the concept that nuclear war is an acceptable risk in "
    "seeking the “defeat” of the enemy.",
    "For his part, the president is perpetually seeking some sort of accommodation with "
    "his Western “partners,” who have no interest in being accommodated.",
    "Assange was due to be released in September.\n\nBut a judge ruled that he should "
    'remain in jail because of his "history of absconding".',
]


@pytest.mark.parametrize("text", NEVER_BOTH)
def test_a_scare_quote_is_never_part_of_an_attribution(text):
    a = _analyze(text, tagger=True)
    held = [(c.start, c.end) for q in a.quotes for c in q.content]
    for m in a.marks:
        assert not any(s <= m.span.start and m.span.end <= e for s, e in held), m.span.text
