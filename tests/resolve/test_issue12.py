"""Issue 12, item 3: the speaker errors the issue lists, each as a table row with a negative."""

import pytest

import accordingto
from accordingto.model import Article
from accordingto.nlp import load_pipeline


def analyze(item):
    return accordingto.analyze(item, nlp=load_pipeline(tagger=False), events=False)


def speaker_of(item, words):
    """(name, kind) of the speaker of the attribution whose content holds ``words``."""
    a = analyze(item)
    text = item.text if isinstance(item, Article) else item
    at = text.index(words)
    q = next(q for q in a.quotes if any(s.start <= at < s.end for s in q.content))
    sp = a.speaker(q.speaker_id)
    return (sp.name, sp.kind.value) if sp is not None else None


DESCRIPTIONS = [
    # a definite description is the person named with its role in an apposition ...
    (
        "Ana Ortiz, the former mayor of Springfield, spoke to Tom Hale on Monday. Hale left "
        "early.\n\nThe former mayor said the plan was dead.",
        "the plan was dead",
        ("Ana Ortiz", "person"),
    ),
    # ... or in a title, and "she" after it is that person too
    (
        "Former Mayor Ana Ortiz met Tom Hale on Monday. Hale left early.\n\n"
        "The former mayor said the plan was dead. “It is over,” she said.",
        "It is over",
        ("Ana Ortiz", "person"),
    ),
    (
        "Jane Roe, a spokeswoman for the agency, met Tom Hale. Hale left.\n\n"
        "The spokeswoman said the plan was dead.",
        "the plan was dead",
        ("Jane Roe", "person"),
    ),
    # "he" after a description no one named holds is the described person, not the last man
    (
        "Ana Roe met Tom Hale. Hale left early.\n\n"
        "The former mayor said the plan was dead. “It is over,” he said.",
        "It is over",
        ("The former mayor", "unknown"),
    ),
    # negative: a description of a thing is no one "he" means
    (
        "Tom Hale met Ana Roe on Monday.\n\nThe report said the plan was dead. "
        "“It is over,” he said.",
        "It is over",
        ("Tom Hale", "person"),
    ),
]

KINDS = [
    # an organisation or outlet described by its head gets its kind
    (
        "The agency said the attack had failed.",
        "the attack had failed",
        ("The agency", "organization"),
    ),
    (
        "Russian state media said the attack had failed.",
        "the attack had failed",
        ("Russian state media", "outlet"),
    ),
    # negative: an indefinite one need not be
    ("A state court said the law was void.", "the law was void", ("A state court", "unknown")),
]

GENDER = [
    # "she" is never a man titled as such ("Prince Harry")
    (
        "Prince Harry and Meghan Markle spoke to Oprah Winfrey in March. Harry said they were "
        "happy.\n\n“It was hard,” she told Winfrey.",
        "It was hard",
        ("Meghan Markle", "person"),
    ),
    # negative: "he" is
    (
        "Prince Harry and Meghan Markle spoke to Oprah Winfrey in March. Harry said they were "
        "happy.\n\n“It was hard,” he told Winfrey.",
        "It was hard",
        ("Harry", "person"),
    ),
]


@pytest.mark.parametrize(("text", "words", "expected"), DESCRIPTIONS + KINDS + GENDER)
def test_speaker(text, words, expected):
    assert speaker_of(text, words) == expected


DATELINES = [
    # a source that opens with the dateline is what follows it ("BUFFALO" is no speaker)
    (
        "BUFFALO, N.Y. — Police in the city said the man was armed.",
        "the man was armed",
        ("Police in the city", "unknown"),
    ),
    (
        "BUFFALO, N.Y. (AP) — County officials said the man was armed.",
        "the man was armed",
        ("County officials", "anonymous"),
    ),
    # negative: a place in capitals inside a sentence is still a name
    (
        "Police said the man was armed, the NEW YORK TIMES reported.",
        "the man was armed",
        ("NEW YORK TIMES", "outlet"),
    ),
]


@pytest.mark.parametrize(("text", "words", "expected"), DATELINES)
def test_a_dateline_is_never_a_speaker(text, words, expected):
    assert speaker_of(text, words) == expected


