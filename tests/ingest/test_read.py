"""Reading files and standard input: formats, text kept exactly as given, and every bad input."""

from __future__ import annotations

import codecs
import io
import tracemalloc
from pathlib import Path

import pytest
from conftest import PARAGRAPHS, article_page

import accordingto.ingest
from accordingto.errors import InputError
from accordingto.ingest import detect_format, guess_language, markdown_title, read_input

ENGLISH = (
    "The mayor said on Tuesday that the bridge would close to cars next spring. "
    "“It cannot carry today’s traffic,” she told reporters, adding that buses would "
    "still be able to use it for a while.\n"
)
GERMAN = (
    "Die Bürgermeisterin sagte am Dienstag, dass die Brücke im nächsten Frühjahr für Autos "
    "gesperrt werde. „Sie kann den heutigen Verkehr nicht mehr tragen“, sagte sie vor "
    "Journalisten, und die Busse dürften sie noch eine Weile benutzen.\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    """Write ``data`` (str as UTF-8) to ``tmp_path/name`` and return the path as a string."""
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_exports() -> None:
    assert sorted(accordingto.ingest.__all__) == [
        "CONTENT_TYPES",
        "DEFAULT_MAX_BYTES",
        "DEFAULT_TIMEOUT",
        "Document",
        "FORMATS",
        "FetchResult",
        "PoliteFetcher",
        "article_from_record",
        "detect_format",
        "fetch_url",
        "guess_language",
        "input_kind",
        "iter_documents",
        "markdown_title",
        "read_bytes",
        "read_fetched",
        "read_file",
        "read_input",
        "read_stream",
        "read_url",
    ]
    for name in accordingto.ingest.__all__:
        assert hasattr(accordingto.ingest, name)


# -- text and Markdown are analyzed exactly as given ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        "Windows line endings.\r\nSecond line.\r\n",
        "  leading and trailing spaces  \n\n\n\ttab-indented\n",
        "No newline at the end",
        "Curly “quotes”, ‘single’, «guillemets», „German“ and an em dash — kept.",
        "Combining: e\u0301 is not normalised to \u00e9.",
        "Emoji 🙂 and CJK 漢字 count as one index each.",
        "Form feed\x0cand vertical tab\x0b survive.",
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".text"])
def test_text_is_exactly_the_input(tmp_path: Path, text: str, suffix: str) -> None:
    article = read_input(write(tmp_path, "article" + suffix, text))
    assert article.text == text
    assert article.format == "text"


def test_markdown_is_read_as_the_text_a_reader_sees(tmp_path: Path) -> None:
    source = (
        "# Bridge to close\n\n"
        "*By Jane Okafor* | [Courier](https://example.org)\n\n"
        "> “It cannot carry today’s traffic,” said **Mayor Helen Adebayo**.\n\n"
        "- one\n- two\n"
    )
    article = read_input(write(tmp_path, "a.md", source))
    assert article.format == "markdown"
    assert article.text == (
        "Bridge to close\n\n“It cannot carry today’s traffic,” said Mayor Helen Adebayo."
        "\n\none\n\ntwo"
    )
    assert (article.title, article.byline, article.outlet) == (
        "Bridge to close",
        "Jane Okafor",
        "Courier",
    )


def test_a_leading_utf8_bom_is_dropped_and_nothing_else(tmp_path: Path) -> None:
    article = read_input(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + ENGLISH.encode()))
    assert article.text == ENGLISH


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Bridge to close\n\nText.", "Bridge to close"),
        ("\n\n  # Indented title  \nText.", "Indented title"),
        ("# Closed heading ##\nText.", "Closed heading"),
        ("# Title\r\n\r\nWindows.", "Title"),
        # negative cases
        ("## A second-level heading\nText.", None),
        ("#hashtag, not a heading\nText.", None),
        ("Text first.\n# Then a heading\n", None),
        ("    # indented four spaces is code\n", None),
        ("", None),
    ],
)
def test_markdown_title(text: str, title: str | None) -> None:
    assert markdown_title(text) == title


def test_plain_text_has_no_title(tmp_path: Path) -> None:
    assert (
        read_input(write(tmp_path, "a.txt", "# Not a title in plain text\n" + ENGLISH)).title
        is None
    )


# -- format by extension, by content, or as asked --------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.txt", "<html><body><p>x</p></body></html>", "text"),
        ("a.TXT", "plain", "text"),
        ("a.md", "plain", "markdown"),
        ("a.markdown", "plain", "markdown"),
        ("a.html", "plain", "html"),
        ("a.htm", "plain", "html"),
        ("a.xhtml", "plain", "html"),
        ("https://example.org/news/story.html", "plain", "html"),
        # no or unknown extension: sniffed
        (None, "<!DOCTYPE html><html><body>x</body></html>", "html"),
        (None, "\n  <!doctype HTML>\n<title>x</title>", "html"),
        (None, "<html lang='en'><p>x</p></html>", "html"),
        ("a.dat", "<div><p>One</p><p>Two</p></div>", "html"),
        (None, "Text. " + "<br> " * 25, "html"),
        (None, "# A heading\n\nBody.", "markdown"),
        (None, "## A subheading\n\nBody.", "markdown"),
        # negative cases: stays text
        (None, "He wrote <b>bold</b> once.", "text"),
        (None, "Prices rose 3 % < 5 % > 1 %.", "text"),
        (None, "#hashtag", "text"),
        (None, "Plain words.", "text"),
    ],
)
def test_detect_format(name: str | None, data: str, expected: str) -> None:
    assert detect_format(data.encode(), name=name) == expected


def test_html_file_is_reduced_to_its_main_text(tmp_path: Path) -> None:
    article = read_input(write(tmp_path, "page.html", article_page()))
    assert article.format == "html"
    assert article.text.endswith(PARAGRAPHS[-1])
    assert article.outlet == "The Eastbrook Courier"
    assert article.language == "en"


@pytest.mark.parametrize(
    ("name", "data", "format", "expected_format"),
    [
        ("page.txt", article_page(), "html", "html"),
        ("page.html", ENGLISH, "text", "text"),
        ("page.html", "# T\n" + ENGLISH, "md", "markdown"),
        ("notes", ENGLISH, "TXT", "text"),
    ],
)
def test_format_can_be_forced(
    tmp_path: Path, name: str, data: str, format: str, expected_format: str
) -> None:
    article = read_input(write(tmp_path, name, data), format=format)
    assert article.format == expected_format
    if expected_format == "text":
        assert article.text == data
    elif expected_format == "markdown":
        assert article.text == "T\n\n" + ENGLISH.strip()


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown format 'pdf'; use one of: text, markdown, html"):
        read_input(write(tmp_path, "a.txt", ENGLISH), format="pdf")


# -- standard input ---------------------------------------------------------------------------


def test_stdin_text() -> None:
    article = read_input("-", stdin=io.BytesIO(ENGLISH.encode()))
    assert (article.text, article.format, article.url) == (ENGLISH, "text", None)


def test_stdin_html_is_sniffed() -> None:
    article = read_input("-", stdin=io.BytesIO(article_page().encode()))
    assert article.format == "html"


def test_stdin_markdown_when_asked() -> None:
    article = read_input("-", stdin=io.BytesIO(b"# Title\n\nBody."), format="markdown")
    assert (article.title, article.format) == ("Title", "markdown")


class ChunkedStream(io.RawIOBase):
    """A pipe-like stream that returns at most 7 bytes per read."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(7, size) if size >= 0 else 7)


def test_stdin_short_reads_are_joined() -> None:
    assert read_input("-", stdin=ChunkedStream(ENGLISH.encode())).text == ENGLISH  # type: ignore[arg-type]


# -- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (GERMAN, "und"),
        ("Рада заявила у вівторок, що міст закриють для автомобілів.", "und"),
        ("市议会周二投票决定明年春天禁止汽车通过这座旧桥。", "und"),
        ("Too short to tell.", None),
        ("1234 5678", None),
    ],
)
def test_language_is_guessed(tmp_path: Path, text: str, language: str | None) -> None:
    assert read_input(write(tmp_path, "a.txt", text)).language == language
    assert guess_language(text) == language


