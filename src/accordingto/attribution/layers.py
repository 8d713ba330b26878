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

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, Model, chain, with_padded
from thinc.types import Floats2d

__all__ = ["beside", "tok2vec_bilstm"]


@registry.architectures("accordingto.Tok2VecBiLSTM.v1")
def tok2vec_bilstm(tok2vec: Model[list[Doc], list[Floats2d]], lstm_width: int,
                   lstm_depth: int = 1) -> Model[list[Doc], list[Floats2d]]:
    """``tok2vec``'s vectors, each followed by a BiLSTM's (``lstm_width`` features in all)."""
    width = tok2vec.get_dim("nO")
    model = chain(tok2vec, beside(with_padded(LSTM(lstm_width, width, bi=True, depth=lstm_depth))))
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
    Y = [xp.hstack((x, y)) for x, y in zip(X, inner_out)]

    def backprop(dY: list[Floats2d]) -> list[Floats2d]:
        d_inner = inner_back([xp.ascontiguousarray(dy[:, width:]) for dy in dY])
        return [dy[:, :width] + di for dy, di in zip(dY, d_inner)]

    return Y, backprop
