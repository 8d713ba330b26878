"""`nlp.add_pipe("accordingto")` on a user's own spaCy pipeline.

The texts are written for these tests.  The user's pipeline is a fresh en_core_web_sm (the
re-upload pinned in pyproject.toml), never the analyzer's cached one.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import Doc, DocBin

import accordingto
from accordingto.nlp.component import SPANS_KEY, analysis_from_dict
from accordingto.nlp.load import PIPELINE_CANDIDATES

TEXTS = [
    (
        "“This is a good day for everyone who lives on the islands,” said Harbour Master "
        "Lena Voss. “The crossing will take twenty minutes.”\n\n"
        "She said that the old pier would be turned into a fish market.\n",
        [("direct", "Lena Voss"), ("indirect", "Lena Voss")],
    ),
    (
        "According to the regional transport office, about 2,000 people use the ferry daily.\n",
        [("indirect", "the regional transport office")],
    ),
    ("The ferry left at noon and came back at six.\n", []),  # nothing said by anyone
    ('The band played "Harbour Lights" twice on Friday night.\n', []),  # a title, not speech
]


def user_pipeline():
    for name in PIPELINE_CANDIDATES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.skip("no en_core_web_sm installed")


@pytest.fixture(scope="module")
def nlp():
    nlp = user_pipeline()
    nlp.add_pipe("accordingto")
    return nlp


def test_the_factory_is_a_spacy_entry_point() -> None:
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names.get("accordingto") == "accordingto.nlp.component:make_component"


def test_add_pipe_works_without_importing_the_package() -> None:
    """spaCy finds the factory through the entry point alone (it imports every entry point's
    module when it makes a pipeline)."""
    code = (
        "import sys, spacy\n"
        "assert 'accordingto' not in sys.modules\n"
        f"nlp = spacy.load({PIPELINE_CANDIDATES[-1]!r})\n"
        "nlp.add_pipe('accordingto', config={'tagger': False})\n"
        "doc = nlp('“We will rebuild,” the mayor said.')\n"
        "print([(s.label_, s._.speaker.name) for s in doc.spans['accordingto_quotes']])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('direct', 'the mayor')]"


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_quotes_and_speakers_on_a_user_pipeline(nlp, text: str, expected) -> None:
    doc = nlp(text)
    analysis = doc._.accordingto
    got = [(str(q.kind), analysis.speaker(q.speaker_id).name) for q in doc._.quotes]
    assert got == expected
    for q in doc._.quotes:
        assert all(text[s.start : s.end] == s.text for s in q.content)


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_the_same_quotes_as_analyze(nlp, text: str, expected) -> None:
    """The component and accordingto.analyze agree on the same text (same tagger, same rules)."""
    doc = nlp(text)
    alone = accordingto.analyze(text)
    assert [(q.kind, q.content, q.cue) for q in doc._.quotes] == [
        (q.kind, q.content, q.cue) for q in alone.quotes
    ]


def test_span_group_holds_every_content_piece_with_its_speaker(nlp) -> None:
    text, _ = TEXTS[0]
    doc = nlp(text)
    spans = list(doc.spans[SPANS_KEY])
    pieces = [c for q in doc._.quotes for c in q.content]
    assert [(s.start_char, s.end_char) for s in spans] == [(c.start, c.end) for c in pieces]
    assert [s.label_ for s in spans] == ["direct", "direct", "indirect"]
    assert {s._.speaker.name for s in spans} == {"Lena Voss"}
    assert spans[0]._.quote is spans[1]._.quote  # a quotation split by its cue: one record
    assert spans[0].kb_id_ == spans[0]._.quote.speaker_id


def test_the_analysis_survives_serialisation(nlp) -> None:
    text, _ = TEXTS[0]
    doc = nlp(text)
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.accordingto == doc._.accordingto
    assert [s._.speaker for s in again.spans[SPANS_KEY]] == [
        s._.speaker for s in doc.spans[SPANS_KEY]
    ]
    docs = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))
    assert docs[0]._.quotes == doc._.quotes
    assert analysis_from_dict(doc._.accordingto.to_dict()) == doc._.accordingto


def test_rules_alone_without_the_tagger() -> None:
    nlp = user_pipeline()
    nlp.add_pipe("accordingto", config={"tagger": False})
    doc = nlp("“We will rebuild,” the mayor said.")
    assert [(s.label_, s._.speaker.name) for s in doc.spans[SPANS_KEY]] == [("direct", "the mayor")]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_an_empty_doc_has_no_quotes(nlp, text: str) -> None:
    doc = nlp(text)
    assert doc._.quotes == [] and list(doc.spans[SPANS_KEY]) == []
