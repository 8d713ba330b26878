"""The record holds together on any article: every ID a record points to exists, every span's
text is the article's text there, nothing crashes.  Articles are generated from a table of
real-looking sentence templates (names, pronouns, cues, quotations, paragraphs)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accordingto
from accordingto.model import Analysis, Span

NAMES = [
    "Ortiz",
    "Ana Ortiz",
    "Mayor Ana Ortiz",
    "Tom Reyes",
    "Reyes",
    "Senator Tom Reyes",
    "Dr. Helen Brandt",
    "Brandt",
    "the Riverton Gazette",
    "the city council",
    "a senior official",
    "Ms. Lee",
]
PRONOUNS = ["he", "she", "they", "it", "we"]
CUES = ["said", "told reporters", "added", "wrote", "argued", "warned", "asked"]
QUOTES = [
    "We will rebuild",
    "Nobody expected the water to rise this fast",
    "The budget does not cover the repairs",
    "Ok",
    "I have asked the inspectors to report by Friday",
    "This is a difficult day",
]
TEMPLATES = [
    "“{q},” said {n}.",
    "“{q},” {p} {c}.",
    "{n} {c}: “{q}.”",
    "{n} {c} that the bridge would close.",
    "According to {n}, the plan was dead.",
    "“{q},” {n} {c}. “{q2}.”",
    "Later, “{q},” said {n}.",
    "The Riverton Gazette, citing {n}, reported that the talks had failed.",
    "“{q}”",
    "The storm closed three roads on Tuesday.",
    "{n}, who {c} “{q},” left early.",
    "REYES: {q}.",
    "“{q}",
]

sentences = st.builds(
    lambda t, n, p, c, q, q2: t.format(n=n, p=p, c=c, q=q, q2=q2),
    st.sampled_from(TEMPLATES),
    st.sampled_from(NAMES),
    st.sampled_from(PRONOUNS),
    st.sampled_from(CUES),
    st.sampled_from(QUOTES),
    st.sampled_from(QUOTES),
)
paragraphs = st.lists(sentences, min_size=1, max_size=4).map(" ".join)
articles = st.lists(paragraphs, min_size=1, max_size=6).map("\n\n".join)


def _spans(a: Analysis) -> list[Span]:
    out: list[Span] = []
    for q in a.quotes:
        out += [*q.content, *(s for s in (q.cue, q.source) if s is not None)]
    for s in a.speakers:
        out += s.mentions
    out += [m.span for m in a.marks]
    out += [d.span for d in a.diagnostics if d.span is not None]
    return out


def check_record(a: Analysis) -> None:
    text = a.article.text
    ids = [s.id for s in a.speakers]
    assert len(ids) == len(set(ids)), "two speakers with one ID"
    for q in a.quotes:
        assert q.speaker_id is None or q.speaker_id in ids, f"dangling speaker_id in {q}"
        assert all(v in ids for v in q.via), f"dangling via in {q}"
    quote_ids = [q.id for q in a.quotes]
    assert len(quote_ids) == len(set(quote_ids)), "two quotations with one ID"
    for span in _spans(a):
        assert 0 <= span.start < span.end <= len(text)
        assert span.text == text[span.start : span.end]


@pytest.mark.parametrize(
    "text",
    [
        # the name grew after the ID was given: the quotation's speaker_id dangled
        "“We will rebuild,” said Ortiz. Later, “We are ready,” said Mayor Ana Ortiz.",
        "“Ok,” Reyes said.\n\n“We are ready,” said Senator Tom Reyes. “Not yet,” he added.",
    ],
)
def test_speaker_ids_exist(text: str) -> None:
    a = accordingto.analyze(text)
    assert [q.speaker_id for q in a.quotes if q.speaker_id]
    check_record(a)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles)
def test_every_record_holds_together(text: str) -> None:
    check_record(accordingto.analyze(text))
