"""The article page: speech first, other reports apart, low confidence faded, events marked by
modality and claimant (issues 12 and 13), from hand-made records (no spaCy)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from accordingto.model import (
    Analysis,
    Article,
    EntityKind,
    Event,
    Modality,
    Quote,
    QuoteKind,
    ReportedAs,
    Span,
    Speaker,
)
from accordingto.web import WebSettings, create_app
from accordingto.web.views import FADE_BELOW, cards, segments, tip

TEXT = (
    "Engineers fear that the old bridge could collapse. "
    "Mayor Ana Ruiz said the bridge would reopen in May. "
    "Ruiz decided to close the river road. "
    "Ruiz said police did not arrest anyone. "
    "The army might strike the depot. "
    "Russian forces shelled the Ukrainian port on Monday."
)


def sp(sub: str, text: str = TEXT, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span.of(text, start, start + len(sub))


RUIZ = Speaker("s_ruiz", "Ana Ruiz", EntityKind.PERSON, role="mayor")
ENGINEERS = Speaker("s_eng", "Engineers", EntityKind.UNKNOWN)


def quote(qid: str, content: str, cue: str, speaker: str, reported: ReportedAs, conf: float):
    return Quote(
        qid,
        QuoteKind.INDIRECT,
        (sp(content),),
        cue=sp(cue),
        speaker_id=speaker,
        confidence=conf,
        reported_as=reported,
        speaker_confidence=0.93 if speaker == "s_ruiz" else None,
    )


QUOTES = (
    # a thought first in the text: the page still lists speech first
    quote(
        "q_thought", "that the old bridge could collapse", "fear", "s_eng", ReportedAs.THOUGHT, 0.3
    ),
    quote("q_speech", "the bridge would reopen in May", "said", "s_ruiz", ReportedAs.SPEECH, 0.9),
    quote("q_intent", "to close the river road", "decided", "s_ruiz", ReportedAs.INTENTION, 0.8),
    quote("q_denial", "police did not arrest anyone", "said", "s_ruiz", ReportedAs.SPEECH, 0.45),
)
EVENTS = (
    Event(
        "e_neg", sp("arrest"), "ARREST", 4, Modality.NEGATED,
        actor=sp("police"), claimed_by="s_ruiz", confidence=0.8,
    ),
    Event(
        "e_hyp", sp("strike"), "ASSAULT", 4, Modality.HYPOTHETICAL,
        actor=sp("The army"), target=sp("the depot"), confidence=0.3,
    ),
    Event(
        "e_happened", sp("shelled"), "ASSAULT", 4, Modality.HAPPENED,
        actor=sp("Russian forces"), actor_code="RUS", target=sp("the Ukrainian port"),
        target_code="UKR", date="2026-03-09", intensity=-10.0, confidence=0.9,
    ),
)  # fmt: skip
ANALYSIS = Analysis(
    Article(TEXT, title="Bridge closed"),
    quotes=QUOTES,
    speakers=(RUIZ, ENGINEERS),
    events=EVENTS,
)


@pytest.fixture(scope="module")
def app_client():
    """The single-article app without spaCy: records are put where analyses are kept."""
    with TestClient(create_app(WebSettings(preload=False))) as c:
        yield c


def page_of(client, analysis: Analysis) -> tuple[str, dict]:
    client.app.state.recent.add(analysis)
    path = f"/analysis/{analysis.article.id}"
    html, data = client.get(path), client.get(path + ".json")
    assert html.status_code == data.status_code == 200
    return html.text, data.json()


# -- issue 12: speech first, the rest apart, low confidence faded ----------------------------


def test_speech_first_then_the_other_reports_in_text_order():
    assert [c["id"] for c in cards(ANALYSIS)] == ["q_speech", "q_denial", "q_thought", "q_intent"]


def test_the_page_lists_speech_first_and_the_rest_apart(app_client):
    html, data = page_of(app_client, ANALYSIS)
    assert [q["id"] for q in data["quotes"]] == ["q_speech", "q_denial", "q_thought", "q_intent"]
    assert [q["reported_as"] for q in data["quotes"]] == [
        "speech",
        "speech",
        "thought",
        "intention",
    ]
    speech_h, other_h = html.index('id="quotes-h"'), html.index('id="reported-h"')
    at = {
        qid: html.index(f'id="{qid}" data-card')
        for qid in ("q_speech", "q_denial", "q_thought", "q_intent")
    }
    assert speech_h < at["q_speech"] < at["q_denial"] < other_h < at["q_thought"] < at["q_intent"]
    assert "Thoughts, intentions, actions and other reports (2)" in html
    assert "Speech (2)" in html
    # each card says what it reports
    thought_card = html[at["q_thought"] : at["q_intent"]]
    assert '<span class="rep rep-thought">thought</span>' in thought_card
    assert data["summary"]["reported_as"] == {"speech": 2, "thought": 1, "intention": 1}


def test_no_attribution_is_dropped(app_client):
    html, data = page_of(app_client, ANALYSIS)
    assert {q["id"] for q in data["quotes"]} == {q.id for q in QUOTES}
    assert all(f'id="{q.id}" data-card' in html for q in QUOTES)


def _card(html: str, qid: str) -> str:
    start = html.index(f'id="{qid}" data-card')
    return html[html.rindex("<article", 0, start) : html.index("</article>", start)]


@pytest.mark.parametrize(
    ("qid", "faded"),
    [("q_thought", True), ("q_denial", True), ("q_speech", False), ("q_intent", False)],
)
def test_low_confidence_is_faded_in_the_list_and_the_text(app_client, qid, faded):
    html, data = page_of(app_client, ANALYSIS)
    card = _card(html, qid)
    assert ('class="card faded"' in card) is faded
    assert ("low confidence" in card) is faded
    highlight = re.search(rf'<a class="([^"]*)" href="#{qid}" data-q="{qid}"', html)
    assert highlight is not None and ("faded" in highlight[1].split()) is faded
    assert next(q for q in data["quotes"] if q["id"] == qid)["faded"] is faded


def test_the_legend_says_what_fading_means(app_client):
    html, _ = page_of(app_client, ANALYSIS)
    assert f"confidence below {FADE_BELOW:.2f}" in html


def test_the_speakers_own_confidence_when_known(app_client):
    html, data = page_of(app_client, ANALYSIS)
    assert "0.93" in _card(html, "q_speech") and "right speaker" in _card(html, "q_speech")
    assert "right speaker" not in _card(html, "q_thought")  # not known: not shown
    assert next(q for q in data["quotes"] if q["id"] == "q_thought")["speaker_confidence"] is None


@pytest.mark.parametrize(
    ("piece", "classes"),
    [
        ("that the old bridge could collapse", {"q", "indirect", "rep-thought", "faded"}),
        ("to close the river road", {"q", "indirect", "rep-intention"}),
        ("the bridge would reopen in May", {"q", "indirect"}),
    ],
)
def test_the_highlight_marks_what_the_cue_reports(piece, classes):
    seg = next(s for s in segments(ANALYSIS) if s.text == piece)
    got = set(seg.classes.split())
    assert classes <= got and not ({"rep-speech", "rep-thought", "rep-intention"} - classes) & got


def test_the_tooltip_says_what_is_reported():
    by_id = {c["id"]: c for c in cards(ANALYSIS)}
    assert "thought (indirect)" in tip(by_id["q_thought"])
    assert "low confidence" in tip(by_id["q_thought"])
    assert tip(by_id["q_speech"]).startswith("Ana Ruiz (mayor): indirect, cue “said”")


# -- issue 13: events by modality and claimant ---------------------------------------------


def _marks(html: str) -> dict[str, tuple[str, str]]:
    """event id -> (classes of its trigger's mark, what follows the mark)."""
    out = {}
    for m in re.finditer(
        r'<mark class="([^"]*)" id="t-([^"]+)"[^>]*>([^<]*)</mark>(<small[^>]*>[^<]*</small>)?',
        html,
    ):
        out[m[2]] = (m[1], m[4] or "")
    return out


@pytest.mark.parametrize(
    ("event_id", "modality", "tag"),
    [
        ("e_happened", "ev-happened", ""),
        ("e_hyp", "ev-hypothetical", '<small class="ev-tag">hypothetical</small>'),
        ("e_neg", "ev-negated", '<small class="ev-tag">negated</small>'),
    ],
)
def test_event_triggers_are_marked_by_modality_in_class_and_words(
    app_client, event_id, modality, tag
):
    html, _ = page_of(app_client, ANALYSIS)
    classes, after = _marks(html)[event_id]
    assert "ev" in classes.split() and modality in classes.split()
    assert after == tag  # a happened event has no word after it; the others say what they are
    others = {"ev-happened", "ev-hypothetical", "ev-negated"} - {modality}
    assert not others & set(classes.split())


def test_an_event_inside_a_quotation_keeps_both_highlights(app_client):
    html, _ = page_of(app_client, ANALYSIS)
    assert re.search(
        r'<a class="q indirect [^"]*" href="#q_denial" data-q="q_denial"[^>]*>[^<]*'
        r'<mark class="ev ev-negated" id="t-e_neg"',
        html,
    )


@pytest.mark.parametrize(
    ("event_id", "claimant"),
    [("e_neg", "claimed by Ana Ruiz"), ("e_happened", "claimed by the author")],
)
def test_each_event_says_who_claims_it(app_client, event_id, claimant):
    html, data = page_of(app_client, ANALYSIS)
    card = _card(html, event_id)
    assert claimant in card
    assert claimant in re.search(rf'data-ev="{event_id}" title="([^"]*)"', html)[1]
    name = claimant.removeprefix("claimed by ")
    assert next(e for e in data["events"] if e["id"] == event_id)["claimed_by_name"] == name


def test_event_cards_show_actor_target_and_kind(app_client):
    html, data = page_of(app_client, ANALYSIS)
    card = _card(html, "e_happened")
    assert "Russian forces (RUS)" in card and "the Ukrainian port (UKR)" in card
    assert "material conflict" in card and "2026-03-09" in card
    assert [e["id"] for e in data["events"]] == ["e_neg", "e_hyp", "e_happened"]
    assert 'class="card ev-card faded"' in _card(html, "e_hyp")  # confidence 0.3
    # no store: no dyad page to link to
    assert "/dyad/" not in html and data["events"][2]["dyad_url"] is None


def test_event_text_is_escaped(app_client):
    text = (
        'Officials said <script>alert(1)</script> "gunmen" attacked '
        "<img src=x onerror=alert(2)> convoys."
    )
    evil = Speaker("s_evil", '<b onmouseover="alert(3)">Officials</b>', EntityKind.PERSON)
    event = Event(
        "e_evil",
        sp("attacked", text),
        "ASSAULT",
        4,
        Modality.THREATENED,
        actor=sp('<script>alert(1)</script> "gunmen"', text),
        target=sp("<img src=x onerror=alert(2)> convoys", text),
        claimed_by="s_evil",
    )
    q = Quote(
        "q_evil",
        QuoteKind.INDIRECT,
        (
            sp(
                '<script>alert(1)</script> "gunmen" attacked <img src=x onerror=alert(2)> convoys',
                text,
            ),
        ),
        cue=sp("said", text),
        speaker_id="s_evil",
    )
    html, _ = page_of(
        app_client, Analysis(Article(text), quotes=(q,), speakers=(evil,), events=(event,))
    )
    assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "claimed by &lt;b onmouseover=&#34;alert(3)&#34;&gt;Officials&lt;/b&gt;" in html
