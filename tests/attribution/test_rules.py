"""Who said what, sentence by sentence: tables of (text, expected attribution), with negatives.

Each row is one behaviour of the rules, so the analyzer runs without the trained tagger
here (``load_pipeline(tagger=False)``).  ``speaker`` is the resolved name, ``kind`` the kind.
"""

from __future__ import annotations

import pytest

import accordingto
from accordingto.model import Article
from accordingto.nlp import load_pipeline


def _quotes(text: str, markdown: bool = False):
    a = accordingto.analyze(
        Article(text=text, format="markdown" if markdown else "text"),
        nlp=load_pipeline(tagger=False),
    )
    out = []
    for q in a.quotes:
        sp = a.speaker(q.speaker_id)
        out.append((q.kind.value, sp.name if sp else None, " … ".join(c.text for c in q.content)))
    return a, out


DIRECT = [
    # cue after the quote, inverted subject
    (
        "“We will rebuild the bridge,” said Mayor Ana Ortiz.",
        "Ana Ortiz",
        "“We will rebuild the bridge,”",
    ),
    # cue after the quote, pronoun resolved to the person named before
    (
        "Mayor Ana Ortiz spoke on Monday.\n\n“We will rebuild the bridge,” she said.",
        "Ana Ortiz",
        "“We will rebuild the bridge,”",
    ),
    # cue before the quote, with a colon
    (
        "Senator Tom Reyes wrote: “The vote is a disgrace.”",
        "Tom Reyes",
        "“The vote is a disgrace.”",
    ),
    # any verb before a colon and a quotation in the next paragraph is the cue
    ("Tom Reyes continued:\n\n“The vote is a disgrace.”", "Tom Reyes", "“The vote is a disgrace.”"),
    # quote split by the cue: one attribution, two content spans
    (
        "“The plan is sound,” said Tom Reyes. “It will pass.”",
        "Tom Reyes",
        "“The plan is sound,” … “It will pass.”",
    ),
]


SIGNED = [
    # a quotation signed with a dash and a name at the end of its line
    (
        "Readers wrote in.\n\n“The bridge must close.” ― Ana Ortiz\n“It must stay open.”― Tom Reyes.",
        [("Ana Ortiz", "“The bridge must close.”"), ("Tom Reyes", "“It must stay open.”")],
    ),
    # negative: a dash after a scare quote, followed by ordinary words, signs nothing
    ("The plan was “historic” — and it cost a fortune.", []),
]


TRANSCRIPTS = [
    # each line of a transcript is said by the speaker its label names, quoted or not
    (
        'The exchange went:\n\n"HALE: Will the bridge close?\n\n"ORTIZ: Not this year."',
        [("HALE", "Will the bridge close?"), ("ORTIZ", "Not this year.")],
    ),
    (
        "HALE: Will the bridge close?\n\nORTIZ: Not this year.",
        [("HALE", "Will the bridge close?"), ("ORTIZ", "Not this year.")],
    ),
    # negative: one capitalised word and a colon is a kicker, not a transcript
    ("BREAKING: The bridge will close.\n\nTraffic was light.", []),
]


def test_transcript_labels_name_the_people_named_before():
    text = (
        "Fox anchor Chris Wallace questioned Governor Mike Pence on Sunday.\n\n"
        "WALLACE: Will she be there?\n\nPENCE: Well, look, it is a show."
    )
    a, _ = _quotes(text)
    lines = [q for q in a.quotes if q.cue is not None and q.cue.text == ":"]
    assert [a.speaker(q.speaker_id).name for q in lines] == ["Chris Wallace", "Mike Pence"]


@pytest.mark.parametrize(("text", "expected"), TRANSCRIPTS)
def test_transcript_lines(text, expected):
    a, _ = _quotes(text)
    lines = [q for q in a.quotes if q.cue is not None and q.cue.text == ":"]
    assert [(q.source.text, q.content[0].text) for q in lines] == expected
    assert all(method != "unattributed" for method in (q.method for q in a.quotes))


