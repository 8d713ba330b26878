"""HTML: main text and metadata (extract/html.py), and decoding HTML bytes (ingest/read.py)."""

from __future__ import annotations

import codecs

import pytest
from conftest import PARAGRAPHS, article_page

import accordingto.extract
from accordingto.errors import InputError
from accordingto.extract import extract_html
from accordingto.ingest.read import decode_html


def test_extract_exports() -> None:
    assert accordingto.extract.__all__ == ["extract_html"]


def test_main_text_keeps_every_paragraph_separated_by_a_blank_line(page_html: str) -> None:
    article = extract_html(page_html)
    blocks = article.text.split("\n\n")
    assert blocks[-len(PARAGRAPHS) :] == PARAGRAPHS
    assert "\n\n\n" not in article.text
    assert article.text == article.text.strip()


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Weather",  # navigation
        "never asked",  # a related-articles teaser with a quotation in it
        "terrible decision",  # a reader's comment
        "All rights reserved",  # footer
    ],
)
def test_boilerplate_is_left_out(page_html: str, boilerplate: str) -> None:
    assert boilerplate not in extract_html(page_html).text


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Eastbrook votes to close river bridge to cars"),
        ("byline", "Jane Okafor"),
        ("date", "2024-05-14"),
        ("outlet", "The Eastbrook Courier"),
        ("format", "html"),
        ("url", None),
    ],
)
def test_metadata(page_html: str, field: str, expected: str | None) -> None:
    assert getattr(extract_html(page_html), field) == expected


def test_url_given_is_kept(page_html: str) -> None:
    url = "https://news.example.org/2024/05/bridge"
    assert extract_html(page_html, url=url).url == url


@pytest.mark.parametrize(
    "html",
    [
        "<html><body></body></html>",
        "<!DOCTYPE html><html><head><title>Only a title</title></head><body></body></html>",
        '<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>',
        "<html><body><script>var article = 'not text';</script></body></html>",
    ],
)
def test_no_article_text_is_an_input_error(html: str) -> None:
    with pytest.raises(InputError, match="no article text found"):
        extract_html(html)


# -- decoding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "charset", "expected"),
    [
        # no declaration: UTF-8
        ("<p>café</p>".encode(), None, "<p>café</p>"),
        # the HTTP header's charset
        ("<p>café</p>".encode("cp1252"), "windows-1252", "<p>café</p>"),
        # ISO-8859-1 is read as windows-1252, as browsers do (€ is 0x80 there)
        ("<p>5 €</p>".encode("cp1252"), "iso-8859-1", "<p>5 €</p>"),
        # the page's <meta charset>
        ('<meta charset="windows-1252"><p>café</p>'.encode("cp1252"), None, "<p>café</p>"),
        # <meta http-equiv> form
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">'
            "<p>Šťepka</p>".encode("iso-8859-2"),
            None,
            "<p>Šťepka</p>",
        ),
        # a byte-order mark wins over a wrong header, and is dropped
        (codecs.BOM_UTF8 + "<p>café</p>".encode(), "windows-1252", "<p>café</p>"),
        # an unknown charset label falls back to UTF-8
        ("<p>café</p>".encode(), "x-no-such-charset", "<p>café</p>"),
    ],
)
def test_decode_html(data: bytes, charset: str | None, expected: str) -> None:
    assert decode_html(data, source="page.html", charset=charset).endswith(expected)


def test_local_html_must_decode() -> None:
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 0xe9 at byte offset 6\)"):
        decode_html(b"<p>caf\xe9</p>", source="page.html")


def test_local_html_must_decode_in_its_declared_encoding() -> None:
    data = b'<meta charset="shift_jis"><p>\x81\x39</p>'
    with pytest.raises(InputError, match=r"does not decode as shift_jis, the encoding it declares"):
        decode_html(data, source="page.html")


def test_web_html_is_decoded_with_replacement() -> None:
    assert decode_html(b"<p>caf\xe9</p>", source="page", lenient=True) == "<p>caf\ufffd</p>"


def test_extract_from_a_page_in_windows_1252() -> None:
    data = article_page(["Le café est fermé, said the owner. " * 8], charset="windows-1252")
    html = decode_html(data.encode("cp1252"), source="page.html")
    assert "Le café est fermé" in extract_html(html).text
