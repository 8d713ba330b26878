"""The PLOVER event coder: a sentence and its two actors → PLOVER root, quad class, intensity.

An item is a sentence with the character offsets of its source and target actors
(either may be missing).  The shipped coder (``models/event-coder``) multiplies the
probabilities of two models: a linear one over TF-IDF n-grams of the sentence with its
actors marked, of the words between the actors and of words for the parse around
them (a root and a quad classifier); and a fine-tuned all-MiniLM-L6-v2 with a root
and a quad head (int8 ONNX, run with onnxruntime).  ``docs/events.md`` gives its
recipe, its figures, and how its sure threshold is derived.

Quad classes (PLV's ``gold_penta``, the CAMEO/GDELT grouping as PLV applies it)::

    1 verbal cooperation     AGREE CONSULT SUPPORT
    2 material cooperation   COOPERATE AID YIELD (= CONCEDE, RETREAT)
    3 verbal conflict        ACCUSE REJECT REQUEST THREATEN
    4 material conflict      PROTEST MOBILIZE SANCTION COERCE ASSAULT

>>> coding = code_events([CodingItem("Rebels shelled the army base.", (0, 6), (19, 28))])[0]
>>> coding.root, coding.quad, coding.quad_name  # doctest: +SKIP
('ASSAULT', 4, 'material conflict')
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from accordingto.errors import InputError, ModelError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

from .coder_features import Tfidf, between, mark, marked_text, syntax_text

__all__ = [
    "DEFAULT_MODEL",
    "QUAD_NAMES",
    "Coding",
    "CodingItem",
    "EventCoder",
    "FinetunedModel",
    "RootInfo",
    "code_events",
    "code_examples",
    "combine",
    "goldstein",
    "load_coder",
    "plover_roots",
    "quad_sums",
]

Range = tuple[int, int]

#: Quad class numbers and names.
QUAD_NAMES: Mapping[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "event-coder"


@dataclass(frozen=True, slots=True)
class CodingItem:
    """A sentence and the ``[start, end)`` offsets of its source and target actors.

    ``parse``, optional, is a spaCy ``Doc`` of exactly ``text`` (e.g. ``sent.as_doc()``)
    that the coder then reads instead of parsing the sentence again.
    """

    text: str
    source: Range | None = None
    target: Range | None = None
    parse: Doc | None = field(default=None, compare=False, repr=False)


class _Item(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> Range | None: ...
    @property
    def target(self) -> Range | None: ...


@dataclass(frozen=True, slots=True)
class Coding:
    """The coder's answer for one item.

    ``root_probabilities`` and ``quad_probabilities`` are (label, probability)
    pairs, most probable first; ``probability`` is the root's.  ``quad`` is the most
    probable quad class, decided by the quad models together with the roots' probabilities
    (:func:`combine`), so it can differ from the root's own (``root_quad``).  ``goldstein`` is
    the root's intensity (the mean Goldstein score of the CAMEO codes that map
    to it; see :func:`plover_roots`).
    """

    root: str
    quad: int
    probability: float
    root_probabilities: tuple[tuple[str, float], ...]
    quad_probabilities: tuple[tuple[int, float], ...]
    goldstein: float | None

    @property
    def quad_name(self) -> str:
        return QUAD_NAMES[self.quad]

    @property
    def root_quad(self) -> int:
        """The quad class of ``root`` (``quad`` is decided on its own and may differ)."""
        info = plover_roots().get(self.root)
        return info.quad if info else self.quad


@dataclass(frozen=True, slots=True)
class RootInfo:
    """One PLOVER root: its quad class, Goldstein intensity and the CAMEO codes behind it."""

    root: str
    quad: int
    goldstein: float | None
    goldstein_min: float | None
    goldstein_max: float | None
    cameo_codes: int
    note: str


@cache
def plover_roots() -> dict[str, RootInfo]:
    """The PLOVER roots of ``events/data/plover-roots.tsv``, by name."""
    text = resources.files("accordingto.events").joinpath("data/plover-roots.tsv").read_text()
    out = {}
    header: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            header = cells
            continue
        row = dict(zip(header, cells, strict=True))

        def number(key: str, row: dict[str, str] = row) -> float | None:
            return float(row[key]) if row[key] else None

        out[row["root"]] = RootInfo(
            root=row["root"],
            quad=int(row["quad"]),
            goldstein=number("goldstein"),
            goldstein_min=number("goldstein_min"),
            goldstein_max=number("goldstein_max"),
            cameo_codes=int(row["cameo_codes"]),
            note=row["note"],
        )
    return out


def goldstein(root: str) -> float | None:
    """The Goldstein intensity of a PLOVER root (``None`` for a root with no CAMEO code)."""
    info = plover_roots().get(root.upper())
    return info.goldstein if info else None


def _onnx_runner(model: Path, max_length: int):
    """An onnxruntime session for ``model`` (2 threads, CPU) and the ``tokenizer.json`` beside
    it, truncating at ``max_length`` pieces and never padding (each text runs alone)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(model.parent / "tokenizer.json"))
    tokenizer.enable_truncation(max_length)
    tokenizer.no_padding()
    return session, tokenizer