@pytest.mark.parametrize(("text", "expected"), SIGNED)
def test_quotations_signed_with_a_dash(text, expected):
    _, quotes = _quotes(text)
    assert [(speaker, content) for kind, speaker, content in quotes if kind == "direct"] == expected


@pytest.mark.parametrize(("text", "speaker", "content"), DIRECT)
def test_direct_quotes(text, speaker, content):
    _, quotes = _quotes(text)
    assert ("direct", speaker, content) in quotes


INDIRECT = [
    (
        "Tom Reyes said that the council would vote in April.",
        "Tom Reyes",
        "that the council would vote in April",
    ),
    (
        "The council will vote in April, the Riverton Gazette reported.",
        "Riverton Gazette",
        "The council will vote in April",
    ),
    (
        "According to the state transport agency, 40,000 cars cross the bridge daily.",
        "the state transport agency",
        "40,000 cars cross the bridge daily",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "content"), INDIRECT)
def test_indirect_speech(text, speaker, content):
    _, quotes = _quotes(text)
    assert ("indirect", speaker, content) in quotes


def test_mixed_quote_keeps_fragments_inside_the_content():
    text = "Ortiz said that the review was “long overdue” and that it would start soon."
    _, quotes = _quotes(text)
    assert quotes == [
        ("mixed", "Ortiz", "that the review was “long overdue” and that it would start soon")
    ]


def test_multi_paragraph_quote_is_one_quotation():
    text = (
        "Mayor Daniel Okafor was blunt. “Prices rise every month,” he said.\n\n"
        "“We have patched this bridge for years.\n\n“It is time to fix it.”"
    )
    _, quotes = _quotes(text)
    speakers = {s for _, s, _ in quotes}
    assert speakers == {"Daniel Okafor"}
    assert any(
        "“We have patched this bridge for years.\n\n“It is time to fix it.”" in c
        for _, _, c in quotes
    )


def test_citation_chain_keeps_the_outlet():
    text = "The Riverton Gazette, citing engineer Paul Mendez, wrote, “The cables are corroded.”"
    a, _ = _quotes(text)
    q = a.quotes[0]
    assert a.speaker(q.speaker_id).name == "Paul Mendez"
    assert [a.speaker(v).name for v in q.via] == ["Riverton Gazette"]


NOT_SPEECH = [
    ("The ship carried out “freedom of navigation” operations.", "scare"),
    ("The museum screened a film titled “Why Bridges Fall Down” last year.", "title"),
]


@pytest.mark.parametrize(("text", "kind"), NOT_SPEECH)
def test_quotation_marks_that_are_not_speech(text, kind):
    a, quotes = _quotes(text)
    assert [m.kind.value for m in a.marks] == [kind]
    assert quotes == []


NEGATIVE = [
    "The bridge was built in 1931 and repainted in 1998.",
    "Traffic was heavy on Tuesday morning.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_attribution_without_a_cue(text):
    _, quotes = _quotes(text)
    assert quotes == []


def test_markdown_emphasis_does_not_break_the_source():
    text = "Title\n\nThe bridge is unsafe, the *Riverton Gazette* reported on Monday."
    _, quotes = _quotes(text, markdown=True)
    assert [(k, s) for k, s, _ in quotes] == [("indirect", "Riverton Gazette")]


def test_unclosed_quote_is_a_diagnostic_and_the_rest_is_analyzed():
    text = "Ortiz said “this quote never closes.\n\nTom Reyes said, “The plan is sound.”"
    a, quotes = _quotes(text)
    assert [d.code for d in a.diagnostics] == ["unclosed-quotation"]
    assert ("direct", "Tom Reyes", "“The plan is sound.”") in quotes


def test_headline_colon_attribution():
    text = "Tom Reyes: The Bridge Vote Is a Disgrace\n\nThe council met on Tuesday."
    a, quotes = _quotes(text)
    assert quotes == [("indirect", "Tom Reyes", "The Bridge Vote Is a Disgrace")]
    assert a.quotes[0].cue.text == ":"


def test_colon_in_a_later_sentence_is_not_a_headline():
    text = "The council met on Tuesday.\n\nTom Reyes: the vote was close."
    _, quotes = _quotes(text)
    assert quotes == []
