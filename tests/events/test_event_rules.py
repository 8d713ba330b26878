"""Reported events, sentence by sentence: tables of (text, expected), with negatives.

Each row is one behaviour.  The sentences are written for these tests (not taken from any
manual or corpus).  The analyzer runs without the trained tagger (``tagger=False``): events
read the parse and the attributions, whichever finder made them.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

import accordingto
from accordingto.events import dates
from accordingto.events.lexicon import load_lexicon
from accordingto.model import Article, Modality
from accordingto.nlp import load_pipeline


@pytest.fixture(autouse=True)
def _lexicon_types(monkeypatch):
    """These rows test the rules and the trigger lexicon: types from the lexicon only."""
    monkeypatch.setenv("ACCORDINGTO_EVENT_CODER", "0")


def _analyze(text: str, date: str | None = None):
    return accordingto.analyze(Article(text=text, date=date), nlp=load_pipeline(tagger=False))


def _event(analysis, trigger: str):
    found = [e for e in analysis.events if any(m.text == trigger for m in e.mentions)]
    assert found, f"no event on {trigger!r}: {[e.trigger.text for e in analysis.events]}"
    return found[0]


# -- dates -------------------------------------------------------------------------------------

ARTICLE = dt.date(2023, 5, 30)  # a Tuesday

DATES = [
    ("On Tuesday", "2023-05-30"),
    ("Tuesday", "2023-05-30"),
    ("Yesterday", "2023-05-29"),
    ("today", "2023-05-30"),
    ("Last Wednesday", "2023-05-24"),
    ("on Sunday", "2023-05-28"),
    ("next Friday", "2023-06-02"),
    ("in December", "2022-12"),
    ("in January", "2023-01"),
    ("in May", "2023-05"),
    ("Feb 2022", "2022-02"),
    ("30 May 2023", "2023-05-30"),
    ("May 12", "2023-05-12"),
    ("2021-11-04", "2021-11-04"),
    # stretches of time give no date
    ("last week", None),
    ("months ago", None),
    ("10 days ago", None),
    ("", None),
]


@pytest.mark.parametrize(("phrase", "expected"), DATES)
def test_resolve_date(phrase, expected):
    assert dates.resolve_date(phrase, ARTICLE) == expected


def test_relative_dates_need_the_article_date():
    assert dates.resolve_date("Yesterday", None) is None
    assert dates.resolve_date("30 May 2023", None) == "2023-05-30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# A title\n\nAndre Smith  \n30 May 2023\n\nThe body.", dt.date(2023, 5, 30)),
        ("# A title\n\nMay 30, 2023\n\nThe body.", dt.date(2023, 5, 30)),
        ("# A title\n\nThe body talks of 30 May 2023 in a long sentence that is prose.", None),
        ("No date anywhere.", None),
    ],
)
def test_article_date_from_a_dateline(text, expected):
    assert dates.article_date(text) == expected


# -- the lexicon -------------------------------------------------------------------------------

LEXICON = [
    ("strike", set(), "ASSAULT"),
    ("attack", set(), "ASSAULT"),
    ("endorse", set(), "SUPPORT"),
    ("accuse", set(), "ACCUSE"),
    ("visit", set(), "CONSULT"),
    ("send", {"tank", "to"}, "AID"),
    ("give", {"endorsement"}, "SUPPORT"),
    # verbs with no PLOVER act of their own
    ("send", set(), None),
    ("launch", set(), None),
    ("decide", set(), None),
]


@pytest.mark.parametrize(("verb", "after", "root"), LEXICON)
def test_code_verb(verb, after, root):
    coding = load_lexicon().code_verb(verb, (), after)
    assert (coding.root if coding else None) == root


@pytest.mark.parametrize(
    ("verb", "root"),
    [("say", None), ("tell", None), ("accuse", "ACCUSE"), ("threaten", "THREATEN")],
)
def test_reporting_verbs_are_events_only_when_acts(verb, root):
    coding = load_lexicon().code_verb(verb, (), (), speech=True)
    assert (coding.root if coding else None) == root


@pytest.mark.parametrize(
    ("noun", "verb"),
    [
        ("endorsement", "endorse"),
        ("decision", "decide"),
        ("authorization", "authorize"),
        ("strike", "strike"),
        ("invasion", "invade"),
        ("bombing", "bomb"),
    ],
)
def test_event_nouns_come_from_verbs(noun, verb):
    assert verb in load_lexicon().noun_verbs(noun)


# -- actors ------------------------------------------------------------------------------------

ACTORS = [
    # a state by its name
    ("Russia attacked Ukraine on Monday.", "attacked", ("RUS", None), ("UKR", None)),
    # a capital as a metonym, and as a target
    ("Moscow accused Washington of lying.", "accused", ("RUS", "GOV"), ("USA", "GOV")),
    # a seat of government
    ("The Kremlin accused Kyiv of sabotage.", "accused", ("RUS", "GOV"), ("UKR", "GOV")),
    ("The Pentagon sent tanks to Poland.", "sent", ("USA", "MIL"), ("POL", None)),
    # a demonym on the actor's phrase
    ("Ukrainian drones attacked the port of Sevastopol.", "attacked", ("UKR", None), None),
    # an official's role names the state
    (
        "US Secretary of State Ann Kowalski visited Sweden on Monday.",
        "visited",
        ("USA", "GOV"),
        ("SWE", None),
    ),
    # an international organisation
    ("NATO accused Belarus of provocations.", "accused", ("NATO", "IGO"), ("BLR", None)),
    # the possessor of an event noun acts
    ("Poland's decision to send tanks to Ukraine surprised many.", "send", ("POL", None), None),
    # "its"/"their" inside a state's own words stands for that state
    ("The Kremlin said that its troops had attacked Kharkiv.", "attacked", ("RUS", "GOV"), None),
    ("Ukraine said its forces had shelled Russian positions.", "shelled", ("UKR", None), None),
]


def test_a_possessive_outside_the_owner_s_words_codes_nothing():
    # negative: no speaker of the same kind says these words, so "its troops" stays uncoded
    a = _analyze("Its troops attacked Kharkiv on Monday.")
    assert all(e.actor_code is None for e in a.events)


@pytest.mark.parametrize(("text", "trigger", "actor", "target"), ACTORS)
def test_actor_and_target_codes(text, trigger, actor, target):
    e = _event(_analyze(text), trigger)
    assert (e.actor_code, e.actor_sector) == actor
    if target is not None:
        assert (e.target_code, e.target_sector) == target


def test_an_unknown_actor_is_not_coded():
    a = _analyze("The bakery attacked its rivals in a newspaper advertisement.")
    assert all(e.actor_code is None for e in a.events)


# -- modality ----------------------------------------------------------------------------------

MODALITY = [
    ("Russia attacked Kharkiv on Monday.", "attacked", Modality.HAPPENED),
    ("Russia might attack Kharkiv again.", "attack", Modality.HYPOTHETICAL),
    ("Russia could attack Kharkiv again.", "attack", Modality.HYPOTHETICAL),
    ("Russia did not attack Kharkiv.", "attack", Modality.NEGATED),
    ("Russia denied that it attacked Kharkiv.", "attacked", Modality.NEGATED),
    ("Russia will attack Kharkiv.", "attack", Modality.PLANNED),
    ("Russia decided to attack Kharkiv.", "attack", Modality.PLANNED),
    ("Russia threatened to attack Kharkiv.", "attack", Modality.THREATENED),
    ("Poland demanded that Russia stop attacking Kharkiv.", "attacking", Modality.DEMANDED),
    ("If Russia attacks Poland, NATO will respond.", "attacks", Modality.HYPOTHETICAL),
    ("The raids were aimed at provoking Russia.", "provoking", Modality.HYPOTHETICAL),
    ("Russia's failure to attack Kharkiv surprised analysts.", "attack", Modality.NEGATED),
    ("Analysts fear a potential attack by Russia on Kharkiv.", "attack", Modality.HYPOTHETICAL),
    ("Russia is attacking Kharkiv.", "attacking", Modality.ONGOING),
    # reported speech keeps its own modality: the claim is who says so, not whether
    ("Kyiv said Russia attacked Kharkiv.", "attacked", Modality.HAPPENED),
    ("Kyiv said Russia would attack Kharkiv.", "attack", Modality.PLANNED),
]


@pytest.mark.parametrize(("text", "trigger", "modality"), MODALITY)
def test_modality(text, trigger, modality):
    assert _event(_analyze(text), trigger).modality is modality


# -- according to whom -------------------------------------------------------------------------


def test_an_event_inside_a_report_is_claimed_by_its_speaker():
    a = _analyze(
        "Ukraine has received US authorization to strike targets in Russia, "
        "the Daily Courier reported on Friday."
    )
    e = _event(a, "authorization")
    assert (e.actor_code, e.target_code) == ("USA", "UKR")
    assert a.speaker(e.claimed_by).name == "Daily Courier"


def test_an_event_the_author_asserts_has_no_claimant():
    a = _analyze("Russia attacked Kharkiv on Monday. “We will respond,” the mayor said.")
    assert _event(a, "attacked").claimed_by is None


def test_reporting_verbs_are_not_events():
    a = _analyze("The minister said on Monday that the weather was cold.")
    assert not [e for e in a.events if e.trigger.text == "said"]


# -- mentions of one occurrence ----------------------------------------------------------------


def test_mentions_of_one_occurrence_are_one_event():
    a = _analyze(
        "On Tuesday, Russia launched a missile strike on Kyiv. "
        "Tuesday's attack on the Ukrainian capital damaged a school.",
        date="2023-05-30",
    )
    strikes = [e for e in a.events if e.root == "ASSAULT"]
    assert len(strikes) == 1
    e = strikes[0]
    assert [m.text for m in e.mentions] == ["strike", "attack"]
    assert (e.actor_code, e.target_code, e.date) == ("RUS", "UKR", "2023-05-30")


def test_the_same_dyad_on_another_date_is_another_event():
    a = _analyze(
        "On Monday, Russia attacked Kyiv. On Friday, Russia attacked Kyiv again.",
        date="2023-05-30",
    )
    assert sorted(e.date for e in a.events if e.root == "ASSAULT") == ["2023-05-26", "2023-05-29"]


def test_a_threat_and_an_attack_are_two_events():
    a = _analyze("Russia attacked Kyiv. Russia threatened to attack Kyiv.")
    assert sorted(e.modality.value for e in a.events if e.root == "ASSAULT") == [
        "happened",
        "threatened",
    ]


def test_a_contact_footer_has_no_events():
    a = _analyze("To contact the editors, visit:\n\nexample.org/contact")
    assert a.events == ()


# -- the pipeline ------------------------------------------------------------------------------


def test_events_in_json():
    a = _analyze("Russia attacked Kyiv.")
    data = a.to_dict()
    assert data["events"][0]["root"] == "ASSAULT"
    assert data["events"][0]["trigger"]["text"] == "attacked"
    for e in a.events:
        assert a.article.text[e.trigger.start : e.trigger.end] == e.trigger.text


def test_event_ids_are_stable():
    text = "Russia attacked Kyiv. Poland sent tanks to Ukraine."
    assert [e.id for e in _analyze(text).events] == [e.id for e in _analyze(text).events]


def test_a_failure_in_events_keeps_the_article(monkeypatch):
    import accordingto.events as events

    def broken(doc, analysis):
        raise RuntimeError("boom")

    monkeypatch.setattr(events, "find_events", broken)
    a = _analyze("“We will rebuild,” the mayor said. Russia attacked Kyiv.")
    assert [q.content[0].text for q in a.quotes] == ["“We will rebuild,”"]
    assert a.events == ()
    assert [d.code for d in a.diagnostics] == ["events-failed"]


def test_two_attributions_of_the_same_words_do_not_break_events():
    from accordingto.events import find_events
    from accordingto.model import Quote, QuoteKind, Span, Speaker

    nlp = load_pipeline(tagger=False)
    text = "Kyiv said Russia attacked Kharkiv."
    content = (Span.of(text, 10, 34),)
    a = accordingto.analyze(text, nlp=nlp)
    quotes = (
        Quote("q_1", QuoteKind.INDIRECT, content, speaker_id="s_1"),
        Quote("q_2", QuoteKind.INDIRECT, content, speaker_id="s_1"),
    )
    speakers = (Speaker("s_1", "Kyiv", a.speakers[0].kind if a.speakers else "organization"),)
    import dataclasses

    events = find_events(nlp(text), dataclasses.replace(a, quotes=quotes, speakers=speakers))
    assert [(e.trigger.text, e.claimed_by) for e in events] == [("attacked", "s_1")]


@pytest.mark.parametrize(
    "text",
    [
        # an event noun after a verb that is no light verb: the subject does not act it
        "Russia has a conflict of interest in the talks.",
        "Poland is seizing upon the attack to raise funds.",
    ],
)
def test_only_light_verbs_lend_their_subject_to_an_event_noun(text):
    a = _analyze(text)
    assert not [e for e in a.events if e.root == "ASSAULT" and e.actor_code in ("RUS", "POL")]


# -- the trained coder, where it is sure --------------------------------------------------------


def _fake_coder(monkeypatch, root: str, probability: float):
    from accordingto.events import coder

    seen = []

    def code(items, model=None):
        items = list(items)
        seen.extend(items)
        return [
            coder.Coding(root, 4, probability, ((root, probability),), ((4, 1.0),), -5.0)
        ] * len(items)

    # a coder sure from 0.5 on (the shipped coder's threshold is its manifest's)
    monkeypatch.setattr(coder, "load_coder", lambda folder=None: SimpleNamespace(threshold=0.5))
    monkeypatch.setattr(coder, "code_events", code)
    return seen


@pytest.mark.parametrize(("probability", "root"), [(0.9, "SANCTION"), (0.2, "ASSAULT")])
def test_the_trained_coder_types_where_it_is_sure(monkeypatch, probability, root):
    from accordingto.events import find_events

    seen = _fake_coder(monkeypatch, "SANCTION", probability)
    nlp = load_pipeline(tagger=False)
    text = "It rained. Russia attacked Kyiv on Monday."
    a = accordingto.analyze(text, nlp=nlp)
    (e,) = find_events(nlp(text), a, trained=True)
    assert e.root == root
    assert (seen[0].text, seen[0].source, seen[0].target) == (
        "Russia attacked Kyiv on Monday.",
        (0, 6),
        (16, 20),
    )


def test_without_a_trained_coder_the_lexicon_types(monkeypatch):
    from accordingto.errors import ModelError
    from accordingto.events import coder, find_events

    def missing(folder=None):
        raise ModelError("no event coder")

    monkeypatch.setattr(coder, "load_coder", missing)
    nlp = load_pipeline(tagger=False)
    text = "Russia attacked Kyiv on Monday."
    (e,) = find_events(nlp(text), accordingto.analyze(text, nlp=nlp), trained=True)
    assert (e.root, e.cameo) == ("ASSAULT", "190")


@pytest.mark.parametrize(
    "text",
    [
        # a relative pronoun is no organisation ("who" is not the WHO)
        "The man who was shot by the police in Kyiv had no weapon.",
        "Voters who were engaged in politics supported him.",
    ],
)
def test_pronouns_are_not_organisations(text):
    assert not [e for e in _analyze(text).events if "WHO" in (e.actor_code, e.target_code)]


def test_the_mention_that_says_most_stands_for_the_event():
    a = _analyze(
        "The attack shocked the city. On Tuesday, Russia attacked Kyiv with drones.",
        date="2023-05-30",
    )
    (e,) = [e for e in a.events if e.root == "ASSAULT"]
    assert e.trigger.text == "attacked"
    assert [m.text for m in e.mentions] == ["attack", "attacked"]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        # the article's own date, as metadata gives it
        (Article(text="Yesterday, Russia attacked Kyiv.", date="30 May 2023"), "2023-05-29"),
        (
            Article(text="Yesterday, Russia attacked Kyiv.", date="2023-05-30T08:00:00Z"),
            "2023-05-29",
        ),
        # a Markdown article with a dateline under its title
        (
            Article(
                text="# Strikes\n\nA. Writer  \n30 May 2023\n\nOn Tuesday, Russia attacked Kyiv.",
                format="markdown",
            ),
            "2023-05-30",
        ),
        # no article date: a weekday names no day
        (Article(text="On Tuesday, Russia attacked Kyiv."), None),
    ],
)
def test_event_dates_against_the_article_date(article, expected):
    a = accordingto.analyze(article, nlp=load_pipeline(tagger=False))
    assert _event(a, "attacked").date == expected


def test_the_trained_coder_is_off_unless_switched_on(monkeypatch):
    from accordingto.events import find_events

    _fake_coder(monkeypatch, "SANCTION", 0.95)
    nlp = load_pipeline(tagger=False)
    text = "Russia attacked Kyiv on Monday."
    a = accordingto.analyze(text, nlp=nlp)
    monkeypatch.delenv("ACCORDINGTO_EVENT_CODER")
    assert [e.root for e in find_events(nlp(text), a)] == ["ASSAULT"]
    monkeypatch.setenv("ACCORDINGTO_EVENT_CODER", "1")
    assert [e.root for e in find_events(nlp(text), a)] == ["SANCTION"]


def test_sanctions_are_coercion_as_plover_maps_cameo_163():
    e = _event(_analyze("Washington sanctioned twelve Iranian companies on Friday."), "sanctioned")
    assert (e.root, e.cameo, e.actor_code, e.target_code) == ("COERCE", "163", "USA", "IRN")


def test_what_a_verb_gives_is_not_an_event_of_its_own():
    a = _analyze("Germany pledged 500 million euros in humanitarian aid to Ukraine.")
    assert [e.trigger.text for e in a.events] == ["pledged"]
