"""Language data of the quotation finder, read from ``quotes/data/*.txt``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

__all__ = ["Lexicon", "load_lexicon", "read_list"]


def read_list(package: str, name: str) -> list[str]:
    """The non-comment lines of a data file, stripped and de-duplicated in order."""
    raw = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in raw.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(line.lower(), None)
    return list(seen)


@dataclass(frozen=True)
class Lexicon:
    """Cue words: verbs always a cue, verbs a cue only with a clause or quotation, nouns."""

    verbs: frozenset[str]
    clausal_verbs: frozenset[str]
    nouns: frozenset[str]
    title_cues: frozenset[str]


@functools.cache
def load_lexicon() -> Lexicon:
    verbs = read_list(__package__, "cue_verbs.txt")
    return Lexicon(
        verbs=frozenset(v for v in verbs if not v.endswith("!")),
        clausal_verbs=frozenset(v.rstrip("!") for v in verbs if v.endswith("!")),
        nouns=frozenset(read_list(__package__, "cue_nouns.txt")),
        title_cues=frozenset(read_list(__package__, "title_cues.txt")),
    )
