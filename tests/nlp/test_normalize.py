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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“" * 40, "“" * 16 + " " + "“" * 15 + " " + "“" * 7),
        ('He said: "' + '"' * 20, 'He said: "' + '"' * 15 + " " + '"' * 4),
        ("(" * 18 + "x", "(" * 16 + " (x"),
        # short runs and ordinary punctuation are left alone
        ("“Yes,” he said.", "“Yes,” he said."),
        ("---- ** ((“”)) ?!", "---- ** ((“”)) ?!"),
        ("a" * 40, "a" * 40),
    ],
)
def test_long_punctuation_runs_are_broken(text, expected):
    assert parse_text(text) == expected


def test_a_run_of_quotation_marks_tokenizes_in_linear_time():
    """8,000 bare quotation marks took spaCy's tokenizer seconds (quadratic in the run)."""
    import time

    import spacy

    tokenizer = spacy.blank("en").tokenizer
    text = "“" * 8000
    start = time.perf_counter()
    tokenizer(parse_text(text))
    assert time.perf_counter() - start < 1.0
