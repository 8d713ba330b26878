"""Names: the word lists of ``resolve/data/`` and what a name alone says (gender, outlet)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from accordingto.quotes.lexicon import read_list

__all__ = [
    "canonical_outlet",
    "clean_name",
    "data",
    "edit1",
    "name_gender",
    "norm",
    "outlet_like",
]

_POSSESSIVE = re.compile(r"[’']s$")
#: Quotation marks inside a name ("his Western “partners”"): never part of a speaker's name.
_QUOTE_MARKS = re.compile(r"[“”\"«»„‟]|(?<!\w)[‘’']|[‘’'](?!\w)")


@dataclass(frozen=True, slots=True)
class Lists:
    """The word lists of ``resolve/data/``."""

    outlets: frozenset[str]
    suffixes: frozenset[str]
    anonymous: frozenset[str]
    pronouns: dict[str, str]  # word → person, thing, group, self or relative
    titles: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    heads: dict[str, frozenset[str]]  # a description's head noun → the name words it stands for
    gendered: dict[str, str]  # a title or role word → m or f ("princess", "spokesman")
    kinds: dict[str, str]  # a description's head noun → organization or outlet
    places: frozenset[str]  # heads of a description of a place ("the state", "the country")
    outlet_names: dict[str, str]  # an outlet's short name → its full name ("ap" → Associated Press)


def _pairs(pkg: str, name: str) -> dict[str, str]:
    return {w[0]: w[1] for w in (line.split() for line in read_list(pkg, name))}


def _names(pkg: str, name: str) -> dict[str, str]:
    """A data file of short name → full name, the full names as written (not lower-cased)."""
    raw = resources.files(pkg).joinpath("data", name).read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in raw.splitlines() if line and line[0] != "#")
    return {short.strip().lower(): full.strip() for short, full in rows}


@functools.cache
def data() -> Lists:
    pkg = __package__
    return Lists(
        outlets=frozenset(read_list(pkg, "outlets.txt")),
        suffixes=frozenset(read_list(pkg, "outlet_suffixes.txt")),
        anonymous=frozenset(read_list(pkg, "anonymous.txt")),
        pronouns=_pairs(pkg, "pronouns.txt"),
        titles=frozenset(read_list(pkg, "titles.txt")),
        female=frozenset(read_list(pkg, "female_names.txt")),
        male=frozenset(read_list(pkg, "male_names.txt")),
        heads={
            head: frozenset([head, *words])
            for head, *words in (line.split() for line in read_list(pkg, "description_heads.txt"))
        },
        gendered=_pairs(pkg, "gendered_words.txt"),
        kinds=_pairs(pkg, "kind_heads.txt"),
        places=frozenset(read_list(pkg, "place_heads.txt")),
        outlet_names=_names(pkg, "outlet_names.txt"),
    )


HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f"}
ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "pres": "president",
    "sec": "secretary",
    "prof": "professor",
}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def word_gender(word: str) -> str | None:
    """``m`` or ``f`` from an honorific, a gendered title or role word ("Queen", "spokeswoman")."""
    w = word.strip(".").lower()
    return HONORIFIC_GENDER.get(w) or data().gendered.get(w)


def name_gender(name: str) -> str | None:
    """``m``, ``f`` or ``None`` from an honorific, a gendered title or a common given name."""
    words = [w.strip(".").lower() for w in name.split()]
    if not words:
        return None
    if (gender := word_gender(words[0])) is not None:
        return gender
    if len(words) < 2:
        return None
    first = words[0]
    lists = data()
    if first in lists.female and first not in lists.male:
        return "f"
    if first in lists.male and first not in lists.female:
        return "m"
    return None


@functools.lru_cache(maxsize=8192)
def clean_name(name: str) -> str:
    """A name without markup, quotation marks, possessive or surrounding punctuation."""
    name = re.sub(r"[*_\[\]]", "", name)
    name = _QUOTE_MARKS.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" ,.;:―—–-")
    return _POSSESSIVE.sub("", name)


@functools.lru_cache(maxsize=8192)
def norm(name: str) -> str:
    return re.sub(r"^the\s+", "", name.lower()).strip()


def edit1(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` at most one insertion, deletion or substitution apart?"""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i:] == b[i + 1 :] or a[i + 1 :] == b[i + 1 :]


def acronym_variant(a: str, b: str) -> bool:
    """ "WSWS" and "WSWWS": two acronyms one typo apart (scraping and typing damage); words
    in lower case are no acronyms ("sources" is not "the source")."""
    a, b = (
        re.sub(r"^the\s+", "", a.strip(), flags=re.I),
        re.sub(r"^the\s+", "", b.strip(), flags=re.I),
    )
    caps = a.isalpha() and b.isalpha() and len(a) >= 4 and len(b) >= 4
    return caps and a.isupper() and b.isupper() and edit1(a, b)


def _listed_acronyms() -> list[str]:
    return [o.upper() for o in data().outlets if o.isalpha()]


def canonical_outlet(name: str) -> str:
    """An outlet's full name for its short one ("AP" → Associated Press); a misspelt acronym
    of a listed outlet becomes the listed one ("WSWWS" → "WSWS")."""
    full = data().outlet_names.get(norm(name))
    if full is not None:
        return full
    if name.isupper() and norm(name) not in data().outlets:
        for o in _listed_acronyms():
            if acronym_variant(name, o):
                return o
    return name


def outlet_like(name: str) -> bool:
    """Is ``name`` a news outlet: listed, a typo of a listed acronym, or "… Gazette"?"""
    lists = data()
    words = clean_name(name).split()
    if norm(clean_name(name)) in lists.outlets:
        return True
    if len(words) == 1 and words[0].isupper():
        return any(acronym_variant(words[0], o) for o in _listed_acronyms())
    # "the Springfield Gazette", and "the Gazette" once it has been named
    return bool(words) and words[-1][:1].isupper() and words[-1].lower() in lists.suffixes
