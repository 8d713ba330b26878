"""The role tagger's registered architectures build and give each token the promised width."""

import numpy
import pytest
import spacy
from spacy.util import registry

from accordingto.attribution import layers  # noqa: F401  (registers the architectures)


@pytest.fixture(scope="module")
def en_vocab_nlp():
    return spacy.blank("en")


def _tok2vec(width: int):
    embed = registry.get("architectures", "spacy.MultiHashEmbed.v2")(
        width=width, attrs=["NORM", "SHAPE"], rows=[100, 50], include_static_vectors=False)
    encode = registry.get("architectures", "spacy.MaxoutWindowEncoder.v2")(
        width=width, window_size=1, maxout_pieces=3, depth=2)
    return registry.get("architectures", "spacy.Tok2Vec.v2")(embed, encode)


def test_bilstm_beside_the_cnn_gives_both_widths_per_token(en_vocab_nlp):
    model = registry.get("architectures", "accordingto.Tok2VecBiLSTM.v1")(
        _tok2vec(32), lstm_width=16)
    docs = [en_vocab_nlp.make_doc("The mayor said it would rain."), en_vocab_nlp.make_doc("Yes.")]
    model.initialize(X=docs)
    out = model.predict(docs)
    assert [a.shape for a in out] == [(7, 48), (2, 48)]
    assert model.get_dim("nO") == 48


def test_the_bilstm_sees_beyond_the_cnn_window(en_vocab_nlp):
    """A word far outside the CNN's reach changes the first token's vector only through the LSTM."""
    model = registry.get("architectures", "accordingto.Tok2VecBiLSTM.v1")(
        _tok2vec(32), lstm_width=16)
    far = "one two three four five six seven eight nine ten eleven twelve {}"
    a, b = (en_vocab_nlp.make_doc(far.format(w)) for w in ("said", "apple"))
    model.initialize(X=[a, b])
    va, vb = (model.predict([d])[0][0] for d in (a, b))
    assert numpy.allclose(va[:32], vb[:32])  # the CNN half: window ±2 tokens here
    assert not numpy.allclose(va[32:], vb[32:])  # the LSTM half saw the last word
