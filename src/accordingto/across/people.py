"""One speaker across articles: name variants merged conservatively into people, with the evidence.

Within an article the resolver has already merged "Anna Holt", "Holt" and "she".
Across articles, speakers (same ``Speaker.id`` = same kind and name) are merged
into a person only on evidence that rarely misleads, and each merge keeps its
rule (the evidence):

* ``same name``: the names are equal once letter case, diacritics, dots and a
  leading honorific (Mr, Mrs, Ms, Dr) are set aside ("Dr. Anna Holt" = "anna holt");
* ``surname of the only full name``: a lone surname ("Holt", a person or of
  unknown kind, as NER often leaves a lone surname) joins a person
  only when exactly one full name in the whole corpus ends with it; with two
  ("Anna Holt", "Tom Holt") it stays on its own;
* anonymous and author speakers are never merged with other names:
  "an official" is one row per description, not evidence of one person.

This module only decides, over plain values; :mod:`accordingto.store.people`
reads the speakers from a store and writes the people tables (the store owns
its schema and every statement against it).  :func:`group_speakers` is
deterministic, so a resumed run ends with the same people as an uninterrupted one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from accordingto.model import content_id

__all__ = ["MERGED_KINDS", "PersonGroup", "SpeakerName", "group_speakers", "person_key"]

#: Kinds whose speakers are merged by name across articles.
MERGED_KINDS = frozenset({"person", "organization", "outlet", "unknown"})
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof)\.?\s+", re.IGNORECASE)


def person_key(name: str) -> str:
    """The name as compared across articles: no case, diacritics, dots, or leading honorific.

    >>> person_key("Dr. Karel Šťepka")
    'karel stepka'
    """
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _HONORIFIC.sub("", plain.replace("’", "'").strip())
    plain = re.sub(r"[.\u00b7]", " ", plain)
    return " ".join(plain.casefold().split())


@dataclass(frozen=True, slots=True)
class SpeakerName:
    """A speaker as stored: its ID, one name it has, its kind, and in how many articles."""

    speaker_id: str
    name: str
    kind: str
    articles: int = 1


@dataclass(slots=True)
class PersonGroup:
    """The speakers merged into one person, each with the rule that merged it."""

    kind: str
    key: str
    names: Counter[str] = field(default_factory=Counter)
    #: (speaker id, name, rule)
    speakers: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def person_id(self) -> str:
        """A content hash of the kind and the compared name: the same person, the same ID."""
        return content_id(self.kind, self.key, prefix="p_")

    @property
    def name(self) -> str:
        """The longest name form, then the most frequent, then the first alphabetically."""
        return min(self.names, key=lambda n: (-len(n.split()), -self.names[n], n))


def group_speakers(speakers: Iterable[SpeakerName]) -> list[PersonGroup]:
    """The people these speakers are, by kind and key; every speaker in exactly one."""
    by_key: dict[tuple[str, str], PersonGroup] = {}
    for s in sorted(speakers, key=lambda s: s.speaker_id):
        if s.kind in MERGED_KINDS:
            key, rule = person_key(s.name), "same name"
        else:
            key, rule = s.speaker_id, "not merged: not a named source"
        g = by_key.setdefault((s.kind, key), PersonGroup(s.kind, key))
        g.names[s.name] += s.articles
        g.speakers.append((s.speaker_id, s.name, rule))
    _merge_surnames(by_key)
    return sorted(by_key.values(), key=lambda g: (g.kind, g.key))


def _merge_surnames(by_key: dict[tuple[str, str], PersonGroup]) -> None:
    """Move each lone-surname person into the only full name that ends with it."""
    full: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kind, key in by_key:
        if kind == "person" and len(key.split()) > 1:
            full[key.split()[-1]].append((kind, key))
    for kind, key in list(by_key):
        if (
            kind not in ("person", "unknown")
            or len(key.split()) != 1
            or len(full.get(key, ())) != 1
        ):
            continue
        target = by_key[full[key][0]]
        lone = by_key.pop((kind, key))
        target.names.update(lone.names)
        target.speakers.extend(
            (sid, name, f"surname of the only full name: {target.key}")
            for sid, name, _ in lone.speakers
        )