class Encoder:
    """all-MiniLM-L6-v2 as ONNX: mean-pooled, l2-normalised sentence embeddings."""

    def __init__(self, folder: Path, max_length: int = 256) -> None:
        self.session, self.tokenizer = _onnx_runner(folder / "encoder.onnx", max_length)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One embedding per text, each text run alone.

        The int8 model quantises its activations over the whole input tensor, so a
        text batched with others (and their padding) would embed a little differently.
        """
        out = [np.zeros((0, 384), dtype=np.float32)]
        for encoding in self.tokenizer.encode_batch(list(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            mask = np.array([encoding.attention_mask], dtype=np.int64)
            out.append(self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0])
        return np.concatenate(out)


class FinetunedModel:
    """A fine-tuned MiniLM coder as int8 ONNX (``model.onnx``, ``tokenizer.json`` with the
    actor markers): root and quad probabilities of items, the actors marked in the text."""

    def __init__(self, folder: Path, max_length: int = 128) -> None:
        self.session, self.tokenizer = _onnx_runner(folder / "model.onnx", max_length)

    def probabilities(self, items: Sequence[_Item]) -> tuple[np.ndarray, np.ndarray]:
        """Root and quad probabilities (softmax of the two heads), each text run alone (see
        :meth:`Encoder.encode`)."""
        texts = [mark(item.text, item.source, item.target) for item in items]
        roots, quads = [np.zeros((0, 0))], [np.zeros((0, 4))]
        for encoding in self.tokenizer.encode_batch(texts):
            ids = np.array([encoding.ids], dtype=np.int64)
            mask = np.array([encoding.attention_mask], dtype=np.int64)
            root, quad = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            roots.append(softmax(root.astype(np.float64)))
            quads.append(softmax(quad.astype(np.float64)))
        if len(roots) == 1:
            return np.zeros((0, 0)), np.zeros((0, 4))
        return np.concatenate(roots[1:]), np.concatenate(quads[1:])


def views(item: _Item, doc: Doc | None = None) -> dict[str, str]:
    """The texts the coder reads of one item, by view name (``syntax`` given its parse)."""
    source = _checked(item, item.source, "source")
    target = _checked(item, item.target, "target")
    middle = between(item.text, source, target)
    actors = [item.text[s[0] : s[1]] for s in (source, target) if s is not None]
    out = {
        "sentence": item.text,
        "marked": marked_text(item.text, source, target),
        "between": middle,
        "actors-between": " ".join([actors[0] if actors else "", middle, *actors[1:]]).strip(),
    }
    if doc is not None:
        out["syntax"] = syntax_text(doc, source, target)
    return out


def all_views(items: Sequence[_Item], syntax: bool) -> list[dict[str, str]]:
    """The views of each item; with ``syntax``, each sentence is parsed (en_core_web_sm)."""
    if not syntax:
        return [views(item) for item in items]
    given: list[Doc | None] = [getattr(item, "parse", None) for item in items]
    given = [
        d if d is not None and d.text == item.text else None
        for d, item in zip(given, items, strict=True)
    ]
    missing = [item.text for item, d in zip(items, given, strict=True) if d is None]
    if missing:
        from accordingto.nlp.load import load_base_pipeline

        parsed = iter(load_base_pipeline().pipe(missing))
        given = [d if d is not None else next(parsed) for d in given]
    return [views(item, doc) for item, doc in zip(items, given, strict=True)]


def _checked(item: _Item, span: Range | None, name: str) -> Range | None:
    if span is None:
        return None
    start, end = span
    if not (0 <= start < end <= len(item.text)):
        raise InputError(
            f"{name} span {span} is not inside the sentence of {len(item.text)} characters; "
            "give [start, end) character offsets into the text, or None"
        )
    return start, end


class EventCoder:
    """A trained coder loaded from a folder (``manifest.json`` and the files it names)."""

    def __init__(self, folder: Path) -> None:
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise ModelError(
                f"no event coder in {folder} (manifest.json missing); reinstall accordingto "
                "or train one with `python -m accordingto.train.events fit`"
            )
        self.folder = folder
        self.manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        self.roots: list[str] = list(self.manifest["roots"])
        self.temperature = float(self.manifest.get("temperature", 1.0))
        with gzip.open(folder / self.manifest["tfidf"], "rt", encoding="utf-8") as f:
            tfidf = json.load(f)
        self.blocks = [(block["view"], Tfidf.from_dict(block)) for block in tfidf]
        weights = np.load(folder / self.manifest["weights"])
        self.coef = weights["coef"].astype(np.float64)
        self.intercept = weights["intercept"].astype(np.float64)
        if "quad_coef" in weights:  # a quad classifier over the same features (format 2)
            self.coef = np.vstack([self.coef, weights["quad_coef"].astype(np.float64)])
            self.intercept = np.concatenate([self.intercept, weights["quad_intercept"]])
        self.quad_temperature = float(self.manifest.get("quad_temperature", 1.0))
        #: The probability from which the coder's root is more often right than wrong (from
        #: held-out codings of the training data; see ``docs/events.md``).
        self.threshold = float(self.manifest.get("threshold", 0.5))
        self.embedding_views: list[str] = list(self.manifest.get("embeddings", []))
        self._encoder: Encoder | None = None
        self._finetuned: FinetunedModel | None = None
        quads = plover_roots()
        self.root_quads = np.array([quads[r].quad if r in quads else 0 for r in self.roots])
        if (self.root_quads == 0).any():
            raise ModelError(f"the coder in {folder} has roots that plover-roots.tsv lacks")

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = Encoder(self.folder)
        return self._encoder

    def scores(self, items: Sequence[_Item]) -> np.ndarray:
        """The linear models' scores, one row per item: the roots', then the quads' (if any)."""
        texts = all_views(items, syntax=any(view == "syntax" for view, _ in self.blocks))
        scores = np.tile(self.intercept, (len(items), 1))
        offset = 0
        for view, tfidf in self.blocks:
            for row, (index, values) in enumerate(tfidf.transform(t[view] for t in texts)):
                scores[row] += self.coef[:, offset + index] @ values
            offset += tfidf.size
        for view in self.embedding_views:
            embedded = self.encoder.encode([t[view] for t in texts]).astype(np.float64)
            scores += embedded @ self.coef[:, offset : offset + embedded.shape[1]].T
            offset += embedded.shape[1]
        if offset != self.coef.shape[1]:
            raise ModelError(f"the coder in {self.folder} has weights for other features")
        return scores

    @property
    def finetuned(self) -> FinetunedModel | None:
        name = self.manifest.get("finetuned")
        if name and self._finetuned is None:
            self._finetuned = FinetunedModel(self.folder / name)
        return self._finetuned

    def probabilities(self, items: Sequence[_Item]) -> tuple[np.ndarray, np.ndarray]:
        """Root and quad probabilities of each item (see :func:`combine`)."""
        scores = self.scores(items)
        n = len(self.roots)
        root = softmax(scores[:, :n] / self.temperature)
        quad = [softmax(scores[:, n:] / self.quad_temperature)] if scores.shape[1] > n else []
        if self.finetuned is not None:
            tuned_root, tuned_quad = self.finetuned.probabilities(items)
            return combine([root, tuned_root], [*quad, tuned_quad], self.root_quads)
        return combine([root], quad, self.root_quads)

    def code(self, items: Iterable[_Item]) -> list[Coding]:
        items = list(items)
        if not items:
            return []
        roots, quads = self.probabilities(items)
        return [self._coding(r, q) for r, q in zip(roots, quads, strict=True)]

    def _coding(self, probs: np.ndarray, quad_probs: np.ndarray) -> Coding:
        ranked = np.argsort(-probs, kind="stable")
        root = self.roots[int(ranked[0])]
        quad_ranked = np.argsort(-quad_probs, kind="stable")
        return Coding(
            root=root,
            quad=int(quad_ranked[0]) + 1,
            probability=float(probs[ranked[0]]),
            root_probabilities=tuple((self.roots[int(i)], float(probs[i])) for i in ranked),
            quad_probabilities=tuple((int(q) + 1, float(quad_probs[q])) for q in quad_ranked),
            goldstein=goldstein(root),
        )


