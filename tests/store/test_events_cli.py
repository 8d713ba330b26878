"""`accordingto events` and `accordingto escalation` over hand-made stored events: filters,
weekly sums, output formats, Parquet, and malformed filters as one-line errors (exit 2)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_events import OFFICIALS, article, make_event

from accordingto.cli import main
from accordingto.model import Analysis, EntityKind, Modality, Speaker, content_id
from accordingto.store import Store
from accordingto.store.escalation import WeekRow, corpus_events, escalation
from accordingto.store.people import link_people

HOLT = Speaker(content_id("person", "anna holt", prefix="s_"), "Anna Holt", EntityKind.PERSON)


def _analyses() -> list[Analysis]:
    def one(text, outlet, date, *events):
        a = article(text, outlet, date)
        return Analysis(a, speakers=(OFFICIALS, HOLT), events=tuple(f(a) for f in events))

    def ev(trigger, actor, target, root, date, **kw):
        return lambda a: make_event(a, trigger, actor, target, root, date=date, **kw)

    return [
        # week 11 (9-15 March): a strike reported twice, one the other way, a denied one, aid
        one("Russian drones struck Kharkiv on Tuesday, officials said.", "Daily Ledger", "2026-03-10",
            ev("struck", "RUS", "UKR", "ASSAULT", "2026-03-10", place="Kharkiv", claimed_by=OFFICIALS.id)),
        one("Russia attacked Kharkiv on Tuesday.", "Harbor Post", "2026-03-11",
            ev("attacked", "RUS", "UKR", "ASSAULT", "2026-03-10", place="Kharkiv")),
        one("Ukrainian drones hit Belgorod on Wednesday.", "Harbor Post", "2026-03-11",
            ev("hit", "UKR", "RUS", "ASSAULT", "2026-03-11", place="Belgorod", intensity=-9.0)),
        one("Russia denied it shelled Sumy on Thursday.", "Daily Ledger", "2026-03-12",
            ev("shelled", "RUS", "UKR", "ASSAULT", "2026-03-12", modality=Modality.NEGATED)),
        one("Russia threatened Ukraine on Friday.", "Northern Wire", "2026-03-13",
            ev("threatened", "RUS", "UKR", "THREATEN", "2026-03-13", intensity=-4.0)),
        # week 12: nothing; week 13: a strike on Odesa
        one("Russian drones struck Odesa on Tuesday.", "Northern Wire", "2026-03-24",
            ev("struck", "RUS", "UKR", "ASSAULT", "2026-03-24", place="Odesa")),
        # claimed by a named person
        one("Anna Holt said Russia shelled Sumy on Sunday.", "Northern Wire", "2026-03-15",
            ev("shelled", "RUS", "UKR", "ASSAULT", "2026-03-15", claimed_by=HOLT.id)),
        # another dyad
        one("Germany pledged aid to Ukraine on Monday.", "Daily Ledger", "2026-03-09",
            ev("pledged", "DEU", "UKR", "AID", "2026-03-09", intensity=7.4)),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("ev") / "c.db"
    with Store(path) as store:
        for a in _analyses():
            store.add(a, source=a.article.id)
        link_people(store)
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_escalation_weeks_both_ways(db):
    with Store(db, readonly=True) as store:
        rows = escalation(store, "RUS", "UKR")
    assert rows == [
        WeekRow("2026-W11", "2026-03-09", "RUS>UKR", 3, -24.0, -8.0, 2),
        WeekRow("2026-W11", "2026-03-09", "UKR>RUS", 1, -9.0, -9.0, 1),
        WeekRow("2026-W12", "2026-03-16", "RUS>UKR", 0, 0, None, 0),
        WeekRow("2026-W12", "2026-03-16", "UKR>RUS", 0, 0, None, 0),
        WeekRow("2026-W13", "2026-03-23", "RUS>UKR", 1, -10.0, -10.0, 1),
        WeekRow("2026-W13", "2026-03-23", "UKR>RUS", 0, 0, None, 0),
    ]


def test_escalation_counts_denied_events_only_when_asked(db):
    with Store(db, readonly=True) as store:
        rows = escalation(store, "UKR", "RUS", modalities=["negated"], until="2026-03-15")
    assert [(r.direction, r.events, r.goldstein_sum) for r in rows] == [
        ("UKR>RUS", 0, 0),
        ("RUS>UKR", 1, -10.0),
    ]


def test_escalation_of_a_dyad_without_events_is_empty(db):
    with Store(db, readonly=True) as store:
        assert escalation(store, "FRA", "KEN") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 7),
        ({"actor": "rus"}, 5),
        ({"dyad": ("RUS", "UKR")}, 5),
        ({"dyad": ("UKR", "RUS")}, 1),
        ({"type": "ASSAULT"}, 5),
        ({"type": "material-conflict"}, 5),
        ({"type": "3"}, 1),
        ({"modality": "negated"}, 1),
        ({"since": "2026-03-11", "until": "2026-03-13"}, 3),
        ({"since": "2026-03-14", "until": "2026-03-20"}, 1),
        ({"claimed_by": "anna holt"}, 1),
        ({"outlet": "harbor post"}, 2),
        ({"claimed_by": "officials"}, 1),
        ({"claimed_by": OFFICIALS.id}, 1),
        ({"claimed_by": "author", "dyad": ("RUS", "UKR")}, 4),
        ({"outlet": "northern wire", "type": "ASSAULT"}, 2),
        ({"dyad": ("DEU", "RUS")}, 0),
    ],
)
def test_event_filters(db, filters, expected):
    with Store(db, readonly=True) as store:
        assert len(corpus_events(store, **filters)) == expected


def test_a_merged_event_keeps_every_report(db):
    with Store(db, readonly=True) as store:
        (kharkiv,) = corpus_events(
            store, dyad=("RUS", "UKR"), since="2026-03-10", until="2026-03-10"
        )
    assert (kharkiv.reports, kharkiv.articles) == (2, 2)
    assert kharkiv.outlets == ("Daily Ledger", "Harbor Post")
    assert [(r.outlet, r.trigger, r.claimed_by_name) for r in kharkiv.evidence] == [
        ("Daily Ledger", "struck", "officials"),
        ("Harbor Post", "attacked", None),
    ]


def test_a_report_names_its_claimant_and_the_person_across_articles(db):
    with Store(db, readonly=True) as store:
        (sumy,) = corpus_events(store, claimed_by="Anna Holt")
        person = store.conn.execute(
            "SELECT person_id FROM person_speakers WHERE speaker_id = ?", (HOLT.id,)
        ).fetchone()[0]
        assert len(corpus_events(store, claimed_by=person)) == 1
    (report,) = sumy.evidence
    assert (report.claimed_by, report.claimed_by_name, report.claimed_by_person) == (
        HOLT.id,
        "Anna Holt",
        person,
    )


def test_events_csv_and_json(db, capsys):
    code, out, _ = run(capsys, "events", "--db", str(db), "--dyad", "RUS", "UKR", "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["date"], r["root"], r["reports"]) for r in rows] == [
        ("2026-03-10", "ASSAULT", "2"),
        ("2026-03-12", "ASSAULT", "1"),
        ("2026-03-13", "THREATEN", "1"),
        ("2026-03-15", "ASSAULT", "1"),
        ("2026-03-24", "ASSAULT", "1"),
    ]
    assert "evidence" not in rows[0]
    code, out, _ = run(capsys, "events", "--db", str(db), "--type", "AID", "-f", "json")
    (aid,) = json.loads(out)
    assert (aid["actor_code"], aid["target_code"], aid["goldstein"]) == ("DEU", "UKR", 7.4)
    assert aid["evidence"][0]["outlet"] == "Daily Ledger"


def test_event_reports_table(db, capsys):
    code, out, _ = run(capsys, "events", "--db", str(db), "--claimed-by", "officials", "--reports")
    assert code == 0
    assert "struck" in out and "officials" in out and "attacked" not in out


def test_escalation_command_and_parquet(db, capsys, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "rus-ukr.parquet"
    code, out, _ = run(
        capsys, "escalation", "RUS", "UKR", "--db", str(db), "--parquet", str(target), "-f", "json"
    )
    assert code == 0
    weeks = json.loads(out)
    assert weeks[0] == {
        "week": "2026-W11",
        "week_start": "2026-03-09",
        "direction": "RUS>UKR",
        "events": 3,
        "goldstein_sum": -24.0,
        "goldstein_mean": -8.0,
        "material_conflict": 2,
    }
    assert pq.read_table(target).to_pylist() == weeks


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["events", "--actor", "Russia!"], "not an actor code"),
        (["events", "--dyad", "RUS", "?"], "not an actor code"),
        (["events", "--type", "BOMB"], "not a PLOVER root"),
        (["events", "--modality", "rumoured"], "modality 'rumoured' is not one of"),
        (["events", "--since", "last week"], "is not a date"),
        (["events", "--since", "2026-04", "--until", "2026-03"], "swap them"),
        (["events", "--outlet", " "], "outlet is empty"),
        (["events", "--claimed-by", ""], "claimed-by is empty"),
        (["escalation", "RUS", "RUS"], "two different actors"),
        (["escalation", "RUS", "UKR", "--modality", "maybe"], "is not one of"),
    ],
)
def test_malformed_filters_are_one_line_errors(db, capsys, args, says):
    code, out, err = run(capsys, *args, "--db", str(db))
    assert code == 2
    assert says in err and len(err.strip().splitlines()) == 1
    assert out == ""


def test_help_shows_an_example(capsys):
    for command in ("events", "escalation"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and f"accordingto {command} " in out
