"""Train the content-boundary scorer (:mod:`accordingto.attribution.boundaries`) on PolNeAR train.

Three steps, each reusing the one before it (docs/model.md, "Content boundaries"):

1. ``parse``: the analyzer's parse (spaCy with the role tagger) of every ``step``-th article
   of a split, saved once as a ``DocBin`` with the gold documents beside it, in a cache
   directory outside the repository (PolNeAR text is never shipped);
2. ``collect`` (inside ``train``): the analyzer over the cached parses with the scorer off;
   for every predicted attribution whose content overlaps the content of the gold
   attribution it is matched to, the candidate contents with their features and a label
   (candidate == the gold content, whitespace aside);
3. ``train``: a logistic regression (scikit-learn) over the candidates, written as a small
   JSON file of weights (``attribution/data/boundaries.json``).

``measure`` prints, for a split, how many gold contents are a parse subtree (or a trimmed
one, or a run of the cue head's children) and the oracle content-exact of the candidates.

    python -m accordingto.train.boundaries parse ../shared/data/polnear --split train \
        --step 3 --cache /work/cache-boundaries
    python -m accordingto.train.boundaries train --cache /work/cache-boundaries
    python -m accordingto.train.boundaries measure --cache /work/cache-boundaries --split dev

The dev split chooses features and the regularisation; the test split is never read.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pickle
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse
from spacy.tokens import Doc, DocBin

from accordingto.attribution.boundaries import (
    ENV,
    MAX_TOKENS,
    WEIGHTS,
    BoundaryScorer,
    candidates,
    children_runs,
    cue_head,
    features,
    rule_content,
    span_tokens,
    trims,
)
from accordingto.eval import score_analyses
from accordingto.eval.polnear import GoldDocument, load_polnear
from accordingto.eval.scoring import Counts, DocumentScore, Report, nonspace_ranges
from accordingto.model import Analysis, Article

__all__ = ["cached", "parse_split"]

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path("/work/cache-boundaries")
#: Candidates per attribution in training (more than at run time: a wider view of what loses).
TRAIN_CANDIDATES = 200
SHIPPED = Path(__file__).resolve().parents[1] / "attribution" / "data" / WEIGHTS


@dataclass(frozen=True, slots=True)
class Cached:
    """One split's gold documents and the analyzer's parses of their texts, in order."""

    gold: list[GoldDocument]
    docs: list[Doc]


def _paths(cache: Path, split: str) -> tuple[Path, Path]:
    return cache / f"{split}.spacy", cache / f"{split}.gold.pkl"


def parse_split(
    polnear: Path | str,
    cache: Path,
    *,
    split: str,
    step: int = 1,
    offset: int = 0,
    limit: int | None = None,
    model: str = "fast",
) -> int:
    """Parse every ``step``-th article of ``split`` from ``offset`` (at most ``limit``) once,
    as the analyzer does in ``model`` mode (``fast`` or ``accurate``: the roles the docs keep),
    and save the docs and gold documents under ``cache`` (as ``train.spacy``, or
    ``train-<offset>.spacy`` from an offset); returns how many."""
    from accordingto.nlp import load_pipeline, parse_text
    from accordingto.pipeline import parse_docs

    gold = load_polnear(polnear, split=split)[offset::step][:limit]
    nlp = load_pipeline(model=model)
    texts = [parse_text(d.text) for d in gold]
    bin_ = DocBin(store_user_data=True)
    started = time.monotonic()
    for n, doc in enumerate(parse_docs(nlp, texts, 16), 1):
        bin_.add(doc)
        if n % 20 == 0:
            log.info("%d/%d parsed (%.0f s)", n, len(texts), time.monotonic() - started)
    cache.mkdir(parents=True, exist_ok=True)
    docs_path, gold_path = _paths(cache, f"{split}-{offset}" if offset else split)
    bin_.to_disk(docs_path)
    gold_path.write_bytes(pickle.dumps(gold))
    return len(gold)


def cached(cache: Path, split: str, nlp) -> Cached:
    """The parses and gold documents :func:`parse_split` saved for ``split``."""
    docs_path, gold_path = _paths(cache, split)
    gold = pickle.loads(gold_path.read_bytes())
    docs = list(DocBin().from_disk(docs_path).get_docs(nlp.vocab))
    return Cached(gold, docs)


def analyses(data: Cached, nlp) -> Iterator[Analysis]:
    """The analyzer over the cached parses (no events: they do not change attributions)."""
    from accordingto.pipeline import analyze_doc

    for gold, doc in zip(data.gold, data.docs, strict=True):
        yield analyze_doc(Article(text=gold.text, format="text"), doc, nlp, events=False)


# --- candidates against gold -------------------------------------------------


def _chars(doc: Doc, text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    return nonspace_ranges(text, ((doc[start].idx, doc[end - 1].idx + len(doc[end - 1])),))


@dataclass(frozen=True, slots=True)
class Group:
    """One predicted attribution's candidates: features and whether each is the gold content."""

    features: list[list[str]]
    labels: list[bool]
    current_right: bool