def quad_sums(root_probs: np.ndarray, root_quads: np.ndarray) -> np.ndarray:
    """Quad probabilities as the sums of their roots' probabilities (columns: quads 1-4)."""
    return np.stack([root_probs[:, root_quads == q].sum(1) for q in (1, 2, 3, 4)], axis=1)


def combine(
    root_parts: Sequence[np.ndarray], quad_parts: Sequence[np.ndarray], root_quads: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Root and quad probabilities from several models' (each row sums to 1).

    Roots: the normalised product of the root models' probabilities.  Quads: the normalised
    product of the quad distribution the roots give (:func:`quad_sums`) and the quad models'
    own; every model counts once (no weights fitted).
    """
    root = _product(root_parts)
    return root, _product([quad_sums(root, root_quads), *quad_parts])


def _product(parts: Sequence[np.ndarray]) -> np.ndarray:
    logs = sum(np.log(np.clip(p, 1e-12, 1.0)) for p in parts)
    return softmax(np.asarray(logs))


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


@cache
def _load(folder: str) -> EventCoder:
    return EventCoder(Path(folder))


def load_coder(folder: str | Path | None = None) -> EventCoder:
    """The coder in ``folder`` (default: the shipped one), loaded once per process."""
    return _load(str(Path(folder) if folder is not None else DEFAULT_MODEL))


def code_events(items: Iterable[_Item], coder: EventCoder | None = None) -> list[Coding]:
    """Code each item (anything with ``text``, ``source``, ``target``) with the shipped coder."""
    return (coder or load_coder()).code(items)


def code_examples(items: Sequence[_Item]) -> tuple[list[str], list[int]]:
    """Roots and quads of the items, for the PLV scorer."""
    codings = code_events(items)
    return [c.root for c in codings], [c.quad for c in codings]
