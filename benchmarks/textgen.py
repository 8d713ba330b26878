"""Generated long texts for profiling and scaling runs: ordinary quoted-speech news, and runs of
bare quotation marks.  Deterministic for a given seed; nothing here is third-party text.

    .venv/bin/python benchmarks/textgen.py news 212000 > /tmp/news.txt
    .venv/bin/python benchmarks/textgen.py marks 8000 > /tmp/marks.txt
"""

from __future__ import annotations

import random
import sys

__all__ = ["marks_text", "news_text"]

_FIRST = ["Ana", "Daniel", "Maria", "Samuel", "Grace", "Tomas", "Helen", "Victor", "Irene", "Paul"]
_LAST = ["Ortiz", "Keller", "Nakamura", "Brennan", "Okafor", "Lindqvist", "Moreau", "Haddad"]
_ROLES = ["Mayor", "Senator", "Governor", "Minister", "Dr.", "Professor", "Chief"]
_ORGS = ["the city council", "the health ministry", "the port authority", "the teachers' union"]
_QUOTES = [
    "We will rebuild the bridge before winter",
    "Nobody expected the water to rise this fast",
    "The budget does not cover the repairs we need",
    "I have asked the inspectors to report by Friday",
    "This is a difficult day for every family here",
    "Our crews worked through the night and they are exhausted",
    "We are ready to talk, but not under these conditions",
]
_INDIRECT = [
    "{who} said the repairs would take at least three months.",
    "According to {who}, the council had been warned twice.",
    "{who} told reporters that the plan was still under review.",
    "{org} said in a statement that it would cooperate fully.",
]
_NARRATIVE = [
    "The storm closed three roads and cut power to about 4,000 homes on Tuesday.",
    "Residents gathered outside the town hall as the meeting ran late into the evening.",
    "Officials have not said when the schools will reopen.",
    "The river crested at 6.2 meters, the highest level recorded since 1998.",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_ROLES)} {rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _paragraph(rng: random.Random) -> str:
    who = _name(rng)
    quote = rng.choice(_QUOTES)
    kind = rng.randrange(5)
    if kind == 0:
        return f"“{quote},” said {who}. “{rng.choice(_QUOTES)}.”"
    if kind == 1:
        return f"{who} said: “{quote}.” {rng.choice(_NARRATIVE)}"
    if kind == 2:
        return f"“{quote},” {who.split()[-1]} added, “and {rng.choice(_QUOTES).lower()}.”"
    if kind == 3:
        return rng.choice(_INDIRECT).format(who=who, org=rng.choice(_ORGS).capitalize())
    return " ".join(rng.sample(_NARRATIVE, 2))


def news_text(chars: int, seed: int = 0) -> str:
    """About ``chars`` characters of ordinary news text with quoted speech, in paragraphs."""
    rng = random.Random(seed)
    pars = ["Flood damage closes bridge as council meets"]
    size = len(pars[0])
    while size < chars:
        par = _paragraph(rng)
        pars.append(par)
        size += len(par) + 2
    return "\n\n".join(pars)[: chars - 1].rstrip() + "\n"


def marks_text(chars: int, seed: int = 0) -> str:
    """``chars`` characters of bare quotation marks (curly and straight), no space between."""
    rng = random.Random(seed)
    return "".join(rng.choice('“”"') for _ in range(chars))


if __name__ == "__main__":
    kind, size = sys.argv[1], int(sys.argv[2])
    sys.stdout.write(news_text(size) if kind == "news" else marks_text(size))
