"""One speaker across articles: name variants merged conservatively into people, with the evidence.

Within an article the resolver has already merged "Anna Holt", "Holt" and "she".
Across articles, speakers (same ``Speaker.id`` = same kind and name) are merged
into a person only on evidence that rarely misleads, and each merge keeps its
rule in ``person_speakers.rule``:

* ``same name``: the names are equal once letter case, diacritics, dots and a
  leading honorific (Mr, Mrs, Ms, Dr) are set aside ("Dr. Anna Holt" = "anna holt");
* ``surname of the only full name``: a lone surname ("Holt", a person or of
  unknown kind, as NER often leaves a lone surname) joins a person
  only when exactly one full name in the whole corpus ends with it; with two
  ("Anna Holt", "Tom Holt") it stays on its own;
* anonymous and author speakers are never merged with other names:
  "an official" is one row per description, not evidence of one person.

:func:`link_people` rebuilds the ``people`` and ``person_speakers`` tables from
the ``speakers`` table; it is deterministic, so a resumed run ends with the same
tables as an uninterrupted one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from accordingto.model import content_id

__all__ = ["MERGED_KINDS", "link_people", "person_key"]

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


@dataclass(slots=True)
class _Group:
    kind: str
    key: str
    names: Counter
    speakers: list[tuple[str, str, str]]  # (speaker id, name, rule)


def link_people(store) -> int:
    """Rebuild ``people`` and ``person_speakers`` from the stored speakers; the number of people."""
    conn = store.conn
    speakers = conn.execute(
        "SELECT id, min(name), kind, count(*) FROM speakers GROUP BY id ORDER BY id"
    ).fetchall()
    groups = _group(speakers)
    with store.transaction():
        conn.execute("DELETE FROM person_speakers")
        conn.execute("DELETE FROM people")
        for g in groups:
            _insert(conn, g)
    return len(groups)


def _group(speakers: list[tuple[str, str, str, int]]) -> list[_Group]:
    by_key: dict[tuple[str, str], _Group] = {}
    for sid, name, kind, n in speakers:
        if kind in MERGED_KINDS:
            key, rule = person_key(name), "same name"
        else:
            key, rule = f"{sid}", "not merged: not a named source"
        g = by_key.setdefault((kind, key), _Group(kind, key, Counter(), []))
        g.names[name] += n
        g.speakers.append((sid, name, rule))
    _merge_surnames(by_key)
    return sorted(by_key.values(), key=lambda g: (g.kind, g.key))


def _merge_surnames(by_key: dict[tuple[str, str], _Group]) -> None:
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


def _display_name(g: _Group) -> str:
    """The longest name form, then the most frequent, then the first alphabetically."""
    return min(g.names, key=lambda n: (-len(n.split()), -g.names[n], n))


def _insert(conn, g: _Group) -> None:
    pid = content_id(g.kind, g.key, prefix="p_")
    ids = [sid for sid, _, _ in g.speakers]
    marks = ",".join("?" * len(ids))
    roles = [
        r
        for (r,) in conn.execute(
            f"SELECT role FROM speakers WHERE id IN ({marks}) AND role IS NOT NULL"
            " GROUP BY role ORDER BY count(*) DESC, role",
            ids,
        )
    ]
    articles = conn.execute(
        f"SELECT count(DISTINCT article_id) FROM speakers WHERE id IN ({marks})", ids
    ).fetchone()[0]
    quotes = conn.execute(
        f"SELECT count(*) FROM quotes WHERE speaker_id IN ({marks})", ids
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO people (id, name, kind, roles, articles, quotes) VALUES (?, ?, ?, ?, ?, ?)",
        (pid, _display_name(g), g.kind, json.dumps(roles, ensure_ascii=False), articles, quotes),
    )
    conn.executemany(
        "INSERT INTO person_speakers (person_id, speaker_id, name, rule) VALUES (?, ?, ?, ?)",
        [(pid, sid, name, rule) for sid, name, rule in g.speakers],
    )
