"""``accordingto.ParsedCorpus.v1`` gives examples whose predicted doc keeps the stored parse
(and the base entities, set aside), and never the gold roles."""

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import DocBin

from accordingto.nlp.layers import ENTS_KEY
from accordingto.train.polnear_data import ParsedCorpus, _annotated

TEXT = "“The deal is bad. It will cost jobs,” Senator Jane Doe said."


def _examples(tmp_path, names):
    from accordingto.nlp.load import load_base_pipeline

    nlp = load_base_pipeline()
    gold = nlp.make_doc(TEXT)
    gold.ents = [gold.char_span(0, TEXT.index("”") + 1, label="CONTENT")]
    doc = _annotated(nlp, gold, names)
    DocBin(docs=[doc], store_user_data=True).to_disk(tmp_path / "one.spacy")
    return nlp, list(ParsedCorpus(tmp_path / "one.spacy")(nlp))


def test_predicted_keeps_the_parse_without_roles_or_sentence_starts(tmp_path):
    nlp, (example,) = _examples(tmp_path, ("tok2vec", "tagger", "parser"))
    predicted, reference = example.predicted, example.reference
    assert [t.head.i for t in predicted] == [t.head.i for t in nlp(TEXT)]
    assert predicted.has_annotation("DEP") and not predicted.has_annotation("SENT_START")
    assert not predicted.ents and [e.label_ for e in reference.ents] == ["CONTENT"]
    assert not predicted.user_data


def test_base_entities_travel_aside_and_the_roles_never_do(tmp_path):
    nlp, (example,) = _examples(
        tmp_path, ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
    )
    predicted = example.predicted
    plain = nlp(TEXT)
    assert numpy.array_equal(predicted.user_data[ENTS_KEY], plain.to_array([ENT_IOB, ENT_TYPE]))
    assert "PERSON" in {e.label_ for e in plain.ents}
    assert not predicted.ents
    content = nlp.vocab.strings["CONTENT"]
    assert content not in set(predicted.user_data[ENTS_KEY][:, 1].tolist())
