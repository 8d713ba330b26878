"""Markdown read as the text a reader sees, with the byline and date under the title (ingest/markdown.py)."""

from __future__ import annotations

import pytest

from accordingto import analyze
from accordingto.ingest import read_bytes
from accordingto.ingest.markdown import header_date, read_markdown


@pytest.mark.parametrize(
    ("source", "byline", "date"),
    [
        ("# Strike on depot\n\nJane Okafor  \n30 May 2023\n\nText.", "Jane Okafor", "2023-05-30"),
        ("# T\n\nBy Jane Okafor\n\nText.", "Jane Okafor", None),
        (
            "# T\n\n*By Jane Okafor and Li Wei* · May 30, 2023\n\nText.",
            "Jane Okafor and Li Wei",
            "2023-05-30",
        ),
        ("# T\n\nPublished Tuesday 30 May 2023\n\nText.", None, "2023-05-30"),
        (
            "# T\n\nBy Ana de la Cruz\nUpdated May 30, 2023, 10:04 GMT\n\nText.",
            "Ana de la Cruz",
            "2023-05-30",
        ),
        (
            "---\nauthor: Jane Okafor\ndate: 2023-05-30T08:00:00Z\n---\n# T\n\nText.",
            "Jane Okafor",
            "2023-05-30",
        ),
        # negative cases: a subtitle, a sentence with a date, a header not under a title
        ("# T\n\nRussia Strikes Back\n\nText.", None, None),
        ("# T\n\nThe mayor said on 30 May 2023 that it would close.\n\nText.", None, None),
        ("Jane Okafor\n30 May 2023\n\nText.", None, None),
        ("## Second-level heading\n\nJane Okafor\n30 May 2023\n\nText.", None, None),
    ],
)
def test_byline_and_date_under_the_title(source: str, byline: str | None, date: str | None) -> None:
    md = read_markdown(source)
    assert (md.byline, md.date) == (byline, date)
    if byline or date:
        assert "Okafor" not in md.text and "2023" not in md.text  # metadata, not prose


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("30 May 2023", "2023-05-30"),
        ("May 30, 2023", "2023-05-30"),
        ("Sept. 3, 2023", None),
        ("Sept 3, 2023", "2023-09-03"),
        ("2023-05-30", "2023-05-30"),
        ("Tuesday, May 30th, 2023 at 9:15 a.m.", "2023-05-30"),
        ("Last updated: 1 June 2023", "2023-06-01"),
        # negative cases
        ("May 2023", None),
        ("The strike came on 30 May 2023", None),
        ("30 Mayo 2023", None),
    ],
)
def test_header_date(line: str, iso: str | None) -> None:
    assert header_date(line) == iso


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("the *Times of London* reported", "the Times of London reported"),
        ("**Mayor Ana Ortiz** said", "Mayor Ana Ortiz said"),
        ("[Reuters](https://example.org/r) reported", "Reuters reported"),
        ("a `code` word and an ![image](x.png) here", "a code word and an  here"),
        ("> “It will close,” she said.", "“It will close,” she said."),
        ("- one\n- two", "one\n\ntwo"),
        ("snake_case stays, 5 * 3 stays", "snake_case stays, 5 * 3 stays"),
    ],
)
def test_markup_is_not_part_of_the_text(source: str, text: str) -> None:
    assert read_markdown(source).text == text


def test_no_span_holds_markup() -> None:
    source = (
        "# Strike on depot\n\nJane Okafor  \n30 May 2023\n\n"
        "Kyiv was hit overnight, the *Times of London* reported on Tuesday. "
        "“We will rebuild,” said **Mayor Ana Ortiz**.\n"
    )
    article = read_bytes(source.encode(), source="a.md", name="a.md")
    analysis = analyze(article)
    assert (article.byline, article.date) == ("Jane Okafor", "2023-05-30")
    spans = [s for q in analysis.quotes for s in (*q.content, q.cue, q.source) if s is not None]
    assert spans and all("*" not in s.text for s in spans)
    assert any(s.text.endswith("Times of London") for q in analysis.quotes if (s := q.source))
