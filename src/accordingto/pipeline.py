"""The analyzer: article in, :class:`~accordingto.model.Analysis` out.

Stages, each a small function over the shared record: parse text (same
length as the input) → spaCy, in batches → quotation marks → cues and their
sources → assembled attributions → resolved speakers → the frozen record.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version

from spacy.tokens import Doc

from .attribution import Found, assemble
from .attribution.assemble import (
    QuoteIndex,
    by_no_one,
    unclaimed_marks,
    with_content_edges,
    with_source_comma,
)
from .attribution.confidence import Estimate, Names, estimate
from .attribution.reported_as import reported_as
from .attribution.roles import found_from_roles, merge_with_rules
from .deadline import Deadline
from .errors import InputError
from .model import (
    Analysis,
    Article,
    Diagnostic,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    ReportedAs,
    Span,
    Speaker,
    content_id,
)
from .nlp import load_pipeline, parse_text, pipeline_name
from .nlp.normalize import paragraph_spans
from .nlp.tagger import SPANS_KEY, RoleSpan, role_spans
from .quotes.lexicon import load_lexicon
from .quotes.marks import find_quoted
from .resolve import Entity, SpeakerResolver

__all__ = ["MAX_CHARS", "analyze", "analyze_doc", "analyze_many", "parse_docs"]

log = logging.getLogger(__name__)

#: Longest article text analyzed in one piece (spaCy's default ``max_length``).
MAX_CHARS = 1_000_000
#: A longer text is parsed in pieces of at most this many characters, cut after paragraph
#: breaks, and the pieces' docs joined into one: spaCy's memory for one doc grows by about
#: 5 MiB per 1,000 characters (1 M characters took 5 GiB in one piece).
PARSE_CHUNK_CHARS = 100_000


@functools.cache
def _own_version() -> str:
    try:
        return version("accordingto")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _versions(nlp) -> dict[str, str]:
    return {
        "accordingto": _own_version(),
        "spacy": __import__("spacy").__version__,
        "pipeline": pipeline_name(nlp),
    }


def _as_article(item: Article | str) -> Article:
    return item if isinstance(item, Article) else Article(text=item)


def _check(article: Article) -> None:
    if not article.text.strip():
        raise InputError("the article is empty: give a file, URL or stdin with some text")
    if len(article.text) > MAX_CHARS:
        raise InputError(
            f"the article has {len(article.text):,} characters, more than the {MAX_CHARS:,} "
            "analyzed at once: split it into articles"
        )


Resolved = tuple[Entity | None, tuple[Entity, ...]]


def _speaker_of(
    found: Found, resolver: SpeakerResolver, doc: Doc, text: str, memo: dict[str, Resolved]
):
    """(speaker, via) of one attribution; continuations take their predecessor's."""
    if found.continues is not None:
        return memo.get(found.continues, (None, ()))
    cue = found.cue
    if cue is None or cue.source is None:
        return None, ()
    head = doc[cue.source_token] if cue.source_token is not None else None
    source = resolver.resolve(Span.of(text, *cue.source), head)
    if cue.cited is None or cue.cited_token is None:
        return source, ()
    cited = resolver.resolve(Span.of(text, *cue.cited), doc[cue.cited_token])
    return cited, ((source,) if source is not None else ())


def _reported_as(doc: Doc, f: Found, kinds: dict[str, ReportedAs]) -> ReportedAs:
    """What ``f``'s cue reports; a continuation reports what its predecessor did."""
    if f.cue is not None:
        return reported_as(doc, *f.cue.cue, content=f.content)
    if f.continues is not None:
        return kinds.get(f.continues, ReportedAs.SPEECH)
    return ReportedAs.SPEECH


def _quote(
    article_id: str,
    text: str,
    f: Found,
    speaker: str | None,
    via: tuple[str, ...],
    kind: ReportedAs,
    sure: Estimate,
) -> Quote:
    content = tuple(Span.of(text, s, e) for s, e in f.content)
    cue = f.cue
    source = None
    if cue is not None:
        src = cue.cited if cue.cited is not None else cue.source
        source = Span.of(text, *src) if src else None
    return Quote(
        id=content_id(article_id, *(f"{s.start}:{s.end}" for s in content), prefix="q_"),
        kind=f.kind,
        content=content,
        cue=Span.of(text, *cue.cue) if cue is not None else None,
        source=source,
        speaker_id=speaker,
        via=via,
        confidence=sure.attribution,  # calibrated: attribution/confidence.py, docs/trust.md
        method=f.method,
        reported_as=kind,
        speaker_confidence=sure.speaker,
    )


