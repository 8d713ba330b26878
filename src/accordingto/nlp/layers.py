"""Model architectures of the trained role tagger, registered with spaCy on import.

``accordingto.Tok2VecBiLSTM.v1``: a token encoder (en_core_web_sm's CNN architecture, window
±4 tokens after four layers) with a bidirectional LSTM beside it, so that each token also sees
the whole document: where a clause opened, whether a cue came before.  The CNN's output and
the LSTM's are concatenated (``width + lstm_width`` features per token).  The LSTM is thinc's
own (numpy/Cython), so no torch is needed.

(thinc's ``concatenate`` is not used for the pairing: with list inputs its backward pass
returns the two branches' gradients one after the other instead of adding them.)
"""

from __future__ import annotations

from typing import cast

import numpy as np
from spacy.attrs import DEP, HEAD, NORM, TAG
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, HashEmbed, Maxout, Model, chain, concatenate, with_array, with_padded
from thinc.types import Floats2d, Ints2d

__all__ = ["beside", "both", "syntax_features", "tok2vec_bilstm", "tok2vec_syntax"]


@registry.architectures("accordingto.Tok2VecBiLSTM.v1")
def tok2vec_bilstm(
    tok2vec: Model[list[Doc], list[Floats2d]], lstm_width: int, lstm_depth: int = 1
) -> Model[list[Doc], list[Floats2d]]:
    """``tok2vec``'s vectors, each followed by a BiLSTM's (``lstm_width`` features in all)."""
    width = tok2vec.get_dim("nO")
    model: Model[list[Doc], list[Floats2d]] = chain(
        tok2vec, beside(with_padded(LSTM(lstm_width, width, bi=True, depth=lstm_depth)))
    )
    model.set_dim("nO", width + lstm_width)
    return model


def beside(inner: Model[list[Floats2d], list[Floats2d]]) -> Model[list[Floats2d], list[Floats2d]]:
    """Each input row followed by ``inner``'s output row; gradients to the input add up."""
    return Model("beside", _beside_forward, layers=[inner], init=_beside_init)


def _beside_init(model: Model, X=None, Y=None) -> None:
    model.layers[0].initialize(X=X)


def _beside_forward(model: Model, X: list[Floats2d], is_train: bool):
    inner_out, inner_back = model.layers[0](X, is_train)
    xp = model.ops.xp
    width = X[0].shape[1] if X else 0
    Y = [xp.hstack((x, y)) for x, y in zip(X, inner_out, strict=True)]

    def backprop(dY: list[Floats2d]) -> list[Floats2d]:
        d_inner = inner_back([xp.ascontiguousarray(dy[:, width:]) for dy in dY])
        return [dy[:, :width] + di for dy, di in zip(dY, d_inner, strict=True)]

    return Y, backprop


# -- syntax features -------------------------------------------------------------------------

#: Dependency labels that open a clause: a token's clause is governed by the head of the
#: nearest ancestor (or itself) attached with one of these.
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "advcl", "relcl", "acl", "conj", "csubj"})
#: Columns of :func:`syntax_features`.
SYNTAX_FEATURES = (
    "tag",
    "dep",
    "dep+head dep+side",
    "head word+dep",
    "opens subtree",
    "closes subtree",
    "clause governor+clause dep",
)
#: The column :func:`syntax_features` adds with ``entities=True``.
ENTITY_FEATURE = "entity type+iob"
#: Where ``attribution_sents_off`` keeps the base ``ner``'s entities (``ENT_IOB``, ``ENT_TYPE``
#: rows) while the role head runs on a doc without them.
ENTS_KEY = "accordingto.base_ents"
_P1, _P2 = np.uint64(1_000_003), np.uint64(998_244_353)


def syntax_features(doc: Doc, entities: bool = False) -> np.ndarray:
    """One row of hashable ``uint64`` keys per token (columns :data:`SYNTAX_FEATURES`, then
    :data:`ENTITY_FEATURE` with ``entities``).

    Read from the parse, which must be on ``doc`` (all zeros otherwise): the token's tag and
    dependency label; its label with its head's and the side the head is on; its head's word
    with its label; the label of the largest subtree it opens or closes (clause edges, which
    is where contents start and end); the word governing its clause ("said" for every token
    of "said [the deal was bad]") with that clause's label.  The entity column is the base
    ``ner``'s type and IOB, read from ``doc.user_data[ENTS_KEY]`` (zeros when absent).
    """
    n = len(doc)
    out = np.zeros((n, len(SYNTAX_FEATURES) + entities), dtype="uint64")
    if entities and ENTS_KEY in doc.user_data and n:
        iob, kind = np.asarray(doc.user_data[ENTS_KEY], dtype="uint64").T
        with np.errstate(over="ignore"):
            out[:, -1] = kind * _P1 + iob
    if n == 0 or not doc.has_annotation("DEP"):
        return out
    tag, dep, norm, rel = doc.to_array([TAG, DEP, NORM, HEAD]).T
    index = np.arange(n, dtype="int64")
    head = index + rel.astype("int64")
    side = np.sign(head - index).astype("int64") + 2
    with np.errstate(over="ignore"):
        out[:, 0] = tag
        out[:, 1] = dep
        out[:, 2] = dep * _P1 + dep[head] * _P2 + side.astype("uint64")
        out[:, 3] = norm[head] * _P1 + dep
    left, right = _edges(head)
    size = right - left
    out[:, 4] = _widest_label(left, size, dep)
    out[:, 5] = _widest_label(right, size, dep)
    clause = np.isin(dep, [doc.vocab.strings[label] for label in CLAUSE_DEPS])
    opener = _nearest_marked_ancestor(head, clause)
    inside = opener >= 0
    with np.errstate(over="ignore"):
        out[inside, 6] = norm[head[opener[inside]]] * _P1 + dep[opener[inside]]
    return out


