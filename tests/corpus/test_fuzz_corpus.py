"""Fuzz: generated corpus files never stop a run, and the store stays whole.

Hypothesis writes folders of good articles, damaged files (random bytes, gzip of junk, HTML
declaring charsets Python cannot decode with), JSONL with bad lines, lone surrogates and deep
nesting, and CSV with random fields. ``run`` must finish, account for every document (stored,
duplicate or failed with a reason), and leave records that hold together: every speaker a
quotation names exists, every span's text is the article's text at its offsets.
"""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accordingto.corpus.run import run_corpus
from accordingto.store import Store

NAMES = ["Anna Holt", "Tom Baker", "Ken Osei", "Lena Varga"]


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("ACCORDINGTO_TAGGER", "0")  # the rules alone: fast, same records


def article(i: int, name: str, said: str) -> str:
    surname = name.split()[1]
    return (
        f"“{said},” said Mayor {name} on day {i}.\n\n"
        f"{surname} added that the plan was “ambitious”. “We agree,” an official said."
    )


CHARSETS = ["base64", "rot13", "undefined", "hex", "zlib", "utf-16", "latin-1", "x-nonsense"]
SAFE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)

good = st.builds(article, st.integers(0, 10_000), st.sampled_from(NAMES), SAFE.filter(str.strip))
junk_bytes = st.binary(max_size=200)
html_page = st.builds(
    lambda cs, body: (
        f'<html><head><meta charset="{cs}"><title>t</title></head>'
        f"<body><article><p>{body}</p><p>{body}</p></article></body></html>"
    ),
    st.sampled_from(CHARSETS),
    good,
)
jsonl_line = st.one_of(
    good.map(lambda t: json.dumps({"text": t})),
    SAFE.map(lambda t: json.dumps({"text": t, "url": "https://news.example/" + t[:5]})),
    st.just('{"text": "\\ud800 a lone surrogate said the mayor."}'),
    st.just("[" * 5000 + "]" * 5000),  # nesting json cannot read
    SAFE,  # not JSON at all
)
csv_row = st.lists(SAFE.map(lambda t: t.replace('"', "'")), min_size=1, max_size=3)

files = st.lists(
    st.one_of(
        good.map(lambda t: ("txt", t.encode("utf-8"))),
        junk_bytes.map(lambda b: ("txt", b)),
        junk_bytes.map(lambda b: ("html.gz", gzip.compress(b))),
        good.map(lambda t: ("txt.gz", gzip.compress(t.encode("utf-8")))),
        html_page.map(lambda h: ("html", h.encode("utf-8"))),
        st.lists(jsonl_line, min_size=1, max_size=4).map(
            lambda lines: ("jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))
        ),
        st.lists(csv_row, min_size=1, max_size=3).map(
            lambda rows: (
                "csv",
                ("text,url\n" + "\n".join(",".join(f'"{c}"' for c in r) for r in rows)).encode(),
            )
        ),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=files)
def test_a_generated_corpus_never_stops_a_run_and_its_records_hold(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("corpus")
    for n, (ext, data) in enumerate(files):
        (root / f"doc{n}.{ext}").write_bytes(data)
    db = root.parent / f"{root.name}.db"
    stats = run_corpus([str(root)], db, batch_size=4)  # must not raise
    with Store(db, readonly=True) as store:
        conn = store.conn
        statuses = dict(conn.execute("SELECT source, status FROM documents"))
        failed = {s for s, st_ in statuses.items() if st_ == "failed"}
        reasons = dict(conn.execute("SELECT source, reason FROM failures"))
        assert failed <= set(reasons) and all(reasons[s].strip() for s in failed)
        assert stats.stored + stats.duplicates + stats.failed == len(statuses)
        texts = dict(conn.execute("SELECT id, text FROM articles"))
        speakers = set(conn.execute("SELECT article_id, id FROM speakers"))
        for aid, sid, content in conn.execute("SELECT article_id, speaker_id, content FROM quotes"):
            assert sid is None or (aid, sid) in speakers
            for start, end, text in json.loads(content):
                assert texts[aid][start:end] == text
