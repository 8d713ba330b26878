"""Speaker resolution rules of issue 12, one behaviour per row, each with a negative case."""

import pytest

import accordingto
from accordingto.nlp import load_pipeline


def analyze(text):
    """The rules alone: these rows test resolution, not the tagger's spans."""
    return accordingto.analyze(text, nlp=load_pipeline(tagger=False), events=False)


def speaker_of(text, words):
    """The speaker (name, kind) of the attribution whose content holds ``words``."""
    a = analyze(text)
    at = text.index(words)
    q = next(q for q in a.quotes if any(s.start <= at < s.end for s in q.content))
    sp = a.speaker(q.speaker_id)
    return (sp.name, sp.kind.value) if sp is not None else None


CASES = [
    # a surname two people share goes to the one its title fits
    (
        "Michelle Obama spoke on Friday. President Barack Obama spoke on Saturday.\n\n"
        "President Obama said the museum would open in May.",
        "the museum would open",
        ("Barack Obama", "person"),
    ),
    # negative: without a title that tells them apart it stays the surname
    (
        "Michelle Obama spoke on Friday. Barack Obama spoke on Saturday.\n\n"
        "Obama said the museum would open in May.",
        "the museum would open",
        ("Obama", "person"),
    ),
    # "Jr." is no surname: two men called "… Jr." are two people
    (
        "Patrick W. Carlineo Jr. said he was sorry. James P. Kennedy Jr. spoke next.\n\n"
        "Kennedy Jr. said the threats were serious.",
        "the threats were serious",
        ("James P. Kennedy Jr", "person"),
    ),
    # a name NER calls an organisation is a person's when its surname is named alone as one
    (
        "Montell Figgins, who represents Thomas, said his client refused the deal. "
        "Figgins declined to comment further.\n\n"
        "He said Thomas is a single father of three children.",
        "Thomas is a single father",
        ("Montell Figgins", "person"),
    ),
    # a proper name keeps its "for" phrase and loses the apposition after a comma
    (
        "The United Nations High Commissioner for Human Rights said the move was illegal.",
        "the move was illegal",
        ("United Nations High Commissioner for Human Rights", "unknown"),
    ),
    # a description's name stops before a time ("in April") ...
    (
        "Federal prosecutors in April said the scheme had run for years.",
        "the scheme had run",
        ("Federal prosecutors", "unknown"),
    ),
    (
        "A group of doctors in 2015 wrote that the show promoted quack treatments.",
        "the show promoted",
        ("A group of doctors", "unknown"),
    ),
    # ... but keeps what says who they are
    (
        "Experts on jail suicide told reporters that the checks were too rare.",
        "the checks were too rare",
        ("Experts on jail suicide", "anonymous"),
    ),
    # a list of names is one speaker, not its first name
    (
        "Kurt Volker and Tim Morrison testified on Tuesday.\n\n"
        "Volker and Morrison said that the call was not in line with policy.",
        "the call was not in line",
        ("Kurt Volker and Tim Morrison", "unknown"),
    ),
    (
        "The United Nations and European Union stressed the decision would not change the law.",
        "the decision would not change",
        ("United Nations and European Union", "organization"),
    ),
    # negative: one name with "and" inside it stays one name
    (
        "Johnson & Johnson said the recall was voluntary.",
        "the recall was voluntary",
        ("Johnson & Johnson", "organization"),
    ),
]


@pytest.mark.parametrize(("text", "words", "expected"), CASES)
def test_speaker(text, words, expected):
    assert speaker_of(text, words) == expected
