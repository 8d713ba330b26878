"""Is the analyzer's confidence a probability?  Reliability and ECE on PolNeAR dev.

What counts as right (``docs/trust.md``):

* **An attribution** is right when it is matched one to one to a gold attribution by the
  scorer of ``eval/scoring.py`` (shared content tokens, best first) *and* its source is the
  gold one: the gold attribution has no source, or the predicted source span, a mention of
  the predicted speaker or of a ``via`` speaker overlaps the gold source span.
* **A speaker** is right when its attribution is matched and the speaker is whom the gold
  source refers to: for a gold source that is a name, the speaker's last name word is one of
  its words (or :func:`~accordingto.eval.speakers.same_speaker` holds); for a pronoun or
  description, the referent given by a hand-made gold list (``eval/gold/polnear-dev-speakers.tsv``
  on dev) must be :func:`~accordingto.eval.speakers.same_speaker`.  Quotes without a speaker,
  unmatched ones, gold sources that are missing, unresolvable or not in the list carry no label.

The reliability table has ten bins of equal width; the expected calibration error (ECE) is the
count-weighted mean gap between the bin's mean confidence and its accuracy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accordingto.attribution.confidence import mention_kind
from accordingto.model import Analysis, Article, EntityKind

from .polnear import GoldDocument, load_polnear
from .scoring import attributions_from_analysis, score_document
from .speakers import load_gold_speakers, same_speaker

__all__ = [
    "Bin",
    "CalibrationReport",
    "Labelled",
    "Reliability",
    "Referents",
    "attribution_labels",
    "judge_speaker",
    "evaluate_calibration",
    "gold_sources",
    "labelled",
    "reliability",
    "speaker_labels",
]

#: ``(document, start, end)`` of a gold source → whom it refers to (``AUTHOR``, a name, or
#: ``UNRESOLVABLE``).
Referents = Mapping[tuple[str, int, int], str]
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Bin:
    """One bin of the reliability table: confidences in ``[low, high)`` (the last one closed)."""

    low: float
    high: float
    count: int
    confidence: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class Reliability:
    """A reliability table and its summary figures for one kind of prediction."""

    bins: tuple[Bin, ...]
    ece: float
    count: int
    accuracy: float
    #: Accuracy and count of the predictions with confidence of at least 0.9.
    precision_at_90: float
    count_at_90: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "accuracy": round(self.accuracy, 4),
            "ece": round(self.ece, 4),
            "precision_at_0.9": round(self.precision_at_90, 4),
            "count_at_0.9": self.count_at_90,
            "bins": [
                {
                    "low": b.low,
                    "high": b.high,
                    "count": b.count,
                    "confidence": round(b.confidence, 4),
                    "accuracy": round(b.accuracy, 4),
                }
                for b in self.bins
            ],
        }

    def lines(self, title: str) -> list[str]:
        """The table as text."""
        out = [
            f"{title}: {self.count} labelled, accuracy {self.accuracy:.3f}, ECE {self.ece:.3f}, "
            f"precision at confidence >= 0.9: {self.precision_at_90:.3f} ({self.count_at_90})",
            "  bin          count  confidence  accuracy",
        ]
        for b in self.bins:
            if b.count:
                out.append(
                    f"  {b.low:.1f}-{b.high:.1f}   {b.count:7d}  {b.confidence:10.3f}  {b.accuracy:8.3f}"
                )
        return out


def reliability(
    confidences: Sequence[float], labels: Sequence[bool], *, bins: int = 10
) -> Reliability:
    """Reliability table, ECE and precision at 0.9 of ``confidences`` against ``labels``."""
    if len(confidences) != len(labels):
        raise ValueError("one label per confidence")
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, y in zip(confidences, labels, strict=True):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"a confidence must be in [0, 1], not {p}")
        groups[min(int(p * bins), bins - 1)].append((p, y))
    table = tuple(
        Bin(
            i / bins,
            (i + 1) / bins,
            len(g),
            sum(p for p, _ in g) / len(g) if g else 0.0,
            sum(y for _, y in g) / len(g) if g else 0.0,
        )
        for i, g in enumerate(groups)
    )
    n = len(labels)
    ece = sum(b.count * abs(b.confidence - b.accuracy) for b in table) / n if n else 0.0
    sure = [y for p, y in zip(confidences, labels, strict=True) if p >= 0.9]
    return Reliability(
        table,
        ece,
        n,
        sum(labels) / n if n else 0.0,
        sum(sure) / len(sure) if sure else 0.0,
        len(sure),
    )


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _gold_source_span(source: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    return (source[0][0], source[-1][1]) if source else None


def _speaker_spans(analysis: Analysis, speaker_ids: Iterable[str | None]) -> list[tuple[int, int]]:
    out = []
    for sid in speaker_ids:
        speaker = analysis.speaker(sid)
        if speaker is not None:
            out += [m.range for m in speaker.mentions]
    return out


def _matches(gold: GoldDocument, analysis: Analysis) -> dict[int, int]:
    """Predicted quote index → gold attribution index, matched one to one by the scorer."""
    scored = score_document(gold.attributions, attributions_from_analysis(analysis), gold.text)
    return {p.predicted: p.gold for p in scored.pairs}


def gold_sources(gold: GoldDocument, analysis: Analysis) -> list[tuple[int, int] | None]:
    """The source span of the gold attribution each quote is matched to (``None``: unmatched,
    or the gold has no source)."""
    matched = _matches(gold, analysis)
    return [
        _gold_source_span(gold.attributions[g].source)
        if (g := matched.get(i)) is not None
        else None
        for i in range(len(analysis.quotes))
    ]


def attribution_labels(gold: GoldDocument, analysis: Analysis) -> list[bool]:
    """Is each quote of ``analysis`` (in order) a right attribution (module docstring)?"""
    matched = _matches(gold, analysis)
    labels = []
    for i, q in enumerate(analysis.quotes):
        g = matched.get(i)
        if g is None:
            labels.append(False)
            continue
        source = _gold_source_span(gold.attributions[g].source)
        if source is None:
            labels.append(True)
            continue
        spans = [q.source.range] if q.source is not None else []
        spans += _speaker_spans(analysis, (q.speaker_id, *q.via))
        labels.append(any(_overlaps(source, [s]) for s in spans))
    return labels


def _named(gold_text: str, name: str) -> bool:
    """Is the speaker ``name`` one of those the gold source ``gold_text`` names?"""
    words = [w.lower() for w in _WORDS.findall(name)]
    return bool(words) and (
        words[-1] in {w.lower() for w in _WORDS.findall(gold_text)} or same_speaker(gold_text, name)
    )


def speaker_labels(
    gold: GoldDocument, analysis: Analysis, referents: Referents
) -> list[bool | None]:
    """Is each quote's speaker right (module docstring)?  ``None``: no label."""
    labels: list[bool | None] = []
    for q, source in zip(analysis.quotes, gold_sources(gold, analysis), strict=True):
        speaker = analysis.speaker(q.speaker_id)
        if speaker is None or source is None:
            labels.append(None)
            continue
        written = gold.text[source[0] : source[1]]
        labels.append(
            judge_speaker(written, referents.get((gold.name, *source)), speaker.name, speaker.kind)
        )
    return labels


