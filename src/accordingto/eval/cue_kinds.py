"""Accuracy of the kind of attribution (``reported_as``) on hand-labelled PolNeAR cues.

The gold (``eval/gold/polnear-{dev,train}-cue-kinds.tsv``, how it was made:
``eval/gold/README.md``) gives 340 dev and 160 train gold cue spans and what each reports.
Each cue's paragraph is parsed with the base English pipeline and
:func:`~accordingto.attribution.reported_as.reported_as` is asked about the gold cue span,
so the figure measures the kind alone, not cue finding.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from accordingto.attribution.reported_as import ReportedAs, reported_as
from accordingto.errors import DataError

__all__ = ["CueKindReport", "GoldCue", "evaluate_cue_kinds", "load_gold_cues"]

#: The hand-labelled samples: 340 dev cues, and 160 train cues labelled after the lexicon was
#: written and before it was run on them (a check that the lexicon is not fitted to dev).
GOLD_FILES = {"dev": "polnear-dev-cue-kinds.tsv", "train": "polnear-train-cue-kinds.tsv"}


@dataclass(frozen=True, slots=True)
class GoldCue:
    document: str
    start: int
    end: int
    cue: str
    reported_as: ReportedAs


@dataclass(slots=True)
class CueKindReport:
    #: (gold, predicted) per item.
    pairs: list[tuple[GoldCue, ReportedAs]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        right = sum(1 for g, p in self.pairs if g.reported_as is p)
        return right / len(self.pairs) if self.pairs else 0.0

    def confusion(self) -> Counter[tuple[str, str]]:
        return Counter((str(g.reported_as), str(p)) for g, p in self.pairs)

    def to_dict(self) -> dict[str, object]:
        return {
            "items": len(self.pairs),
            "accuracy": round(self.accuracy, 4),
            "confusion": {f"{g}->{p}": n for (g, p), n in sorted(self.confusion().items())},
            "errors": [
                {
                    "document": g.document,
                    "start": g.start,
                    "cue": g.cue,
                    "gold": g.reported_as,
                    "predicted": p,
                }
                for g, p in self.pairs
                if g.reported_as is not p
            ],
        }


def load_gold_cues(split: str = "dev") -> list[GoldCue]:
    """The hand-labelled cues of ``split`` shipped with the package (offsets and labels only)."""
    if split not in GOLD_FILES:
        raise DataError(f"no cue-kind gold for split {split!r}; there is: {', '.join(GOLD_FILES)}")
    raw = (
        resources.files(__package__).joinpath("gold", GOLD_FILES[split]).read_text(encoding="utf-8")
    )
    rows = csv.DictReader(raw.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        GoldCue(
            r["document"], int(r["start"]), int(r["end"]), r["cue"], ReportedAs(r["reported_as"])
        )
        for r in rows
    ]


def _texts(root: Path, split: str, documents: set[str]) -> dict[str, str]:
    """The article texts of ``split`` under a PolNeAR ``root`` (or its ``data/`` or split dir)."""
    for base in (root / "data" / split, root / split, root):
        if (base / "text").is_dir():
            break
    else:
        raise DataError(f"no PolNeAR {split} split under {root}: give ../shared/data/polnear")
    texts = {}
    for name in documents:
        path = base / "text" / f"{name}.txt"
        if not path.is_file():
            raise DataError(f"{path} is missing: the cue gold needs the PolNeAR {split} split")
        texts[name] = path.read_text(encoding="utf-8")
    return texts


def evaluate_cue_kinds(root: Path, *, split: str = "dev", nlp=None) -> CueKindReport:
    """Ask :func:`reported_as` about every gold cue of ``split`` and compare with its label."""
    if nlp is None:
        from accordingto.nlp.load import load_base_pipeline

        nlp = load_base_pipeline()
    gold = load_gold_cues(split)
    texts = _texts(root, split, {g.document for g in gold})
    pieces = [_paragraph(texts[g.document], g.start, g.end) for g in gold]
    report = CueKindReport()
    docs = nlp.pipe(texts[g.document][a:b] for g, (a, b) in zip(gold, pieces, strict=True))
    for g, (a, _), doc in zip(gold, pieces, docs, strict=True):
        report.pairs.append((g, reported_as(doc, g.start - a, g.end - a)))
    return report


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (between blank lines) around ``start``–``end``: enough to parse the cue."""
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return (0 if a < 0 else a + 2), (len(text) if b < 0 else b)
