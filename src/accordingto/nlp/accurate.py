"""The ``accurate`` mode: the MiniLM role tagger combined with the CNN one (issue 14).

The fast pipeline (``models/attribution-roles``) tags SOURCE / CUE / CONTENT with a CNN
inside spaCy.  The accurate one runs the same pipeline and then one more component,
``attribution_roles_accurate``, which tags every paragraph again with the fine-tuned
MiniLMs (``models/attribution-roles-accurate``: two int8 ONNX models trained apart, run with
onnxruntime; the second reads only the paragraphs where the first :func:`disagrees` with the
CNN, and there their probabilities are averaged: :func:`ensemble_scores`) and puts the
*combination* of the transformers' and the CNN's spans in ``doc.spans["attribution_roles"]``,
where the analyzer reads the roles.  Downstream, only the content-boundary scorer
(``attribution/boundaries.py``) runs in this mode and not in ``fast``.

How the two are combined is a :class:`Strategy`; every one was measured on PolNeAR dev at
analyzer level (``benchmarks/ensemble.py``, ``docs/model.md``) and :data:`STRATEGY` is the one
that won:

* ``cnn`` / ``trf``: one tagger alone;
* ``union-trf`` / ``union-cnn``: every span of one tagger, plus the other's spans that
  overlap none of them;
* ``agree``: the transformer's spans that overlap a CNN span of the same role
  (an intersection that keeps the transformer's boundaries);
* ``roles:SOURCE=trf,CUE=cnn,CONTENT=trf``: each role from the tagger named, an overlap
  between the two settled for the transformer;
* ``avg:W``: per word, ``(1 - W) × p(transformer) + W × p(CNN)``, decoded with Viterbi.  The
  CNN is spaCy's transition-based ``ner``, which has no per-token label probabilities, so
  its distribution is its decoded BIO tag (:data:`CNN_CONFIDENCE`, the rest spread over
  the others);
* any of them ``+gated``: the transformer reads only the paragraphs where the CNN found a
  span (the others keep the CNN's nothing), which saves its time on paragraphs that report
  nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from accordingto.errors import ModelError

from .tagger import SPANS_KEY, RoleSpan, role_spans
from .transformer import (
    ROLES,
    TAGS,
    TransformerTagger,
    mean_scores,
    member_files,
    paragraph_tokens,
    tag_spans,
    viterbi,
)

__all__ = [
    "ACCURATE_COMPONENT",
    "ACCURATE_DIR",
    "STRATEGY",
    "THREADS_ENV",
    "Strategy",
    "accurate_taggers",
    "cnn_word_tags",
    "combine",
    "combine_spans",
    "disagrees",
    "ensemble_scores",
    "spans_from_tags",
    "to_read",
]

#: The component that replaces the CNN's roles by the combination.
ACCURATE_COMPONENT = "attribution_roles_accurate"
#: Where the accurate model ships inside the package.
ACCURATE_DIR = Path(__file__).resolve().parents[1] / "models" / "attribution-roles-accurate"
#: The combination the accurate mode runs (measured best on PolNeAR dev, docs/model.md).
STRATEGY = "avg:0.5"
#: Probability the CNN's distribution gives its own tag in ``avg:W`` (0.5 with W = 0.5 beat 0.9
#: with W = 0.3 and eight other pairs on PolNeAR dev: docs/model.md).
CNN_CONFIDENCE = 0.5
#: Threads onnxruntime may use for the transformer (default 1, as spaCy's parse uses one).
THREADS_ENV = "ACCORDINGTO_ACCURATE_THREADS"
#: The suffix of a strategy that runs the transformer only where the CNN found something.
GATED = "+gated"


@dataclass(frozen=True, slots=True)
class Strategy:
    """A way to combine the two taggers, parsed from its name (see the module's doc)."""

    name: str

    @property
    def gated(self) -> bool:
        """``…+gated``: the transformer reads only paragraphs where the CNN found a span."""
        return self.name.endswith(GATED)

    @property
    def base(self) -> str:
        return self.name.removesuffix(GATED)

    @property
    def kind(self) -> str:
        return self.base.split(":", 1)[0]

    @property
    def weight(self) -> float:
        """``W`` of ``avg:W``: the CNN's share of the averaged probabilities."""
        return float(self.base.split(":", 1)[1])

    @property
    def owners(self) -> dict[str, str]:
        """``roles:…``: which tagger (``trf`` or ``cnn``) gives each role."""
        pairs = (item.split("=") for item in self.base.split(":", 1)[1].split(","))
        return {role.strip().upper(): owner.strip() for role, owner in pairs}


def check_strategy(name: str) -> Strategy:
    """The strategy called ``name``, or a :class:`ModelError` naming the accepted forms."""
    strategy = Strategy(name)
    try:
        ok = strategy.kind in ("cnn", "trf", "union-trf", "union-cnn", "agree")
        if strategy.kind == "avg":
            ok = 0.0 <= strategy.weight <= 1.0
        elif strategy.kind == "roles":
            owners = strategy.owners
            ok = set(owners) <= set(ROLES) and set(owners.values()) <= {"trf", "cnn"}
    except (ValueError, IndexError):
        ok = False
    if not ok:
        raise ModelError(
            f"unknown combination {name!r}: use cnn, trf, union-trf, union-cnn, agree, "
            "avg:0.3 or roles:SOURCE=trf,CUE=cnn,CONTENT=trf, each optionally +gated"
        )
    return strategy


def _overlaps(a: RoleSpan, b: RoleSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _sorted(spans: Sequence[RoleSpan]) -> list[RoleSpan]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


def _add_unless_overlapping(kept: Sequence[RoleSpan], extra: Sequence[RoleSpan]) -> list[RoleSpan]:
    """``kept`` plus each span of ``extra`` that overlaps nothing kept so far."""
    out = list(kept)
    for span in _sorted(extra):
        if not any(_overlaps(span, k) for k in out):
            out.append(span)
    return _sorted(out)


def combine_spans(
    strategy: Strategy, trf: Sequence[RoleSpan], cnn: Sequence[RoleSpan]
) -> list[RoleSpan]:
    """The span-level combinations (every kind but ``avg``) of the two taggers' spans."""
    kind = strategy.kind
    if kind == "trf":
        return _sorted(trf)
    if kind == "cnn":
        return _sorted(cnn)
    if kind == "union-trf":
        return _add_unless_overlapping(trf, cnn)
    if kind == "union-cnn":
        return _add_unless_overlapping(cnn, trf)
    if kind == "agree":
        return _sorted([t for t in trf if any(c.label == t.label and _overlaps(t, c) for c in cnn)])
    if kind == "roles":
        owners = strategy.owners
        mine = [s for s in trf if owners.get(s.label, "trf") == "trf"]
        theirs = [s for s in cnn if owners.get(s.label, "trf") == "cnn"]
        return _add_unless_overlapping(mine, theirs)
    raise ModelError(f"{strategy.name!r} is not a span-level combination")


def cnn_word_tags(tokens: Sequence[Any], cnn: Sequence[RoleSpan]) -> np.ndarray:
    """The CNN's BIO tag id of each word (``tokens``: one paragraph's non-space tokens)."""
    tags = np.zeros(len(tokens), dtype=np.int64)
    starts = [t.idx for t in tokens]
    for span in cnn:
        inside = [i for i, start in enumerate(starts) if span.start <= start < span.end]
        for n, i in enumerate(inside):
            tags[i] = TAGS.index(("B-" if n == 0 else "I-") + span.label)
    return tags


def averaged_tags(scores: np.ndarray, cnn_tags: np.ndarray, weight: float) -> list[int]:
    """Viterbi over ``(1 - weight) × p(transformer) + weight × p(CNN)`` of each word."""
    n_tags = scores.shape[1]
    cnn = np.full(scores.shape, (1.0 - CNN_CONFIDENCE) / (n_tags - 1), dtype=np.float64)
    cnn[np.arange(len(cnn_tags)), cnn_tags] = CNN_CONFIDENCE
    mixed = (1.0 - weight) * np.exp(scores.astype(np.float64)) + weight * cnn
    return viterbi(np.log(mixed))


def spans_from_tags(text: str, tokens: Sequence[Any], tags: Sequence[int]) -> list[RoleSpan]:
    """The role spans (character offsets into ``text``, the doc's) of one paragraph's tags.

    ``text`` is passed in: spaCy builds ``doc.text`` anew from every token on each access."""
    spans = []
    for role, start, end in tag_spans(tags):
        first, last = tokens[start], tokens[end - 1]
        begin, stop = first.idx, last.idx + len(last.text)
        spans.append(RoleSpan(role, begin, stop, text[begin:stop]))
    return spans


def _in_paragraph(tokens: Sequence[Any], spans: Sequence[RoleSpan]) -> list[RoleSpan]:
    """The spans that start inside the paragraph of ``tokens``."""
    first, last = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return [s for s in spans if first <= s.start < last]


def to_read(
    strategy: Strategy, groups: Sequence[Sequence[Any]], cnn: Sequence[RoleSpan]
) -> list[bool]:
    """Which paragraphs the transformer must read under ``strategy``."""
    if strategy.kind == "cnn":
        return [False for _ in groups]
    return [not strategy.gated or bool(_in_paragraph(tokens, cnn)) for tokens in groups]


def combine(
    strategy: Strategy,
    doc: Doc,
    groups: Sequence[Sequence[Any]],
    scores: Sequence[np.ndarray | None],
    cnn: Sequence[RoleSpan],
) -> list[RoleSpan]:
    """The roles of ``doc`` under ``strategy``.

    ``groups``: the paragraphs' words (:func:`paragraph_tokens`), ``scores``: the
    transformer's log-probabilities for each (``None`` where :func:`to_read` says it need
    not read the paragraph), ``cnn``: the CNN's spans of the doc.
    """
    if strategy.kind == "cnn":
        return _sorted(cnn)
    out: list[RoleSpan] = []
    read = to_read(strategy, groups, cnn)
    text = doc.text  # built anew on every access: once
    for tokens, paragraph, wanted in zip(groups, scores, read, strict=True):
        if not wanted or paragraph is None:
            continue
        if strategy.kind == "avg":
            theirs = _in_paragraph(tokens, cnn)
            tags = averaged_tags(paragraph, cnn_word_tags(tokens, theirs), strategy.weight)
        else:
            tags = viterbi(paragraph)
        out.extend(spans_from_tags(text, tokens, tags))
    if strategy.kind == "avg":  # a paragraph the transformer did not read keeps the CNN's
        skipped = [t for t, wanted in zip(groups, read, strict=True) if not wanted]
        return _sorted(out + [s for t in skipped for s in _in_paragraph(t, cnn)])
    return combine_spans(strategy, out, cnn)


def _threads() -> int:
    value = os.environ.get(THREADS_ENV, "1")
    if not value.isdigit() or int(value) < 1:
        raise ModelError(f"{THREADS_ENV}={value!r}: give a number of threads, 1 or more")
    return int(value)


@functools.cache
def accurate_taggers(path: str, threads: int = 1) -> tuple[TransformerTagger, ...]:
    """The int8 transformer taggers shipped at ``path`` (:func:`member_files`: models trained
    apart), loaded once per process."""
    directory = Path(path)
    members = member_files(directory)
    if not all((directory / m).is_file() for m in members):
        raise ModelError(
            f"the accurate model is not installed ({directory} lacks "
            f"{', '.join(m for m in members if not (directory / m).is_file())}): "
            "reinstall accordingto, or export one with `python -m accordingto.train.transformer "
            "export RUN_DIR --out DIR` and copy it there"
        )
    return tuple(
        TransformerTagger(directory, int8=True, threads=threads, member=m) for m in members
    )


def disagrees(scores: np.ndarray, cnn_tags: np.ndarray) -> bool:
    """Whether the first transformer's best tag differs from the CNN's on some word of a
    paragraph: only there do the other members read it (on PolNeAR dev the same figures as
    every member reading every paragraph, for 71 % of the second member's words)."""
    return bool((scores.argmax(axis=1) != cnn_tags).any())


def ensemble_scores(
    taggers: Sequence[TransformerTagger],
    paragraphs: Sequence[Sequence[Any]],
    cnn: Sequence[RoleSpan],
) -> list[np.ndarray]:
    """Tag log-probabilities of each paragraph (its non-space tokens): the first tagger's,
    averaged with the others' where it :func:`disagrees` with the CNN."""
    words = [[t.text for t in tokens] for tokens in paragraphs]
    first = taggers[0].paragraph_scores(words)
    if len(taggers) == 1:
        return first
    unsure = [
        k
        for k, tokens in enumerate(paragraphs)
        if disagrees(first[k], cnn_word_tags(tokens, _in_paragraph(tokens, cnn)))
    ]
    others = [t.paragraph_scores([words[k] for k in unsure]) for t in taggers[1:]]
    out = list(first)
    for n, k in enumerate(unsure):
        out[k] = mean_scores([first[k], *(o[n] for o in others)])
    return out


class AccurateRoles:
    """The ``attribution_roles_accurate`` component: the combined roles into ``doc.spans``."""

    def __init__(self, path: str, strategy: str) -> None:
        self.strategy = check_strategy(strategy)
        self.taggers = accurate_taggers(path, _threads())

    def __call__(self, doc: Doc) -> Doc:
        groups, cnn = paragraph_tokens(doc), role_spans(doc)
        read = to_read(self.strategy, groups, cnn)
        wanted = [g for g, yes in zip(groups, read, strict=True) if yes]
        found = iter(ensemble_scores(self.taggers, wanted, cnn))
        scores = [next(found) if yes else None for yes in read]
        roles = combine(self.strategy, doc, groups, scores, cnn)
        spans = [
            doc.char_span(r.start, r.end, label=r.label, alignment_mode="expand") for r in roles
        ]
        doc.spans[SPANS_KEY] = [s for s in spans if s is not None]
        return doc


@Language.factory(
    ACCURATE_COMPONENT,
    default_config={"path": str(ACCURATE_DIR), "strategy": STRATEGY},
)
def make_accurate_roles(nlp: Language, name: str, path: str, strategy: str) -> AccurateRoles:
    """spaCy factory of :class:`AccurateRoles` (added by ``load_pipeline(model="accurate")``)."""
    return AccurateRoles(path, strategy)