def groups_of(doc: Doc, score: DocumentScore) -> Iterator[Group]:
    """A :class:`Group` for every predicted attribution whose content overlaps its gold's."""
    text = score.text
    for pair in score.pairs:
        if "content" not in pair.overlap:
            continue
        pred = score.predicted[pair.predicted]
        if not pred.cue or len(pred.content) != 1:
            continue
        tokens = span_tokens(doc, *pred.content[0])
        if tokens is None or tokens[1] - tokens[0] > MAX_TOKENS:
            continue
        head = cue_head(doc, pred.cue[0])
        gold = nonspace_ranges(text, score.gold[pair.gold].content)
        rule = rule_content(doc, head)
        cue = span_tokens(doc, *pred.cue[0])
        cands = candidates(doc, head, tokens, rule, limit=TRAIN_CANDIDATES, cue=cue)
        yield Group(
            [features(doc, head, tokens, c, pred.kind, rule) for c in cands],
            [_chars(doc, text, c.start, c.end) == gold for c in cands],
            "content" in pair.exact,
        )


def collect(data: Cached, nlp) -> tuple[Report, list[Group]]:
    """The analyzer's report on the cached split (scorer off) and its candidate groups."""
    os.environ[ENV] = "0"
    report = score_analyses(data.gold, analyses(data, nlp))
    groups = [
        g for doc, d in zip(data.docs, report.documents, strict=True) for g in groups_of(doc, d)
    ]
    return report, groups


# --- measurement --------------------------------------------------------------


def _trimmed(doc: Doc, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A span and its edge trims (leading "that" / punctuation, trailing punctuation)."""
    for s, e, how in trims(doc, start, end):
        if how in ("", "-lead", "-trail", "-both"):
            yield s, e


def coverage(data: Cached) -> dict[str, int]:
    """How many gold contents (one piece each) are (a) a subtree, (b) a trimmed subtree,
    (c) a run of the gold cue head's children (trimmed too)."""
    counts = {"contents": 0, "one_piece": 0, "subtree": 0, "trimmed_subtree": 0, "cue_children": 0}
    for gold, doc in zip(data.gold, data.docs, strict=True):
        text = gold.text
        subtrees = {_chars(doc, text, t.left_edge.i, t.right_edge.i + 1) for t in doc}
        trimmed = {
            _chars(doc, text, s, e)
            for t in doc
            for s, e in _trimmed(doc, t.left_edge.i, t.right_edge.i + 1)
        }
        for a in gold.attributions:
            if not a.content:
                continue
            counts["contents"] += 1
            chars = nonspace_ranges(text, a.content)
            if len(chars) != 1:
                continue
            counts["one_piece"] += 1
            counts["subtree"] += chars in subtrees
            counts["trimmed_subtree"] += chars in trimmed
            head = cue_head(doc, a.cue[0]) if a.cue else None
            runs = (
                {
                    _chars(doc, text, s2, e2)
                    for s, e in children_runs(head)
                    for s2, e2 in _trimmed(doc, s, e)
                }
                if head is not None
                else set()
            )
            counts["cue_children"] += chars in runs or chars in trimmed
    return counts


def oracle(report: Report, groups: list[Group]) -> dict[str, object]:
    """Content exact now, and if the best candidate were chosen for every overlapping one."""
    now = report.get("content", "exact")
    fixable = sum(1 for g in groups if not g.current_right and any(g.labels))
    reach = Counts(now.matched + fixable, now.predicted, now.gold)
    return {
        "content_exact": round(now.f1, 4),
        "matched": now.matched,
        "predicted": now.predicted,
        "gold": now.gold,
        "groups": len(groups),
        "gold_among_candidates": sum(any(g.labels) for g in groups),
        "fixable": fixable,
        "oracle_content_exact": round(reach.f1, 4),
        "mean_candidates": round(sum(len(g.labels) for g in groups) / max(len(groups), 1), 1),
    }


# --- training -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Design:
    """Groups as one sparse matrix: rows are candidates, ``bounds[g]:bounds[g+1]`` group g."""

    matrix: sparse.csr_matrix
    labels: np.ndarray
    bounds: np.ndarray
    current_right: np.ndarray


def vocabulary(groups: Sequence[Group], min_count: int = 2) -> list[str]:
    """The features seen in at least ``min_count`` candidates of the training groups."""
    seen = Counter(x for g in groups for feats in g.features for x in feats)
    return sorted(x for x, n in seen.items() if n >= min_count)


def design(groups: Sequence[Group], vocab: Sequence[str]) -> Design:
    index = {x: i for i, x in enumerate(vocab)}
    rows: list[int] = []
    cols: list[int] = []
    labels: list[bool] = []
    bounds = [0]
    for g in groups:
        for feats, label in zip(g.features, g.labels, strict=True):
            row = len(labels)
            hits = {index[x] for x in feats if x in index}
            rows.extend([row] * len(hits))
            cols.extend(hits)
            labels.append(label)
        bounds.append(len(labels))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(labels), len(vocab)))
    right = np.array([g.current_right for g in groups], dtype=bool)
    return Design(matrix, np.array(labels, dtype=bool), np.array(bounds), right)


