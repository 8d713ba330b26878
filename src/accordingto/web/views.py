"""What the article page shows, computed from an :class:`Analysis`: plain data, no HTML.

:func:`segments` cuts the article text into runs that share the same
highlighting; :func:`summary` is the side panel.  Both are also the JSON twin
of the page, so everything here is JSON-serialisable.  Escaping is the
templates' job (Jinja2 autoescape), never this module's.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi.responses import JSONResponse

from accordingto.model import Analysis, Article, EntityKind, Quote, ReportedAs, Speaker
from accordingto.nlp.normalize import parse_text

from .events import (
    FADE_BELOW,
    MODALITY_HELP,
    EventMark,
    event_at,
    event_cards,
    event_marks,
    event_tip,
)
from .render import Page

__all__ = [
    "FADE_BELOW",
    "PALETTE_SIZE",
    "Segment",
    "analysis_page",
    "cards",
    "chain_text",
    "link_url",
    "markup_runs",
    "quote_card",
    "record_response",
    "segments",
    "speaker_colours",
    "summary",
    "tip",
    "unattributed_share",
]

#: Speaker colours in the stylesheet (``.sp-0`` … ``.sp-23``); unknown speakers are ``.sp-x``.
#: Past this many speakers in one article the colours repeat.
PALETTE_SIZE = 24


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text with one set of highlights."""

    start: int
    end: int
    text: str
    #: The quotation whose content covers the run, if any.
    quote_id: str | None = None
    #: CSS classes: ``q``, the quote kind, ``sp-N``, ``rep-thought`` (``-intention``,
    #: ``-action``, ``-other``: what a non-speech cue reports), ``faded`` (confidence below
    #: :data:`FADE_BELOW`), ``cue``, ``src``, ``mark-scare``, ``mark-title``, and ``md`` for
    #: Markdown syntax (``**``, ``#``, ``](url)``), not shown.
    classes: str = ""
    #: The event whose trigger (or another mention of it) the run is, if any.
    event_id: str | None = None
    #: Its classes: ``ev``, ``ev-<modality>`` and ``faded`` when unsure.
    event_classes: str = ""
    #: The modality in words, shown after the last run of a mention unless it happened.
    tag: str | None = None
    #: ``t-<event id>`` on the first run of an event's own trigger: what evidence links go to.
    anchor: str | None = None


def speaker_colours(analysis: Analysis) -> dict[str, str]:
    """``speaker id -> "sp-N"``, numbered by each speaker's first quotation."""
    order: list[str] = []
    for q in sorted(analysis.quotes, key=lambda q: q.start):
        for sid in (q.speaker_id, *q.via):
            if sid is not None and sid not in order:
                order.append(sid)
    order += [s.id for s in analysis.speakers if s.id not in order]
    return {sid: f"sp-{i % PALETTE_SIZE}" for i, sid in enumerate(order)}


def _intervals(
    analysis: Analysis, colours: dict[str, str]
) -> list[tuple[int, int, str, str | None]]:
    """(start, end, classes, quote id) of everything highlighted, in no particular order."""
    out: list[tuple[int, int, str, str | None]] = []
    for q in analysis.quotes:
        colour = colours.get(q.speaker_id or "", "sp-x")
        extra = "" if q.reported_as == ReportedAs.SPEECH else f" rep-{q.reported_as.value}"
        extra += " faded" if q.confidence < FADE_BELOW else ""
        out += [(s.start, s.end, f"q {q.kind.value} {colour}{extra}", q.id) for s in q.content]
        if q.cue is not None:
            out.append((q.cue.start, q.cue.end, "cue", None))
        if q.source is not None:
            out.append((q.source.start, q.source.end, f"src {colour}", None))
    out += [(m.span.start, m.span.end, f"mark-{m.kind.value}", None) for m in analysis.marks]
    out += [(start, end, "md", None) for start, end in markup_runs(analysis.article)]
    return [i for i in out if i[0] < i[1]]


def markup_runs(article: Article) -> list[tuple[int, int]]:
    """``(start, end)`` of the Markdown syntax in a Markdown article: what the parser did not read.

    The analyzer parses a same-length copy of the text with emphasis, heading and
    link syntax blanked out (:func:`accordingto.nlp.normalize.parse_text`); the
    characters it blanked are the markup.  Other formats have none.
    """
    if article.format != "markdown":
        return []
    parsed = parse_text(article.text, markdown=True)
    hidden = [
        i
        for i, (a, b) in enumerate(zip(article.text, parsed, strict=True))
        if a != b and not a.isspace()
    ]
    runs: list[tuple[int, int]] = []
    for i in hidden:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def segments(analysis: Analysis) -> list[Segment]:
    """The article text cut at every highlight boundary; their texts join to the article text.

    Where highlights overlap (scare quotes inside a mixed quotation) a run gets
    the classes of all of them and the quotation that starts last.  An event's
    trigger inside a quotation keeps both: the quotation's classes and the
    event's (:func:`accordingto.web.events.event_at` picks one event per run).
    """
    text = analysis.article.text
    intervals = _intervals(analysis, speaker_colours(analysis))
    marks = event_marks(analysis)
    bounds = [(i[0], i[1]) for i in intervals] + [(m.start, m.end) for m in marks]
    cuts = sorted({0, len(text), *(b[0] for b in bounds), *(b[1] for b in bounds)})
    runs = list(itertools.pairwise(cuts))
    out = []
    by_quote = _covering(runs, bounds[: len(intervals)])
    by_event = _covering(runs, bounds[len(intervals) :])
    for (start, end), inside, over in zip(runs, by_quote, by_event, strict=True):
        covering = [intervals[k] for k in inside]
        quote_id = next((i[3] for i in reversed(covering) if i[3] is not None), None)
        classes = " ".join(dict.fromkeys(c for i in covering for c in i[2].split()))
        segment = Segment(start, end, text[start:end], quote_id, classes)
        mark = event_at([marks[k] for k in over], start, end)
        out.append(
            segment if mark is None or "md" in classes.split() else _with_event(segment, mark)
        )
    return out


