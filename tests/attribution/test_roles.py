"""Grouping a tagger's role spans into attributions, with hand-written role spans.

The spans stand in for the tagger's output, so each row tests the grouping alone:
which cue a content span goes to, and what is kept of a cue span.
"""

from __future__ import annotations

import pytest

from accordingto.attribution.assemble import QuoteIndex
from accordingto.attribution.roles import found_from_roles
from accordingto.nlp import load_pipeline
from accordingto.nlp.normalize import paragraph_spans
from accordingto.nlp.tagger import RoleSpan
from accordingto.quotes.marks import find_quoted


def _span(text: str, label: str, words: str, nth: int = 0) -> RoleSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return RoleSpan(label, start, start + len(words), words)


def _found(text: str, roles: list[RoleSpan]):
    doc = load_pipeline(tagger=False)(text)
    index = QuoteIndex(find_quoted(text)[0])
    return found_from_roles(doc, text, roles, index, paragraph_spans(text))


def _group(text: str, roles: list[RoleSpan]) -> list[tuple[str, list[str]]]:
    found = _found(text, roles)
    return [(text[f.cue.cue[0] : f.cue.cue[1]], [text[s:e] for s, e in f.content]) for f in found]


CUE_TRIM = [
    # a verb of saying loses a bare preposition after it
    ("Obama said of the deal that it was fair.", "said of", "said"),
    ("Reyes wrote on Twitter that the vote was rigged.", "wrote on", "wrote"),
    # negatives: other verbs keep their particle, "about" stays, longer cues stay
    ("Reyes called for a recount of the vote.", "called for", "called for"),
    ("Reyes wrote about the vote that it was rigged.", "wrote about", "wrote about"),
    (
        "Reyes said in a statement that the vote was rigged.",
        "said in a statement",
        "said in a statement",
    ),
]


@pytest.mark.parametrize(("text", "tagged", "cue"), CUE_TRIM)
def test_cue_boundaries(text, tagged, cue):
    content = text[text.index(tagged) + len(tagged) + 1 : -1]
    roles = [
        _span(text, "SOURCE", "Reyes" if "Reyes" in text else "Obama"),
        _span(text, "CUE", tagged),
        _span(text, "CONTENT", content),
    ]
    assert [c for c, _ in _group(text, roles)] == [cue]


def test_a_cue_inside_a_quotation_governs_only_that_quotation():
    text = "“He said it was over. We lost,” Reyes wrote."
    roles = [
        _span(text, "CUE", "said"),
        _span(text, "CONTENT", "“He said it was over. We lost,”"),
        _span(text, "SOURCE", "Reyes"),
        _span(text, "CUE", "wrote"),
    ]
    grouped = dict(_group(text, roles))
    assert grouped["wrote"] == ["“He said it was over. We lost,”"]
    assert grouped.get("said") != ["“He said it was over. We lost,”"]


def test_the_one_asked_is_not_content_and_a_relative_clause_keeps_its_own_quotation():
    text = (
        "A reporter asked Senator Tom Reyes whether he backed the plan, to which he replied, "
        "“Not at all.”"
    )
    roles = [
        _span(text, "SOURCE", "A reporter"),
        _span(text, "CUE", "asked"),
        _span(text, "CONTENT", "Senator Tom Reyes"),
        _span(text, "CONTENT", "whether he backed the plan, to which"),
        _span(text, "SOURCE", "he", 1),
        _span(text, "CUE", "replied"),
        _span(text, "CONTENT", "“Not at all.”"),
    ]
    grouped = dict(_group(text, roles))
    assert grouped["asked"] == ["whether he backed the plan"]
    assert grouped["replied"] == ["“Not at all.”"]


def test_transcript_lines_survive_the_merge_with_the_tagger():
    import accordingto

    text = (
        'The exchange went:\n\n"HALE: Will the bridge close, as the mayor said it would?\n\n'
        '"ORTIZ: Not this year. The engineers told us it is safe."'
    )
    a = accordingto.analyze(text)  # the shipped pipeline, tagger included
    lines = [(q.source.text, q.content[0].text) for q in a.quotes if q.cue and q.cue.text == ":"]
    assert lines == [
        ("HALE", "Will the bridge close, as the mayor said it would?"),
        ("ORTIZ", "Not this year. The engineers told us it is safe."),
    ]


