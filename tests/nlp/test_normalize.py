"""The parse text keeps every offset and blanks markup and broken paragraph breaks."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accordingto.nlp.normalize import paragraph_spans, parse_text

CASES = [
    ("the *Times of London* reported", True, "the  Times of London  reported"),
    ("a **bold** claim", True, "a   bold   claim"),
    ("# Heading\n\nBody.", True, "  Heading\n\nBody."),
    ("see [the site](https://x.org) now", True, "see  the site" + " " * 16 + " now"),
    ("snake_case_name stays", True, "snake_case_name stays"),
    ("not markdown *here*", False, "not markdown *here*"),
]


@pytest.mark.parametrize(("text", "markdown", "expected"), CASES)
def test_markup_is_blanked(text, markdown, expected):
    assert parse_text(text, markdown=markdown) == expected


def test_sentence_broken_across_paragraphs_is_joined():
    text = (
        "Title line\n\nLast week, a far-right reporter asked Democratic\n\n"
        "Representative Jerrold Nadler whether he opposed the attacks."
    )
    out = parse_text(text)
    assert "asked Democratic  Representative" in out
    assert out.startswith("Title line\n\n")  # the title paragraph is never joined


def test_finished_paragraphs_stay_apart():
    text = "Title\n\nThe council met on Tuesday to vote.\n\nIt postponed the vote again."
    assert parse_text(text) == text


@given(st.text(alphabet="ab *_#[]()\n.“”", max_size=80))
def test_same_length_always(text):
    assert len(parse_text(text, markdown=True)) == len(text)


def test_paragraph_spans():
    text = "One.\n\n  Two.\n \nThree."
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["One.", "Two.", "Three."]
