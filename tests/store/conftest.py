"""Hand-built analyses for store tests (no spaCy: fast and exact)."""

from __future__ import annotations

import pytest

from accordingto.model import (
    Analysis,
    Article,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    Span,
    Speaker,
    content_id,
)


def make_analysis(
    text: str,
    quotes: list[tuple[str, str, str]],
    *,
    url: str | None = None,
    outlet: str | None = None,
    date: str | None = None,
    via: dict[str, str] | None = None,
) -> Analysis:
    """An analysis of ``text`` with quotes given as (quoted words, speaker name, speaker kind).

    ``via`` maps a speaker name to the name of an outlet it was cited through.
    """
    article = Article(text=text, url=url, outlet=outlet, date=date, title=text[:20])
    speakers: dict[str, Speaker] = {}
    out = []
    for words, name, kind in quotes:
        start = text.index(words)
        span = Span.of(text, start, start + len(words))
        sid = content_id(kind, name.lower(), prefix="s_")
        at = text.find(name)
        mentions = (Span.of(text, at, at + len(name)),) if at >= 0 else ()
        speakers.setdefault(sid, Speaker(sid, name, EntityKind(kind), None, mentions))
        chain = ()
        if via and name in via:
            vid = content_id("outlet", via[name].lower(), prefix="s_")
            speakers.setdefault(vid, Speaker(vid, via[name], EntityKind.OUTLET))
            chain = (vid,)
        out.append(
            Quote(
                id=content_id(article.id, f"{span.start}:{span.end}", prefix="q_"),
                kind=QuoteKind.DIRECT,
                content=(span,),
                speaker_id=sid,
                via=chain,
                confidence=0.9,
            )
        )
    marks = ()
    if "“scare”" in text:
        at = text.index("“scare”")
        marks = (Mark(MarkKind.SCARE, Span.of(text, at, at + 7)),)
    return Analysis(
        article, tuple(out), tuple(speakers.values()), marks, (), {"accordingto": "test"}
    )


@pytest.fixture(scope="session")
def build_analysis():
    """:func:`make_analysis` itself, for tests that want one more article."""
    return make_analysis


@pytest.fixture
def analyses() -> list[Analysis]:
    return [
        make_analysis(
            "“We will rebuild the bridge by spring,” said Mayor Anna Holt.",
            [("We will rebuild the bridge by spring", "Anna Holt", "person")],
            url="https://www.example.org/a?utm_source=x",
            outlet="Example Times",
            date="2026-01-02",
        ),
        make_analysis(
            "“We will rebuild the bridge by summer,” Holt said. A “scare” word.",
            [("We will rebuild the bridge by summer", "Holt", "person")],
            url="https://other.net/b",
            outlet="Other Daily",
            date="2026-01-05",
        ),
        make_analysis(
            "“The talks failed,” an official said, according to Reuters.",
            [("The talks failed", "an official", "anonymous")],
            url="https://other.net/c",
            outlet="Other Daily",
            date="2026-02-01",
            via={"an official": "Reuters"},
        ),
    ]