def _merged(text: str, roles: list[RoleSpan]) -> dict[str, list[str]]:
    from accordingto.attribution import assemble
    from accordingto.attribution.roles import merge_with_rules
    from accordingto.quotes.lexicon import load_lexicon

    doc = load_pipeline(tagger=False)(text)
    quoted = find_quoted(text)[0]
    pars = paragraph_spans(text)
    rules, _ = assemble(doc, text, quoted, load_lexicon(), pars)
    tagged = found_from_roles(doc, text, roles, QuoteIndex(quoted), pars)
    return {
        text[f.cue.cue[0] : f.cue.cue[1]]: [text[s:e] for s, e in f.content]
        for f in merge_with_rules(tagged, rules, doc, text)
        if f.cue
    }


@pytest.mark.parametrize(
    ("text", "tagged_content", "expected"),
    [
        # the tagger ran one content on into the reply: the relative clause's speaker is another
        (
            (
                "A reporter asked Senator Tom Reyes whether he backed the plan, to which he replied, "
                "“Not at all.”"
            ),
            "whether he backed the plan, to which he replied, “Not at all.”",
            {"asked": ["whether he backed the plan"], "replied": ["“Not at all.”"]},
        ),
        # nested speech stays in the content that reports it
        (
            "Reyes said that Ortiz told him, “Not at all.”",
            "that Ortiz told him, “Not at all.”",
            {"said": ["that Ortiz told him, “Not at all.”"]},
        ),
    ],
)
def test_a_content_run_into_a_relative_clauses_quotation_is_cut(text, tagged_content, expected):
    first_cue = next(iter(expected))
    roles = [
        _span(text, "SOURCE", text.split()[0] + (" " + text.split()[1] if text[0] == "A" else "")),
        _span(text, "CUE", first_cue),
        _span(text, "CONTENT", tagged_content),
    ]
    merged = _merged(text, roles)
    for cue, content in expected.items():
        assert merged[cue] == content


def test_a_content_run_into_another_sentences_quotation_is_cut():
    """The other cue is not governed by the tagger's: its whole sentence leaves the content."""
    text = (
        "The Gazette wrote, “The plan is dead.” After the vote, it added, "
        "“The council must start again.”"
    )
    roles = [
        _span(text, "SOURCE", "The Gazette"),
        _span(text, "CUE", "wrote"),
        _span(text, "CONTENT", text[text.index("“The plan") :]),
    ]
    merged = _merged(text, roles)
    assert merged["wrote"] == ["“The plan is dead.”"]
    assert merged["added"] == ["“The council must start again.”"]


def _sources(text: str, roles: list[RoleSpan]) -> list[tuple[str, str | None, list[str]]]:
    doc = load_pipeline(tagger=False)(text)
    index = QuoteIndex(find_quoted(text)[0])
    found = found_from_roles(doc, text, roles, index, paragraph_spans(text))
    return [
        (
            text[f.cue.cue[0] : f.cue.cue[1]],
            text[f.cue.source[0] : f.cue.source[1]] if f.cue.source else None,
            [text[s:e] for s, e in f.content],
        )
        for f in found
    ]


_GOALS = (
    "It is clear that the goals articulated by the council, as Mayor Ana Ortiz put it in May, "
    "are out of reach."
)
AGENT = [
    # a participle cue's agent is its source, not a source tagged near it for another verb;
    # a piece that opens with the "that" of a clause it does not hold loses the "that"
    (
        _GOALS,
        [("SOURCE", "Mayor Ana Ortiz"), ("CUE", "articulated"), ("CONTENT", "that the goals")],
        ("articulated", "the council", ["the goals"]),
    ),
    # negatives: a tagged source holding the subject wins; a "that" heading its own clause stays
    (
        "The council said that the goals were out of reach, as Ortiz put it.",
        [
            ("SOURCE", "The council"),
            ("CUE", "said"),
            ("CONTENT", "that the goals were out of reach"),
        ],
        ("said", "The council", ["that the goals were out of reach"]),
    ),
]


