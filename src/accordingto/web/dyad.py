"""Dyad pages: how two actors' events go week by week, both ways, and the evidence of each week.

``/dyad/{A}/{B}`` charts :func:`accordingto.store.escalation.escalation` (events,
Goldstein mean and material-conflict events per ISO week, ``A>B`` and ``B>A``);
every point links to ``/dyad/{A}/{B}/{week}``, which lists the corpus events
counted that week with each article's report of them (outlet, sentence, who
claims it), each linking to the article page at the trigger.  Like the other
corpus pages, this module only groups what the store's queries answer.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from accordingto.errors import QueryError
from accordingto.store import Store
from accordingto.store.escalation import (
    FACTUAL,
    CorpusEvent,
    ReportRow,
    WeekRow,
    check_code,
    corpus_events,
    escalation,
    event_reports,
)
from accordingto.store.store import has_events

from .charts import Series, timeline_chart
from .corpus import Since, StoreDep, Until
from .events import QUAD_NAMES
from .render import Page, page

__all__ = ["iso_week", "router", "sentence_around"]

router = APIRouter()

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
#: What ends a sentence, for the evidence shown around an event's trigger.
_STOPS = (". ", "! ", "? ", "\n")
#: Longest sentence shown as evidence, in characters, around the trigger.
SENTENCE_CHARS = 400


def _codes(a: str, b: str) -> tuple[str, str]:
    a, b = check_code(a, name="A"), check_code(b, name="B")
    if a == b:
        raise QueryError(f"A and B are both {a}: give two different actors")
    return a, b


def _require_dyad(store: Store, a: str, b: str) -> None:
    """404 unless the store has events, and some between ``a`` and ``b`` either way."""
    if not has_events(store.conn):
        raise HTTPException(
            404,
            "this store was made before events were stored, so it has no dyads; "
            f"run the corpus into a new store (accordingto run --db NEW.db) to see {a} and {b}",
        )
    if not (
        event_reports(store, dyad=(a, b), limit=1) or event_reports(store, dyad=(b, a), limit=1)
    ):
        raise HTTPException(
            404,
            f"no events between {a} and {b} in the store, either way; an article page's "
            "event list links to the dyads it has",
        )


def _direction_values(weeks: list[WeekRow], direction: str, field: str) -> list[float | None]:
    return [getattr(w, field) for w in weeks if w.direction == direction]


def _chart(a: str, b: str, weeks: list[WeekRow]) -> Any:
    labels = list(dict.fromkeys(w.week for w in weeks))
    ab, ba = f"{a}>{b}", f"{b}>{a}"

    def series(field: str) -> list[Series]:
        return [
            Series(f"{a} → {b}", _direction_values(weeks, ab, field)),
            Series(f"{b} → {a}", _direction_values(weeks, ba, field)),
        ]

    return timeline_chart(
        labels,
        [
            ("Events per week", series("events"), None),
            ("Goldstein mean (−10 hostile … +10 cooperative)", series("goldstein_mean"), (-10, 10)),
            ("Material-conflict events", series("material_conflict"), None),
        ],
        links=[f"/dyad/{a}/{b}/{w}" for w in labels],
        label=f"Events between {a} and {b} per week, both ways: count, Goldstein mean, "
        "material conflict; each point links to its evidence",
    )


def _week_rows(a: str, b: str, weeks: list[WeekRow]) -> list[dict[str, Any]]:
    """One row per week: both directions side by side, with the link to the evidence."""
    rows: dict[str, dict[str, Any]] = {}
    for w in weeks:
        row = rows.setdefault(
            w.week, {"week": w.week, "week_start": w.week_start, "url": f"/dyad/{a}/{b}/{w.week}"}
        )
        key = "ab" if w.direction == f"{a}>{b}" else "ba"
        row |= {
            f"{key}_events": w.events,
            f"{key}_goldstein_mean": w.goldstein_mean,
            f"{key}_material_conflict": w.material_conflict,
        }
    return list(rows.values())


def iso_week(week: str) -> tuple[str, str]:
    """``2026-W11`` → its Monday and Sunday (``2026-03-09``, ``2026-03-15``)."""
    m = _WEEK.fullmatch(week.strip())
    try:
        if m is None:
            raise ValueError(week)
        monday = datetime.date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise QueryError(
            f"week {week!r} is not an ISO week: give it as 2026-W11 (year, W, week 01-53)"
        ) from None
    return monday.isoformat(), (monday + datetime.timedelta(days=6)).isoformat()


def sentence_around(text: str, start: int, end: int) -> dict[str, Any]:
    """The sentence holding ``text[start:end]`` (cut at ``. ``, ``! ``, ``? `` and line breaks),
    as ``before``, ``trigger`` and ``after``; a longer one than :data:`SENTENCE_CHARS` is
    cut at words around the trigger, with "…" where it was cut."""
    half = SENTENCE_CHARS // 2
    left = max([0, *(i + len(sep) for sep in _STOPS if (i := text.rfind(sep, 0, start)) != -1)])
    ends = [i + 1 for sep in _STOPS if (i := text.find(sep, end)) != -1]
    right = min([len(text), *ends])
    before, after = text[left:start].lstrip(), text[end:right].rstrip()
    if len(before) > half:
        cut = before.find(" ", len(before) - half)
        before = "…" + before[cut + 1 if cut != -1 else len(before) - half :]
    if len(after) > half:
        cut = after.rfind(" ", 0, half)
        after = after[: cut if cut > 0 else half] + "…"
    return {"before": before, "trigger": text[start:end], "after": after}


def _report(store: Store, r: ReportRow, articles: dict[str, Any]) -> dict[str, Any]:
    if r.article_id not in articles:
        articles[r.article_id] = store.analysis(r.article_id)
    analysis = articles[r.article_id]
    text = analysis.article.text if analysis is not None else ""
    return asdict(r) | {
        "title": analysis.article.title if analysis is not None else None,
        "sentence": sentence_around(text, r.start, r.end),
        "claimed_by_label": r.claimed_by_name
        or ("the author" if r.claimed_by is None else "an unknown speaker"),
        "url": f"/articles/{r.article_id}#t-{r.event_id}",
    }


def _event(store: Store, e: CorpusEvent, articles: dict[str, Any]) -> dict[str, Any]:
    row = asdict(e)
    row.pop("evidence")
    return row | {
        "quad_name": QUAD_NAMES.get(e.quad, str(e.quad)),
        "direction": f"{e.actor_code} → {e.target_code}",
        "reports": [_report(store, r, articles) for r in e.evidence],
    }


def _week_events(store: Store, a: str, b: str, since: str, until: str) -> list[CorpusEvent]:
    found = corpus_events(store, dyad=(a, b), since=since, until=until)
    found += corpus_events(store, dyad=(b, a), since=since, until=until)
    return sorted(found, key=lambda e: (e.date or "", e.actor_code or "", e.id))


@page(
    router,
    "/dyad/{a}/{b}",
    "dyad.html",
    summary="Two actors' events per week, both ways: count, Goldstein mean, material conflict",
    csv="weeks",
)
def dyad(
    request: Request, store: StoreDep, a: str, b: str, since: Since = None, until: Until = None
) -> Page:
    a, b = _codes(a, b)
    _require_dyad(store, a, b)
    weeks = escalation(store, a, b, since=since or None, until=until or None)
    data = {
        "a": a,
        "b": b,
        "since": since or None,
        "until": until or None,
        "counted": list(FACTUAL),
        "weeks": _week_rows(a, b, weeks),
    }
    return Page(data, {"chart": _chart(a, b, weeks)})


def _flat(e: dict[str, Any], r: dict[str, Any], counted: bool) -> dict[str, Any]:
    """One report as a row of the week's table (the sentence as one string)."""
    return {k: v for k, v in r.items() if k != "sentence"} | {
        "sentence": "".join(r["sentence"].values()),
        "counted": counted,
        "corpus_event_date": e["date"],
    }


@page(
    router,
    "/dyad/{a}/{b}/{week}",
    "dyad_week.html",
    summary="The evidence of one week of a dyad: its events and every article's report of them",
    csv="reports",
)
def dyad_week(request: Request, store: StoreDep, a: str, b: str, week: str) -> Page:
    a, b = _codes(a, b)
    monday, sunday = iso_week(week)
    _require_dyad(store, a, b)
    articles: dict[str, Any] = {}
    events = [_event(store, e, articles) for e in _week_events(store, a, b, monday, sunday)]
    counted = [e for e in events if e["modality"] in FACTUAL]
    others = [e for e in events if e["modality"] not in FACTUAL]
    data = {
        "a": a,
        "b": b,
        "week": week.strip(),
        "week_start": monday,
        "week_end": sunday,
        "events": counted,
        "not_counted": others,
        "reports": [_flat(e, r, e["modality"] in FACTUAL) for e in events for r in e["reports"]],
    }
    return Page(data)
