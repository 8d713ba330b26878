"""The canonical sample article (../shared/samples): every quotation a reader sees, right.

Skipped where ../shared is absent.  Each row: a fragment of the quoted words → the speaker's
name (and for the chain, whom it came through).
"""

from __future__ import annotations

import pytest

import accordingto
from accordingto.model import Article


@pytest.fixture(scope="module")
def analysis(shared_dir):
    path = shared_dir / "samples" / "drone-attack-on-moscow.md"
    if not path.is_file():
        pytest.skip("sample article not in ../shared")
    return accordingto.analyze(Article(text=path.read_text(encoding="utf-8"), format="markdown"))


SPEAKERS = [
    ("Ukraine has received US authorization", "Times of London"),
    ("The Pentagon has given a tacit endorsement", "Times of London"),
    ("Hey #Russia", "Adam Kinzinger"),
    ("the right to project force", "James Cleverly"),
    ("internationally recognized", "James Cleverly"),
    ("Nope... that's fair play", "Jerrold Nadler"),
    ("Apart from creating a sense of vulnerability", "Sam Bendett"),
    ("If the decision to send F-16s", "WSWS"),
    ("a much vaunted Ukrainian counter-offensive", "WSWS"),
    ("go on the offensive to liberate", "Mark Milley"),
    ("War between Russia and the North Atlantic Alliance", "Karel Šťepka"),
    ("is currently on a course towards a conflict", "Karel Šťepka"),
    ("When Russians talk about nuclear war", "Timothy Snyder"),
    ("No option is without hazards", "Timothy Snyder"),
    ("The Ukraine war is not going away", "David North"),
    ("One could look at their policies", "David North"),
    ("explained materialistically", "David North"),
    ("There are two processes at work", "David North"),
]


def _speaker_of(analysis, fragment: str) -> str | None:
    for q in analysis.quotes:
        if any(fragment in c.text for c in q.content):
            sp = analysis.speaker(q.speaker_id)
            return sp.name if sp else None
    return None


@pytest.mark.parametrize(("fragment", "speaker"), SPEAKERS)
def test_speaker(analysis, fragment, speaker):
    assert _speaker_of(analysis, fragment) == speaker


def test_bendett_quote_comes_through_the_new_york_times(analysis):
    q = next(q for q in analysis.quotes if "Apart from creating" in q.content[0].text)
    assert [analysis.speaker(v).name for v in q.via] == ["New York Times"]


def test_scare_quote_has_no_speaker(analysis):
    words = "freedom of navigation"
    assert any(words in m.span.text and m.kind.value == "scare" for m in analysis.marks)
    assert not any(words in c.text for q in analysis.quotes for c in q.content)


#: Issue 12: what each cue reports (the gold README's definitions).
REPORTED_AS = [
    ("have decided", "intention"),
    ("is perpetually seeking", "intention"),
    ("feel", "thought"),
    ("is also terrified of", "thought"),
    ("have no interest in", "intention"),
    # a position taken toward "the attacks", no words reported
    ("implicitly endorsed", "action"),
    # negatives: verbs of saying stay speech
    ("announced", "speech"),
    ("declared", "speech"),
]


@pytest.mark.parametrize(("cue", "kind"), REPORTED_AS)
def test_reported_as(analysis, cue, kind):
    assert [q.reported_as.value for q in analysis.quotes if q.cue and q.cue.text == cue] == [kind]


def test_the_claims_by_the_united_states_are_its_claims(analysis):
    """Issue 12: a noun cue with its maker and its that-clause, not the verb after it."""
    q = next(q for q in analysis.quotes if any("encourage" in c.text for c in q.content))
    assert q.cue is not None and q.cue.text == "claims"
    assert analysis.speaker(q.speaker_id).name == "United States"
    assert [c.text for c in q.content] == [
        "that it does not “encourage” or “enable” strikes inside of Russia"
    ]
    assert not any(q.cue and q.cue.text == "aimed not at deceiving" for q in analysis.quotes)


def test_title_is_not_speech(analysis):
    assert [m.span.text for m in analysis.marks if m.kind.value == "title"] == [
        "“We Forget Nuclear Powers Have Lost Wars,”"
    ]


def test_roles(analysis):
    roles = {s.name: s.role for s in analysis.speakers}
    assert roles["James Cleverly"] == "UK Foreign Minister"
    assert "chief of the general staff" in roles["Karel Šťepka"]
    kinds = {s.name: s.kind.value for s in analysis.speakers}
    assert kinds["Times of London"] == kinds["New York Times"] == kinds["WSWS"] == "outlet"


@pytest.mark.parametrize(
    ("fragment", "kind"),
    [
        # fragments inside the writer's sentences: mixed, North's by continuation
        ("explained materialistically", "mixed"),
        ("are a response to contradictions", "mixed"),
        # negative: a quotation that is a sentence of its own stays direct
        ("How will the United States respond", "direct"),
    ],
)
def test_quoted_fragments_in_the_writers_sentences(analysis, fragment, kind):
    q = next(q for q in analysis.quotes if any(fragment in c.text for c in q.content))
    assert q.kind.value == kind


def test_no_scare_quote_is_part_of_an_attribution(analysis):
    """Issue 12: "defeat" and "partners" were both a scare mark and in a mixed quotation."""
    held = [(c.start, c.end) for q in analysis.quotes for c in q.content]
    both = [m.span.text for m in analysis.marks if any(s <= m.span.start < e for s, e in held)]
    assert both == []


def test_the_goals_articulated_by_the_united_states(analysis):
    """Issue 12: Milley spelled out the quotation; the goals were articulated by the US."""
    q = next(q for q in analysis.quotes if q.cue and q.cue.text == "articulated")
    assert analysis.speaker(q.speaker_id).name == "United States"
    assert [c.text for c in q.content] == ["the sweeping goals"]
    milley = [
        q for q in analysis.quotes if (s := analysis.speaker(q.speaker_id)) and "Milley" in s.name
    ]
    assert [c.text for q in milley for c in q.content] == [
        "“go on the offensive to liberate Russian-occupied Ukraine,”"
    ]