@pytest.mark.parametrize(("text", "spans", "expected"), AGENT)
def test_a_participle_cue_takes_its_agent(text, spans, expected):
    roles = [_span(text, label, words) for label, words in spans]
    assert _sources(text, roles) == [expected]


def _merged_by_cue(text: str, roles: list[RoleSpan]) -> list[tuple[str, list[str]]]:
    from accordingto.attribution import assemble
    from accordingto.attribution.roles import merge_with_rules
    from accordingto.quotes.lexicon import load_lexicon

    doc = load_pipeline(tagger=False)(text)
    quoted = find_quoted(text)[0]
    pars = paragraph_spans(text)
    rules, _ = assemble(doc, text, quoted, load_lexicon(), pars)
    tagged = found_from_roles(doc, text, roles, QuoteIndex(quoted), pars)
    return [
        (text[f.cue.cue[0] : f.cue.cue[1]], [text[s:e] for s, e in f.content])
        for f in merge_with_rules(tagged, rules, doc, text)
        if f.cue is not None
    ]


INTERRUPTING = [
    # the tagger marks one side of an interrupting cue; the rules' both sides win
    (
        "Most of the damage was caused by falling debris, they say, not by the drones.",
        [("SOURCE", "they"), ("CUE", "say"), ("CONTENT", "not by the drones")],
        [("say", ["Most of the damage was caused by falling debris", "not by the drones"])],
    ),
    # negative: where the tagger's one piece is the whole content, it stays
    (
        "The drones were launched from a field near the border, officials say.",
        [
            ("SOURCE", "officials"),
            ("CUE", "say"),
            ("CONTENT", "The drones were launched from a field near the border"),
        ],
        [("say", ["The drones were launched from a field near the border"])],
    ),
]


@pytest.mark.parametrize(("text", "spans", "expected"), INTERRUPTING)
def test_an_interrupting_cue_reports_both_sides(text, spans, expected):
    roles = [_span(text, label, words) for label, words in spans]
    assert _merged_by_cue(text, roles) == expected


def _merged_with_sources(text: str, spans: list[tuple[str, str]]) -> list[tuple]:
    from accordingto.attribution import assemble
    from accordingto.attribution.roles import merge_with_rules
    from accordingto.quotes.lexicon import load_lexicon

    roles = [_span(text, label, words) for label, words in spans]
    doc = load_pipeline(tagger=False)(text)
    quoted = find_quoted(text)[0]
    pars = paragraph_spans(text)
    rules, _ = assemble(doc, text, quoted, load_lexicon(), pars)
    tagged = found_from_roles(doc, text, roles, QuoteIndex(quoted), pars)
    return sorted(
        (
            text[f.cue.cue[0] : f.cue.cue[1]],
            text[f.cue.source[0] : f.cue.source[1]] if f.cue.source else None,
            [text[s:e] for s, e in f.content],
        )
        for f in merge_with_rules(tagged, rules, doc, text)
        if f.cue is not None
    )


_CLAIM = "The fact-checkers examined Trump's claim that there have been thousands of shootings."
NOUN_MERGE = [
    # a noun cue's maker is the grammar's, not the source the tagger put near it
    (
        _CLAIM,
        [
            ("SOURCE", "The fact-checkers"),
            ("CUE", "claim"),
            ("CONTENT", "that there have been thousands of shootings"),
        ],
        [("claim", "Trump", ["that there have been thousands of shootings"])],
    ),
    # the claim's clause taken back from a cue of the next sentence the tagger gave it to
    (
        _CLAIM + " They found that the number was right.",
        [
            ("SOURCE", "They"),
            ("CUE", "found"),
            ("CONTENT", "that there have been thousands of shootings"),
            ("CONTENT", "that the number was right"),
        ],
        [
            ("claim", "Trump", ["that there have been thousands of shootings"]),
            ("found", "They", ["that the number was right"]),
        ],
    ),
    # negative: a verb cue's clause is not taken back (the tagger's grouping stands)
    (
        "Trump said that there have been thousands of shootings. They found that it was right.",
        [
            ("SOURCE", "Trump"),
            ("CUE", "said"),
            ("CONTENT", "that there have been thousands of shootings"),
            ("SOURCE", "They"),
            ("CUE", "found"),
            ("CONTENT", "that it was right"),
        ],
        [
            ("found", "They", ["that it was right"]),
            ("said", "Trump", ["that there have been thousands of shootings"]),
        ],
    ),
]