# -- bad input: one clear error each ---------------------------------------------------------

BAD_CONTENT = [
    pytest.param(b"", "input is empty", id="empty"),
    pytest.param(b" \n\t\r\n ", "input contains only whitespace", id="whitespace"),
    pytest.param("\u00a0\u2003\n".encode(), "input contains only whitespace", id="unicode-space"),
    pytest.param(
        b"text\x00more text", r"binary file, not text \(it contains NUL bytes\)", id="nul"
    ),
    pytest.param(b"\x01\x02\x03\x04 abc", "control characters", id="control"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", id="png"),
    pytest.param(codecs.BOM_UTF16_LE + "text".encode("utf-16-le"), "UTF-16", id="utf-16"),
    pytest.param(
        b"caf\xe9 au lait", r"not valid UTF-8 \(byte 0xe9 at byte offset 3\)", id="latin-1"
    ),
    pytest.param(codecs.BOM_UTF8 + b"ab\xff", "at byte offset 5", id="offset-counts-bom"),
    pytest.param(b"ok \xe2\x80", "at byte offset 3", id="truncated-utf8"),
]


@pytest.mark.parametrize(("data", "message"), BAD_CONTENT)
def test_bad_file_content(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(InputError, match=message) as info:
        read_input(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("data", "message"), BAD_CONTENT)
def test_bad_stdin_content(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_input("-", stdin=io.BytesIO(data))
    assert str(info.value).startswith("standard input: ")


def test_not_utf8_says_how_to_convert(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8"):
        read_input(write(tmp_path, "bad.txt", b"caf\xe9"))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.html", "<html><body></body></html>"),
        ("nav.html", '<html><body><nav><a href="/">Home</a></nav></body></html>'),
    ],
)
def test_html_without_article_text(tmp_path: Path, name: str, data: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError, match=f"^{path}: no article text found in the HTML; "):
        read_input(path)


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="no such file; check the path"):
        read_input(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory; pass the path of one article file"):
        read_input(str(tmp_path))


def test_no_input() -> None:
    with pytest.raises(InputError, match="no input given"):
        read_input("")


def test_file_over_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "x" * 11)
    with pytest.raises(InputError, match="is 11 bytes, over the limit of 10 bytes"):
        read_input(path, max_bytes=10)
    assert read_input(path, max_bytes=11).text == "x" * 11


def test_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: costs no disk
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="is 50,000,000 bytes, over the limit of 1,000,000"):
            read_input(str(path), max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_stdin_over_the_limit_reads_at_most_one_byte_more() -> None:
    stream = io.BytesIO(b"x" * 1000)
    with pytest.raises(InputError, match="standard input: is larger than the limit of 100 bytes"):
        read_input("-", stdin=stream, max_bytes=100)
    assert stream.tell() == 101
