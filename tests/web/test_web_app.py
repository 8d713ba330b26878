"""The web app in-process: pages and their JSON twins, the three inputs, errors, safety."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from conftest import public_resolver
from fastapi.testclient import TestClient

from accordingto import analyze
from accordingto.ingest import read_bytes
from accordingto.web import WebSettings, create_app
from accordingto.web.analyzer import example_text

HOSTILE = b"""<!doctype html><html><head><title>Mayor <script>alert('title')</script> speaks</title>
<script>alert('head')</script></head>
<body onload="alert('body')"><article>
<h1>Council <img src=x onerror="alert('h1')"> meets</h1>
<p>\xe2\x80\x9cWe will <script>alert('quote')</script> fix the road,\xe2\x80\x9d said Mayor Jane Doe
&lt;script&gt;alert('escaped')&lt;/script&gt; on Monday.</p>
<p>The council said that <b onmouseover="alert('b')">the work</b> would start in May
<a href="javascript:alert('link')">here</a>.</p>
<p>Critics called it a "<iframe src="javascript:alert('iframe')"></iframe>stunt".</p>
<svg onload="alert('svg')"><script>alert('svg-script')</script></svg>
</article></body></html>"""


def _analyzed(client: TestClient, **form) -> dict:
    r = client.post("/analyze.json", data=form.pop("data", {}), files=form.pop("files", None))
    assert r.status_code == 200, r.text
    return r.json()


def test_index_and_its_json_twin(client):
    html = client.get("/")
    assert html.status_code == 200 and "text/html" in html.headers["content-type"]
    assert 'action="/analyze"' in html.text
    data = client.get("/index.json").json()
    assert data["app"] == "accordingto" and data["corpus"] is False
    assert data["input_formats"] == ["text", "markdown", "html"]


def test_example_link_fills_the_form(client):
    assert "Harbor Bridge" not in client.get("/").text
    assert "Harbor Bridge" in client.get("/?example=1").text


def test_pasted_example_matches_the_python_api(client):
    got = _analyzed(client, data={"text": example_text()})
    record = analyze(
        read_bytes(example_text().encode(), source="x", name="harbor-bridge.md")
    ).to_dict()
    want = json.loads(json.dumps(record))
    assert got["analysis"]["quotes"] == want["quotes"]
    assert got["analysis"]["speakers"] == want["speakers"]
    names = {s["name"] for s in got["summary"]["speakers"]}
    assert {"Ana Ortiz", "Daniel Okafor", "Riverton Gazette"} <= names
    assert [o["name"] for o in got["summary"]["outlets"]] == ["Riverton Gazette"]
    assert 0 < got["summary"]["unattributed_share"] < 1
    chains = {q["chain"] for q in got["quotes"]}
    assert "a city engineer, via Riverton Gazette" in chains


def test_form_post_redirects_to_the_permalink(client):
    r = client.post(
        "/analyze",
        data={"text": example_text(), "url": ""},
        files={"file": ("", b"")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    link = r.headers["location"]
    assert re.fullmatch(r"/analysis/a_[0-9a-f]{16}", link)
    page = client.get(link)
    assert page.status_code == 200
    assert page.text.count('class="q ') >= 10  # every content span highlighted
    assert 'class="mark-title"' in page.text  # “Fix Our Bridge Now” is a title, not speech
    assert "a city engineer, via Riverton Gazette" in page.text
    twin = client.get(link + ".json").json()
    assert twin["analysis"]["article"]["id"] == link.rsplit("/", 1)[1]


def test_download_is_the_record(client):
    link = client.post("/analyze", data={"text": example_text()}, follow_redirects=False).headers[
        "location"
    ]
    r = client.get(link + "/record.json")
    assert r.headers["content-disposition"].startswith("attachment;")
    record = r.json()
    assert record["schema_version"] and record["article"]["id"] == link.rsplit("/", 1)[1]
    assert set(record) >= {
        "schema_version",
        "article",
        "quotes",
        "speakers",
        "marks",
        "diagnostics",
        "versions",
    }


def test_upload_html_file(client):
    html = (
        b"<html><head><title>Ferry news</title></head><body><article><h1>Ferry news</h1>"
        b"<p>\xe2\x80\x9cThe ferry will run again in June,\xe2\x80\x9d said Captain Mia Berg, "
        b"who runs the line.</p><p>The island council said that fares would not rise.</p>"
        b"</article></body></html>"
    )
    got = _analyzed(client, files={"file": ("ferry.html", html, "text/html")})
    assert got["analysis"]["article"]["format"] == "html"
    assert "Mia Berg" in {s["name"] for s in got["summary"]["speakers"]}


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({}, 422, "nothing to analyze"),
        ({"text": "   \n "}, 422, "nothing to analyze"),
        ({"text": "He said so.", "url": "https://news.example/"}, 422, "one article at a time"),
        ({"url": "ftp://news.example/a"}, 422, "only http"),
        ({"text": "x", "format": "pdf"}, 422, "pdf"),
    ],
)
def test_bad_input_is_a_clear_4xx(client, form, status, message):
    r = client.post("/analyze.json", data=form)
    assert r.status_code == status
    assert message in r.json()["error"]
    page = client.post("/analyze", data=form)  # the HTML form gets a page, not JSON
    assert page.status_code == status and "text/html" in page.headers["content-type"]


def test_unknown_analysis_is_404_in_both_forms(client):
    assert client.get("/analysis/a_0000000000000000").status_code == 404
    r = client.get("/analysis/a_0000000000000000.json")
    assert r.status_code == 404 and "analyze the article again" in r.json()["error"]


def test_hostile_html_is_escaped(client):
    got = _analyzed(client, files={"file": ("hostile.html", HOSTILE, "text/html")})
    link = f"/analysis/{got['analysis']['article']['id']}"
    page = client.get(link).text
    assert "Jane Doe" in page  # the article is there …
    scripts = re.findall(r"<script[^>]*>", page, flags=re.IGNORECASE)
    assert scripts == ['<script src="/static/app/app.js" defer>']  # … and only our own script
    for needle in ("onerror=", "onload=", "onmouseover=", "<iframe", "<svg", "javascript:"):
        assert needle not in page.lower()


def test_pasted_markup_is_shown_as_text(client):
    text = (
        "“Close the </textarea><script>alert(1)</script> road,” said Mayor Jane Doe. "
        "<img src=x onerror=alert(2)>\n"
    )
    got = _analyzed(client, data={"text": text, "format": "text"})
    page = client.get(f"/analysis/{got['analysis']['article']['id']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<img" not in page and "<script>alert" not in page


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_upload_over_the_cap_is_refused():
    app = create_app(WebSettings(max_upload_bytes=1000, resolve=public_resolver))
    with TestClient(app) as c:
        big = c.post("/analyze.json", files={"file": ("big.txt", b"word " * 100_000, "text/plain")})
        assert big.status_code == 413 and "limit" in big.json()["error"]
        small_cap = c.post("/analyze.json", files={"file": ("a.txt", b"x" * 5000, "text/plain")})
        assert small_cap.status_code == 422 and "larger than the limit" in small_cap.json()["error"]


def _fetching_app(allow_private: bool, address: str, seen: list[str]) -> TestClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text="“The pier reopens,” said Harbour Master Lena Voss.\n")

    settings = WebSettings(
        allow_private_urls=allow_private,
        resolve=lambda h, p: [address],
        fetch_transport=httpx.MockTransport(handle),
    )
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("address", "allow", "fetched"),
    [
        ("93.184.215.14", False, True),
        ("127.0.0.1", False, False),
        ("10.0.0.7", False, False),
        ("169.254.169.254", False, False),
        ("::1", False, False),
        ("127.0.0.1", True, True),  # --allow-private-urls
        ("192.168.0.10", True, True),
    ],
)
def test_url_fetching_refuses_private_addresses(address, allow, fetched):
    seen: list[str] = []
    with _fetching_app(allow, address, seen) as c:
        r = c.post("/analyze.json", data={"url": "http://news.example/pier"})
    if fetched:
        assert r.status_code == 200, r.text
        assert r.json()["analysis"]["article"]["url"] == "http://news.example/pier"
        assert seen
    else:
        assert r.status_code == 422 and "--allow-private-urls" in r.json()["error"]
        assert seen == []


def test_openapi_lists_the_json_twins_and_docs_are_local(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/index.json", "/analyze.json", "/analysis/{article_id}.json"} <= set(paths)
    assert not any(p.endswith(("}", "/")) and p != "/" for p in paths if not p.endswith(".json"))
    docs = client.get("/docs").text
    assert "/static/docs/swagger-ui-bundle.js" in docs and "cdn." not in docs
    assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200


def test_static_assets_are_served(client):
    for path in ("/static/app/app.css", "/static/app/app.js"):
        assert client.get(path).status_code == 200
    assert json.dumps(client.get("/index.json").json())  # plain JSON


def test_chunked_upload_over_the_cap_is_refused():
    app = create_app(WebSettings(max_upload_bytes=1000, resolve=public_resolver))

    def chunks():  # no Content-Length: the body arrives in pieces
        yield b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        for _ in range(200):
            yield b"word " * 200
        yield b"\r\n--b--\r\n"

    with TestClient(app) as c:
        r = c.post(
            "/analyze.json",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
    assert r.status_code == 413 and "limit" in r.json()["error"]
