"""A head that reads the parse runs with the sentence starts hidden, and they come back after."""

import pytest
from spacy.attrs import SENT_START

from accordingto.nlp.tagger import roles_to_spans, sents_off

TWO = "“The deal is bad. It will cost jobs,” the senator said."


@pytest.fixture(scope="module")
def base():
    from accordingto.nlp.load import load_base_pipeline

    return load_base_pipeline()


def test_sentence_starts_are_hidden_and_the_parse_kept(base):
    doc = base(TWO)
    heads, deps = [t.head.i for t in doc], [t.dep_ for t in doc]
    assert len(list(doc.sents)) >= 2
    sents_off(doc)
    assert not doc.has_annotation("SENT_START")
    assert [t.head.i for t in doc] == heads and [t.dep_ for t in doc] == deps
    assert not doc.ents and all(t.ent_iob_ == "" for t in doc)


def test_an_entity_may_cross_the_hidden_boundary_and_the_starts_come_back(base):
    doc = base(TWO)
    starts = list(doc.to_array([SENT_START]))
    sents_off(doc)
    doc.ents = [doc.char_span(0, TWO.index("”") + 1, label="CONTENT")]
    roles_to_spans(doc)
    assert [s.label_ for s in doc.spans["attribution_roles"]] == ["CONTENT"]
    assert list(doc.to_array([SENT_START])) == starts
    assert "accordingto.sent_starts" not in doc.user_data


def test_an_unparsed_doc_passes_through(base):
    doc = base.make_doc(TWO)
    roles_to_spans(sents_off(doc))
    assert len(doc.spans["attribution_roles"]) == 0 and not doc.has_annotation("SENT_START")