def _one_per_content(found: list[Found]) -> list[Found]:
    """One attribution per set of words (a quotation's ID is its words): where two cues claim
    the same content, the one that saw quotation marks in it, then the surer one."""
    best: dict[tuple[tuple[int, int], ...], Found] = {}
    for f in found:
        key = tuple(f.content)
        kept = best.get(key)
        if kept is None or (f.kind is not QuoteKind.INDIRECT, f.confidence) > (
            kept.kind is not QuoteKind.INDIRECT,
            kept.confidence,
        ):
            best[key] = f
    return [f for f in found if best[tuple(f.content)] is f]


def _speaker_ids(entities: list[Entity]) -> list[str]:
    """The speakers' IDs, given once every name is final (a name may still grow while the
    article is read: "Ortiz", then "Mayor Ana Ortiz"); two entities that end with the same
    name and kind still get two IDs."""
    ids: list[str] = []
    seen: set[str] = set()
    for e in entities:
        n, sid = 0, content_id(e.kind.value, e.name.lower(), prefix="s_")
        while sid in seen:
            n += 1
            sid = content_id(e.kind.value, e.name.lower(), n, prefix="s_")
        seen.add(sid)
        ids.append(sid)
    return ids


def analyze_doc(
    article: Article,
    doc: Doc,
    nlp,
    roles: list[RoleSpan] | None = None,
    deadline: Deadline | None = None,
    *,
    events: bool = True,
) -> Analysis:
    """The analysis of ``article`` from ``doc``, its parse by ``nlp`` (the spaCy component's step).

    ``roles``: the trained tagger's spans when ``doc`` does not carry them; ``events``: also find
    the reported events (issue 13; about 4 % of the parse's time).
    """
    deadline = deadline or Deadline(None)
    deadline.check("parse")
    text = article.text
    quoted, diagnostics = find_quoted(text)
    parsed = doc.text  # spaCy builds it anew on every access: once here
    pars = paragraph_spans(parsed)  # as parsed: paragraphs broken by scraping are joined
    found, marks = assemble(doc, text, quoted, load_lexicon(), pars, deadline=deadline)
    deadline.check("attribution")
    if roles is None and SPANS_KEY in doc.spans:  # the pipeline has the trained tagger
        roles = role_spans(doc)
    index = QuoteIndex(quoted)
    sent_starts = [s.start_char for s in doc.sents]
    if roles is not None:
        titles = [(q.start, q.end) for kind, q in marks if kind is MarkKind.TITLE]
        tagged = found_from_roles(doc, text, roles, index, pars, titles, sent_starts, parsed)
        deadline.check("tagger grouping")
        found = merge_with_rules(tagged, found, doc, parsed)
        from .attribution import boundaries  # learnt content edges; ACCORDINGTO_BOUNDARIES=0/1

        found = boundaries.refine(found, doc, parsed, nlp=nlp)
        deadline.check("merge")
    found = [
        with_content_edges(parsed, with_source_comma(parsed, f))
        for f in found
        if not by_no_one(doc, f)
    ]
    marks = unclaimed_marks(found, marks)  # a scare quote is never part of an attribution too
    resolver = SpeakerResolver(
        doc,
        text,
        quoted=lambda c: index.at(c) is not None,
        author=article.byline,
        outlet=article.outlet,
        sent_starts=sent_starts,
    )
    memo: dict[str, Resolved] = {}
    kinds: dict[str, ReportedAs] = {}
    attributed = []
    for n, f in enumerate(_one_per_content(found)):
        if n % 64 == 0:
            deadline.check("speakers")
        memo[f.key] = _speaker_of(f, resolver, doc, text, memo)
        kinds[f.key] = _reported_as(doc, f, kinds)
        attributed.append((f, *memo[f.key]))
    ids = _speaker_ids(resolver.entities)  # by Entity.number
    article_id = article.id  # a hash of the whole text: once
    names = Names.of(doc)  # where people are named, for the speakers' confidence
    quotes = [
        _quote(
            article_id,
            text,
            f,
            ids[speaker.number] if speaker is not None else None,
            tuple(ids[v.number] for v in via),
            kinds[f.key],
            estimate(f, text, speaker, reported_as=kinds[f.key], names=names),
        )
        for f, speaker, via in attributed
    ]
    used = {q.speaker_id for q in quotes} | {v for q in quotes for v in q.via}
    speakers = tuple(
        Speaker(sid, e.name, e.kind, e.role, tuple(sorted(set(e.mentions))))
        for e, sid in zip(resolver.entities, ids, strict=True)
        if sid in used
    )
    analysis = Analysis(
        article=article,
        quotes=tuple(quotes),
        speakers=speakers,
        marks=tuple(Mark(kind, Span.of(text, q.start, q.end)) for kind, q in marks),
        diagnostics=tuple(diagnostics),
        versions=_versions(nlp),
    )
    if not events:
        return analysis
    deadline.check("events")
    # events (issue 13) over the same parse and speakers; a failure there is a diagnostic
    from .events import with_events

    return with_events(doc, analysis)


