"""Nothing in a document's encoding stops a run: declared charsets that are not text encodings,
and lone surrogates in JSON strings.  Each case is read (or fails alone, with its reason) and
the warning names the document."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from accordingto.errors import InputError
from accordingto.ingest import iter_documents, read_bytes, read_input, read_url
from accordingto.ingest.document import WARNINGS_LOGGER
from accordingto.ingest.read import text_codec

PARAGRAPH = (
    "“The ferry will run every hour from May,” said Harbour Master Lena Voss on Tuesday, "
    "adding that the council had agreed to pay for a second boat."
)
#: Declared charsets Python can look up but that are no text encoding, or no page's encoding.
BOGUS = ["base64", "rot13", "hex", "zlib", "uu", "bz2", "quopri", "undefined", "unicode_escape"]


def page(charset: str, text: str = PARAGRAPH) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>Ferry</title></head><body><article>'
        f"<h1>Hourly ferry from May</h1><p>{text}</p></article></body></html>"
    )


def warnings_about(caplog: pytest.LogCaptureFixture, source: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith(WARNINGS_LOGGER) and getattr(r, "source", None) == source
    ]


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        ("Windows-1252", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("shift_jis", "shift_jis"),
        ('"koi8-r"', "koi8-r"),
        ("utf-16", "utf-8"),  # no NUL bytes, so not UTF-16 whatever it says
        ("base64", None),
        ("rot13", None),
        ("hex", None),
        ("zlib", None),
        ("uu", None),
        ("undefined", None),
        ("utf-7", None),
        ("no-such-charset", None),
        ("", None),
    ],
)
def test_only_real_text_codecs_are_used(label, codec):
    assert text_codec(label) == codec


@pytest.mark.parametrize("charset", BOGUS)
def test_html_declaring_a_bogus_charset_is_read_as_utf8_with_a_warning(tmp_path, caplog, charset):
    path = tmp_path / f"ferry-{charset}.html"
    path.write_text(page(charset), encoding="utf-8")
    article = read_input(str(path))
    assert "every hour from May" in article.text
    (warning,) = warnings_about(caplog, str(path))
    assert charset.replace("_", "") in warning.replace("_", "") and "read as UTF-8" in warning


@pytest.mark.parametrize("charset", ["base64", "undefined", "rot13"])
def test_bogus_charset_and_bytes_that_are_not_utf8_fail_cleanly(tmp_path, caplog, charset):
    path = tmp_path / "ferry.html"
    path.write_bytes(page(charset, "Le café est fermé, said the owner.").encode("cp1252"))
    with pytest.raises(InputError, match=r"is not valid UTF-8 \(byte 0xe9") as e:
        read_input(str(path))
    assert e.value.exit_code == 2 and "\n" not in str(e.value)
    assert f"it declares the charset '{charset}'" in str(e.value)
    assert not warnings_about(caplog, str(path))  # the error says it all, on one line


@pytest.mark.parametrize("charset", ["base64", "rot13", "undefined", "hex"])
@pytest.mark.parametrize("content_type", ["text/html", "text/plain"])
def test_bogus_charset_in_the_http_header_is_ignored(caplog, charset, content_type):
    body = page("utf-8") if content_type == "text/html" else PARAGRAPH
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200,
            content=body.encode("utf-8"),
            headers={"Content-Type": f"{content_type}; charset={charset}"},
        )
    )
    article = read_url("http://10.0.0.1/ferry", transport=transport, allow_private=True)
    assert "every hour from May" in article.text
    assert warnings_about(caplog, "http://10.0.0.1/ferry")


@pytest.mark.parametrize("charset", ["base64", "undefined"])
def test_bogus_charset_in_a_corpus_document_does_not_stop_the_run(tmp_path, charset):
    (tmp_path / "a.html").write_bytes(page(charset, "Le café est fermé, said Jo.").encode("cp1252"))
    (tmp_path / "b.html").write_text(page(charset), encoding="utf-8")
    (tmp_path / "c.txt").write_text(PARAGRAPH, encoding="utf-8")
    docs = list(iter_documents([str(tmp_path)]))
    assert [d.article is not None for d in docs] == [False, True, True]
    assert "not valid UTF-8" in docs[0].error


# -- lone surrogates in JSON strings -----------------------------------------------------------------


def test_lone_surrogates_are_replaced_and_the_record_is_read(tmp_path, caplog):
    text = "Mayor Anna Holt said \ud800 the bridge would reopen, “soon”."
    lines = [
        json.dumps({"text": text, "title": "Bridge \udfff news", "outlet": "Ex"}),
        json.dumps({"text": "“A fine second record,” said Tom Baker."}),
        json.dumps({"html": page("utf-8", "“Yes \udc80,” said Holt, the mayor of the town.")}),
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")  # json.dumps escapes: \ud800
    docs = list(iter_documents([str(path)]))
    assert all(d.article is not None for d in docs)
    first = docs[0].article
    assert first.text == text.replace("\ud800", "\ufffd") and len(first.text) == len(text)
    assert first.title == "Bridge \ufffd news"
    assert "\ufffd" in docs[2].article.text
    first_warnings = warnings_about(caplog, f"{path}#line 1")
    assert len(first_warnings) == 2 and "'text'" in first_warnings[0]
    assert all("surrogate" in w for w in first_warnings)
    assert not warnings_about(caplog, f"{path}#line 2")


def test_spark_reads_surrogates_as_the_run_does():
    from accordingto.spark.records import jsonl_item

    name, article = jsonl_item(json.dumps({"text": "Holt said \ud800 it.", "id": 7}), source="x")
    assert article.text == "Holt said \ufffd it."


# -- the web app's reading part -----------------------------------------------------------------------


def analyzer():
    from accordingto.web.analyzer import Analyzer
    from accordingto.web.settings import WebSettings

    return Analyzer(WebSettings())


@pytest.mark.parametrize("charset", BOGUS)
def test_upload_with_a_bogus_charset_is_read(charset):
    article = analyzer().read_upload(page(charset).encode(), name="ferry.html")
    assert "every hour from May" in article.text


def test_upload_with_a_bogus_charset_and_bytes_that_are_not_utf8_is_a_422():
    from fastapi.testclient import TestClient

    from accordingto.web.app import create_app
    from accordingto.web.settings import WebSettings

    data = page("base64", "Le café est fermé, said the owner.").encode("cp1252")
    client = TestClient(create_app(WebSettings()), raise_server_exceptions=False)
    r = client.post("/analyze.json", files={"file": ("ferry.html", data, "text/html")})
    assert r.status_code == 422 and "not valid UTF-8" in r.json()["error"]


def test_read_bytes_never_raises_anything_but_input_error_on_charsets():
    for charset in BOGUS:
        for data in (page(charset).encode(), page(charset, "caf\xe9").encode("latin-1")):
            try:
                read_bytes(data, source="x.html", name="x.html")
            except InputError:
                pass


def test_warnings_go_to_the_ingest_logger_with_the_source(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger=WARNINGS_LOGGER)
    read_bytes(page("rot13").encode(), source="paper/1.html", name="1.html")
    (record,) = [r for r in caplog.records if r.name.startswith(WARNINGS_LOGGER)]
    assert record.levelno == logging.WARNING and record.source == "paper/1.html"
    assert record.getMessage().startswith("paper/1.html: ")
