"""Model architectures of the trained role tagger, registered with spaCy on import.

``accordingto.Tok2VecBiLSTM.v1``: a token encoder (en_core_web_sm's CNN architecture, window
±4 tokens after four layers) with a bidirectional LSTM beside it, so that each token also sees
the whole document: where a clause opened, whether a cue came before.  The CNN's output and
the LSTM's are concatenated (``width + lstm_width`` features per token).  The LSTM is thinc's
own (numpy/Cython), so no torch is needed.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, Model, chain, concatenate, noop, with_padded
from thinc.types import Floats2d

__all__ = ["tok2vec_bilstm"]


@registry.architectures("accordingto.Tok2VecBiLSTM.v1")
def tok2vec_bilstm(tok2vec: Model[list[Doc], list[Floats2d]], lstm_width: int,
                   lstm_depth: int = 1) -> Model[list[Doc], list[Floats2d]]:
    """``tok2vec``'s vectors, each followed by a BiLSTM's (``lstm_width`` features in all)."""
    width = tok2vec.get_dim("nO")
    lstm = with_padded(LSTM(lstm_width, width, bi=True, depth=lstm_depth))
    model = chain(tok2vec, concatenate(noop(), lstm))
    model.set_dim("nO", width + lstm_width)
    return model