def _edges(head: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last token of each token's subtree (``Token.left_edge``/``right_edge``),
    from the head array: children's edges are pushed up until nothing moves."""
    left = np.arange(len(head), dtype="int64")
    right = left.copy()
    while True:
        new_left, new_right = left.copy(), right.copy()
        np.minimum.at(new_left, head, left)
        np.maximum.at(new_right, head, right)
        if np.array_equal(new_left, left) and np.array_equal(new_right, right):
            return left, right
        left, right = new_left, new_right


def _widest_label(edge: np.ndarray, size: np.ndarray, dep: np.ndarray) -> np.ndarray:
    """At each position, the label of the widest subtree with its edge there (the first such
    token on a tie; one-token subtrees do not count), else 0."""
    out = np.zeros(len(edge), dtype="uint64")
    order = np.lexsort((np.arange(len(edge)), -size, edge))  # by edge, widest first, then index
    first = order[np.r_[True, edge[order][1:] != edge[order][:-1]]]
    first = first[size[first] > 0]
    out[edge[first]] = dep[first]
    return out


def _nearest_marked_ancestor(head: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """For each token, the nearest token on its path to the root (itself included) that is
    ``marked``, or -1."""
    index = np.arange(len(head), dtype="int64")
    found = np.where(marked, index, -1)
    while True:
        new = np.where(marked, index, found[head])
        if np.array_equal(new, found):
            return found
        found = new


@registry.layers("accordingto.syntax_features.v1")
def SyntaxFeatures(entities: bool = False) -> Model[list[Doc], list[Ints2d]]:
    """Docs → :func:`syntax_features` arrays (no weights, no gradient)."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        return [
            model.ops.asarray(cast(Ints2d, syntax_features(doc, entities)), dtype="uint64")
            for doc in docs
        ], lambda dY: []

    return Model("syntax-features", forward)


@registry.architectures("accordingto.Tok2VecSyntax.v1")
def tok2vec_syntax(
    tok2vec: Model[list[Doc], list[Floats2d]],
    width: int = 64,
    embed_width: int = 32,
    rows: int = 2000,
    depth: int = 2,
    entities: bool = False,
) -> Model[list[Doc], list[Floats2d]]:
    """``tok2vec``'s vectors, each followed by ``width`` features of the parse around it.

    The parse features (:func:`syntax_features`; with ``entities``, the base ``ner``'s too,
    so the head must run after it) are hashed into embeddings (``embed_width`` each,
    ``rows`` rows), mixed by a maxout layer and encoded by a ``depth``-layer CNN (window ±1
    per layer), like ``tok2vec``'s own words.
    """
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder

    n = len(SYNTAX_FEATURES) + entities
    embeds: list[Model[Ints2d, Floats2d]] = [
        HashEmbed(embed_width, rows, column=i, seed=71 + i) for i in range(n)
    ]
    side: Model[list[Doc], list[Floats2d]] = chain(
        SyntaxFeatures(entities),
        with_array(
            chain(
                concatenate(*embeds),
                Maxout(width, embed_width * n, nP=3, normalize=True, dropout=0.0),
            )
        ),
        MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth),
    )
    model = both(tok2vec, side)
    model.set_dim("nO", tok2vec.get_dim("nO") + width)
    return model


def both(
    first: Model[list[Doc], list[Floats2d]], second: Model[list[Doc], list[Floats2d]]
) -> Model[list[Doc], list[Floats2d]]:
    """Each doc's rows from ``first`` followed by its rows from ``second``."""
    return Model("both", _both_forward, layers=[first, second], init=_both_init, dims={"nO": None})


def _both_init(model: Model, X=None, Y=None) -> None:
    for layer in model.layers:
        layer.initialize(X=X)


def _both_forward(model: Model, docs: list[Doc], is_train: bool):
    first, second = model.layers
    out1, back1 = first(docs, is_train)
    out2, back2 = second(docs, is_train)
    xp = model.ops.xp
    width = out1[0].shape[1] if out1 else 0

    def backprop(dY: list[Floats2d]) -> list:
        back1([xp.ascontiguousarray(dy[:, :width]) for dy in dY])
        back2([xp.ascontiguousarray(dy[:, width:]) for dy in dY])
        return []

    return [xp.hstack((a, b)) for a, b in zip(out1, out2, strict=True)], backprop
