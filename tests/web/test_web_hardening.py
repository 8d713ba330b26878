"""The app for real users: headers on every response, safe links, CSV twins, Markdown shown
as text, links from each quotation, many speakers, and analyses that do not queue behind one lock."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from pathlib import Path

import pytest
from conftest import public_resolver
from fastapi.testclient import TestClient

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
)
from accordingto.web import WebSettings, create_app
from accordingto.web.pool import AnalysisPool
from accordingto.web.views import PALETTE_SIZE, link_url, markup_runs, segments, speaker_colours

STATIC = Path(__file__).parents[2] / "src" / "accordingto" / "web" / "static"


# -- headers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/index.json", 200),
        ("/docs", 200),
        ("/redoc", 200),
        ("/docs/oauth2-redirect", 200),
        ("/openapi.json", 200),
        ("/static/app/app.css", 200),
        ("/static/docs/swagger-ui-bundle.js", 200),
        ("/analysis/nope", 404),
        ("/analysis/nope.json", 404),
    ],
)
def test_every_response_has_a_csp_and_cannot_be_framed(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    script_src = re.search(r"script-src ([^;]*)", csp)[1]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_docs_inline_script_is_allowed_by_its_hash_only(client):
    import base64
    import hashlib

    r = client.get("/docs")
    inline = re.search(r"<script>(.*?)</script>", r.text, re.DOTALL)[1]
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in r.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/a", "HTTP://example.org/a"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("http://[::1", None),  # not even a URL
        (None, None),
    ],
)
def test_only_http_urls_are_links(url, link):
    assert link_url(url) == link


def _remember(client: TestClient, analysis: Analysis) -> str:
    client.app.state.recent.add(analysis)
    return f"/analysis/{analysis.article.id}"


def test_a_javascript_url_is_not_a_link(client):
    text = "“Stay calm,” said Mayor Jane Doe."
    article = Article(text, url="javascript:alert(document.domain)", title="Calm")
    page = client.get(_remember(client, Analysis(article))).text
    assert 'href="javascript:' not in page and "javascript:alert(document.domain)" in page


# -- the article page ------------------------------------------------------------------------

MD = (
    "# Bridge closed\n\n"
    "“The bridge is **closed** until May,” said [Mayor Anna Holt](https://example.org/holt). "
    "Traffic uses the _old_ ferry.\n"
)


def _md_analysis() -> Analysis:
    article = Article(MD, format="markdown", title="Bridge closed")
    start = MD.index("The bridge")
    content = Span.of(MD, start, MD.index(" until May") + len(" until May"))
    holt = Span.of(MD, MD.index("Mayor Anna"), MD.index("Holt]") + 4)
    speaker = Speaker("s_holt", "Anna Holt", EntityKind.PERSON, "Mayor", (holt,))
    quote = Quote("q_1", QuoteKind.DIRECT, (content,), source=holt, speaker_id="s_holt")
    return Analysis(article, (quote,), (speaker,))


def test_markdown_syntax_is_hidden_and_offsets_stay():
    analysis = _md_analysis()
    runs = [MD[s:e] for s, e in markup_runs(analysis.article)]
    assert runs == ["#", "**", "**", "[", "](https://example.org/holt)", "_", "_"]
    segs = segments(analysis)
    assert "".join(s.text for s in segs) == MD  # every offset is still an offset into the text
    shown = "".join(s.text for s in segs if "md" not in s.classes.split())
    assert "*" not in shown and "#" not in shown and "](" not in shown and "_" not in shown
    assert "The bridge is closed until May" in shown and "said Mayor Anna Holt." in shown
    quoted = [s for s in segs if s.quote_id == "q_1"]
    assert any("md" in s.classes.split() for s in quoted)  # markup inside a quotation too


def test_plain_text_keeps_its_asterisks():
    article = Article("“Rates are up 5%*,” said Ann Lee. # not a heading", format="text")
    assert markup_runs(article) == []


def test_markdown_page_shows_no_markup(client):
    page = client.get(_remember(client, _md_analysis())).text
    text = re.search(r'<div class="article-text" id="article-text">(.*?)</div>', page, re.S)[1]
    hidden = r'<(a|span) class="(?:[^"]* )?md(?: [^"]*)?"[^>]*>.*?</\1>'  # .md is display: none
    visible = re.sub(hidden, "", text)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert "**" not in visible and "#" not in visible and "](" not in visible
    assert "Bridge closed" in visible and "The bridge is closed until May" in visible


def test_many_speakers_get_distinct_colours():
    names = [f"Speaker Number{i}" for i in range(30)]
    text = " ".join(f"“Point {i},” said {n}." for i, n in enumerate(names))
    speakers, quotes = [], []
    for i, n in enumerate(names):
        said = f"Point {i},"
        at = text.index(f"“{said}”") + 1
        speakers.append(Speaker(f"s_{i}", n, EntityKind.PERSON))
        quotes.append(
            Quote(
                f"q_{i}",
                QuoteKind.DIRECT,
                (Span.of(text, at, at + len(said)),),
                speaker_id=f"s_{i}",
            )
        )
    colours = speaker_colours(Analysis(Article(text), tuple(quotes), tuple(speakers)))
    first = [colours[f"s_{i}"] for i in range(PALETTE_SIZE)]
    assert len(set(first)) == PALETTE_SIZE > 8
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    for i in range(PALETTE_SIZE):
        assert f".sp-{i} {{ --c: var(--sp-{i}); }}" in css and f"--sp-{i}:" in css
    assert f".sp-{PALETTE_SIZE} " not in css


def test_summary_sentences_are_spaced(client):
    text = "“Fix it,” said Ann Lee. They call it a “plan” now. “Nobody knows.”"
    fix = Span.of(text, 1, 7)
    plan = Span.of(text, text.index("“plan”"), text.index("“plan”") + 6)
    nobody = Span.of(text, text.index("Nobody"), text.index("knows.") + 6)
    analysis = Analysis(
        Article(text),
        (
            Quote("q_1", QuoteKind.DIRECT, (fix,), speaker_id="s_1"),
            Quote("q_2", QuoteKind.DIRECT, (nobody,)),
        ),
        (Speaker("s_1", "Ann Lee", EntityKind.PERSON),),
        (Mark(MarkKind.SCARE, plan),),
    )
    page = client.get(_remember(client, analysis)).text
    assert "1 scare quote. 1 without a speaker" in " ".join(page.split())
    assert "quote.1 without" not in page


def test_no_chain_row_repeats_the_speaker(corpus_client):
    aid = corpus_client.get("/corpus.json").json()["articles"][0]["article_id"]
    page = corpus_client.get(f"/articles/{aid}").text
    assert "<dt>Chain</dt>" not in page


def test_stored_quotations_link_to_provenance_and_speaker(corpus_client):
    top = corpus_client.get("/speakers.json").json()["speakers"]
    voss = next(s["person_id"] for s in top if s["name"] == "Lena Voss")
    articles = corpus_client.get("/corpus.json").json()["articles"]
    aid = next(a["article_id"] for a in articles if a["title"] == "Ferry to return")
    data = corpus_client.get(f"/articles/{aid}.json").json()
    card = next(q for q in data["quotes"] if q["speaker"] == "Lena Voss")
    assert card["provenance_url"] == f"/quotes/{card['id']}"
    assert card["speaker_url"] == f"/speakers/{voss}"
    page = corpus_client.get(f"/articles/{aid}").text
    assert f'href="/quotes/{card["id"]}"' in page and f'href="/speakers/{voss}"' in page
    assert corpus_client.get(card["provenance_url"]).status_code == 200


def test_recent_analyses_have_no_store_links(client):
    page_data = client.post("/analyze.json", data={"text": "“Yes,” said Ann Lee."}).json()
    assert all(q["provenance_url"] is None for q in page_data["quotes"])


# -- CSV twins ---------------------------------------------------------------------------------


def _csv(r) -> list[dict[str, str]]:
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_csv_twins(corpus_client):
    hits = _csv(corpus_client.get("/search.csv", params={"q": "ferry"}))
    assert len(hits) == 3 and {"quote_id", "speaker", "snippet", "outlet"} <= set(hits[0])
    speakers = _csv(corpus_client.get("/speakers.csv"))
    assert speakers[0]["name"] == "Lena Voss" and speakers[0]["quotes"] == "3"
    voss = speakers[0]["person_id"]
    assert len(_csv(corpus_client.get(f"/speakers/{voss}.csv"))) == 3
    assert len(_csv(corpus_client.get("/outlet.csv", params={"name": "Harbour Herald"}))) == 2
    qid = hits[0]["quote_id"]
    assert _csv(corpus_client.get(f"/quotes/{qid}.csv"))[0]["quote_id"]
    aid = _csv(corpus_client.get("/corpus.csv"))[0]["person_id"]
    assert aid
    paths = corpus_client.get("/openapi.json").json()["paths"]
    assert {"/search.csv", "/speakers.csv", "/articles/{article_id}.csv"} <= set(paths)


def test_csv_of_a_bad_query_is_the_json_error(corpus_client):
    r = corpus_client.get("/search.csv", params={"q": "NEAR(", "fts": "1"})
    assert r.status_code == 422 and "NEAR" in r.json()["error"]


def test_csv_cells_are_not_spreadsheet_formulas(client):
    text = '“=HYPERLINK("http://evil.example")” said Ann Lee.'
    content = Span.of(text, 1, text.index("”"))
    analysis = Analysis(
        Article(text),
        (Quote("q_1", QuoteKind.DIRECT, (content,), speaker_id="s_1"),),
        (Speaker("s_1", "@Ann Lee", EntityKind.PERSON),),
    )
    rows = _csv(client.get(_remember(client, analysis) + ".csv"))
    assert rows[0]["text"].startswith("'=HYPERLINK") and rows[0]["speaker"] == "'@Ann Lee"


# -- analyses in parallel, with limits ---------------------------------------------------------


class _Gate:
    """A stand-in analyzer: an article whose text starts with SLOW waits for ``release``."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()

    def analyze(self, article: Article, nlp, budget_s) -> Analysis:
        if article.text.startswith("SLOW"):
            self.started.set()
            self.release.wait(10)
        return Analysis(article)


