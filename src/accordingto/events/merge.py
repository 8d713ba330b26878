"""Mentions of the same occurrence within one article become one event.

Two mentions are the same occurrence when they have the same PLOVER type and modality,
their actor codes and target codes do not disagree (an unknown code agrees with any),
their dates do not disagree, and they share something known: an actor or target code,
or the trigger's word or its CAMEO verb block ("send" and "deploy"); an event that did not happen (planned, hypothetical …) is also one per
source that claims it.  A mention that names no coded actor or target ("the attack") only joins the nearest event of
its type and word; it never starts one.  Each mention is compared with the clusters of its own type only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from accordingto.model import Modality

from .find import Found

__all__ = ["Cluster", "merge_mentions"]


@dataclass
class Cluster:
    """Mentions of one occurrence, the first one first; codes and date as far as known."""

    mentions: list[Found] = field(default_factory=list)
    actor: str | None = None
    target: str | None = None
    date: str | None = None
    lemmas: set[str] = field(default_factory=set)
    blocks: set[str] = field(default_factory=set)
    #: Who claims the first mention (``None``: the author).
    claimed_by: str | None = None

    def accepts(self, m: Found, claimed_by: str | None) -> bool:
        if m.modality is not Modality.HAPPENED and claimed_by != self.claimed_by:
            return False  # what might happen, according to one source or another: two claims
        if not (_agree(self.actor, m.actor_code.code) and _agree(self.target, m.target_code.code)):
            return False
        if not _dates_agree(self.date, m.date):
            return False
        shared = (self.actor is not None and self.actor == m.actor_code.code) or (
            self.target is not None and self.target == m.target_code.code
        )
        return shared or m.lemma in self.lemmas or m.coding.block in self.blocks

    def join(self, m: Found) -> None:
        """A bare mention joins, in text order; it changes no code, date or claimant."""
        self.mentions.append(m)
        self.mentions.sort(key=lambda x: x.trigger[0])

    def add(self, m: Found, claimed_by: str | None) -> None:
        if not self.mentions:
            self.claimed_by = claimed_by
        self.mentions.append(m)
        self.actor = self.actor or m.actor_code.code
        self.target = self.target or m.target_code.code
        if m.date and (self.date is None or len(m.date) > len(self.date)):
            self.date = m.date
        self.lemmas.add(m.lemma)
        if m.coding.block:
            self.blocks.add(m.coding.block)


def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _dates_agree(a: str | None, b: str | None) -> bool:
    """Equal, unknown, or one a month the other's day lies in."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def merge_mentions(
    mentions: list[Found], claimed_by: list[str | None], *, window: int = 50
) -> list[Cluster]:
    """Clusters in order of their first coded mention; a mention looks back at most ``window``
    clusters of its own type (linear in the article).  ``claimed_by[i]`` is who claims
    ``mentions[i]``: a planned, threatened or hypothetical event is one claim per source.
    Bare mentions ("the attack") then join the nearest cluster of their type and word."""
    clusters: list[Cluster] = []
    by_type: dict[tuple[str, str], list[Cluster]] = defaultdict(list)
    bare = []
    for m, claim in zip(mentions, claimed_by, strict=True):
        if m.bare:
            bare.append((m, claim))
            continue
        key = (m.coding.root, m.modality.value)
        home = next((c for c in reversed(by_type[key][-window:]) if c.accepts(m, claim)), None)
        if home is None:
            home = Cluster()
            clusters.append(home)
            by_type[key].append(home)
        home.add(m, claim)
    by_word: dict[tuple[str, str, str], list[Cluster]] = defaultdict(list)
    for c in clusters:
        for lemma in c.lemmas:
            by_word[(c.mentions[0].coding.root, c.mentions[0].modality.value, lemma)].append(c)
    for m, claim in bare:
        word = (m.coding.root, m.modality.value, m.lemma)
        near = [c for c in by_word.get(word, [])[:window] if c.accepts(m, claim)]
        if near:
            min(near, key=lambda c: _distance(c, m)).join(m)
    return clusters


def _distance(cluster: Cluster, m: Found) -> int:
    return min(abs(x.trigger[0] - m.trigger[0]) for x in cluster.mentions)
