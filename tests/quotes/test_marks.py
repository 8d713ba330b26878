"""Quotation marks → quoted stretches, as tables of (text, expected)."""

import pytest

from accordingto.quotes.marks import find_quoted

CASES = [
    # (text, expected quoted texts)
    ("He said “no” twice.", ["“no”"]),
    ('She said "yes" and "no".', ['"yes"', '"no"']),
    ("“A,” he said. “B.”", ["“A,”", "“B.”"]),
    ("“First paragraph.\n\n“Second paragraph.”", ["“First paragraph.\n\n“Second paragraph.”"]),
    ("It's the team’s “best” season.", ["“best”"]),
    ('A "nested “inner” quote" here.', ['"nested “inner” quote"']),
    ("No quotation marks at all.", []),
    ('Straight 5" pipe, no quote.', []),
    # paragraphs as single lines: a line that opens with a mark continues the open quotation
    (
        "Ortiz said: “We will rebuild.\n“It will take years,” she added.\nTraffic was light.",
        ["“We will rebuild.\n“It will take years,”"],
    ),
    # negatives: a quotation closed before the line break, and a mark inside a line, still nest
    ("“We will rebuild.”\n“It will take years.”", ["“We will rebuild.”", "“It will take years.”"]),
    ("He said “we call it “the bridge” here.”", ["“we call it “the bridge” here.”"]),
    # a closing mark typed for the opening one at a line's start still opens
    ("”We lost.” ― A reader\n“We won.”", ["”We lost.”", "“We won.”"]),
    ("“A line ends\n” and so on", ["“A line ends\n”"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quoted_spans(text, expected):
    quoted, _ = find_quoted(text)
    assert [text[q.start : q.end] for q in quoted] == expected


UNBALANCED = [
    ("He said “this never closes.\n\nNext paragraph.", "unclosed-quotation"),
    ("A stray closing mark” here.", "stray-closing-mark"),
]


@pytest.mark.parametrize(("text", "code"), UNBALANCED)
def test_unbalanced_marks_become_diagnostics(text, code):
    _quoted, diagnostics = find_quoted(text)
    assert [d.code for d in diagnostics] == [code]


def test_unclosed_quote_does_not_swallow_later_quotes():
    text = "He said “this never closes.\n\nShe said “fine.”"
    quoted, diagnostics = find_quoted(text)
    assert text[quoted[-1].start : quoted[-1].end] == "“fine.”"
    assert len(diagnostics) == 1