def _app(gate: _Gate, **limits) -> TestClient:
    app = create_app(WebSettings(resolve=public_resolver))
    app.state.pool = AnalysisPool(load=lambda: None, analyze=gate.analyze, **limits)
    return TestClient(app)


def _post(c: TestClient, text: str, out: dict, key: str) -> None:
    out[key] = c.post("/analyze.json", data={"text": text, "format": "text"})


def test_a_slow_analysis_does_not_block_others():
    gate = _Gate()
    with _app(gate, workers=2, queue_size=0) as c:
        out: dict = {}
        slow = threading.Thread(target=_post, args=(c, "SLOW " + "word " * 100, out, "slow"))
        slow.start()
        assert gate.started.wait(5)
        t0 = time.monotonic()
        quick = c.post("/analyze.json", data={"text": "“Yes,” said Ann Lee.", "format": "text"})
        assert quick.status_code == 200 and time.monotonic() - t0 < 5
        assert "slow" not in out  # the slow one is still running
        gate.release.set()
        slow.join(10)
        assert out["slow"].status_code == 200


def test_a_full_queue_is_503_with_retry_after():
    gate = _Gate()
    with _app(gate, workers=1, queue_size=0, budget_s=7) as c:
        out: dict = {}
        slow = threading.Thread(target=_post, args=(c, "SLOW one", out, "slow"))
        slow.start()
        assert gate.started.wait(5)
        busy = c.post("/analyze.json", data={"text": "“Yes,” said Ann Lee."})
        page = c.post("/analyze", data={"text": "“Yes,” said Ann Lee."}, follow_redirects=False)
        gate.release.set()
        slow.join(10)
        again = c.post("/analyze.json", data={"text": "“Yes,” said Ann Lee."})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "7"
    assert "busy" in busy.json()["error"]
    assert page.status_code == 503 and "busy" in page.text
    assert again.status_code == 200


