"""Reported events: who did what to whom, when, where, how hostile, and according to whom.

``find_events(doc, analysis)`` reads the parse the pipeline already has and the
attributions and speakers it already found, and returns the article's events
(:class:`~accordingto.model.Event`), mentions of one occurrence merged.  See
``docs/events.md``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import os

from spacy.tokens import Doc

from accordingto.model import Analysis, Diagnostic, Event, Modality, Quote, Span, content_id
from accordingto.quotes.lexicon import load_lexicon as load_cues

from .actors import ActorCode, ActorCoder
from .dates import article_date, parse_date, resolve_date
from .find import find_mentions
from .lexicon import load_lexicon
from .merge import Cluster, merge_mentions

__all__ = ["CODER_ENV", "find_events", "resolve_date", "retype", "with_events"]

log = logging.getLogger(__name__)

_PRONOUN_SUBJECTS = {"it", "they", "he", "she", "we"}
_PERSONAL = {"he", "she"}
#: Possessives that can stand for a state or an organisation speaking ("its troops").
_ORGANISATION_POSSESSIVES = {"its", "their"}


@functools.cache
def _speech() -> frozenset[str]:
    cues = load_cues()
    return frozenset(cues.verbs | cues.clausal_verbs)


#: Set to ``1`` to type events with the trained coder where it is sure (default: the lexicon).
CODER_ENV = "ACCORDINGTO_EVENT_CODER"
#: The probability from which the trained coder's type replaces the lexicon's is the coder's
#: own (``EventCoder.threshold``, in its manifest): where its held-out codings of PLV train are
#: right more often than wrong (docs/events.md, the trained coder).  Never tuned on the PLOVER
#: gold, which is for evaluation only.


def find_events(doc: Doc, analysis: Analysis, *, trained: bool | None = None) -> tuple[Event, ...]:
    """The events of an analyzed article, in order of their first mention.

    ``trained``: type each event with the trained coder (``events/coder.py``) where it is at
    least as sure as its own threshold (``EventCoder.threshold``), with the trigger lexicon elsewhere (the lexicon's type
    always decides which mentions are one event).  Default: off, unless
    ``$ACCORDINGTO_EVENT_CODER`` is ``1`` (it costs a quarter of the analyzer's CPU time for one
    better type in 59 on the PLOVER gold); without a shipped coder the lexicon types.
    """
    text = analysis.article.text
    when = parse_date(analysis.article.date) or article_date(text)
    mentions_at = {m.start: (s.name, s.role) for s in analysis.speakers for m in s.mentions}
    coder = ActorCoder(mentions_at)
    quotes = sorted(analysis.quotes, key=lambda q: q.start)
    claims = _Claims(doc, analysis, quotes, coder)
    found = find_mentions(
        doc,
        load_lexicon(),
        coder,
        article_date=when,
        speech=_speech(),
        quoted_subject=_quoted_subjects(doc, analysis, coder, claims),
        cues=frozenset(q.cue.start for q in analysis.quotes if q.cue is not None),
    )
    clusters = merge_mentions(found, [claims.by(m.trigger[0]) for m in found])
    article_id = analysis.article.id  # a hash of the whole text: once, not per event
    events = [_event(article_id, text, cluster) for cluster in clusters]
    if trained if trained is not None else os.environ.get(CODER_ENV, "0") == "1":
        events = retype(doc, events)
    return tuple(events)


def retype(doc: Doc, events: list[Event], threshold: float | None = None) -> list[Event]:
    """The events with the trained coder's type where it is at least ``threshold`` sure
    (default: the coder's own threshold);
    unchanged when no coder is installed.  The coder reads the trigger's sentence with the
    event's actor and target."""
    from accordingto.errors import InputError, ModelError

    if not events:
        return events
    try:
        from . import coder as event_coder

        model = event_coder.load_coder()
    except (ModelError, ImportError, OSError) as error:
        log.info("no trained event coder, typing from the lexicon: %s", error)
        return events
    items = []
    for event in events:
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        sent = span.sent if span is not None else None
        start, end = (sent.start_char, sent.end_char) if sent is not None else (0, 0)
        items.append(
            event_coder.CodingItem(
                sent.text if sent is not None else event.trigger.text,
                _within(event.actor, start, end),
                _within(event.target, start, end),
            )
        )
    try:
        codings = event_coder.code_events(items, model)
    except (ModelError, InputError, ValueError) as error:
        log.warning("the trained event coder failed, typing from the lexicon: %s", error)
        return events
    out: list[Event] = []
    for event, c in zip(events, codings, strict=True):
        # the coder codes the sentence as PLOVER does, modality included (a threat to strike is
        # THREATEN): its code is the event's type only for an event reported as done
        done = event.modality in (Modality.HAPPENED, Modality.ONGOING)
        sure = model.threshold if threshold is None else threshold
        if done and c.probability >= sure and c.root != event.root:
            event = dataclasses.replace(
                event, root=c.root, quad=c.root_quad, intensity=c.goldstein, cameo=None
            )
        out.append(event)
    return out


def _within(span: Span | None, start: int, end: int) -> tuple[int, int] | None:
    if span is None or span.start < start or span.end > end:
        return None
    return span.start - start, span.end - start


def with_events(doc: Doc, analysis: Analysis) -> Analysis:
    """The analysis with its events; if finding them fails, no events and a diagnostic
    (``events-failed``): the article's quotations are never lost to this stage."""
    try:
        events = find_events(doc, analysis)
    except Exception as e:
        log.warning("events not found in article %s: %s", analysis.article.id, e, exc_info=True)
        diag = Diagnostic("events-failed", f"events were not looked for: {type(e).__name__}: {e}")
        return dataclasses.replace(analysis, diagnostics=(*analysis.diagnostics, diag))
    return dataclasses.replace(analysis, events=events)


def _quoted_subjects(
    doc: Doc, analysis: Analysis, coder: ActorCoder, claims: _Claims
) -> dict[int, ActorCode]:
    """A pronoun subject inside a speaker's words stands for that speaker when their kinds
    agree ("the US announced it would send …"): the speaker the pipeline resolved."""
    out: dict[int, ActorCode] = {}
    for q in analysis.quotes:
        speaker = analysis.speaker(q.speaker_id or claims.claimant(q))
        if speaker is None or q.kind.value == "direct":
            continue
        person = speaker.kind.value == "person"
        code = coder.speaker_code(speaker.name, speaker.role)
        if not code:
            continue
        for part in q.content:
            span = doc.char_span(part.start, part.end, alignment_mode="expand")
            for tok in span if span is not None else ():
                if tok.dep_ == "nsubj" and tok.lower_ in _PRONOUN_SUBJECTS:
                    if (tok.lower_ in _PERSONAL) == person:
                        out[tok.i] = code
                elif tok.dep_ == "nsubj" and not person and _owned_by_pronoun(tok):
                    out[tok.i] = code  # "the Kremlin denied that its troops …": the Kremlin's
    return out


def _owned_by_pronoun(token) -> bool:
    """Is ``token`` a noun whose owner is "its" or "their" ("its troops", "their forces")?"""
    return any(c.dep_ == "poss" and c.lower_ in _ORGANISATION_POSSESSIVES for c in token.children)


class _Claims:
    """Who an event is claimed by: the speaker of the innermost attribution it sits in."""

    def __init__(self, doc: Doc, analysis: Analysis, quotes: list[Quote], coder: ActorCoder):
        self.doc, self.analysis, self.coder = doc, analysis, coder
        parts = [(p.start, p.end, q) for q in quotes for p in q.content]
        self.parts = sorted(parts, key=lambda part: part[:2])  # two quotes may share a span
        self.starts = [p[0] for p in self.parts]

    def by(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset)
        inner: tuple[int, int, Quote] | None = None
        for start, end, q in reversed(self.parts[max(0, i - 20) : i]):
            if start <= offset < end and (inner is None or end - start < inner[1] - inner[0]):
                inner = (start, end, q)
        if inner is None:
            return None
        quote = inner[2]
        return quote.speaker_id or self.claimant(quote)

    def claimant(self, quote: Quote) -> str | None:
        """A quotation without a speaker whose words are "the claims by X that …": the speaker
        of the article who acts for the same state or organisation as X."""
        nouns = load_cues().nouns
        span = self.doc.char_span(quote.start, quote.end, alignment_mode="expand")
        for tok in span if span is not None else ():
            if tok.lemma_.lower() not in nouns:
                continue
            for child in tok.children:
                obj = child if child.dep_ == "poss" else None
                if child.dep_ == "prep" and child.lower_ == "by":
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return self._speaker_for(self.coder.code(obj)[0])
        return None

    def _speaker_for(self, code: ActorCode) -> str | None:
        if not code.code:
            return None
        for s in self.analysis.speakers:
            if self.coder.speaker_code(s.name, s.role).code == code.code:
                return s.id
        return None


def _span(text: str, span: tuple[int, int] | None) -> Span | None:
    return Span.of(text, *span) if span is not None else None


def _event(article_id: str, text: str, cluster: Cluster) -> Event:
    # the mention that says most (actor, target, date) stands for the event; the first on ties
    first = max(
        cluster.mentions,
        key=lambda m: (
            bool(m.actor_code.code) + bool(m.target_code.code) + bool(m.date),
            -m.trigger[0],
        ),
    )
    actor = next((m for m in cluster.mentions if m.actor_code.code == cluster.actor), first)
    target = next((m for m in cluster.mentions if m.target_code.code == cluster.target), first)
    dated = next((m for m in cluster.mentions if m.date == cluster.date), first)
    trigger = Span.of(text, *first.trigger)
    return Event(
        id=content_id(article_id, trigger.start, trigger.end, first.coding.root, prefix="e_"),
        trigger=trigger,
        root=first.coding.root,
        quad=first.coding.quad,
        modality=first.modality,
        actor=_span(text, actor.actor) if cluster.actor else None,
        actor_code=cluster.actor,
        actor_sector=actor.actor_code.sector if cluster.actor else None,
        target=_span(text, target.target) if cluster.target else None,
        target_code=cluster.target,
        target_sector=target.target_code.sector if cluster.target else None,
        cameo=first.coding.cameo or None,
        intensity=first.coding.goldstein,
        date=cluster.date,
        date_span=_span(text, dated.date_span) if cluster.date else None,
        place=_span(text, next((m.place for m in cluster.mentions if m.place), None)),
        mentions=tuple(Span.of(text, *m.trigger) for m in cluster.mentions),
        claimed_by=cluster.claimed_by,
        confidence=max(m.confidence for m in cluster.mentions),
    )
