"""Cue forms of English news prose beyond "X said that …" (issue 12): noun cues ("the claims
by X that …", "X's warning that …"), statements ("said in a statement after … that …"), and
cues that trail or interrupt their content (", they say", ", according to officials").

Rules only (``load_pipeline(tagger=False)``): each row is one behaviour of ``attribution/cues.py``.
Rows are (text, cue, (source, content)); ``None`` for "no attribution with that cue".
"""

from __future__ import annotations

import pytest

import accordingto
from accordingto.model import Article
from accordingto.nlp import load_pipeline


def _by_cue(text: str) -> dict[str, tuple[str | None, str]]:
    """Cue words → (source words, content words)."""
    a = accordingto.analyze(Article(text=text), nlp=load_pipeline(tagger=False), events=False)
    return {
        q.cue.text: (q.source.text if q.source else None, " … ".join(c.text for c in q.content))
        for q in a.quotes
        if q.cue is not None
    }


NOUN_CUES = [
    # the claim's maker after "by", the that-clause running to the sentence's predicate
    (
        "The claims by the United States that it does not “encourage” or “enable” strikes "
        "inside of Russia are transparent lies.",
        "claims",
        ("the United States", "that it does not “encourage” or “enable” strikes inside of Russia"),
    ),
    (
        "The claim by the Kremlin that the drones came from Kyiv was not confirmed.",
        "claim",
        ("the Kremlin", "that the drones came from Kyiv"),
    ),
    # a possessive maker
    (
        "Senator Tom Reyes's warning that the bridge could fail went unheeded.",
        "warning",
        ("Senator Tom Reyes", "that the bridge could fail"),
    ),
    (
        "The fact-checkers examined Trump's claim that there have been thousands of shootings.",
        "claim",
        ("Trump", "that there have been thousands of shootings"),
    ),
    # negatives: no maker named, a relative clause instead of a that-clause, no cue noun
    ("The claim that costs doubled was false.", "claim", None),
    ("The report that the council released on Friday was short.", "report", None),
    ("The fact that Tom Reyes resigned surprised nobody.", "fact", None),
]


STATEMENTS = [
    # "said in a statement/release … that …": the parser hangs the clause on the noun
    (
        "The agency, which said in a release that it had raised $2 million, will expand.",
        "said",
        ("which", "that it had raised $2 million"),
    ),
    (
        "The ministry said in a statement after the meeting that the talks had failed.",
        "said",
        ("The ministry", "that the talks had failed"),
    ),
    # a relative clause the parser cuts short leaves its last noun as a second subject
    (
        "A spokesperson who did not wish to be named because of agency policy said in a "
        "statement emailed to reporters that the agency never held children.",
        "said",
        (
            "A spokesperson who did not wish to be named because of agency policy",
            "that the agency never held children",
        ),
    ),
    # the relative clause's closing comma ends what it reports, not the main clause's verb
    (
        "Amnesty International, which said in a report last week that both sides had shelled "
        "homes, called for an inquiry.",
        "said",
        ("which", "that both sides had shelled homes"),
    ),
    # negative: a clause joined with "and" inside the content stays
    (
        "The group, which said that both sides had shelled homes and looted shops, called for "
        "an inquiry.",
        "said",
        ("which", "that both sides had shelled homes and looted shops"),
    ),
    # negative: "a statement that was issued" is a relative clause, not what was said
    ("The ministry said in a statement that was issued on Friday.", "said", None),
]


TRAILING = [
    # ", according to X" at a sentence's end takes the whole sentence, both conjuncts
    (
        "Two soldiers were killed and three wounded in the attack, according to officials.",
        "according to",
        ("officials", "Two soldiers were killed and three wounded in the attack"),
    ),
    # the relative clause after the source describes it; it is not what was said
    (
        "The storm will reach the coast by Friday, according to officials, who urged "
        "residents to leave.",
        "according to",
        ("officials", "The storm will reach the coast by Friday"),
    ),
    # ", they say" after another cue's clause takes only its own clause
    (
        "Prices will keep rising this winter, economists warn, and wages will not keep up, "
        "they say.",
        "say",
        ("they", "wages will not keep up"),
    ),
    # an interrupting ", they say," takes both sides
    (
        "Most of the damage was caused by falling debris, they say, not by the drones.",
        "say",
        ("they", "Most of the damage was caused by falling debris … not by the drones"),
    ),
    # a cue inside the clause it reports, before the clause's verb
    (
        "The new bridge, officials said, will open in May.",
        "said",
        ("officials", "The new bridge … will open in May"),
    ),
    # negative: a new clause after the cue is not its content
    (
        "The council will vote in April, the Gazette reported, and the mayor agreed.",
        "reported",
        ("the Gazette", "The council will vote in April"),
    ),
    # negative: ", according to X," opening the second conjunct holds only that one
    (
        "Two soldiers were killed, and according to officials, three were wounded.",
        "according to",
        ("officials", "three were wounded"),
    ),
]


@pytest.mark.parametrize(("text", "cue", "expected"), NOUN_CUES + STATEMENTS + TRAILING)
def test_cue_forms(text, cue, expected):
    got = _by_cue(text).get(cue)
    if expected is None:
        assert got is None
        return
    assert got is not None, f"no attribution with the cue {cue!r}"
    assert got == expected