NO_QUOTES = [
    ("His Western “partners” said the war must end.", "the war must end", "His Western partners"),
    (
        "The so-called “experts” said the plan was dead.",
        "the plan was dead",
        "The so-called experts",
    ),
    # negative: an apostrophe inside a name stays
    ("The nation’s top doctor said the plan was dead.", "the plan", "The nation’s top doctor"),
]


@pytest.mark.parametrize(("text", "words", "name"), NO_QUOTES)
def test_no_speaker_name_holds_a_quotation_mark(text, words, name):
    assert speaker_of(text, words)[0] == name


TEASERS = [
    # "it" never means a name in a related-links teaser the page's extraction kept
    (
        "The European Commission met on Monday.\n\nRelated: NATO warns of new strikes\n\n"
        "It said the talks should resume.",
        "the talks should resume",
        ("European Commission", "organization"),
    ),
    # negative: the same name in prose is what "it" means
    (
        "The European Commission met on Monday. NATO warned of new strikes.\n\n"
        "It said the talks should resume.",
        "the talks should resume",
        ("NATO", "organization"),
    ),
]


TEASERS += [
    # a headline in title case names no one in full ("Derelict Obama" is no person)
    (
        "Derelict Obama and Clinton Put Americans at Risk.\n\n"
        "Barack Obama spoke in Ohio on Monday. Obama said that the war was being won.",
        "the war was being won",
        ("Barack Obama", "person"),
    ),
    # negative: a sentence of prose does
    (
        "A reporter met Barack Obama in Ohio on Monday.\n\nObama said that the war was being won.",
        "the war was being won",
        ("Barack Obama", "person"),
    ),
]


@pytest.mark.parametrize(("text", "words", "expected"), TEASERS)
def test_it_is_never_a_name_in_a_teaser(text, words, expected):
    assert speaker_of(text, words) == expected


def test_the_byline_is_never_the_she_of_she_told_me():
    text = (
        "By Jane Smith\n\nMaria Lopez runs the shelter on Main Street. Jane Smith visited it "
        "in May.\n\n“We are full every night,” she told me."
    )
    article = Article(text=text, byline="Jane Smith")
    assert speaker_of(article, "We are full")[0] == "Maria Lopez"


def test_sources_are_not_the_source():
    text = "The source said the plan was dead. Sources said the vote would wait until May."
    assert speaker_of(text, "the vote would wait")[0] == "Sources"


ROLES = [
    # an age or a noun the name merely follows is no role
    ("Michael Thomas, 41, said he was tired.", "Michael Thomas", None),
    (
        "Figgins declined to say whether Thomas slept on the night Epstein died. Epstein said "
        "the cell was cold.",
        "Epstein",
        None,
    ),
    # negative: a title and an apposition are
    (
        "Campaign chairman Phil Lovas, a former judge, said the plan was sound.",
        "Phil Lovas",
        "Campaign chairman, a former judge",
    ),
]


@pytest.mark.parametrize(("text", "name", "role"), ROLES)
def test_roles_are_titles_and_appositions_only(text, name, role):
    a = analyze(text)
    assert {s.name: s.role for s in a.speakers}[name] == role


def test_a_noun_before_a_name_is_not_part_of_it():
    a = analyze("The prospect Vindman denied was raised again. Vindman said it was false.")
    assert {s.name for s in a.speakers} == {"Vindman"}


IT_FOR_A_BODY = [
    # "it" stands for the body described as the subject of the clause before it
    (
        "While the Russian government is under pressure to escalate, it said that the talks "
        "were over.",
        "the talks were over",
        ("the Russian government", "organization"),
    ),
    # ... also where an organisation was named further back
    (
        "NATO met in Vilnius in May.\n\nWhile the Russian government is under pressure to "
        "escalate, it said that the talks were over.",
        "the talks were over",
        ("the Russian government", "organization"),
    ),
    # negative: a subject that is no body leaves "it" unresolved
    ("While the river is rising, it said that the town was safe.", "the town was safe", None),
]


@pytest.mark.parametrize(("text", "words", "expected"), IT_FOR_A_BODY)
def test_it_for_a_described_body(text, words, expected):
    assert speaker_of(text, words) == expected