def judge_speaker(
    written: str, referent: str | None, name: str, kind: EntityKind | None
) -> bool | None:
    """Is ``name`` (of ``kind``) the speaker of a gold source written ``written``, whose
    referent (for a pronoun or description) is ``referent``?  ``None``: no label."""
    if mention_kind(written) == "name":
        return _named(written, name)
    if referent is None or referent == "UNRESOLVABLE":
        return None
    return same_speaker(referent, name, kind)


@dataclass(frozen=True, slots=True)
class Labelled:
    """Confidences and labels of one set of analyses."""

    attribution: list[tuple[float, bool]] = field(default_factory=list)
    speaker: list[tuple[float, bool]] = field(default_factory=list)


def labelled(
    gold: Sequence[GoldDocument], analyses: Iterable[Analysis], referents: Referents
) -> Labelled:
    """Each quote's confidence with its attribution label, and each labelled speaker's."""
    out = Labelled()
    for doc, analysis in zip(gold, analyses, strict=True):
        if analysis.article.text != doc.text:
            raise RuntimeError(f"{doc.name}: the analysis changed the article text; cannot score")
        for q, y in zip(analysis.quotes, attribution_labels(doc, analysis), strict=True):
            out.attribution.append((q.confidence, y))
        for q, s in zip(analysis.quotes, speaker_labels(doc, analysis, referents), strict=True):
            if s is not None and q.speaker_confidence is not None:
                out.speaker.append((q.speaker_confidence, s))
    return out


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    documents: int
    attribution: Reliability
    speaker: Reliability

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "attribution": self.attribution.to_dict(),
            "speaker": self.speaker.to_dict(),
        }

    def summary(self) -> str:
        return "\n".join(
            self.attribution.lines("attributions") + [""] + self.speaker.lines("speakers")
        )


def dev_referents() -> dict[tuple[str, int, int], str]:
    """The resolved-speaker gold of PolNeAR dev as :data:`Referents`."""
    return {(g.document, g.start, g.end): g.speaker for g in load_gold_speakers()}


def evaluate_calibration(
    path: Path | str, *, split: str = "dev", limit: int | None = None, analyze_many=None
) -> CalibrationReport:
    """Analyze a PolNeAR split (dev: the speaker gold is dev's) and measure calibration."""
    if split != "dev":
        raise ValueError("calibration is checked on dev: the resolved-speaker gold is dev's")
    if analyze_many is None:
        from accordingto.pipeline import analyze_many as analyze

        analyze_many = functools.partial(analyze, events=False)  # events play no part here
    gold = load_polnear(path, split=split, limit=limit)
    analyses = analyze_many(Article(text=d.text, format="text") for d in gold)
    data = labelled(gold, analyses, dev_referents())
    return CalibrationReport(
        len(gold),
        reliability(*_columns(data.attribution)),
        reliability(*_columns(data.speaker)),
    )


def _columns(pairs: list[tuple[float, bool]]) -> tuple[list[float], list[bool]]:
    return [p for p, _ in pairs], [y for _, y in pairs]
