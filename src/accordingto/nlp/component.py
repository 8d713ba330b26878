"""``nlp.add_pipe("accordingto")``: the analyzer as a component of your own spaCy pipeline.

>>> import spacy                                                  # doctest: +SKIP
>>> nlp = spacy.load("en_core_web_sm")                            # doctest: +SKIP
>>> nlp.add_pipe("accordingto")                                   # doctest: +SKIP
>>> doc = nlp("“We will rebuild,” the mayor said.")               # doctest: +SKIP
>>> [(q.kind, doc._.accordingto.speaker(q.speaker_id).name) for q in doc._.quotes]  # doctest: +SKIP
>>> [(s.text, s.label_, s._.speaker.name) for s in doc.spans["accordingto_quotes"]]  # doctest: +SKIP

The factory is registered through the ``spacy_factories`` entry point (``pyproject.toml``), so
installing the package is enough: no import needed.  It needs a parser and an entity
recognizer before it (``en_core_web_sm``, ``_md``, ``_lg``, ``_trf``); it reads their parse,
sentences and entities to find cues and sources and to resolve speakers, exactly as the
analyzer reads its own pipeline's.

What it sets:

* ``doc._.accordingto``: the :class:`~accordingto.model.Analysis` of ``doc.text`` (offsets
  into ``doc.text``); ``doc._.quotes``: its quotations (:class:`~accordingto.model.Quote`).
* ``doc.spans["accordingto_quotes"]``: every content piece of every quotation, labelled by
  its kind (``direct``, ``indirect``, ``mixed``), ``span.id_`` the quotation's ID and
  ``span.kb_id_`` its speaker's ID; ``span._.quote`` and ``span._.speaker`` give the records.

The trained SOURCE / CUE / CONTENT tagger (``docs/model.md``) is not a component that can join
your pipeline: it carries its own tok2vec and reads features of en_core_web_sm's parse, the
parse it was trained on.  With ``tagger=True`` (the default) the component runs the shipped
role pipeline on ``doc.text`` (one more en_core_web_sm pass, loaded once per process) and hands
its role spans, which are character offsets, to the analysis of *your* doc: cues, sources and
speakers come from your parse and entities, the roles from the tagger.  This is what
``accordingto.analyze`` does, and it is much better than the rules alone (source F1 0.714
against 0.563 on PolNeAR dev, docs/model.md).  ``tagger=False`` runs the rules alone on your
doc, with no second pass: faster, less accurate.  Where the shipped tagger is missing, the
rules run alone and a warning is logged once.

Your pipeline's sentence boundaries are used as they are; the analyzer's own pipeline also
ends a sentence at every blank line (``paragraph_breaks``), which you may add before the
parser: ``nlp.add_pipe("paragraph_breaks", before="parser")`` after importing
:mod:`accordingto.nlp.load`.
"""

from __future__ import annotations

import functools
import json
import logging
import weakref
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from accordingto.model import (
    Analysis,
    Article,
    Diagnostic,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    ReportedAs,
    Speaker,
)
from accordingto.model import Span as ModelSpan

__all__ = [
    "FACTORY",
    "SPANS_KEY",
    "AccordingTo",
    "analysis_from_dict",
    "analyze_doc",
    "make_component",
]

log = logging.getLogger(__name__)

#: The factory name: ``nlp.add_pipe("accordingto")``.
FACTORY = "accordingto"
#: The span group of the quotations' content pieces.
SPANS_KEY = "accordingto_quotes"


#: Key of the analysis, in JSON form, in ``doc.user_data`` (so it survives ``Doc.to_bytes``,
#: ``DocBin`` and ``nlp.pipe(n_process=...)``, which serialise ``user_data`` with msgpack).
_USER_DATA_KEY = "accordingto.analysis"
#: The Analysis records of live docs, so that a getter does not rebuild them on every access.
_CACHE: weakref.WeakKeyDictionary[Doc, Analysis] = weakref.WeakKeyDictionary()


def _analysis(doc: Doc) -> Analysis | None:
    cached = _CACHE.get(doc)
    if cached is None and _USER_DATA_KEY in doc.user_data:  # a doc that was serialised
        cached = _CACHE[doc] = analysis_from_dict(doc.user_data[_USER_DATA_KEY])
    return cached


def _span(d: dict[str, Any] | None) -> ModelSpan | None:
    return ModelSpan(d["start"], d["end"], d["text"]) if d is not None else None


def _record(cls: Any, data: dict[str, Any], **converted: Any) -> Any:
    """``cls`` from its JSON form: ``converted`` fields, the rest as they are."""
    known = cls.__dataclass_fields__
    return cls(**{k: v for k, v in {**data, **converted}.items() if k in known})