def fit(d: Design, l2: float = 1.0) -> np.ndarray:
    """Weights of a conditional logit: the softmax over each group's candidates puts the most
    probability on the gold one (groups without it are left out); L2 penalty ``l2``."""
    keep = [g for g in range(len(d.bounds) - 1) if d.labels[d.bounds[g] : d.bounds[g + 1]].any()]
    owner = np.repeat(np.arange(len(d.bounds) - 1), np.diff(d.bounds))
    if not keep:
        return np.zeros(d.matrix.shape[1])
    mask = np.isin(owner, keep)
    x, y, grp = d.matrix[mask], d.labels[mask], owner[mask]
    _, grp = np.unique(grp, return_inverse=True)
    n_groups = grp.max() + 1
    positives = np.bincount(grp, y, minlength=n_groups)  # equal spans: a group may have two

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        zmax = np.full(n_groups, -np.inf)
        np.maximum.at(zmax, grp, z)
        ez = np.exp(z - zmax[grp])
        norm = np.bincount(grp, ez, minlength=n_groups)
        p = ez / norm[grp]
        value = -(z[y] - zmax[grp[y]] - np.log(norm[grp[y]])).sum() + l2 * (w @ w)
        grad = x.T @ (p * positives[grp] - y) + 2 * l2 * w
        return float(value), grad

    result = optimize.minimize(
        loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 1000}
    )
    return result.x


def picks(d: Design, w: np.ndarray, margin: float = 0.0) -> dict[str, int]:
    """What choosing the best candidate of every group (the current one, first, unless another
    beats it by ``margin``) does: groups right before and after, changed, broken."""
    z = d.matrix @ w
    before = after = changed = broken = 0
    for g in range(len(d.bounds) - 1):
        a, b = d.bounds[g], d.bounds[g + 1]
        best = a + int(np.argmax(z[a:b]))
        if z[best] < z[a] + margin:
            best = a
        right = bool(d.labels[best]) if best != a else bool(d.current_right[g])
        before += int(d.current_right[g])
        after += int(right)
        changed += int(best != a)
        broken += int(bool(d.current_right[g]) and not right)
    return {"right_before": before, "right_after": after, "changed": changed, "broken": broken}


#: Weights smaller than this are left out of the shipped file (it stays small).
PRUNE = 0.01


def pruned(weights: dict[str, float], threshold: float = PRUNE) -> dict[str, float]:
    """The weights of at least ``threshold``, rounded to 3 decimals."""
    return {x: round(v, 3) for x, v in weights.items() if abs(v) >= threshold}