def test_an_analysis_over_its_budget_is_refused_alone():
    gate = _Gate()
    with _app(gate, workers=2, queue_size=2, budget_s=0.2, grace_s=0.1) as c:
        r = c.post("/analyze.json", data={"text": "SLOW and slower"})
        assert r.status_code == 422 and "longer than 0.2 s" in r.json()["error"]
        gate.release.set()
        assert c.post("/analyze.json", data={"text": "“Yes,” said Ann Lee."}).status_code == 200


def test_the_analyzer_budget_reaches_the_pipeline(client):
    """With the real analyzer: a tiny budget ends in AnalysisTimeout (422), not a hung request."""
    from accordingto.web.analyzer import example_text

    pool = client.app.state.pool
    old, pool.budget_s = pool.budget_s, 1e-6
    try:
        r = client.post("/analyze.json", data={"text": example_text()})
    finally:
        pool.budget_s = old
    assert r.status_code == 422 and "budget" in r.json()["error"]
    assert client.post("/analyze.json", data={"text": example_text()}).status_code == 200


def test_pasted_text_over_the_character_cap_is_refused():
    gate = _Gate()
    with _app(gate, max_chars=1000) as c:
        r = c.post("/analyze.json", data={"text": "word " * 1000})
        assert r.status_code == 422 and "more than the limit of 1,000" in r.json()["error"]
        assert c.post("/analyze.json", data={"text": "word " * 100}).status_code == 200


