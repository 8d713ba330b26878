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


def test_gradients_reach_the_cnn_through_both_halves(en_vocab_nlp):
    """One gradient per document, shaped like its tokens (thinc's concatenate gets this wrong
    for lists of arrays), and the sum of the direct and the LSTM path."""
    from thinc.api import LSTM, with_padded

    from accordingto.attribution.layers import beside

    X = [numpy.ones((5, 8), dtype="f"), numpy.ones((2, 8), dtype="f")]
    model = beside(with_padded(LSTM(4, 8, bi=True)))
    model.initialize(X=X)
    Y, backprop = model.begin_update(X)
    assert [y.shape for y in Y] == [(5, 12), (2, 12)]
    dX = backprop([numpy.ones_like(y) for y in Y])
    assert [d.shape for d in dX] == [(5, 8), (2, 8)]
    direct_only = backprop([numpy.hstack((numpy.ones((len(y), 8), "f"), numpy.zeros((len(y), 4), "f")))
                            for y in Y])
    assert numpy.allclose(direct_only[0], 1.0) and not numpy.allclose(dX[0], 1.0)