def _covering(runs: list[tuple[int, int]], spans: list[tuple[int, int]]) -> Iterator[list[int]]:
    """For each run, the indices of the ``spans`` covering it (their bounds are among the
    cuts), by start, then in the order given: one sweep, not runs × spans."""
    order = sorted(range(len(spans)), key=lambda k: (spans[k][0], k))
    active: list[int] = []
    nxt = 0
    for start, _end in runs:
        while nxt < len(order) and spans[order[nxt]][0] <= start:
            active.append(order[nxt])
            nxt += 1
        active = [k for k in active if spans[k][1] > start]
        yield active


def _with_event(segment: Segment, mark: EventMark) -> Segment:
    """``segment`` marked as (part of) ``mark``'s event."""
    event = mark.event
    modality = event.modality.value
    faded = " faded" if event.confidence < FADE_BELOW else ""
    return Segment(
        segment.start,
        segment.end,
        segment.text,
        segment.quote_id,
        segment.classes,
        event_id=event.id,
        event_classes=f"ev ev-{modality}{faded}",
        tag=modality if segment.end == mark.end and modality != "happened" else None,
        anchor=f"t-{event.id}" if mark.primary and segment.start == mark.start else None,
    )


def chain_text(analysis: Analysis, quote: Quote) -> str:
    """ "Bendett, via the New York Times": the speaker, then whom the words came through."""
    speaker = analysis.speaker(quote.speaker_id)
    name = speaker.name if speaker is not None else "unknown speaker"
    via = [s.name for s in map(analysis.speaker, quote.via) if s is not None]
    return ", via ".join([name, *via])


