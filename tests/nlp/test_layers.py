"""The role tagger's registered architectures build and give each token the promised width."""

import numpy
import pytest
import spacy
from spacy.util import registry

from accordingto.nlp import layers  # noqa: F401  (registers the architectures)


@pytest.fixture(scope="module")
def en_vocab_nlp():
    return spacy.blank("en")


def _tok2vec(width: int):
    embed = registry.get("architectures", "spacy.MultiHashEmbed.v2")(
        width=width, attrs=["NORM", "SHAPE"], rows=[100, 50], include_static_vectors=False
    )
    encode = registry.get("architectures", "spacy.MaxoutWindowEncoder.v2")(
        width=width, window_size=1, maxout_pieces=3, depth=2
    )
    return registry.get("architectures", "spacy.Tok2Vec.v2")(embed, encode)


def test_bilstm_beside_the_cnn_gives_both_widths_per_token(en_vocab_nlp):
    model = registry.get("architectures", "accordingto.Tok2VecBiLSTM.v1")(
        _tok2vec(32), lstm_width=16
    )
    docs = [en_vocab_nlp.make_doc("The mayor said it would rain."), en_vocab_nlp.make_doc("Yes.")]
    model.initialize(X=docs)
    out = model.predict(docs)
    assert [a.shape for a in out] == [(7, 48), (2, 48)]
    assert model.get_dim("nO") == 48


def test_the_bilstm_sees_beyond_the_cnn_window(en_vocab_nlp):
    """A word far outside the CNN's reach changes the first token's vector only through the LSTM."""
    model = registry.get("architectures", "accordingto.Tok2VecBiLSTM.v1")(
        _tok2vec(32), lstm_width=16
    )
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

    from accordingto.nlp.layers import beside

    X = [numpy.ones((5, 8), dtype="f"), numpy.ones((2, 8), dtype="f")]
    model = beside(with_padded(LSTM(4, 8, bi=True)))
    model.initialize(X=X)
    Y, backprop = model.begin_update(X)
    assert [y.shape for y in Y] == [(5, 12), (2, 12)]
    dX = backprop([numpy.ones_like(y) for y in Y])
    assert [d.shape for d in dX] == [(5, 8), (2, 8)]
    direct_only = backprop(
        [numpy.hstack((numpy.ones((len(y), 8), "f"), numpy.zeros((len(y), 4), "f"))) for y in Y]
    )
    assert numpy.allclose(direct_only[0], 1.0) and not numpy.allclose(dX[0], 1.0)


# -- parse features -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed():
    from accordingto.nlp.load import load_base_pipeline

    return load_base_pipeline()


def _column(doc, name):
    from accordingto.nlp.layers import SYNTAX_FEATURES, syntax_features

    return syntax_features(doc)[:, SYNTAX_FEATURES.index(name)]


@pytest.mark.parametrize(
    "text, word, opens",
    [
        # the word that opens the reported clause opens a ccomp subtree
        ("The mayor said the deal was bad.", "the", "ccomp"),
        ("Officials said that the bridge would close.", "that", "ccomp"),
        # a word inside the clause opens nothing of its own
        ("The mayor said the deal was bad.", "bad", None),
    ],
)
def test_a_token_knows_the_clause_it_opens(parsed, text, word, opens):
    doc = parsed(text)
    i = next(t.i for t in doc if t.text == word)
    key = int(_column(doc, "opens subtree")[i])
    assert (parsed.vocab.strings[key] if key else None) == opens


@pytest.mark.parametrize(
    "text, inside, outside",
    [
        ("The mayor said the deal was bad.", ["deal", "bad"], ["mayor", "The"]),
        ("He warned that taxes would rise.", ["taxes", "rise"], ["He"]),
    ],
)
def test_the_words_of_a_reported_clause_share_its_governor(parsed, text, inside, outside):
    doc = parsed(text)
    gov = _column(doc, "clause governor+clause dep")
    keys = {int(gov[next(t.i for t in doc if t.text == w)]) for w in inside}
    assert len(keys) == 1 and 0 not in keys
    assert all(int(gov[next(t.i for t in doc if t.text == w)]) == 0 for w in outside)


def test_an_unparsed_doc_has_no_parse_features(en_vocab_nlp):
    from accordingto.nlp.layers import syntax_features

    doc = en_vocab_nlp.make_doc("The mayor said it would rain.")
    assert not syntax_features(doc).any()


def test_the_syntax_half_changes_with_the_parse_alone(parsed):
    """Same words, another parse: only the parse-feature half of the vector moves."""
    model = registry.get("architectures", "accordingto.Tok2VecSyntax.v1")(_tok2vec(32), width=16)
    a = parsed("The mayor said it would rain.")
    b = parsed.make_doc("The mayor said it would rain.")  # not parsed
    model.initialize(X=[a, b])
    va, vb = model.predict([a])[0], model.predict([b])[0]
    assert va.shape == (7, 48) and model.get_dim("nO") == 48
    assert numpy.allclose(va[:, :32], vb[:, :32])
    assert not numpy.allclose(va[:, 32:], vb[:, 32:])


def test_both_halves_learn(parsed):
    model = registry.get("architectures", "accordingto.Tok2VecSyntax.v1")(_tok2vec(32), width=16)
    docs = [parsed("The mayor said it would rain.")]
    model.initialize(X=docs)
    before = [p.copy() for p in _params(model)]
    Y, backprop = model.begin_update(docs)
    backprop([numpy.ones_like(y) for y in Y])
    from thinc.api import Adam

    model.finish_update(Adam(0.01))
    after = _params(model)
    changed = [not numpy.allclose(x, y) for x, y in zip(before, after, strict=True)]
    assert len(changed) > 2 and all(changed)


def _params(model):
    return [
        node.get_param(name)
        for node in model.walk()
        for name in node.param_names
        if node.has_param(name) and name in ("W", "E")
    ]
