"""Everyday text as a search, and malformed filters as errors (never a silent empty answer)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accordingto.cli import main
from accordingto.store import Store, queries
from accordingto.store.people import link_people

TEXT = (
    "“The F-16 jets flew over al-Tanf on 9/11,” said U.S. official Anna Holt. "
    "“Putin's answer came late,” Holt said. Biden: “no deal” yet."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory, build_analysis):
    path = tmp_path_factory.mktemp("q") / "c.db"
    analysis = build_analysis(
        TEXT,
        [
            ("The F-16 jets flew over al-Tanf on 9/11", "Anna Holt", "person"),
            ("Putin's answer came late", "Anna Holt", "person"),
            ("no deal", "Biden", "person"),
        ],
        outlet="Example Times",
        date="2026-01-02",
    )
    with Store(path) as store:
        store.add(analysis, source="doc")
        link_people(store)
    return path


@pytest.fixture
def store(db):
    with Store(db, readonly=True) as s:
        yield s


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("F-16", "The F-16 jets"),
        ("al-Tanf", "al-Tanf"),
        ("Putin's", "Putin's answer"),
        ("U.S.", None),  # only in the narration, not in a quotation: no hit, no error
        ("jets U.S.", None),
        ("Biden:", None),
        ("9/11", "on 9/11"),
        ("f-16 9/11", "The F-16 jets"),  # every word must match
        ('"answer came"', "Putin's answer"),  # a phrase in double quotes
        ('"came answer"', None),  # … in that order
        ("deal:", "no deal"),
        ("NEAR(jets flew)", None),  # FTS syntax is plain words without fts=True
        ("jets OR deal", None),  # "or" is not in any quotation
        ("“”—…", None),  # no words at all
        ("", None),
    ],
)
def test_everyday_text_is_a_plain_search(store, query, found):
    hits = queries.search(store, query)
    if found is None:
        assert hits == []
    else:
        assert len(hits) == 1 and found in hits[0].quote.text


@pytest.mark.parametrize(
    ("query", "count"),
    [("NEAR(jets flew)", 1), ("jets OR deal", 2), ("Put*", 1), ('"F-16"', 1)],
)
def test_fts_syntax_is_an_explicit_opt_in(store, query, count):
    assert len(queries.search(store, query, fts=True)) == count


@pytest.mark.parametrize("query", ["F-16", "Biden:", "9/11", "NEAR(a", '"open'])
def test_bad_fts_syntax_is_a_query_error(store, query):
    with pytest.raises(queries.QueryError, match="without --fts"):
        queries.search(store, query, fts=True)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_text_as_a_plain_query_never_raises(store, text):
    assert isinstance(queries.search(store, text), list)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "'",
                "-",
                ":",
                "*",
                "(",
                ")",
                "^",
                "NEAR",
                "OR",
                "AND",
                "NOT",
                "+",
                "{",
                "}",
                ".",
                "/",
                "\x00",
                "jets",
                " ",
            ]
        ),
        max_size=12,
    )
)
def test_fts_operators_as_plain_text_never_raise(store, parts):
    assert isinstance(queries.search(store, "".join(parts)), list)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"since": "yesterday"}, "since 'yesterday' is not a date"),
        ({"since": "2026-13"}, "not a date"),
        ({"until": "2026-02-30"}, "until '2026-02-30' is not a date"),
        ({"until": "26-01-01"}, "not a date"),
        ({"since": "2026-03", "until": "2026-01"}, "swap them"),
        ({"kind": "quoted"}, "direct, indirect, mixed"),
        ({"outlet": " "}, "outlet is empty"),
    ],
)
def test_malformed_filters_are_errors(store, kw, message):
    with pytest.raises(queries.QueryError, match=message):
        queries.quotes(store, **kw)


@pytest.mark.parametrize(
    "kw",
    [
        {"since": "2026"},
        {"since": "2026-01"},
        {"since": "2026-01-02", "until": "2026-01-02"},
        {"since": "2026-01-02", "until": "2026-01"},  # the month of until is inclusive
        {"since": "2026-01", "until": "2026"},
        {"kind": "direct"},
    ],
)
def test_well_formed_filters_match(store, kw):
    assert len(queries.quotes(store, **kw)) == 3


def test_speaker_kind_is_checked(store):
    assert len(queries.top_speakers(store, kind="person")) == 2
    with pytest.raises(queries.QueryError, match="person, organization"):
        queries.top_speakers(store, kind="people")


@pytest.mark.parametrize(
    "command",
    [
        ["quotes", "--since", "yesterday"],
        ["quotes", "--kind", "bogus"],
        ["quotes", "--until", "2026-1-5"],
        ["speakers", "--kind", "persons"],
        ["sources", "--since", "last week"],
        ["citations", "--until", "soon"],
        ["search", "jets", "--since", "x"],
        ["search", "NEAR(", "--fts"],
    ],
)
def test_cli_malformed_filters_exit_2_with_one_line(db, capsys, command):
    assert main([*command, "--db", str(db)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1 and "error" in out.err


@pytest.mark.parametrize("query", ["F-16", "al-Tanf", "Putin's", "U.S.", "Biden:", "9/11"])
def test_cli_search_everyday_words(db, capsys, query):
    assert main(["search", query, "--db", str(db), "--format", "json"]) == 0


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_query_output_never_drives_the_terminal(tmp_path, capsys, fmt, monkeypatch, build_analysis):
    said = "Kyiv\x1b]0;owned\x07 will \x9b2Jhold"
    text = f"“{said},” said Ann Lee."
    path = tmp_path / "h.db"
    with Store(path) as store:
        store.add(build_analysis(text, [(said, "Ann Lee", "person")]), source="h")
        link_people(store)
    if fmt != "table":  # (a table is always cleaned; rich would add its own colours on a tty)
        monkeypatch.setattr("sys.stdout.isatty", lambda: True)  # as if printed to a terminal
    assert main(["quotes", "--db", str(path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in ("\x1b", "\x07", "\x9b"))
    if fmt == "json":
        import json

        assert json.loads(out)[0]["text"] == said  # escaped, not changed