def quote_card(
    analysis: Analysis,
    quote: Quote,
    colours: dict[str, str],
    people: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One quotation as the popover and the quotation list show it.

    ``people`` (speaker id -> person id) is given for a stored article: the card
    then links to the quotation's provenance page and its speaker's page.
    """
    speaker = analysis.speaker(quote.speaker_id)
    person = (people or {}).get(quote.speaker_id or "")
    return {
        "id": quote.id,
        "kind": quote.kind.value,
        "text": " … ".join(s.text for s in quote.content),
        "start": quote.start,
        "speaker": speaker.name if speaker else None,
        "speaker_id": quote.speaker_id,
        "speaker_kind": speaker.kind.value if speaker else None,
        "role": speaker.role if speaker else None,
        "colour": colours.get(quote.speaker_id or "", "sp-x"),
        "cue": quote.cue.text if quote.cue else None,
        "source": quote.source.text if quote.source else None,
        "reported_as": quote.reported_as.value,
        "confidence": round(quote.confidence, 2),
        "speaker_confidence": (
            None if quote.speaker_confidence is None else round(quote.speaker_confidence, 2)
        ),
        "faded": quote.confidence < FADE_BELOW,
        "method": quote.method,
        "chain": chain_text(analysis, quote),
        "via": [s.name for s in map(analysis.speaker, quote.via) if s is not None],
        "provenance_url": f"/quotes/{quote.id}" if people is not None else None,
        "speaker_url": f"/speakers/{person}" if person else None,
    }


def unattributed_share(analysis: Analysis) -> float:
    """Share of the article's non-space characters outside every quotation, cue and source.

    That is the author's own, unattributed text (headline and byline included);
    scare quotes and titles do not count as attributed.
    """
    text = analysis.article.text
    covered = bytearray(len(text))
    for q in analysis.quotes:
        for s in (*q.content, q.cue, q.source):
            if s is not None:
                covered[s.start : s.end] = b"\x01" * (s.end - s.start)
    total = sum(1 for c in text if not c.isspace())
    own = sum(1 for c, hit in zip(text, covered, strict=True) if not hit and not c.isspace())
    return round(own / total, 3) if total else 0.0


def _speaker_row(s: Speaker, colours: dict[str, str], quoted: Counter, cited: Counter) -> dict:
    row = asdict(s)
    row.pop("mentions")
    row |= {
        "kind": s.kind.value,
        "colour": colours.get(s.id, "sp-x"),
        "quotes": quoted[s.id],
        "cited_as_via": cited[s.id],
        "mentions": len(s.mentions),
    }
    return row


def summary(analysis: Analysis) -> dict[str, Any]:
    """The side panel: speakers with roles and counts, outlets, anonymous sources, own text."""
    colours = speaker_colours(analysis)
    quoted = Counter(q.speaker_id for q in analysis.quotes)
    cited = Counter(v for q in analysis.quotes for v in q.via)
    rows = [_speaker_row(s, colours, quoted, cited) for s in analysis.speakers]
    rows.sort(key=lambda r: (-r["quotes"], -r["cited_as_via"], r["name"]))
    kinds = Counter(q.kind.value for q in analysis.quotes)
    reported = Counter(q.reported_as.value for q in analysis.quotes)
    modalities = Counter(e.modality.value for e in analysis.events)
    return {
        "speakers": rows,
        "outlets": [r for r in rows if r["kind"] == EntityKind.OUTLET.value],
        "anonymous": [r for r in rows if r["kind"] == EntityKind.ANONYMOUS.value],
        "quotes": len(analysis.quotes),
        "unknown_speaker_quotes": quoted[None],
        "quote_kinds": dict(kinds),
        "speech": reported[ReportedAs.SPEECH.value],
        "reported_as": dict(reported),
        "events": len(analysis.events),
        "event_modalities": dict(modalities),
        "fade_below": FADE_BELOW,
        "scare_quotes": sum(m.kind.value == "scare" for m in analysis.marks),
        "titles": sum(m.kind.value == "title" for m in analysis.marks),
        "unattributed_share": unattributed_share(analysis),
    }


def cards(analysis: Analysis, people: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every quotation's card: speech first, then what other cues report (thoughts,
    intentions, actions, other), each in text order (see :func:`quote_card` for ``people``)."""
    colours = speaker_colours(analysis)
    ordered = sorted(
        analysis.quotes, key=lambda q: (q.reported_as != ReportedAs.SPEECH, q.start, q.id)
    )
    return [quote_card(analysis, q, colours, people) for q in ordered]


def link_url(url: str | None) -> str | None:
    """``url`` if it may be a link (``http`` or ``https``), else ``None`` (``javascript:``, ``data:`` …)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def tip(card: dict[str, Any]) -> str:
    """The one-line tooltip of a highlighted quotation (shown by browsers without JavaScript)."""
    who = card["chain"] + (f" ({card['role']})" if card["role"] else "")
    kind = (
        card["kind"]
        if card["reported_as"] == "speech"
        else f"{card['reported_as']} ({card['kind']})"
    )
    cue = f", cue “{card['cue']}”" if card["cue"] else ""
    low = ", low confidence" if card["faded"] else ""
    return f"{who}: {kind}{cue}, confidence {card['confidence']:.2f}{low}"


def analysis_page(
    analysis: Analysis,
    *,
    base: str,
    people: dict[str, str] | None = None,
    dyads: bool = False,
) -> Page:
    """The article page of ``analysis``; its links live under ``base`` (``/analysis`` or ``/articles``).

    ``people`` (speaker id -> person id, for a stored article) adds links to the
    provenance and speaker pages; ``dyads`` (the app has a store) links each
    event's actor and target to their dyad page.  ``quotes`` holds speech first,
    then the other attributions (see :func:`cards`); the page lists them apart.
    """
    quotes = cards(analysis, people)
    events = event_cards(analysis, speaker_colours(analysis), dyads=dyads)
    data = {
        "analysis": analysis.to_dict(),
        "summary": summary(analysis),
        "quotes": quotes,
        "events": events,
    }
    return Page(
        data,
        {
            "segments": segments(analysis),
            "article": analysis.article,
            "source_url": link_url(analysis.article.url),
            "link": f"{base}/{analysis.article.id}",
            "tips": {q["id"]: tip(q) for q in quotes},
            "event_tips": {e["id"]: event_tip(e) for e in events},
            "speech": [q for q in quotes if q["reported_as"] == ReportedAs.SPEECH.value],
            "reported": [q for q in quotes if q["reported_as"] != ReportedAs.SPEECH.value],
            "modality_help": MODALITY_HELP,
            "dyad_links": _dyad_links(events),
        },
    )


def _dyad_links(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dyads of the article's events (actor before target), each with its page."""
    found: dict[str, dict[str, Any]] = {}
    for e in events:
        if e["dyad_url"]:
            row = found.setdefault(
                e["dyad_url"],
                {
                    "actor": e["actor_code"],
                    "target": e["target_code"],
                    "url": e["dyad_url"],
                    "events": 0,
                },
            )
            row["events"] += 1
    return sorted(found.values(), key=lambda r: (-r["events"], r["url"]))


def record_response(analysis: Analysis) -> JSONResponse:
    """The record (``docs/schema.md``) as a JSON file download."""
    return JSONResponse(
        analysis.to_dict(),
        headers={"Content-Disposition": f'attachment; filename="{analysis.article.id}.json"'},
    )