def _chunks(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters (they join to ``text``),
    each cut after a paragraph break, else after a sentence's end, else after a space."""
    out, pos = [], 0
    while len(text) - pos > size:
        window = text[pos : pos + size]
        cut = size
        for sep, keep in (("\n\n", 0), (". ", 1), (" ", 0)):
            if (i := window.rfind(sep)) > 0:
                cut = i + keep
                break
        cut += pos
        while cut < len(text) and cut - pos < size and text[cut].isspace():
            cut += 1
        out.append(text[pos:cut])
        pos = cut
    out.append(text[pos:])
    return out


def parse_docs(nlp, texts: list[str], batch_size: int) -> Iterator[Doc]:
    """The docs of ``texts`` in order: short ones with ``nlp.pipe`` in batches, a long one
    (over :data:`PARSE_CHUNK_CHARS`) piece by piece, joined into one doc."""
    short = nlp.pipe((t for t in texts if len(t) <= PARSE_CHUNK_CHARS), batch_size=batch_size)
    for text in texts:
        if len(text) <= PARSE_CHUNK_CHARS:
            yield next(short)
            continue
        pieces = list(nlp.pipe(_chunks(text, PARSE_CHUNK_CHARS), batch_size=1))
        # spaCy 3.8 takes exclude= (its .pyi stub does not list it yet)
        yield Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]


def _not_english(article: Article, nlp) -> Analysis:
    diag = Diagnostic(
        "not-english",
        f"the text does not look like English (language: {article.language}); nothing was analyzed",
    )
    log.warning("%s", diag.message)
    return Analysis(article=article, diagnostics=(diag,), versions=_versions(nlp))


def analyze_many(
    articles: Iterable[Article | str],
    *,
    batch_size: int = 16,
    nlp=None,
    budget_s: float | None = None,
    events: bool = True,
) -> Iterator[Analysis]:
    """Analyze articles in order, parsing them with ``nlp.pipe`` in batches.

    ``events``: also find the reported events (on by default; off saves about 4 % of the time).

    ``budget_s``: seconds each article may take, its parse included; the clock starts with
    its batch's parse, so the ``i``-th article of a batch (from 0) must be done within
    ``(i + 1) * budget_s`` of that.  The check runs between stages and inside the long loops.

    Raises :class:`~accordingto.errors.InputError` for an empty or over-long article and
    :class:`~accordingto.errors.AnalysisTimeout` for one that ran out of its budget (the
    articles before it have been yielded).
    """
    nlp = nlp or load_pipeline()
    batch: list[Article] = []

    def flush() -> Iterator[Analysis]:
        start = time.monotonic()
        english = [a for a in batch if a.language in (None, "en")]
        texts = [parse_text(a.text, markdown=a.format == "markdown") for a in english]
        docs = parse_docs(nlp, texts, batch_size)
        for i, a in enumerate(batch):
            if a.language not in (None, "en"):
                yield _not_english(a, nlp)
                continue
            budget = None if budget_s is None else (i + 1) * budget_s
            deadline = Deadline(budget, start=start, what=f"article {a.id}")
            yield analyze_doc(a, next(docs), nlp, deadline=deadline, events=events)
        batch.clear()

    for item in articles:
        article = _as_article(item)
        _check(article)
        batch.append(article)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()


def analyze(
    article: Article | str, *, nlp=None, budget_s: float | None = None, events: bool = True
) -> Analysis:
    """Analyze one article (an :class:`Article` or plain text), within ``budget_s`` seconds
    if given (else :class:`~accordingto.errors.AnalysisTimeout`); ``events``: also find events.

    >>> from accordingto import analyze
    >>> analysis = analyze("“We will win,” the mayor said.")  # doctest: +SKIP
    """
    return next(analyze_many([article], batch_size=1, nlp=nlp, budget_s=budget_s, events=events))
