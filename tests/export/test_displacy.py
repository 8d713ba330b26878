"""`render_html`: one article's attributions as self-contained, escaped HTML (displaCy style).

The analyses are built by hand (no spaCy), from sentences written for these tests.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from accordingto import (
    Analysis,
    Article,
    EntityKind,
    Mark,
    MarkKind,
    Quote,
    QuoteKind,
    Span,
    Speaker,
    render_html,
)
from accordingto.export.displacy import PALETTE

TEXT = (
    "“The bridge is safe,” said engineer Ada <Okafor>. "
    'Council member Tom Reed called the report a "whitewash" and said that repairs must start now.'
)


def span(text: str, words: str, start: int = 0) -> Span:
    at = text.index(words, start)
    return Span(at, at + len(words), words)


def analysis(text: str = TEXT) -> Analysis:
    ada = Speaker(
        "s_ada", "Ada <Okafor>", EntityKind.PERSON, "engineer", (span(text, "Ada <Okafor>"),)
    )
    reed = Speaker("s_reed", "Tom Reed", EntityKind.PERSON, "Council member")
    return Analysis(
        article=Article(text=text),
        quotes=(
            Quote("q_1", QuoteKind.DIRECT, (span(text, "“The bridge is safe,”"),),
                  cue=span(text, "said"), source=span(text, "engineer Ada <Okafor>"),
                  speaker_id="s_ada"),
            Quote("q_2", QuoteKind.INDIRECT, (span(text, "that repairs must start now"),),
                  cue=span(text, "said", 30), source=span(text, "Council member Tom Reed"),
                  speaker_id="s_reed"),
        ),
        speakers=(ada, reed),
        marks=(Mark(MarkKind.SCARE, span(text, '"whitewash"')),),
    )  # fmt: skip


class _Tags(HTMLParser):
    """Collects start tags and the article's text (not labels, legend or CSS), and checks
    that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append((tag, dict(attrs).get("class") or ""))
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop()[0] == tag

    def handle_data(self, data: str) -> None:
        skip = ("at-label", "at-legend")
        if self.stack[-1][0] != "style" and not any(
            set(skip) & set(c.split()) for _, c in self.stack
        ):
            self.text.append(data)


def parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    tags.close()
    assert tags.stack == []
    return tags


def spans_with(tags: _Tags, css: str) -> list[dict[str, str | None]]:
    return [a for t, a in tags.starts if t == "span" and css in (a.get("class") or "").split()]


def test_the_html_is_well_formed_and_keeps_the_text_escaped() -> None:
    html = render_html(analysis())
    assert "<Okafor>" not in html and "&lt;Okafor&gt;" in html
    tags = parse(html)
    assert "".join(tags.text) == TEXT


def test_self_contained_no_scripts_or_external_files() -> None:
    html = render_html(analysis())
    tags = parse(html)
    assert {t for t, _ in tags.starts} <= {"div", "span", "style"}
    for _, attrs in tags.starts:
        assert not {"src", "href", "onload", "onclick"} & attrs.keys()
    assert "<style>" in html and "@import" not in html and "url(" not in html


def test_each_speaker_has_a_colour_and_a_label() -> None:
    tags = parse(render_html(analysis()))
    quotes = spans_with(tags, "at-q")
    assert [q["style"] for q in quotes] == [f"background:{PALETTE[0]}", f"background:{PALETTE[1]}"]
    assert "Ada <Okafor> (engineer)" in (quotes[0]["title"] or "")
    labels = [a for a in spans_with(tags, "at-label") if "at-mark-label" not in (a["class"] or "")]
    assert len(labels) == 2


def test_cues_are_underlined_sources_outlined_and_marks_shown_apart() -> None:
    html = render_html(analysis())
    assert html.count('class="at-cue"') == 2
    assert html.count('class="at-src"') == 2
    assert 'class="at-mark"' in html and '<span class="at-label at-mark-label">scare</span>' in html
    assert "background" not in html.split('class="at-mark"')[1].split(">")[0]


def test_a_text_without_quotations_is_just_escaped_text() -> None:
    html = render_html(Analysis(article=Article(text="Rain & wind <tonight>.")))
    assert 'class="at-doc">Rain &amp; wind &lt;tonight&gt;.</div>' in html
    assert "at-legend" not in html.split("</style>")[1]


@pytest.mark.parametrize("shift", [0, 1, 5])
def test_overlapping_layers_stay_well_formed(shift: int) -> None:
    """A mark inside a quotation, a source inside content: pieces never cross."""
    text = 'She said “the "new" plan works” today.'
    quote = Quote("q", QuoteKind.DIRECT, (span(text, "“the \"new\" plan works”"),),
                  cue=Span(4 - shift if shift < 4 else 4, 8, text[4 - shift if shift < 4 else 4:8]),
                  source=span(text, "She"))  # fmt: skip
    a = Analysis(Article(text), (quote,), (), (Mark(MarkKind.SCARE, span(text, '"new"')),))
    tags = parse(render_html(a))
    assert "".join(tags.text) == text