@pytest.mark.parametrize(("text", "spans", "expected"), NOUN_MERGE)
def test_a_noun_cues_claim_is_its_makers(text, spans, expected):
    assert _merged_with_sources(text, spans) == expected


ONE_PIECE_A_SIDE = [
    # two stray pieces after one cue: the nearer stays, the other is nobody's content
    (
        "The mayor noted that the river is low. Crops are failing in the valley.",
        ["that the river is low", "Crops are failing in the valley"],
        ["that the river is low"],
    ),
    (
        "Twelve percent indicated that they were unsure. Voters want a recount.",
        ["that they were unsure", "Voters want a recount"],
        ["that they were unsure"],
    ),
    # negatives: one piece on each side of the cue is one content in two pieces
    (
        "“We will rebuild,” the mayor noted, “and we will do it fast.”",
        ["“We will rebuild,”", "“and we will do it fast.”"],
        ["“We will rebuild,”", "“and we will do it fast.”"],
    ),
    (
        "“We will rebuild,” the mayor noted.",
        ["“We will rebuild,”"],
        ["“We will rebuild,”"],
    ),
]


@pytest.mark.parametrize(("text", "pieces", "expected"), ONE_PIECE_A_SIDE)
def test_a_cue_takes_one_content_piece_on_each_side(text, pieces, expected):
    cue = "indicated" if "indicated" in text else "noted"
    roles = [_span(text, "CUE", cue), *(_span(text, "CONTENT", p) for p in pieces)]
    assert _group(text, roles) == [(cue, expected)]


CITING = [
    # what is cited is content
    (
        "Clinton cited derogatory comments Trump had made.",
        "derogatory comments Trump had made",
        True,
    ),
    (
        "The court blocked the rule, citing a threat to public health.",
        "a threat to public health",
        True,
    ),
    # negatives: the one cited is the link of a citation chain, never content
    ("The Times, citing Sam Bendett, wrote that drones are cheap.", "Sam Bendett", False),
    ("The Times, citing officials, wrote that drones are cheap.", "officials", False),
    ("The Times, quoting two analysts, wrote that drones are cheap.", "two analysts", False),
    ("The Gazette, quoting a city engineer, wrote that it was safe.", "a city engineer", False),
]


@pytest.mark.parametrize(("text", "cited", "is_content"), CITING)
def test_what_is_cited_is_content_and_who_is_cited_is_a_chain(text, cited, is_content):
    cue = next(w for w in ("citing", "cited", "quoting") if w in text)
    roles = [_span(text, "CUE", cue), _span(text, "CONTENT", cited)]
    assert ((cue, [cited]) in _group(text, roles)) is is_content


NAME_ALONE = [
    # a verb of stance takes a name as its content
    ("Reyes has been critical of Trump.", "has been critical of", ["Trump"], ["Trump"]),
    ("Reyes backed Clinton in the primary.", "backed", ["Clinton"], ["Clinton"]),
    # negative: beside what was asked, the one asked is not content
    (
        "Reyes asked Jerrold Nadler whether he would vote.",
        "asked",
        ["Jerrold Nadler", "whether he would vote"],
        ["whether he would vote"],
    ),
]


@pytest.mark.parametrize(("text", "cue", "pieces", "expected"), NAME_ALONE)
def test_a_name_is_content_only_when_it_is_all_the_cue_takes(text, cue, pieces, expected):
    roles = [_span(text, "SOURCE", "Reyes"), _span(text, "CUE", cue)]
    roles += [_span(text, "CONTENT", p) for p in pieces]
    assert _group(text, roles) == [(cue, expected)]


