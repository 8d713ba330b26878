"""Events on the article page: their cards, and where their triggers sit in the text.

Plain data, like :mod:`accordingto.web.views` (the JSON twin shows the same
cards); escaping is the templates' job.  An event's trigger and the triggers of
its other mentions are highlighted (:func:`event_marks`); its modality is a CSS
class *and* a word (``ev-tag``), never a colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accordingto.model import Analysis, Event, Modality

__all__ = [
    "FADE_BELOW",
    "MODALITY_HELP",
    "QUAD_NAMES",
    "EventMark",
    "claimed_by_name",
    "event_at",
    "event_card",
    "event_cards",
    "event_marks",
    "event_tip",
]

#: Attributions and events whose confidence is below this are faded on the article page
#: (with "low confidence" in words on their card): the analyzer is unsure of them.
FADE_BELOW = 0.5

#: PLOVER quad classes by number (``Event.quad``).
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

#: What each modality means, for the legend and the tooltips.
MODALITY_HELP = {
    Modality.HAPPENED.value: "reported as having happened",
    Modality.ONGOING.value: "reported as going on",
    Modality.PLANNED.value: "planned, announced or decided",
    Modality.THREATENED.value: "threatened",
    Modality.DEMANDED.value: "demanded",
    Modality.HYPOTHETICAL.value: "possible, conditional or intended",
    Modality.NEGATED.value: "denied, or said not to have happened",
}


@dataclass(frozen=True, slots=True)
class EventMark:
    """One highlighted stretch of an event: its trigger (``primary``) or another mention's."""

    start: int
    end: int
    event: Event
    primary: bool


def claimed_by_name(analysis: Analysis, event: Event) -> str:
    """Who the article says claims the event: a speaker's name, or "the author"."""
    if event.claimed_by is None:
        return "the author"
    speaker = analysis.speaker(event.claimed_by)
    return speaker.name if speaker is not None else "an unknown speaker"


def _party(span_text: str | None, code: str | None) -> str | None:
    if span_text and code:
        return f"{span_text} ({code})"
    return span_text or code


def event_card(
    analysis: Analysis, event: Event, colours: dict[str, str], *, dyads: bool = False
) -> dict[str, Any]:
    """One event as the list below the article (and the JSON twin) shows it.

    ``dyads``: the app has a store, so a coded actor and target link to their dyad page.
    """
    a, b = event.actor_code, event.target_code
    return {
        "id": event.id,
        "trigger": event.trigger.text,
        "start": event.trigger.start,
        "end": event.trigger.end,
        "modality": event.modality.value,
        "modality_help": MODALITY_HELP[event.modality.value],
        "root": event.root,
        "quad": event.quad,
        "quad_name": QUAD_NAMES.get(event.quad, str(event.quad)),
        "actor": event.actor.text if event.actor else None,
        "actor_code": a,
        "target": event.target.text if event.target else None,
        "target_code": b,
        "who": _party(event.actor.text if event.actor else None, a),
        "whom": _party(event.target.text if event.target else None, b),
        "date": event.date,
        "place": event.place.text if event.place else None,
        "intensity": event.intensity,
        "claimed_by": event.claimed_by,
        "claimed_by_name": claimed_by_name(analysis, event),
        "colour": colours.get(event.claimed_by or "", "sp-x"),
        "mentions": len(event.mentions) or 1,
        "confidence": round(event.confidence, 2),
        "faded": event.confidence < FADE_BELOW,
        "dyad_url": f"/dyad/{a}/{b}" if dyads and a and b and a != b else None,
    }


def event_cards(
    analysis: Analysis, colours: dict[str, str], *, dyads: bool = False
) -> list[dict[str, Any]]:
    """Every event's card, in text order."""
    events = sorted(analysis.events, key=lambda e: (e.trigger.start, e.id))
    return [event_card(analysis, e, colours, dyads=dyads) for e in events]


def event_tip(card: dict[str, Any]) -> str:
    """The one-line tooltip of a highlighted event trigger."""
    parties = " → ".join(p or "?" for p in (card["who"], card["whom"]))
    date = f", {card['date']}" if card["date"] else ""
    return (
        f"{card['root'].lower()} ({card['quad_name']}), {card['modality']}: {parties}"
        f"{date}; claimed by {card['claimed_by_name']}"
    )


def event_marks(analysis: Analysis) -> list[EventMark]:
    """Every stretch of text an event is highlighted on: its trigger and its other mentions."""
    out = []
    for e in analysis.events:
        out.append(EventMark(e.trigger.start, e.trigger.end, e, True))
        out += [
            EventMark(m.start, m.end, e, False)
            for m in e.mentions
            if (m.start, m.end) != (e.trigger.start, e.trigger.end)
        ]
    return [m for m in out if m.start < m.end]


def event_at(marks: list[EventMark], start: int, end: int) -> EventMark | None:
    """The mark shown on the run ``start:end``: an event's own trigger before another's
    mention, then the one that starts last (the innermost)."""
    covering = [m for m in marks if m.start <= start and end <= m.end]
    if not covering:
        return None
    return max(covering, key=lambda m: (m.primary, m.start, m.event.id))