def train(
    cache: Path,
    out: Path,
    *,
    l2: float = 1.0,
    margin: float = 0.0,
    enable: Sequence[str] = (),
    nlp=None,
) -> dict[str, object]:
    """Fit the scorer on the cached train split, measure it on the cached dev split (if
    there), and write the weights to ``out``; returns the figures."""
    from accordingto.nlp import load_pipeline

    nlp = nlp or load_pipeline()
    parts = sorted(p.name.removesuffix(".spacy") for p in cache.glob("train*.spacy"))
    train_groups = [g for part in parts for g in collect(cached(cache, part, nlp), nlp)[1]]
    vocab = vocabulary(train_groups)
    w = fit(design(train_groups, vocab), l2=l2)
    figures: dict[str, object] = {
        "train_parts": parts,
        "train_groups": len(train_groups),
        "features": len(vocab),
        "train": picks(design(train_groups, vocab), w, margin),
    }
    if _paths(cache, "dev")[0].exists():
        report, dev_groups = collect(cached(cache, "dev", nlp), nlp)
        dev = design(dev_groups, vocab)
        figures["dev"] = {f"margin {m}": picks(dev, w, m) for m in (0.0, 0.5, 1.0, 2.0)}
        figures["dev_oracle"] = oracle(report, dev_groups)
    weights = pruned(dict(zip(vocab, map(float, w), strict=True)))
    scorer = BoundaryScorer(weights=weights, margin=margin, enabled=tuple(enable))
    out.write_text(json.dumps(scorer.to_dict(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return figures


def evaluate(cache: Path, split: str = "dev") -> dict[str, dict[str, float]]:
    """The analyzer on the cached ``split`` with the shipped scorer off and on: F1 of source,
    cue and content, exact and overlap (events aside, the figures of ``accordingto eval``)."""
    from accordingto.nlp import load_pipeline

    nlp = load_pipeline()
    data = cached(cache, split, nlp)
    out = {}
    for state in ("0", "1"):
        os.environ[ENV] = state
        report = score_analyses(data.gold, analyses(data, nlp))
        out["on" if state == "1" else "off"] = {
            f"{role} {mode}": round(report.get(role, mode).f1, 4)
            for role in ("source", "cue", "content")
            for mode in ("exact", "overlap")
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accordingto.train.boundaries")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse a split once into the cache")
    p.add_argument("polnear", type=Path)
    p.add_argument("--split", default="train")
    p.add_argument("--step", type=int, default=1)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int)
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    p.add_argument(
        "--model",
        default="fast",
        choices=("fast", "accurate"),
        help="the mode whose roles the parses keep (a cache per mode)",
    )
    t = sub.add_parser("train", help="fit on the cached train split, write the weights")
    t.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    t.add_argument("--out", type=Path, default=SHIPPED)
    t.add_argument("--l2", type=float, default=1.0)
    t.add_argument("--margin", type=float, default=0.0)
    t.add_argument(
        "--enable",
        action="append",
        default=[],
        choices=("fast", "accurate"),
        help="a mode the scorer runs in by default (repeatable)",
    )
    e = sub.add_parser("evaluate", help="the analyzer on a cached split, scorer off and on")
    e.add_argument("--split", default="dev")
    e.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    m = sub.add_parser("measure", help="subtree coverage and the candidates' oracle on a split")
    m.add_argument("--split", default="dev")
    m.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if args.command == "parse":
        n = parse_split(
            args.polnear,
            args.cache,
            split=args.split,
            step=args.step,
            offset=args.offset,
            limit=args.limit,
            model=args.model,
        )
        print(json.dumps({"parsed": n, "split": args.split, "cache": str(args.cache)}))
    elif args.command == "train":
        figures = train(args.cache, args.out, l2=args.l2, margin=args.margin, enable=args.enable)
        print(json.dumps(figures, indent=1))
    elif args.command == "evaluate":
        print(json.dumps(evaluate(args.cache, args.split), indent=1))
    elif args.command == "measure":
        from accordingto.nlp import load_pipeline

        nlp = load_pipeline()
        data = cached(args.cache, args.split, nlp)
        report, groups = collect(data, nlp)
        print(json.dumps({"coverage": coverage(data), "oracle": oracle(report, groups)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