COMPLEMENT_ALONE = [
    # what comes before a cue that governs a clause after it is not said
    (
        "Twelve percent indicated that they were unsure.",
        "indicated",
        ["Twelve percent", "that they were unsure"],
        ["that they were unsure"],
    ),
    (
        "During his years in office, Reyes said that the river had risen.",
        "said",
        ["During his years in office", "that the river had risen"],
        ["that the river had risen"],
    ),
    # negatives: a quotation before the cue, and a cue that interrupts its clause
    (
        "“We will rebuild,” Reyes said, “and we will do it fast.”",
        "said",
        ["“We will rebuild,”", "“and we will do it fast.”"],
        ["“We will rebuild,”", "“and we will do it fast.”"],
    ),
    (
        "The bridge, Reyes said, would open in May.",
        "said",
        ["The bridge", "would open in May"],
        ["The bridge", "would open in May"],
    ),
]


@pytest.mark.parametrize(("text", "cue", "pieces", "expected"), COMPLEMENT_ALONE)
def test_a_cue_governing_a_clause_after_it_takes_nothing_before_it(text, cue, pieces, expected):
    roles = [_span(text, "CUE", cue), *(_span(text, "CONTENT", p) for p in pieces)]
    assert _group(text, roles) == [(cue, expected)]


def test_a_quotation_whose_opening_mark_ends_the_sentence_before_goes_to_its_own_cue():
    text = (
        "All agreed that the plan would add layers of red tape. "
        "''There's a lot of new complexity,'' said Mr. Burman."
    )
    quoted = "''There's a lot of new complexity,''"
    roles = [
        _span(text, "CUE", "agreed"),
        _span(text, "CONTENT", "that the plan would add layers of red tape"),
        _span(text, "CONTENT", quoted),
        _span(text, "CUE", "said"),
    ]
    assert ("said", [quoted]) in _group(text, roles)


CLAUSE_OUTSIDE_THE_CUE = [
    # the clause the parse gives a cue with no tagged content starts after the cue's words
    (
        "His partners, who have no interest in being accommodated, stayed away.",
        "have no interest in",
        ["being accommodated"],
    ),
    # negative: a clause after a one-word cue is all content
    ("Reyes said the bridge would reopen in May.", "said", ["the bridge would reopen in May"]),
]


@pytest.mark.parametrize(("text", "cue", "expected"), CLAUSE_OUTSIDE_THE_CUE)
def test_a_cue_never_holds_its_own_content(text, cue, expected):
    assert _group(text, [_span(text, "CUE", cue)]) == [(cue, expected)]


def test_a_quotation_before_its_own_trailing_cue_leaves_the_cue_before_it():
    """'the goals set by the council for the city to “rebuild fast,” as Mayor Ortiz said':
    the tagger gave the quotation to "set"; the rules give it to Ortiz, whose cue trails it."""
    text = (
        "The goals set by the council for the city to “rebuild the bridge fast,” as Mayor "
        "Ana Ortiz said in May, are not possible."
    )
    roles = [
        _span(text, "CONTENT", "The goals"),
        _span(text, "CUE", "set"),
        _span(text, "CONTENT", "“rebuild the bridge fast,”"),
    ]
    merged = _merged(text, roles)
    assert merged["set"] == ["The goals"]
    assert merged["said"] == ["“rebuild the bridge fast,”"]


WHOLE_NAMES = [
    # a tagged source that stops inside a name takes the rest of its proper nouns
    (
        "The claims by the United States that it does not encourage strikes are lies.",
        "the United",
        "the United States",
    ),
    (
        "Officials in New York City said the bridge would reopen.",
        "Officials in New",
        "Officials in New York City",
    ),
    # negatives: a whole name, and a name followed by a word of another class
    (
        "The claims by the United States that it does not encourage strikes are lies.",
        "the United States",
        "the United States",
    ),
    ("Reyes said the bridge would reopen in March.", "Reyes", "Reyes"),
]


@pytest.mark.parametrize(("text", "tagged", "expected"), WHOLE_NAMES)
def test_a_source_never_stops_inside_a_name(text, tagged, expected):
    cue = "claims" if "claims" in text else "said"
    content = text[text.index(cue) + len(cue) + 1 : -1]
    roles = [
        _span(text, "SOURCE", tagged),
        _span(text, "CUE", cue),
        _span(text, "CONTENT", content),
    ]
    (found,) = _found(text, roles)
    source = found.cue.source
    assert text[source[0] : source[1]] == expected