def test_concurrent_real_analyses_agree_with_one_at_a_time(client):
    texts = [f"“Point {i} stands,” said Mayor Ann Lee{i}. Rain fell." for i in range(6)]
    alone = [client.post("/analyze.json", data={"text": t}).json()["quotes"] for t in texts]
    out: dict = {}
    threads = [
        threading.Thread(target=_post, args=(client, t, out, i)) for i, t in enumerate(texts)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [out[i].json()["quotes"] for i in range(len(texts))] == alone


class _Pipeline:
    """A stand-in pipeline: a deep copy is a new object."""


def test_each_worker_runs_its_own_pipeline():
    loads: list[_Pipeline] = []
    both = threading.Barrier(2, timeout=5)
    seen: list[int] = []

    def load() -> _Pipeline:
        loads.append(_Pipeline())
        return loads[-1]

    def analyze(article: Article, nlp, budget_s) -> Analysis:
        seen.append(id(nlp))
        both.wait()  # two analyses at the same time
        return Analysis(article)

    pool = AnalysisPool(workers=2, queue_size=0, load=load, analyze=analyze)
    threads = [
        threading.Thread(target=pool.analyze, args=(Article(f"text {i}"),)) for i in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    pool.close()
    assert len(loads) == 1  # the analyzer's pipeline is loaded (and cached) once …
    assert len(set(seen)) == 2 and id(loads[0]) in seen  # … and each worker has its own


def test_real_pipelines_are_not_shared():
    """With the analyzer's own loader (a cached pipeline): two workers, two pipelines."""
    both = threading.Barrier(2, timeout=60)
    seen: list = []

    def analyze(article: Article, nlp, budget_s) -> Analysis:
        seen.append(nlp)
        both.wait()
        return Analysis(article)

    pool = AnalysisPool(workers=2, queue_size=0, analyze=analyze)
    threads = [
        threading.Thread(target=pool.analyze, args=(Article(f"text {i}"),)) for i in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    pool.close()
    first, second = seen
    assert first is not second and first.get_pipe("parser") is not second.get_pipe("parser")
    assert first.pipe_names == second.pipe_names
