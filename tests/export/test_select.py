"""--only and --min-confidence: which attributions the report, JSON and API keep (issue 12)."""

from __future__ import annotations

import io
import math

import pytest
from rich.console import Console

from accordingto.errors import QueryError
from accordingto.export import render_report
from accordingto.export.select import Selection, check_confidence, parse_only, select
from accordingto.model import (
    Analysis,
    Article,
    EntityKind,
    Quote,
    QuoteKind,
    ReportedAs,
    Span,
    Speaker,
)

TEXT = (
    "“We will reopen the bridge,” said Mayor Ana Ortiz. "
    "Ortiz believes that the repairs were rushed. "
    "The council decided to delay the vote. "
    "Residents voted against the plan. "
    "A rumour said the bridge was closed."
)


def _quote(words: str, cue: str, reported_as: ReportedAs, confidence: float) -> Quote:
    at = TEXT.index(words)
    cue_at = TEXT.index(cue)
    return Quote(
        id=f"q_{at}",
        kind=QuoteKind.DIRECT if words.startswith("“") else QuoteKind.INDIRECT,
        content=(Span.of(TEXT, at, at + len(words)),),
        cue=Span.of(TEXT, cue_at, cue_at + len(cue)),
        speaker_id="s_ortiz" if "Ortiz" in TEXT[max(0, at - 40) : at + 60] else None,
        confidence=confidence,
        reported_as=reported_as,
        speaker_confidence=0.8 if reported_as is ReportedAs.SPEECH else None,
    )


def _analysis() -> Analysis:
    quotes = (
        _quote("“We will reopen the bridge,”", "said", ReportedAs.SPEECH, 0.9),
        _quote("that the repairs were rushed", "believes", ReportedAs.THOUGHT, 0.7),
        _quote("to delay the vote", "decided", ReportedAs.INTENTION, 0.6),
        _quote("the plan", "voted against", ReportedAs.ACTION, 0.4),
        _quote("the bridge was closed", "A rumour said", ReportedAs.OTHER, 0.2),
    )
    at = TEXT.index("Mayor Ana Ortiz")
    ortiz = Speaker(
        "s_ortiz", "Ana Ortiz", EntityKind.PERSON, "Mayor", (Span.of(TEXT, at, at + 15),)
    )
    return Analysis(Article(TEXT, title="Bridge"), quotes, (ortiz,))


@pytest.mark.parametrize(
    ("only", "kept"),
    [
        ("speech", {"speech"}),
        ("SPEECH", {"speech"}),
        (" speech , thought ", {"speech", "thought"}),
        ("intention,action,other", {"intention", "action", "other"}),
        (["thought", ReportedAs.ACTION], {"thought", "action"}),
        (ReportedAs.OTHER, {"other"}),
        (None, {"speech", "thought", "intention", "action", "other"}),
    ],
)
def test_only_keeps_those_kinds(only, kept):
    assert {q.reported_as.value for q in select(_analysis(), only=only).quotes} == kept


@pytest.mark.parametrize(
    ("minimum", "count"), [(None, 5), (0.0, 5), (0.6, 3), (0.65, 2), (0.9, 1), (1.0, 0)]
)
def test_min_confidence_keeps_those_at_least_that_sure(minimum, count):
    assert len(select(_analysis(), min_confidence=minimum).quotes) == count


def test_both_together_and_the_rest_of_the_analysis_stays():
    analysis = _analysis()
    kept = select(analysis, only="speech,thought", min_confidence=0.8)
    assert [q.reported_as for q in kept.quotes] == [ReportedAs.SPEECH]
    assert kept.speakers == analysis.speakers and kept.article == analysis.article


@pytest.mark.parametrize(
    ("only", "message"),
    [
        ("gossip", "'gossip' is not a kind of attribution"),
        ("speech,gossip", "'gossip' is not a kind of attribution"),
        ("quotes", "'quotes' is not a kind"),
        ("", "no kind given"),
        (",", "no kind given"),
        ([], "no kind given"),
    ],
)
def test_unknown_kinds_are_refused_with_what_to_give(only, message):
    with pytest.raises(QueryError, match=message) as caught:
        parse_only(only)
    assert "\n" not in str(caught.value) and "speech, thought" in str(caught.value)


@pytest.mark.parametrize("value", [2, -0.1, 1.01, math.nan, math.inf, "0.5", True])
def test_min_confidence_must_be_a_probability(value):
    with pytest.raises(QueryError, match="min confidence"):
        check_confidence(value)


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 1, 1.0])
def test_probabilities_pass(value):
    assert check_confidence(value) == float(value)


def test_describe_names_the_options():
    assert Selection.of(only="thought,speech").describe() == "--only speech,thought"
    assert Selection.of(min_confidence=0.25).describe() == "--min-confidence 0.25"
    assert Selection().everything and not Selection.of(only="speech").everything


def _shown(analysis: Analysis, selection: Selection | None = None) -> str:
    out = io.StringIO()
    Console(file=out, width=200, color_system=None, force_terminal=False).print(
        render_report(analysis, selection=selection)
    )
    return out.getvalue()


def test_report_lists_speech_first_and_the_others_apart_in_labelled_sections():
    shown = _shown(_analysis())
    order = [
        shown.index("Speech — 1"),
        shown.index("Reported as thought (not speech) — 1"),
        shown.index("Reported as intention (not speech) — 1"),
        shown.index("Reported as action (not speech) — 1"),
        shown.index("Reported as something else (not speech) — 1"),
    ]
    assert order == sorted(order)
    for words in ("We will reopen", "repairs were rushed", "delay the vote", "the plan", "closed"):
        assert words in shown  # nothing dropped
    assert shown.index("We will reopen") < order[1] < shown.index("repairs were rushed")
    assert "1 quotations (+4 not speech)" in shown


def test_report_shows_each_items_confidence():
    shown = _shown(_analysis())
    assert "confidence 0.90 (speaker 0.80)" in shown
    assert "confidence 0.20;" in shown  # no speaker confidence: not shown


def test_report_with_speech_only_has_no_other_section():
    analysis = _analysis()
    speech_only = Analysis(analysis.article, analysis.quotes[:1], analysis.speakers)
    shown = _shown(speech_only)
    assert "Speech — 1" in shown and "not speech)" not in shown and "left out" not in shown


def test_report_says_how_many_a_selection_left_out():
    shown = _shown(_analysis(), Selection.of(only="speech"))
    assert "4 of 5 attribution(s) left out by --only speech" in shown
    assert "repairs were rushed" not in shown and "We will reopen" in shown
    shown = _shown(_analysis(), Selection.of(min_confidence=0.5))
    assert "2 of 5 attribution(s) left out by --min-confidence 0.5" in shown
