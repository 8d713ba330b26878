"""Dyad pages over a small store of hand-made records (no spaCy): the weekly chart both ways,
every point linking to its evidence, each report linking to the article at its trigger."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

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
from accordingto.store import Store
from accordingto.web import WebSettings, create_app
from accordingto.web.dyad import SENTENCE_CHARS, iso_week, sentence_around


def sp(text: str, sub: str) -> Span:
    start = text.index(sub)
    return Span.of(text, start, start + len(sub))


#: (outlet, article date, text, trigger, actor, actor code, target, target code, event date,
#:  modality, speaker who claims it or None)
ROWS = [
    ("Kyiv Post", "2026-03-10", "Russian forces shelled Kharkiv on Monday. Nothing else.",
     "shelled", "Russian forces", "RUS", "Kharkiv", "UKR", "2026-03-09", Modality.HAPPENED, None),
    ("Kyiv Post", "2026-03-18", "Ukrainian drones struck a Russian refinery on Tuesday.",
     "struck", "Ukrainian drones", "UKR", "a Russian refinery", "RUS", "2026-03-17",
     Modality.HAPPENED, None),
    ("Moscow Daily", "2026-03-18", "Russia might bomb Kyiv <b>soon</b>, analyst Ivan Petrov said.",
     "bomb", "Russia", "RUS", "Kyiv", "UKR", "2026-03-17", Modality.HYPOTHETICAL, "Ivan Petrov"),
    ("Moscow Daily", "2026-03-19", "General Oleg Sokolov said Russian jets bombed Odesa on Tuesday.",
     "bombed", "Russian jets", "RUS", "Odesa", "UKR", "2026-03-17", Modality.HAPPENED,
     "Oleg Sokolov"),
]  # fmt: skip


def record(row) -> Analysis:
    outlet, date, text, trig, actor, ac, target, tc, edate, modality, who = row
    speakers: tuple[Speaker, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claimed = None
    if who is not None:
        claimed = "s_" + who.split()[-1].lower()
        speakers = (Speaker(claimed, who, EntityKind.PERSON, mentions=(sp(text, who),)),)
        content = text[: text.index(", analyst")] if "analyst" in text else text.split("said ")[1]
        quotes = (
            Quote(
                "q_" + claimed,
                QuoteKind.INDIRECT,
                (sp(text, content),),
                cue=sp(text, "said"),
                speaker_id=claimed,
                confidence=0.8,
            ),
        )
    event = Event(
        "e_" + trig,
        sp(text, trig),
        "ASSAULT",
        4,
        modality,
        actor=sp(text, actor),
        actor_code=ac,
        target=sp(text, target),
        target_code=tc,
        date=edate,
        intensity=-9.0,
        claimed_by=claimed,
        confidence=0.8,
    )
    article = Article(text, title=f"{outlet}: {trig}", outlet=outlet, date=date)
    return Analysis(article, quotes=quotes, speakers=speakers, events=(event,))


@pytest.fixture(scope="module")
def dyad_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dyad") / "events.db"
    with Store(path) as store:
        for i, row in enumerate(ROWS):
            store.add(record(row), source=f"doc-{i}")
    return path


@pytest.fixture(scope="module")
def client(dyad_db):
    with TestClient(create_app(WebSettings(db=dyad_db, preload=False))) as c:
        yield c


def test_the_dyad_page_charts_both_ways_week_by_week(client):
    r = client.get("/dyad/RUS/UKR")
    assert r.status_code == 200
    assert '<svg class="chart timeline"' in r.text and 'role="img"' in r.text
    weeks = client.get("/dyad/RUS/UKR.json").json()["weeks"]
    assert [(w["week"], w["ab_events"], w["ba_events"]) for w in weeks] == [
        ("2026-W11", 1, 0),
        ("2026-W12", 1, 1),  # the hypothetical bombing is not counted
    ]
    assert weeks[1]["ab_goldstein_mean"] == -9.0 and weeks[1]["ba_material_conflict"] == 1
    csv = client.get("/dyad/RUS/UKR.csv")
    assert csv.status_code == 200 and csv.text.startswith("week,week_start,url,")


def test_every_point_links_to_its_weeks_evidence(client):
    html = client.get("/dyad/RUS/UKR").text
    svg = html[html.index("<svg") : html.index("</svg>")]
    points = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><(?:circle|rect)', svg)
    # 2 weeks × 2 directions × 3 panels, less the Goldstein mean of UKR → RUS in W11 (no events)
    assert len(points) == 11
    assert (
        "/dyad/RUS/UKR/2026-W12",
        "Events per week, UKR → RUS, 2026-W12: 1 (open the evidence)",
    ) in points
    assert {href for href, _ in points} == {"/dyad/RUS/UKR/2026-W11", "/dyad/RUS/UKR/2026-W12"}
    for href, _ in points:
        assert client.get(href).status_code == 200


def test_the_weeks_evidence_lists_reports_with_sentence_and_claimant(client):
    page = client.get("/dyad/RUS/UKR/2026-W12")
    assert page.status_code == 200
    data = client.get("/dyad/RUS/UKR/2026-W12.json").json()
    counted = {r["trigger"]: r for e in data["events"] for r in e["reports"]}
    assert set(counted) == {"struck", "bombed"}
    assert [r["trigger"] for e in data["not_counted"] for r in e["reports"]] == ["bomb"]
    bombed = counted["bombed"]
    assert bombed["claimed_by_label"] == "Oleg Sokolov"
    assert counted["struck"]["claimed_by_label"] == "the author"
    assert bombed["sentence"] == {
        "before": "General Oleg Sokolov said Russian jets ",
        "trigger": "bombed",
        "after": " Odesa on Tuesday.",
    }
    assert "claimed by Oleg Sokolov" in page.text and "claimed by the author" in page.text
    # each report links to the article page, at the trigger
    url = bombed["url"]
    assert f'href="{url}"' in page.text
    path, anchor = url.split("#")
    article = client.get(path)
    assert article.status_code == 200
    assert re.search(
        rf'<mark class="ev ev-happened" id="{anchor}"[^>]*>bombed</mark>', article.text
    )


def test_the_evidence_escapes_article_text(client):
    page = client.get("/dyad/RUS/UKR/2026-W12").text
    assert "<b>soon</b>" not in page and "&lt;b&gt;soon&lt;/b&gt;" in page


def test_a_stored_article_links_its_events_to_their_dyad(client):
    data = client.get("/dyad/RUS/UKR/2026-W11.json").json()
    path = data["events"][0]["reports"][0]["url"].split("#")[0]
    article = client.get(path)
    assert 'href="/dyad/RUS/UKR"' in article.text
    assert client.get(path + ".json").json()["events"][0]["dyad_url"] == "/dyad/RUS/UKR"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/dyad/RUS/FRA", 404, "no events between RUS and FRA"),
        ("/dyad/FRA/DEU/2026-W11", 404, "no events between FRA and DEU"),
        ("/dyad/RUS/RUS", 422, "two different actors"),
        ("/dyad/RUS/x-y", 422, "is not an actor code"),
        ("/dyad/RUS/UKR/2026-W99", 422, "not an ISO week"),
        ("/dyad/RUS/UKR/last-week", 422, "not an ISO week"),
    ],
)
def test_unknown_or_malformed_dyads_get_a_clear_error(client, path, status, message):
    page = client.get(path)
    assert page.status_code == status and message in page.text and 'role="alert"' in page.text
    twin = client.get(path + ".json")
    assert twin.status_code == status and message in twin.json()["error"]


def test_a_read_only_store_serves_the_dyad_pages(dyad_db, client):
    from test_web_readonly import _unprivileged  # as nobody when root: root ignores modes

    folder = Path(tempfile.mkdtemp(prefix="ro-dyad-"))  # where nobody may look
    copy = folder / "events.db"
    shutil.copy(dyad_db, copy)
    copy.chmod(0o444)
    folder.chmod(0o555)
    paths = ["/dyad/RUS/UKR", "/dyad/RUS/UKR/2026-W12", "/dyad/UKR/RUS.json", "/corpus"]
    assert all(client.get(p).status_code == 200 for p in paths)  # loads what Python reads lazily

    def serve() -> dict:
        with TestClient(create_app(WebSettings(db=copy, preload=False))) as c:
            return {p: c.get(p).status_code for p in paths}

    try:
        got = _unprivileged(serve)
        assert got == dict.fromkeys(paths, 200), got
        assert sorted(p.name for p in folder.iterdir()) == ["events.db"]  # no -wal, no -shm
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("week", "days"),
    [
        ("2026-W11", ("2026-03-09", "2026-03-15")),
        ("2026-W01", ("2025-12-29", "2026-01-04")),  # ISO week 1 starts in the year before
        ("2020-W53", ("2020-12-28", "2021-01-03")),
    ],
)
def test_iso_week(week, days):
    assert iso_week(week) == days


@pytest.mark.parametrize(
    ("text", "trigger", "want"),
    [
        ("One. Troops shelled the port. Two.", "shelled", "Troops shelled the port."),
        ("Troops shelled the port", "shelled", "Troops shelled the port"),
        ("Head line\nTroops shelled it! Then", "shelled", "Troops shelled it!"),
        ("Is it? Troops shelled it? Yes", "shelled", "Troops shelled it?"),
    ],
)
def test_sentence_around(text, trigger, want):
    start = text.index(trigger)
    got = sentence_around(text, start, start + len(trigger))
    assert "".join(got.values()) == want and got["trigger"] == trigger


def test_a_long_sentence_is_cut_at_words_around_the_trigger():
    text = "Word " * 60 + "troops shelled it " + "then " * 60 + "end."
    start = text.index("shelled")
    got = sentence_around(text, start, start + len("shelled"))
    before, after = got["before"], got["after"]
    assert before.startswith("…Word ") and before.endswith("Word troops ")
    assert after.startswith(" it then") and after.endswith(" then…")
    assert len(before) <= 1 + SENTENCE_CHARS // 2 and len(after) <= 1 + SENTENCE_CHARS // 2


def test_a_stored_article_keeps_what_each_attribution_reports(tmp_path):
    text = "Engineers fear that the bridge could fall. The mayor said it would reopen."
    quotes = (
        Quote(
            "q_fear",
            QuoteKind.INDIRECT,
            (sp(text, "that the bridge could fall"),),
            cue=sp(text, "fear"),
            reported_as=ReportedAs.THOUGHT,
            speaker_confidence=0.7,
        ),
        Quote("q_said", QuoteKind.INDIRECT, (sp(text, "it would reopen"),), cue=sp(text, "said")),
    )
    analysis = Analysis(Article(text, title="Bridge"), quotes=quotes)
    # the store keeps both (migration 0006_reported_as); the page lists speech first
    with Store(tmp_path / "kinds.db") as store:
        store.add(analysis, source="doc")
    with TestClient(create_app(WebSettings(db=tmp_path / "kinds.db", preload=False))) as c:
        got = c.get(f"/articles/{analysis.article.id}.json").json()["quotes"]
    assert [(q["id"], q["reported_as"], q["speaker_confidence"]) for q in got] == [
        ("q_said", "speech", None),
        ("q_fear", "thought", 0.7),
    ]


def test_the_corpus_page_lists_the_pairs_with_most_events_each_linking_to_its_page(client):
    data = client.get("/corpus.json").json()
    assert data["has_events"] is True
    # RUS → UKR: the shelling and the bombing; UKR → RUS: the strike; the hypothetical
    # bombing is not counted, as on the dyad page
    assert [
        (d["a"], d["b"], d["events"], d["a_to_b"], d["b_to_a"], d["material_conflict"])
        for d in data["dyads"]
    ] == [("RUS", "UKR", 3, 2, 1, 3)]
    assert (data["dyads"][0]["first"], data["dyads"][0]["last"]) == ("2026-03-09", "2026-03-17")
    page = client.get("/corpus")
    assert page.status_code == 200 and "Pairs of actors" in page.text
    assert '<a href="/dyad/RUS/UKR">RUS and UKR</a>' in page.text
    assert client.get(data["dyads"][0]["url"]).status_code == 200
    # the dates filter the pairs too
    later = client.get("/corpus.json", params={"since": "2026-03-16"}).json()["dyads"]
    assert [(d["a_to_b"], d["b_to_a"]) for d in later] == [(1, 1)]


def test_a_store_made_before_events_has_a_corpus_page_without_pairs(dyad_db, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(dyad_db, old)
    conn = sqlite3.connect(old)
    for table in ("event_mentions", "event_reports", "corpus_events"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("DELETE FROM migrations WHERE name IN ('0004_events', '0005_stage_analyze')")
    conn.commit()
    conn.close()
    with TestClient(create_app(WebSettings(db=old, preload=False))) as c:
        page = c.get("/corpus")
        data = c.get("/corpus.json").json()
    assert page.status_code == 200 and "made before events were stored" in page.text
    assert data["dyads"] == [] and data["has_events"] is False
    assert data["summary"]["articles"] == len(ROWS)
