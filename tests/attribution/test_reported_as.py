"""What a cue reports: speech, thought, intention, action (attribution/reported_as.py)."""

from __future__ import annotations

import pytest

from accordingto.attribution.reported_as import ReportedAs, load_kinds, reported_as
from accordingto.nlp.load import load_base_pipeline

S, T, INT, A, OTH = (
    ReportedAs.SPEECH,
    ReportedAs.THOUGHT,
    ReportedAs.INTENTION,
    ReportedAs.ACTION,
    ReportedAs.OTHER,
)

ROWS = [
    # speech: said, told, wrote, according to, a poll shows, nouns of speech
    ("The mayor said the bridge would close.", "said", S),
    ("Ortiz told reporters that the vote was delayed.", "told", S),
    ("The Gazette wrote that inspectors found corrosion.", "wrote", S),
    ("According to the agency, 40,000 cars cross daily.", "According to", S),
    ("A new poll shows the race is tied.", "shows", S),
    ("The council's claim that costs doubled was false.", "claim", S),
    # refusing to speak is still about speech
    ("The spokesman declined to comment on the report.", "declined", S),
    ("The minister refuses to discuss the appointments.", "refuses", S),
    # a hedge reports the act it governs
    ("The senator seemed to mock the proposal.", "seemed", S),
    # thought: belief, feeling, knowledge
    ("Many residents believe the repairs are overdue.", "believe", T),
    ("Engineers fear that the cables could fail.", "fear", T),
    ("The mayor was frustrated that the council waited.", "was frustrated", T),
    ("She knows the vote will be close.", "knows", T),
    ("He is hoping that the state will pay.", "is hoping", T),
    # intention: desire, plan, decision
    ("The council wants to delay the vote.", "wants", INT),
    ("The powers have decided to widen the war.", "have decided", INT),
    ("Putin is perpetually seeking an accommodation.", "is perpetually seeking", INT),
    ("He hopes to win the seat in April.", "hopes", INT),
    ("The governor refuses to release his tax returns.", "refuses", INT),
    # action: a non-verbal act taken as a position
    ("Three members voted against the bill.", "voted against", A),
    ("The two countries signed an agreement to open the border.", "signed an agreement", A),
    ("City council delays vote on bridge repairs", "delays", A),
    ("The board postponed the hearing until March.", "postponed", A),
    # feelings and wants the parse reads as adjectives and nouns (issue 12)
    ("The government is also terrified of the consequences.", "is also terrified of", T),
    ("Residents were scared of another flood.", "were scared of", T),
    ("His partners have no interest in a compromise.", "have no interest in", INT),
    ("The board showed little appetite for a merger.", "showed little appetite for", INT),
    # negatives: the same words reporting speech stay speech
    ("The minister told reporters the plan was terrifying.", "told", S),
    ("The bank said interest rates would rise.", "said", S),
    # other: a name is not a thought
    ("Burma, also known as Myanmar, held elections.", "known as", OTH),
]


@pytest.fixture(scope="module")
def nlp():
    return load_base_pipeline()


@pytest.mark.parametrize(("text", "cue", "expected"), ROWS, ids=[r[1] for r in ROWS])
def test_reported_as(nlp, text, cue, expected):
    start = text.index(cue)
    assert reported_as(nlp(text), start, start + len(cue)) is expected


#: (text, cue, content, kind): a position-taking verb with only a noun phrase for content is an
#: action; with a clause or a quotation it is speech (issue 12).
STANCE = [
    (
        "Statements from political figures implicitly endorsed the attacks.",
        "implicitly endorsed",
        "the attacks",
        A,
    ),
    ("The union backed the strike at the port.", "backed", "the strike at the port", A),
    ("The council welcomed the decision.", "welcomed", "the decision", A),
    # negatives: a clause or a quotation is something said
    (
        "The senator endorsed the view that the plan would work.",
        "endorsed",
        "the view that the plan would work",
        S,
    ),
    (
        "The mayor welcomed what she called “a fair deal.”",
        "welcomed",
        "what she called “a fair deal.”",
        S,
    ),
    # negative: a verb of saying with a noun phrase is still speech
    ("The ministry announced the attacks.", "announced", "the attacks", S),
    # negative: without content the cue word alone decides
    ("The union backed the strike at the port.", "backed", None, S),
]


@pytest.mark.parametrize(("text", "cue", "content", "expected"), STANCE)
def test_a_position_taken_toward_a_thing_is_an_action(nlp, text, cue, content, expected):
    start = text.index(cue)
    spans = [(text.index(content), text.index(content) + len(content))] if content else []
    got = reported_as(nlp(text), start, start + len(cue), content=spans)
    assert got is expected


def test_a_cue_the_parse_cannot_align_is_speech(nlp):
    doc = nlp("He said so.")
    assert reported_as(doc, 100, 104) is ReportedAs.SPEECH


def test_the_data_file_lists_no_speech_and_only_known_kinds():
    kinds = load_kinds()
    assert "believe" in kinds and "want" in kinds and "vote" in kinds
    assert "say" not in kinds  # every unlisted cue reports speech
    assert set(kinds.values()) <= set(ReportedAs) - {ReportedAs.SPEECH}
