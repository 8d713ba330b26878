"""Speaker resolution: pronouns, surnames, kinds and roles, as tables."""

import pytest

import accordingto
from accordingto.nlp import load_pipeline


def analyze(text):
    """The rules alone: these rows test resolution, not the tagger's spans."""
    return accordingto.analyze(text, nlp=load_pipeline(tagger=False))


CASES = [
    # (text, speaker name, kind, role or None)
    (
        "UK Foreign Minister James Hale said that the talks had failed.",
        "James Hale",
        "person",
        "UK Foreign Minister",
    ),
    (
        (
            "General Karel Novak, the chief of the general staff, said that war was possible.\n\n"
            "“We must prepare,” he said."
        ),
        "Karel Novak",
        "person",
        "General, the chief of the general staff",
    ),
    ("The plan was dropped, the Riverton Gazette reported.", "Riverton Gazette", "outlet", None),
    (
        "The Riverton Gazette reported the plan on Monday.\n\n“The plan is dead,” it wrote.",
        "Riverton Gazette",
        "outlet",
        None,
    ),
    ("A senior official said that the plan was dead.", "A senior official", "anonymous", None),
    # a definite description names the organisation named before by its head noun
    (
        (
            "The U.S. Court of Appeals for the Sixth Circuit ruled on Friday. "
            "The appeals court said the law was void."
        ),
        # the "for" phrase NER left off the name is part of it
        "U.S. Court of Appeals for the Sixth Circuit",
        "organization",
        None,
    ),
    # ... or by a word its name has for that kind of body ("the agency": an Office)
    (
        (
            "The Congressional Budget Office published its estimate on Monday.\n\n"
            "The agency said the deficit would grow."
        ),
        "Congressional Budget Office",
        "organization",
        None,
    ),
    (
        (
            "Members of the Association of Flight Attendants met in Denver.\n\n"
            "The union said the talks had failed."
        ),
        "Association of Flight Attendants",
        "organization",
        None,
    ),
    # negative: a word of another kind of body does not name it ("the union" is no Office);
    # its head still says it is an organisation
    (
        (
            "The Congressional Budget Office published its estimate on Monday.\n\n"
            "The union said the deficit would grow."
        ),
        "The union",
        "organization",
        None,
    ),
    # negative: an indefinite description stays itself
    (
        (
            "The U.S. Court of Appeals for the Sixth Circuit ruled on Friday. "
            "A state court said the law was void."
        ),
        "A state court",
        "unknown",
        None,
    ),
    # a surname that NER calls ORG at a sentence's start is the person named in full before,
    # and "he" after it means that person, not the one named in between
    (
        (
            "Former governor Ed Rendell spoke to Mike Stone on Monday.\n\n"
            "Rendell said he had met Stone twice. “It went well,” he said."
        ),
        "Ed Rendell",
        "person",
        None,
    ),
    # negative: a lone word that names no one in full stays an organisation
    ("Fowler said the plan was dead.", "Fowler", "organization", None),
    # "Ms." in the article says who "she" can be, over a given name used mostly by men
    (
        (
            "Jordan Vale met Paul Hart on Monday. Ms. Vale said the talks went well.\n\n"
            "“We will return,” she said."
        ),
        "Jordan Vale",
        "person",
        None,
    ),
    # a given name borne by men and women alike ("Terry") says nothing of who "she" can be
    (
        (
            "Senator Mark Hale defended the bill on Monday.\n\n"
            "“It is wrong,” said Terry Strada, whose husband died in the attacks. "
            "She added, “We will keep going.”"
        ),
        "Terry Strada",
        "person",
        None,
    ),
    # a description names a speaker by the head of the speaker's role ("the chairman"), not
    # by a word that only modifies it ("The campaign" is not its chairman)
    (
        (
            "Campaign chairman Phil Lovas said the plan was sound.\n\n"
            "The chairman said the vote was fair."
        ),
        "Phil Lovas",
        "person",
        "Campaign chairman",
    ),
    (
        (
            "Campaign chairman Phil Lovas said the plan was sound.\n\n"
            "The campaign said the vote was fair."
        ),
        "The campaign",
        "organization",
        None,
    ),
    # "the president" is a person with that title, not the dateline's city whose apposition
    # the parse makes the president
    (
        (
            "WASHINGTON -- President Obama, dedicating the National Museum of African American "
            "History and Culture on Saturday, said it would tell a story.\n\n"
            "The president said the museum would tell a story."
        ),
        "Obama",
        "person",
        "President",
    ),
]


@pytest.mark.parametrize(("text", "name", "kind", "role"), CASES)
def test_speaker_of_last_quote(text, name, kind, role):
    a = analyze(text)
    sp = a.speaker(a.quotes[-1].speaker_id)
    assert (sp.name, sp.kind.value, sp.role) == (name, kind, role)


def test_surname_resolves_to_full_name():
    text = (
        "The historian Timothy Marsh declared that the war was lost.\n\n"
        "Marsh replied, “No option is without hazards.”"
    )
    a = analyze(text)
    assert {a.speaker(q.speaker_id).name for q in a.quotes} == {"Timothy Marsh"}
    assert len(a.speakers) == 1


def test_he_takes_the_nearest_person_not_an_earlier_one():
    text = (
        "A reporter asked Representative Jerry Nolan whether he backed the plan, "
        "to which he replied, “Yes, fully.”"
    )
    a = analyze(text)
    direct = [q for q in a.quotes if q.kind.value == "direct"]
    assert a.speaker(direct[0].speaker_id).name == "Jerry Nolan"


def test_we_in_an_outlets_voice_is_the_outlet():
    text = (
        "The WSWS wrote, “The offensive has stalled.” Since then, we added, "
        "“the front has not moved.”"
    )
    a = analyze(text)
    assert {a.speaker(q.speaker_id).name for q in a.quotes} == {"WSWS"}


def test_she_is_the_article_s_main_figure_not_a_bystander_named_once():
    text = (
        "Maria Lopez opened the debate. Maria Lopez spoke first. A photo showed Maria Lopez "
        "with Ann Hill.\n\n“We did it,” she said."
    )
    a = analyze(text)
    assert a.speaker(a.quotes[-1].speaker_id).name == "Maria Lopez"