def analysis_from_dict(data: dict[str, Any]) -> Analysis:
    """The :class:`Analysis` of :meth:`Analysis.to_dict`'s JSON form (events are not rebuilt)."""
    quotes = tuple(
        _record(
            Quote,
            q,
            kind=QuoteKind(q["kind"]),
            content=tuple(ModelSpan(**c) for c in q["content"]),
            cue=_span(q.get("cue")),
            source=_span(q.get("source")),
            via=tuple(q.get("via", ())),
            reported_as=ReportedAs(q.get("reported_as", "speech")),
        )
        for q in data["quotes"]
    )
    speakers = tuple(
        _record(
            Speaker,
            s,
            kind=EntityKind(s["kind"]),
            mentions=tuple(ModelSpan(**m) for m in s["mentions"]),
        )
        for s in data["speakers"]
    )
    marks = tuple(Mark(MarkKind(m["kind"]), ModelSpan(**m["span"])) for m in data["marks"])
    diagnostics = tuple(
        _record(Diagnostic, d, span=_span(d.get("span"))) for d in data["diagnostics"]
    )
    return Analysis(
        article=_record(Article, data["article"]),
        quotes=quotes,
        speakers=speakers,
        marks=marks,
        diagnostics=diagnostics,
        versions=dict(data["versions"]),
    )


def _quote(span: Span) -> Any:
    analysis = _analysis(span.doc)
    if analysis is None:
        return None
    return next((q for q in analysis.quotes if q.id == span.id_), None)


def _speaker(span: Span) -> Any:
    analysis = _analysis(span.doc)
    return analysis.speaker(span.kb_id_ or None) if analysis is not None else None


def _quotes(doc: Doc) -> list[Quote]:
    analysis = _analysis(doc)
    return list(analysis.quotes) if analysis is not None else []


def _register_extensions() -> None:
    """``doc._.accordingto``, ``doc._.quotes``, ``span._.quote``, ``span._.speaker``: getters
    over the Analysis kept in ``doc.user_data``, so nothing is computed twice."""
    if not Doc.has_extension("accordingto"):
        Doc.set_extension("accordingto", getter=_analysis)
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", getter=_quotes)
    if not Span.has_extension("quote"):
        Span.set_extension("quote", getter=_quote)
    if not Span.has_extension("speaker"):
        Span.set_extension("speaker", getter=_speaker)


@functools.cache
def _roles_pipeline() -> Language | None:
    """The shipped role pipeline (en_core_web_sm + the tagger), or None if it is not shipped."""
    from accordingto.errors import ModelError
    from accordingto.nlp.tagger import load_roles_pipeline

    try:
        return load_roles_pipeline()
    except ModelError as e:
        log.warning("%s; the accordingto component runs on its rules alone", e)
        return None


def analyze_doc(
    doc: Doc, *, roles: list[Any] | None = None, nlp: Language | None = None
) -> Analysis:
    """The analysis of a doc parsed by any English spaCy pipeline (parser and NER).

    ``roles``: the tagger's role spans over ``doc.text``, if any (else the rules alone).
    """
    from accordingto import pipeline

    article = Article(text=doc.text, language="en")
    if not doc.text.strip():
        return Analysis(article=article)
    return pipeline.analyze_doc(article, doc, nlp, roles=roles)


class AccordingTo:
    """The component: analyzes each doc and sets the extensions and the span group."""

    def __init__(self, nlp: Language, name: str = FACTORY, *, tagger: bool = True) -> None:
        self.nlp = nlp
        self.name = name
        self.tagger = tagger
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        roles = self._roles(doc.text) if self.tagger and doc.text.strip() else None
        analysis = analyze_doc(doc, roles=roles, nlp=self.nlp)
        _CACHE[doc] = analysis
        doc.user_data[_USER_DATA_KEY] = json.loads(json.dumps(analysis.to_dict()))
        doc.spans[SPANS_KEY] = list(self._spans(doc, analysis))
        return doc

    def _roles(self, text: str) -> list[Any] | None:
        from accordingto.nlp import parse_text
        from accordingto.nlp.tagger import role_spans

        roles_nlp = _roles_pipeline()
        return role_spans(roles_nlp(parse_text(text))) if roles_nlp is not None else None

    @staticmethod
    def _spans(doc: Doc, analysis: Any) -> Any:
        for q in analysis.quotes:
            for piece in q.content:
                span = doc.char_span(
                    piece.start,
                    piece.end,
                    label=str(q.kind),
                    kb_id=q.speaker_id or "",
                    span_id=q.id,
                    alignment_mode="expand",
                )
                if span is not None:
                    yield span


@Language.factory(
    FACTORY,
    default_config={"tagger": True},
    requires=["token.dep", "token.head", "doc.sents", "doc.ents"],
    assigns=["doc._.accordingto", "doc._.quotes", "doc.spans"],
)
def make_component(nlp: Language, name: str, tagger: bool) -> AccordingTo:
    """The ``accordingto`` factory (see the module docs)."""
    return AccordingTo(nlp, name, tagger=tagger)
