"""Run-time side of the MiniLM role tagger (issue 14): ONNX model, wordpieces, Viterbi.

The tagger labels every word (a non-space spaCy token) with one of the BIO tags of
:data:`TAGS` for the three PolNeAR roles SOURCE, CUE and CONTENT.  A word is read through
its first wordpiece; long paragraphs are cut into overlapping windows of at most
``max_pieces`` wordpieces (each word takes its scores from the window where it has the most
context on both sides); tags are decoded with Viterbi under BIO constraints (an ``I-X`` only
after ``B-X`` or ``I-X``), so every decoded sequence reads as well-formed spans.

Nothing here imports torch: the model runs with onnxruntime and the wordpieces come from
the ``tokenizers`` library reading the shipped ``tokenizer.json``.  Training and export are
in :mod:`accordingto.train.transformer`.

>>> tagger = TransformerTagger("/work/trf/onnx")  # doctest: +SKIP
>>> tagger.role_spans(nlp.make_doc("The mayor said taxes would rise."))  # doctest: +SKIP
[RoleSpan(label='SOURCE', start=0, end=9, text='The mayor'), ...]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accordingto.errors import ModelError

__all__ = [
    "ROLES",
    "TAGS",
    "TransformerTagger",
    "Window",
    "allowed_transitions",
    "best_window_scores",
    "mean_scores",
    "member_files",
    "paragraph_tokens",
    "special_id",
    "tag_spans",
    "viterbi",
    "window_ids",
    "word_pieces",
    "word_windows",
]

#: The three PolNeAR roles, in the order of :data:`TAGS`.
ROLES = ("SOURCE", "CUE", "CONTENT")
#: The tagger's output classes: ``O`` then ``B-`` and ``I-`` for each role.
TAGS = ("O", *(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I")))
#: Most wordpieces one word contributes (a long URL would otherwise fill a window).
MAX_WORD_PIECES = 16


def allowed_transitions(tags: Sequence[str] = TAGS) -> tuple[np.ndarray, np.ndarray]:
    """``(start, step)``: which tag may open a sequence, and which may follow which.

    ``I-X`` may only follow ``B-X`` or ``I-X``; every other move is allowed.
    """
    n = len(tags)
    start = np.array([not tag.startswith("I-") for tag in tags])
    step = np.ones((n, n), dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            role = tag[2:]
            for i, prev in enumerate(tags):
                step[i, j] = prev in (f"B-{role}", f"I-{role}")
    return start, step


_START, _STEP = allowed_transitions()


def viterbi(scores: np.ndarray) -> list[int]:
    """The best BIO-legal tag sequence for ``scores`` (words × tags, log-probabilities)."""
    if len(scores) == 0:
        return []
    n_tags = scores.shape[1]
    start, step = (_START, _STEP) if n_tags == len(TAGS) else allowed_transitions(TAGS[:n_tags])
    transition = np.where(step, 0.0, -np.inf)
    best = np.where(start, scores[0], -np.inf)
    back = np.zeros(scores.shape, dtype=np.int64)
    for t in range(1, len(scores)):
        candidates = best[:, None] + transition  # previous × current
        back[t] = candidates.argmax(axis=0)
        best = candidates.max(axis=0) + scores[t]
    path = [int(best.argmax())]
    for t in range(len(scores) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def tag_spans(tags: Iterable[int | str]) -> list[tuple[str, int, int]]:
    """``(role, start, end)`` word spans of a BIO sequence (tag ids or names).

    An ``I-X`` that does not continue an ``X`` span opens one (never produced by
    :func:`viterbi`, but gold data may hold it).
    """
    spans: list[tuple[str, int, int]] = []
    current: tuple[str, int] | None = None
    names = [TAGS[t] if isinstance(t, int | np.integer) else t for t in tags]
    for i, name in enumerate([*names, "O"]):
        role = name[2:] if name != "O" else None
        continues = name.startswith("I-") and current is not None and current[0] == role
        if current is not None and not continues:
            spans.append((current[0], current[1], i))
            current = None
        if role is not None and not continues:
            current = (role, i)
    return spans


def word_pieces(tokenizer: Any, words: Sequence[str], unk_id: int) -> list[list[int]]:
    """The wordpiece ids of each word (at least one, at most :data:`MAX_WORD_PIECES`)."""
    if not words:
        return []
    encoding = tokenizer.encode(list(words), is_pretokenized=True, add_special_tokens=False)
    pieces: list[list[int]] = [[] for _ in words]
    for piece_id, word in zip(encoding.ids, encoding.word_ids, strict=True):
        if word is not None and len(pieces[word]) < MAX_WORD_PIECES:
            pieces[word].append(piece_id)
    return [p or [unk_id] for p in pieces]


@dataclass(frozen=True, slots=True)
class Window:
    """Words ``start:end`` of a paragraph, read as one model input."""

    start: int
    end: int


def word_windows(counts: Sequence[int], max_pieces: int = 254, overlap: int = 64) -> list[Window]:
    """Windows over words whose wordpiece ``counts`` sum to at most ``max_pieces`` each.

    Consecutive windows share about ``overlap`` wordpieces of context; together they cover
    every word.  A paragraph that fits is one window.
    """
    windows: list[Window] = []
    n, start = len(counts), 0
    while start < n:
        end, used = start, 0
        while end < n and (used + counts[end] <= max_pieces or end == start):
            used += counts[end]
            end += 1
        windows.append(Window(start, end))
        if end >= n:
            break
        back, shared = end, 0
        while back > start + 1 and shared + counts[back - 1] <= overlap:
            back -= 1
            shared += counts[back]
        start = back
    return windows


def window_ids(
    pieces: Sequence[Sequence[int]], window: Window, cls_id: int, sep_id: int
) -> tuple[list[int], list[int]]:
    """``(input ids, position of each word's first piece)`` for one window."""
    ids, first = [cls_id], []
    for word in range(window.start, window.end):
        first.append(len(ids))
        ids.extend(pieces[word])
    ids.append(sep_id)
    return ids, first


def best_window_scores(
    n_words: int, windows: Sequence[Window], window_scores: Sequence[np.ndarray]
) -> np.ndarray:
    """Per-word scores, each from the window that gives the word the most context.

    ``window_scores[k]`` holds one row per word of ``windows[k]``.  A paragraph edge counts
    as unlimited context (nothing is missing there).
    """
    n_tags = window_scores[0].shape[1] if window_scores else len(TAGS)
    out = np.zeros((n_words, n_tags), dtype=np.float32)
    margin = np.full(n_words, -1)
    for window, scores in zip(windows, window_scores, strict=True):
        words = np.arange(window.start, window.end)
        left = words - window.start if window.start > 0 else np.full(len(words), n_words)
        right = window.end - 1 - words if window.end < n_words else np.full(len(words), n_words)
        m = np.minimum(left, right)
        better = m > margin[words]
        out[words[better]] = scores[better]
        margin[words[better]] = m[better]
    return out


def special_id(tokenizer: Any, token: str) -> int:
    """The id of a special token (``[CLS]``, ``[SEP]``, ``[UNK]``) of a BERT vocabulary."""
    found = tokenizer.token_to_id(token)
    if found is None:
        raise ModelError(f"the tagger's tokenizer.json has no {token}: export the model again")
    return int(found)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class TransformerTagger:
    """The exported role tagger: ``model.onnx`` (or ``model.int8.onnx``, or another int8 file
    of the directory: ``member``), ``tokenizer.json`` and ``meta.json`` in one directory
    (written by ``accordingto.train.transformer export``)."""

    def __init__(
        self, path: Path | str, *, int8: bool = False, threads: int = 1, member: str | None = None
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        directory = Path(path)
        model = directory / (member or ("model.int8.onnx" if int8 else "model.onnx"))
        if not model.is_file() or not (directory / "meta.json").is_file():
            raise ModelError(
                f"no exported tagger in {directory}: run "
                "`python -m accordingto.train.transformer export RUN_DIR --out DIR` first"
            )
        meta = json.loads((directory / "meta.json").read_text())
        self.tags: tuple[str, ...] = tuple(meta["tags"])
        self.max_pieces: int = int(meta["max_pieces"])
        self.overlap: int = int(meta["overlap"])
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = special_id(self.tokenizer, "[CLS]")
        self.sep_id = special_id(self.tokenizer, "[SEP]")
        self.unk_id = special_id(self.tokenizer, "[UNK]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def logits(self, batch: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Per-piece logits of each input (a list of wordpiece-id sequences)."""
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        (out,) = self.session.run(["logits"], {"input_ids": input_ids, "attention_mask": mask})
        return [out[row, : len(ids)] for row, ids in enumerate(batch)]

    def paragraph_scores(self, paragraphs: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Tag log-probabilities (words × tags) of each paragraph (a list of words).

        Each window runs alone, never padded into a batch with others.  The int8 model
        quantises its activations over the whole input, so a window's tags would otherwise
        depend on the paragraphs it happened to share a call with.  It costs little: on
        these CPUs big batches are slow (on 40 PolNeAR dev articles, one thread: 9,700
        words/s one window at a time, 10,200 in batches of 128 padded wordpieces, 5,400 in
        batches of 2,048; docs/model.md).
        """
        scores: list[np.ndarray] = []
        for words in paragraphs:
            pieces = word_pieces(self.tokenizer, words, self.unk_id)
            windows = word_windows([len(p) for p in pieces], self.max_pieces, self.overlap)
            window_scores = []
            for window in windows:
                ids, first = window_ids(pieces, window, self.cls_id, self.sep_id)
                (logits,) = self.logits([ids])
                window_scores.append(_log_softmax(logits[first]))
            scores.append(best_window_scores(len(words), windows, window_scores))
        return scores

    def word_scores(self, words: Sequence[str]) -> np.ndarray:
        """Tag log-probabilities (words × tags) of one paragraph."""
        return self.paragraph_scores([words])[0]

    def predict_words(self, words: Sequence[str]) -> list[tuple[str, int, int]]:
        """``(role, start, end)`` word spans of one paragraph."""
        return tag_spans(viterbi(self.word_scores(words)))

    def role_spans(self, doc: Any) -> list[Any]:
        """The role spans of a spaCy ``Doc`` as :class:`RoleSpan` (character offsets).

        The doc is read paragraph by paragraph (split at blank lines, as in training);
        whitespace tokens are not fed to the model but may lie inside a span.
        """
        from accordingto.nlp.tagger import RoleSpan

        spans = []
        text = doc.text  # spaCy builds it anew on every access: once
        groups = paragraph_tokens(doc)
        scores = self.paragraph_scores([[t.text for t in tokens] for tokens in groups])
        for tokens, paragraph in zip(groups, scores, strict=True):
            for role, start, end in tag_spans(viterbi(paragraph)):
                first, last = tokens[start], tokens[end - 1]
                begin, stop = first.idx, last.idx + len(last.text)
                spans.append(RoleSpan(role, begin, stop, text[begin:stop]))
        return spans


def member_files(path: Path | str) -> list[str]:
    """The int8 files of the models trained apart that ``path`` ships (``meta.json``'s
    ``members``; ``model.int8.onnx`` alone where it lists none)."""
    meta = Path(path) / "meta.json"
    members = json.loads(meta.read_text()).get("members") if meta.is_file() else None
    return [str(m) for m in members] if members else ["model.int8.onnx"]


def mean_scores(scores: Sequence[np.ndarray]) -> np.ndarray:
    """Log of the mean probability of several taggers' log-probabilities (words × tags)."""
    if len(scores) == 1:
        return scores[0]
    return np.log(np.mean(np.exp(np.stack(scores)), axis=0))


def paragraph_tokens(doc: Any) -> list[list[Any]]:
    """The non-space tokens of ``doc``, grouped by paragraph (a blank line ends one)."""
    groups: list[list[Any]] = [[]]
    for token in doc:
        if token.is_space or not token.text.strip():
            if token.text.count("\n") >= 2 or token.whitespace_.count("\n") >= 2:
                groups.append([])
            continue
        groups[-1].append(token)
        if token.whitespace_.count("\n") >= 2:
            groups.append([])
    return [g for g in groups if g]
