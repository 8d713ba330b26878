"""Learn the confidence model (``attribution/confidence.json``) from PolNeAR train.

One command, deterministic and self-contained::

    .venv/bin/python -m accordingto.train.confidence ../shared/data/polnear

It analyzes a fixed subset of the train articles (every :data:`EVERY`-th in sorted order),
records the :class:`~accordingto.attribution.confidence.Evidence` the analyzer saw for each
attribution, labels each attribution and each speaker the way ``eval/calibration.py`` does
(speakers of pronoun and description sources from the hand-labelled
``train/data/polnear-train-speakers.tsv``, made blind on part of the subset:
``train/data/README.md``), and fits
two L2-regularised logistic regressions (scikit-learn).  PolNeAR dev and test are not read.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from accordingto.attribution.confidence import (
    WEIGHTS_FILE,
    Evidence,
    LogisticModel,
    features,
    recording,
)
from accordingto.eval.calibration import (
    Referents,
    attribution_labels,
    gold_sources,
    judge_speaker,
)
from accordingto.eval.polnear import GoldDocument, load_polnear
from accordingto.model import Analysis, Article, EntityKind

__all__ = ["EVERY", "Row", "collect", "fit", "main", "train_referents"]

log = logging.getLogger(__name__)

#: Every EVERY-th train article (sorted by name) is analyzed: 420 of 840, about four and a half
#: minutes on two busy cores.  Dev ECE (attributions / speakers) by subset: every 10th (82 scored
#: articles) 0.036 / 0.028; every 4th 0.027 / 0.010; every 2nd 0.024 / 0.017.
EVERY = 2
#: L2 strength of the logistic regressions (scikit-learn's ``C``: larger is weaker).
C = 1.0
SPEAKERS_FILE = "polnear-train-speakers.tsv"


@dataclass(frozen=True, slots=True)
class Row:
    """One attribution of a train article: what the analyzer saw and whether it was right.

    ``source`` is the matched gold attribution's source span (``None``: unmatched or no
    source); ``speaker``/``speaker_kind`` the resolved speaker, if any: with them a speaker
    label can be given again from a new list of referents without analyzing anew."""

    document: str
    evidence: Evidence
    right: bool
    source: tuple[int, int] | None = None
    written: str = ""
    speaker: str | None = None
    speaker_kind: str | None = None

    def speaker_right(self, referents: Referents) -> bool | None:
        if self.source is None or self.speaker is None:
            return None
        referent = referents.get((self.document, *self.source))
        kind = EntityKind(self.speaker_kind) if self.speaker_kind else None
        return judge_speaker(self.written, referent, self.speaker, kind)

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Row:
        d = json.loads(line)
        d["evidence"] = Evidence(**d["evidence"])
        d["source"] = tuple(d["source"]) if d["source"] else None
        return cls(**d)


def train_referents() -> dict[tuple[str, int, int], str]:
    """The hand-labelled referents of train pronoun and description sources."""
    raw = resources.files(__package__).joinpath("data", SPEAKERS_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(raw.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return {(r["document"], int(r["start"]), int(r["end"])): r["speaker"] for r in rows}


def subset(docs: Sequence[GoldDocument], every: int = EVERY) -> list[GoldDocument]:
    """The fixed training subset: every ``every``-th article in sorted order, from the first."""
    return [d for i, d in enumerate(sorted(docs, key=lambda d: d.name)) if i % every == 0]


def _analyses_with_evidence(
    docs: Sequence[GoldDocument],
) -> Iterator[tuple[Analysis, dict[tuple[tuple[int, int], ...], Evidence]]]:
    from accordingto.pipeline import analyze_many

    with recording() as seen:
        for analysis in analyze_many((Article(text=d.text) for d in docs), events=False):
            by_content = dict(seen)
            seen.clear()
            yield analysis, by_content


def collect(docs: Sequence[GoldDocument]) -> list[Row]:
    """Analyze ``docs`` and note, for every attribution, its evidence, whether it is right,
    and what its speaker can be judged by."""
    rows = []
    for doc, (analysis, seen) in zip(docs, _analyses_with_evidence(docs), strict=True):
        right = attribution_labels(doc, analysis)
        sources = gold_sources(doc, analysis)
        for q, y, src in zip(analysis.quotes, right, sources, strict=True):
            speaker = analysis.speaker(q.speaker_id)
            rows.append(
                Row(
                    doc.name,
                    seen[tuple((c.start, c.end) for c in q.content)],
                    y,
                    src,
                    doc.text[src[0] : src[1]] if src else "",
                    speaker.name if speaker else None,
                    speaker.kind.value if speaker else None,
                )
            )
    return rows


def _fit_one(xs: list[dict[str, float]], ys: list[bool]) -> LogisticModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(ys)) < 2:
        raise ValueError("need both right and wrong examples to fit a model")
    vec = DictVectorizer(sparse=False, sort=True)
    matrix = vec.fit_transform(xs)
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(matrix, ys)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 6) for n, w in zip(names, model.coef_[0], strict=True)}
    return LogisticModel(round(float(model.intercept_[0]), 6), weights)


def fit(rows: Sequence[Row], referents: Referents) -> dict[str, Any]:
    """The weights file's content: both models and what they were learnt from."""
    attribution = _fit_one([features(r.evidence) for r in rows], [r.right for r in rows])
    judged = [(r, y) for r in rows if (y := r.speaker_right(referents)) is not None]
    speaker = _fit_one([features(r.evidence) for r, _ in judged], [y for _, y in judged])
    return {
        "note": "written by `python -m accordingto.train.confidence`; see docs/trust.md",
        "trained_on": {
            "corpus": "PolNeAR train",
            "documents": len({r.document for r in rows}),
            "attributions": len(rows),
            "attributions_right": sum(r.right for r in rows),
            "speakers": len(judged),
            "speakers_right": sum(y for _, y in judged),
        },
        "attribution": attribution.to_dict(),
        "speaker": speaker.to_dict(),
    }


def _default_out() -> Path:
    return Path(__file__).resolve().parent.parent / "attribution" / WEIGHTS_FILE


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m accordingto.train.confidence",
        description="Learn the confidence weights from PolNeAR train "
        "(example: python -m accordingto.train.confidence ../shared/data/polnear).",
    )
    parser.add_argument("polnear", type=Path, help="PolNeAR root (holding data/)")
    parser.add_argument("--out", type=Path, default=None, help="weights file to write")
    parser.add_argument("--every", type=int, default=EVERY, help="analyze every N-th article")
    parser.add_argument("--limit", type=int, default=None, help="at most N articles (a test)")
    parser.add_argument("--rows", type=Path, default=None, help="also write the rows (JSONL)")
    parser.add_argument(
        "--from-rows", type=Path, default=None, help="fit from rows written before; no analysis"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.from_rows is not None:
        lines = args.from_rows.read_text(encoding="utf-8").splitlines()
        rows = [Row.from_json(line) for line in lines if line.strip()]
    else:
        docs = subset(load_polnear(args.polnear, split="train"), args.every)[: args.limit]
        log.info("analyzing %d PolNeAR train articles", len(docs))
        rows = collect(docs)
    if args.rows is not None:
        args.rows.write_text("".join(r.to_json() + "\n" for r in rows), encoding="utf-8")
    weights = fit(rows, train_referents())
    out = args.out or _default_out()
    out.write_text(json.dumps(weights, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    log.info("wrote %s (%s)", out, weights["trained_on"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
