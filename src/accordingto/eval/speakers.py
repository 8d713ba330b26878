"""Speaker resolution accuracy against a gold set of resolved PolNeAR sources.

PolNeAR marks sources only as written ("he", "the campaign").  The gold file
``eval/gold/polnear-dev-speakers.tsv`` says whom each of several hundred dev
pronoun and description sources refers to (how it was made: ``eval/gold/README.md``).
An item counts as resolved correctly when the analyzer has an attribution
whose source overlaps the gold source span and whose speaker's name matches
the gold name (case-insensitive; a surname matches a full name, and
``AUTHOR`` matches a speaker of kind author).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from accordingto.model import Analysis, EntityKind

__all__ = [
    "GoldSpeaker",
    "Miss",
    "ResolutionScore",
    "load_gold_speakers",
    "same_speaker",
    "score_resolution",
]

GOLD_FILE = "polnear-dev-speakers.tsv"


@dataclass(frozen=True, slots=True)
class GoldSpeaker:
    document: str
    start: int
    end: int
    mention: str
    speaker: str
    kind: str


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold item whose source the analyzer found but resolved to another speaker."""

    document: str
    start: int
    mention: str
    gold: str
    predicted: str | None


@dataclass(frozen=True, slots=True)
class ResolutionScore:
    """``correct`` of ``found`` items (those whose source the analyzer found) and of ``total``;
    ``misses``: the found items resolved wrongly, in gold order (for error analysis)."""

    correct: int
    found: int
    total: int
    misses: tuple[Miss, ...] = ()

    @property
    def accuracy(self) -> float:
        """Correct among the items whose source span the analyzer attributed."""
        return self.correct / self.found if self.found else 0.0

    @property
    def coverage(self) -> float:
        return self.found / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "correct": self.correct,
            "found": self.found,
            "total": self.total,
            "accuracy": round(self.accuracy, 4),
            "coverage": round(self.coverage, 4),
            "misses": [
                {
                    "document": m.document,
                    "start": m.start,
                    "mention": m.mention,
                    "gold": m.gold,
                    "predicted": m.predicted,
                }
                for m in self.misses
            ],
        }


def load_gold_speakers() -> list[GoldSpeaker]:
    """The gold items shipped with the package (no article text, offsets and names only)."""
    raw = resources.files(__package__).joinpath("gold", GOLD_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(raw.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        GoldSpeaker(
            r["document"], int(r["start"]), int(r["end"]), r["mention"], r["speaker"], r["kind"]
        )
        for r in rows
    ]


def _words(name: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"^the\s+", "", name.lower()))


def same_speaker(gold: str, name: str, kind: EntityKind | None = None) -> bool:
    """Does a predicted speaker ``name`` (of ``kind``) name the gold speaker?"""
    if gold == "AUTHOR":
        return kind is EntityKind.AUTHOR
    g, p = _words(gold), _words(name)
    if not g or not p:
        return False
    if g == p:
        return True
    shorter, longer = sorted((g, p), key=len)
    # "Lynch" or "Loretta E. Lynch" for "Loretta Lynch"; "Suu Kyi" for "Aung San Suu Kyi"
    return g[-1] == p[-1] and (longer[-len(shorter) :] == shorter or g[0] == p[0])


def score_resolution(
    gold: Sequence[GoldSpeaker], analyses: Iterable[tuple[str, Analysis]]
) -> ResolutionScore:
    """Score analyses (``(document name, analysis)`` pairs) on the gold items of those documents."""
    by_doc = {name: a for name, a in analyses}
    items = [g for g in gold if g.document in by_doc and g.speaker != "UNRESOLVABLE"]
    correct = found = 0
    misses = []
    for g in items:
        analysis = by_doc[g.document]
        quote = next(
            (
                q
                for q in analysis.quotes
                if q.source and q.source.start < g.end and g.start < q.source.end
            ),
            None,
        )
        if quote is None:
            continue
        found += 1
        speaker = analysis.speaker(quote.speaker_id)
        if speaker is not None and same_speaker(g.speaker, speaker.name, speaker.kind):
            correct += 1
        else:
            name = speaker.name if speaker is not None else None
            misses.append(Miss(g.document, g.start, g.mention, g.speaker, name))
    return ResolutionScore(correct, found, len(items), tuple(misses))
