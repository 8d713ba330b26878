"""Dates of events, resolved against the article's date.

``resolve_date`` is a pure function of the phrase and the article date: "On Tuesday"
in an article of 30 May 2023 is 2023-05-30 (a weekday means the latest such day on or
before the article's date); "yesterday" is 2023-05-29; "in December" is the latest
December not after the article (2022-12); "30 May 2023" and "2023-05-30" are
themselves.  Phrases that name a stretch of time ("last week", "months ago") give no date.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["article_date", "parse_date", "resolve_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = {m: i + 1 for i, m in enumerate(_MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH["sept"] = 9
_M = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_M}(?:,?\s+(\d{{4}}))?", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_MONTH_YEAR = re.compile(rf"\b{_M}\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTH_ONLY = re.compile(rf"\b{_M}(?![a-z])", re.I)
_WEEKDAY = re.compile(r"\b(last\s+|this\s+|next\s+)?(" + "|".join(_WEEKDAYS) + r")\b", re.I)


def parse_date(text: str | None) -> dt.date | None:
    """An article's date from how it is written ("30 May 2023", "May 30, 2023", ISO)."""
    if not text:
        return None
    if m := _ISO.search(text):
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if (m := _DAY_MONTH_YEAR.search(text)) and m.group(3):
        return _safe(int(m.group(3)), _MONTH[m.group(2).lower()], int(m.group(1)))
    if (m := _MONTH_DAY_YEAR.search(text)) and m.group(3):
        return _safe(int(m.group(3)), _MONTH[m.group(1).lower()], int(m.group(2)))
    return None


def article_date(text: str, *, lines: int = 6) -> dt.date | None:
    """A date standing alone on one of the first lines of the text (a dateline under the title)."""
    for line in text.strip().splitlines()[:lines]:
        line = line.strip().strip("*_ ")
        if line and len(line) <= 40 and (found := parse_date(line)) is not None:
            return found
    return None


def resolve_date(phrase: str, article: dt.date | None) -> str | None:
    """The ISO date (``YYYY-MM-DD``, or ``YYYY-MM`` for a month) a phrase names, or ``None``."""
    low = phrase.lower()
    if (found := parse_date(phrase)) is not None:
        return found.isoformat()
    if m := _MONTH_YEAR.search(phrase):
        return f"{int(m.group(2)):04d}-{_MONTH[m.group(1).lower()]:02d}"
    if article is None:
        return None
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
        return article.isoformat()
    if re.search(r"\byesterday\b", low):
        return (article - dt.timedelta(days=1)).isoformat()
    if re.search(r"\btomorrow\b", low):
        return (article + dt.timedelta(days=1)).isoformat()
    if m := _WEEKDAY.search(phrase):
        return _weekday(article, _WEEKDAYS.index(m.group(2).lower()), (m.group(1) or "").strip())
    if m := (_DAY_MONTH_YEAR.search(phrase) or _MONTH_DAY_YEAR.search(phrase)):
        day, month = _day_month(m)
        return _latest(article, month, day)
    if re.search(r"\b(week|weeks|months?|years?|ago|since|until|earlier|later)\b", low):
        return None
    if m := _MONTH_ONLY.search(phrase):
        month = _MONTH[m.group(1).lower()]
        year = article.year if month <= article.month else article.year - 1
        return f"{year:04d}-{month:02d}"
    return None


def _weekday(article: dt.date, weekday: int, which: str) -> str:
    back = (article.weekday() - weekday) % 7
    if which == "next":
        return (article + dt.timedelta(days=(weekday - article.weekday()) % 7 or 7)).isoformat()
    if which == "last" and back == 0:
        back = 7
    return (article - dt.timedelta(days=back)).isoformat()


def _day_month(m: re.Match[str]) -> tuple[int, int]:
    first, second = m.group(1), m.group(2)
    if first.isdigit():
        return int(first), _MONTH[second.lower()]
    return int(second), _MONTH[first.lower()]


def _latest(article: dt.date, month: int, day: int) -> str | None:
    for year in (article.year, article.year - 1):
        found = _safe(year, month, day)
        if found is not None and found <= article:
            return found.isoformat()
    return None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
