"""PLV (Hu et al., ACL 2024): PLOVER-coded sentences with a source and a target actor.

A PLV file is a TAB-separated table with a header.  This loader reads only the
columns ``sentence``, ``marked_sentence`` (the actors inline as ``<s>…</s>`` and
``<t>…</t>``), ``source``, ``target``, ``gold_root`` and ``gold_penta``; the
other columns hold another system's predictions and are never read.

>>> gold = [Example("a", None, None, "ASSAULT", 4), Example("b", None, None, "AID", 2)]
>>> score(gold, ["ASSAULT", "ASSAULT"], [4, 4]).root_macro_f1
0.3333333333333333
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accordingto.errors import DataError

__all__ = [
    "COLUMNS",
    "Example",
    "Report",
    "evaluate_plv",
    "load_plv",
    "macro_f1",
    "per_class_f1",
    "score",
]

#: The only columns read from a PLV file.
COLUMNS = ("sentence", "marked_sentence", "source", "target", "gold_root", "gold_penta")

_TAG = re.compile(r"</?[st]>")


@dataclass(frozen=True, slots=True)
class Example:
    """One coded sentence: the text, the actors' ``[start, end)`` offsets, root and quad."""

    text: str
    source: tuple[int, int] | None
    target: tuple[int, int] | None
    root: str
    quad: int


def load_plv(path: str | Path) -> list[Example]:
    """The examples of a PLV TSV file, in file order."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no PLV file at {path}; pass the path of a PLV .tsv file")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(
                f"{path} lacks the PLV column(s) {', '.join(missing)}; "
                f"a PLV file is a TSV with the header columns {', '.join(COLUMNS)}"
            )
        return [
            _example(path, n, {c: row[c] or "" for c in COLUMNS}) for n, row in enumerate(reader, 2)
        ]


def _example(path: Path, line: int, row: dict[str, str]) -> Example:
    text, spans = parse_marked(row["marked_sentence"])
    if text != row["sentence"]:
        raise DataError(f"{path}:{line}: marked_sentence without its tags is not the sentence")
    try:
        quad = int(row["gold_penta"])
    except ValueError:
        raise DataError(f"{path}:{line}: gold_penta {row['gold_penta']!r} is not 1-4") from None
    if quad not in (1, 2, 3, 4) or not row["gold_root"]:
        raise DataError(f"{path}:{line}: needs a gold_root and a gold_penta of 1-4")
    return Example(text, spans.get("s"), spans.get("t"), row["gold_root"].strip(), quad)


def parse_marked(marked: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The sentence without its ``<s>``/``<t>`` tags and the offsets the tags enclosed.

    >>> parse_marked("<s>Iran</s> condemned <t>the court</t>.")
    ('Iran condemned the court.', {'s': (0, 4), 't': (15, 24)})
    """
    parts: list[str] = []
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    length = 0
    position = 0
    for tag in _TAG.finditer(marked):
        piece = marked[position : tag.start()]
        parts.append(piece)
        length += len(piece)
        name = tag.group().strip("</>")
        if tag.group().startswith("</"):
            if name in opened:
                spans[name] = (opened.pop(name), length)
        else:
            opened[name] = length
        position = tag.end()
    parts.append(marked[position:])
    return "".join(parts), spans


def per_class_f1(gold: Sequence[Any], predicted: Sequence[Any]) -> dict[str, float]:
    """F1 of each label that is in the gold or the predictions."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    labels = sorted({str(g) for g in gold} | {str(p) for p in predicted})
    result = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if str(g) == str(p) == label)
        n_gold = sum(1 for g in gold if str(g) == label)
        n_pred = sum(1 for p in predicted if str(p) == label)
        result[label] = 2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0
    return result


def macro_f1(gold: Sequence[Any], predicted: Sequence[Any]) -> float:
    """The unweighted mean of the per-label F1 over the labels in the gold or the predictions.

    This is scikit-learn's ``f1_score(average="macro")``.
    """
    scores = per_class_f1(gold, predicted)
    return sum(scores.values()) / len(scores) if scores else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Root and quad macro-F1, accuracy and per-class F1 of one scoring."""

    n: int
    root_macro_f1: float
    quad_macro_f1: float
    root_accuracy: float
    quad_accuracy: float
    root_f1: dict[str, float]
    quad_f1: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "root_macro_f1": self.root_macro_f1,
            "quad_macro_f1": self.quad_macro_f1,
            "root_accuracy": self.root_accuracy,
            "quad_accuracy": self.quad_accuracy,
            "root_f1": self.root_f1,
            "quad_f1": self.quad_f1,
        }


def score(gold: Sequence[Example], roots: Sequence[str], quads: Sequence[int]) -> Report:
    """Score predicted roots and quads against the gold examples."""
    if not (len(gold) == len(roots) == len(quads)):
        raise ValueError(f"{len(gold)} examples but {len(roots)} roots and {len(quads)} quads")
    gold_roots = [e.root for e in gold]
    gold_quads = [e.quad for e in gold]
    n = len(gold)
    return Report(
        n=n,
        root_macro_f1=macro_f1(gold_roots, roots),
        quad_macro_f1=macro_f1(gold_quads, quads),
        root_accuracy=sum(g == p for g, p in zip(gold_roots, roots, strict=True)) / n if n else 0.0,
        quad_accuracy=sum(g == p for g, p in zip(gold_quads, quads, strict=True)) / n if n else 0.0,
        root_f1=per_class_f1(gold_roots, roots),
        quad_f1=per_class_f1(gold_quads, quads),
    )


def evaluate_plv(
    path: str | Path,
    coder: Callable[[Sequence[Example]], tuple[list[str], list[int]]] | None = None,
) -> Report:
    """Score a coder (by default the shipped one) on a PLV file."""
    examples = load_plv(path)
    if coder is None:
        from accordingto.events.coder import code_examples

        coder = code_examples
    roots, quads = coder(examples)
    return score(examples, roots, quads)
