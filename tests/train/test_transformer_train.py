"""Training loop, checkpoint/resume and ONNX export of the transformer role tagger, on a tiny
randomly initialised BERT and three hand-written sentences (no download, no PolNeAR)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from transformers import BertConfig, BertModel  # noqa: E402

from accordingto.nlp.transformer import TAGS, tag_spans  # noqa: E402
from accordingto.train import transformer as trf  # noqa: E402

SENTENCES = [
    "[CONTENT “ We will rebuild , ” ] [SOURCE the mayor ] [CUE said ] on Tuesday .",
    "[SOURCE Officials ] [CUE said ] [CONTENT the bridge would reopen in March ] .",
    "[CUE According to ] [SOURCE the report ] , [CONTENT the deficit grew ] .",
]


def _parse(marked: str) -> tuple[list[str], list[int]]:
    """Words and BIO tag ids from ``[ROLE words ]`` markup."""
    words: list[str] = []
    tags: list[int] = []
    role, first = None, False
    for item in marked.split():
        if item.startswith("[") and len(item) > 1:
            role, first = item[1:], True
        elif item == "]":
            role = None
        else:
            words.append(item)
            tags.append(TAGS.index(f"{'B' if first else 'I'}-{role}") if role else 0)
            first = False
    return words, tags


PARAGRAPHS = [_parse(s) for s in SENTENCES]


def _tokenizer(tmp_path: Path):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    words = sorted({w.lower() for ws, _ in PARAGRAPHS for w in ws})
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *words, "##s"])}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    path = tmp_path / "tokenizer.json"
    tokenizer.save(str(path))
    return tokenizer, path


def _model(vocab_size: int, seed: int = 0) -> trf.Tagger:
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    return trf.Tagger(BertModel(config, add_pooling_layer=False))


def _setup(tmp_path: Path):
    tokenizer, path = _tokenizer(tmp_path)
    examples = trf.build_examples(PARAGRAPHS, tokenizer, tokenizer.token_to_id("[UNK]"))
    ids = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    return tokenizer, path, examples, ids


def _config(**changes) -> trf.TrainConfig:
    # windows of 8 wordpieces: every sentence is cut, so the windows are exercised too
    base = dict(
        epochs=8,
        lr=3e-3,
        head_lr=1e-2,
        batch_pieces=24,
        max_pieces=8,
        overlap=3,
        eval_every=5,
        checkpoint_every=1,
        log_every=1,
        threads=1,
        warmup=0.1,
    )
    return trf.TrainConfig(**{**base, **changes})


class Crash(Exception):
    pass


def test_parse_markup():
    words, tags = PARAGRAPHS[2]
    assert words[:3] == ["According", "to", "the"]
    assert [TAGS[t] for t in tags[:4]] == ["B-CUE", "I-CUE", "B-SOURCE", "I-SOURCE"]


def test_training_learns_the_sentences(tmp_path):
    tokenizer, _, examples, (cls_id, sep_id) = _setup(tmp_path)
    model = _model(tokenizer.get_vocab_size())
    cfg = _config(epochs=40, eval_every=1000, checkpoint_every=1000)
    items = trf.window_items(examples, cfg, cls_id, sep_id)
    assert len(items) > len(examples)  # windows of 8 pieces cut every sentence
    before = trf.evaluate(model, examples, items)["all"]["f"]
    result = trf.train(model, examples, examples, tmp_path / "run", cfg, cls_id, sep_id)
    after = trf.evaluate(model, examples, items)["all"]["f"]
    assert after == pytest.approx(result["best_scores"]["all"]["f"])
    assert after > 90 > before
    curve = (tmp_path / "run" / trf.CURVE).read_text().splitlines()
    assert curve[0].startswith("step,epoch,wordpieces")
    assert len(curve) == 2  # one evaluation, at the last step


def test_resume_after_crash_gives_the_same_weights(tmp_path):
    tokenizer, _, examples, (cls_id, sep_id) = _setup(tmp_path)
    vocab = tokenizer.get_vocab_size()
    cfg = _config()

    straight = _model(vocab)
    trf.train(straight, examples, examples, tmp_path / "straight", cfg, cls_id, sep_id)

    def crash_at_7(step: int) -> None:
        if step == 7:
            raise Crash

    crashed = _model(vocab)
    with pytest.raises(Crash):
        trf.train(
            crashed,
            examples,
            examples,
            tmp_path / "resumed",
            cfg,
            cls_id,
            sep_id,
            on_step=crash_at_7,
        )
    saved = torch.load(tmp_path / "resumed" / trf.CHECKPOINT, weights_only=False)
    assert saved["state"]["step"] == 7
    resumed = _model(vocab, seed=123)  # a fresh process: other weights until the checkpoint
    trf.train(resumed, examples, examples, tmp_path / "resumed", cfg, cls_id, sep_id)

    for (name, a), (_, b) in zip(
        straight.state_dict().items(), resumed.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    # the learning curve has each evaluation once, as in the uninterrupted run
    assert (tmp_path / "straight" / trf.CURVE).read_text().count("\n") == (
        tmp_path / "resumed" / trf.CURVE
    ).read_text().count("\n")


def test_epoch_batches_are_deterministic_and_fit():
    lengths = [5, 9, 3, 12, 7, 7, 2, 10] * 20
    a = trf.epoch_batches(lengths, seed=0, epoch=1, budget=30)
    assert a == trf.epoch_batches(lengths, seed=0, epoch=1, budget=30)
    assert a != trf.epoch_batches(lengths, seed=0, epoch=2, budget=30)
    assert sorted(i for batch in a for i in batch) == list(range(len(lengths)))
    assert all(max(lengths[i] for i in b) * len(b) <= 30 for b in a)


def test_span_scores():
    gold = [[TAGS.index(t) for t in ["B-SOURCE", "I-SOURCE", "B-CUE", "O"]]]
    pred = [[TAGS.index(t) for t in ["B-SOURCE", "O", "B-CUE", "O"]]]
    scores = trf.span_scores(gold, pred)
    assert scores["CUE"]["f"] == 100
    assert scores["SOURCE"]["f"] == 0
    assert scores["all"]["p"] == 50 and scores["all"]["r"] == 50


def test_onnx_export_round_trip(tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    import spacy

    from accordingto.nlp.transformer import TransformerTagger

    tokenizer, tokenizer_json, examples, (cls_id, sep_id) = _setup(tmp_path)
    model = _model(tokenizer.get_vocab_size())
    cfg = _config(epochs=10, eval_every=1000, checkpoint_every=1000)
    trf.train(model, examples, examples, tmp_path / "run", cfg, cls_id, sep_id)
    model.eval()
    best, meta = trf.load_best(tmp_path / "run")  # one evaluation, at the last step
    assert meta["tags"] == list(TAGS) and meta["max_pieces"] == cfg.max_pieces
    for name, value in model.state_dict().items():
        assert torch.equal(value, best.state_dict()[name]), name
    out = trf.export_onnx(best, meta, tmp_path / "onnx", tokenizer_json)
    assert (out / "model.int8.onnx").is_file()

    items = trf.window_items(examples, cfg, cls_id, sep_id)
    ids, mask, _ = trf.collate(items)
    with torch.inference_mode():
        expected = model(ids, mask).numpy()
    session = onnxruntime.InferenceSession(str(out / "model.onnx"))
    (got,) = session.run(["logits"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    np.testing.assert_allclose(got, expected, atol=1e-4)

    tagger = TransformerTagger(out)
    predicted = trf.decode_examples(examples, items, trf.torch_logits(model))
    for example, tags in zip(examples, predicted, strict=True):
        assert tagger.predict_words(example.words) == tag_spans(tags)

    # a paragraph scores the same whatever it is read with (int8 quantises each input whole)
    int8 = TransformerTagger(out, int8=True)
    together = int8.paragraph_scores([e.words for e in examples])
    for example, scores in zip(examples, together, strict=True):
        np.testing.assert_array_equal(scores, int8.word_scores(example.words))
    # the exporter's NaN guards are gone from the run-time model (train/onnx_graph.py)
    import onnx

    ops = {node.op_type for node in onnx.load(str(out / "model.int8.onnx")).graph.node}
    assert "IsNaN" not in ops and "Softmax" in ops

    nlp = spacy.blank("en")
    doc = nlp("Officials said the bridge would reopen in March.\n\nThe mayor said on Tuesday.")
    spans = tagger.role_spans(doc)
    assert spans, "a trained tagger finds roles in a sentence it was trained on"
    for span in spans:
        assert span.text == doc.text[span.start : span.end]
        assert span.label in ("SOURCE", "CUE", "CONTENT")
        assert "\n\n" not in span.text  # never across a paragraph break
