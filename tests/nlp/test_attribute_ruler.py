"""The memoized attribute ruler sets exactly what spaCy's own sets (nlp/attribute_ruler.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.attrs import LEMMA, MORPH, POS, TAG
from spacy.tokens import DocBin

from accordingto.nlp import load_base_pipeline
from accordingto.nlp.attribute_ruler import memoize_matches

SHARED = Path(__file__).resolve().parents[3] / "shared"

SENTENCES = [
    # one-token patterns on tag and word, a space token, an apostrophe form
    "“We ain't gonna rebuild it,” the mayor said on Monday.",
    "She's said  that they'd have to wait — and wait they did.",
    # the multi-token patterns ("gon na", "ai n't") and words the patterns never name
    "Y'all gonna see: it ain't over.\n\nThe Kremlin denied the claim, Reuters reported.",
    "Mr. O'Neill wrote in an e-mail that 3.5 percent was 'fine'.",
]


def _before_ruler(nlp, texts: list[str]):
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        if name == "attribute_ruler":
            break
        docs = [proc(d) for d in docs]
    return docs


def _annotations(ruler, docs) -> list[list[list[int]]]:
    return [ruler(d).to_array([POS, TAG, MORPH, LEMMA]).tolist() for d in docs]


def _compare(texts: list[str]) -> tuple[list, list]:
    nlp = load_base_pipeline()
    docs = _before_ruler(nlp, texts)
    data = DocBin(docs=docs).to_bytes()
    copy = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(nlp.get_pipe("attribute_ruler").patterns)
    expected = _annotations(ruler, docs)
    assert memoize_matches(ruler)
    return expected, _annotations(ruler, copy)


@pytest.mark.parametrize("text", SENTENCES)
def test_the_same_annotations_as_spacys_ruler(text):
    expected, got = _compare([text, text])  # the second time from the memo
    assert got == expected


def test_a_pattern_the_memo_cannot_key_is_left_to_spacy():
    nlp = load_base_pipeline()
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add(patterns=[[{"LENGTH": 3}]], attrs={"LEMMA": "three"})
    before = ruler.match
    assert not memoize_matches(ruler)
    assert ruler.match == before


@pytest.mark.skipif(not (SHARED / "data" / "polnear").is_dir(), reason="../shared is absent")
def test_the_same_annotations_on_polnear_dev():
    from accordingto.eval import load_polnear

    texts = [d.text for d in load_polnear(SHARED / "data" / "polnear", split="dev", limit=20)]
    expected, got = _compare(texts)
    assert got == expected
