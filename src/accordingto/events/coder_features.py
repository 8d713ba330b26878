"""Features of the event coder: the marked sentence, the words between the actors, TF-IDF.

The TF-IDF here reproduces scikit-learn's ``TfidfVectorizer`` (lower-cased,
``sublinear_tf``, l2-normalised, ``word`` or ``char_wb`` n-grams) from a stored
vocabulary and idf vector, so the shipped coder needs numpy only; training fits
the vocabulary with scikit-learn and then uses this class, so that training and
coding see the same numbers.  A stored vocabulary holds 64-bit BLAKE2b hashes of
the n-grams, not the n-grams: the shipped coder carries no text of its training data.

>>> marked_text("Iran condemned the court.", (0, 4), (15, 24))
' srcb Iran srce  condemned  tgtb the court tgte .'
>>> between("Iran condemned the court.", (0, 4), (15, 24))
' condemned '
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["MARKERS", "Tfidf", "between", "mark", "marked_text", "syntax_text", "term_hash"]

Range = tuple[int, int]

#: Words that stand for the actor markers in the marked text (lower case: TF-IDF lowers).
MARKER_WORDS = ("srcb", "srce", "tgtb", "tgte")

#: The special tokens the fine-tuned encoder reads around the actors.
MARKERS = ("[SRC]", "[/SRC]", "[TGT]", "[/TGT]")

_WORD = re.compile(r"(?u)\b\w+\b")
_WHITESPACE = re.compile(r"\s\s+")


def marked_text(text: str, source: Range | None, target: Range | None) -> str:
    """The text with a word before and after each actor (``srcb … srce``, ``tgtb … tgte``)."""
    inserts: list[tuple[int, int, str]] = []
    for span, (opening, closing) in (
        (source, MARKER_WORDS[:2]),
        (target, MARKER_WORDS[2:]),
    ):
        if span is not None:
            inserts.append((span[0], 1, f" {opening} "))
            inserts.append((span[1], 0, f" {closing} "))
    out = text
    for offset, _, marker in sorted(inserts, reverse=True):
        out = out[:offset] + marker + out[offset:]
    return out


def mark(text: str, source: Range | None, target: Range | None) -> str:
    """The text with the actors enclosed in :data:`MARKERS` (spaces around each marker)."""
    inserts: list[tuple[int, int, str]] = []
    for span, (opening, closing) in ((source, MARKERS[:2]), (target, MARKERS[2:])):
        if span is not None:
            inserts.append((span[0], 1, f"{opening} "))
            inserts.append((span[1], 0, f" {closing}"))
    out = text
    for offset, _, marker in sorted(inserts, key=lambda t: (t[0], t[1]), reverse=True):
        out = out[:offset] + marker + out[offset:]
    return out


def between(text: str, source: Range | None, target: Range | None) -> str:
    """The text between the two actors ('' when one is missing or they overlap)."""
    if source is None or target is None:
        return ""
    first, second = sorted((source, target))
    return text[first[1] : second[0]] if first[1] < second[0] else ""


def term_hash(term: str) -> int:
    """A stable 64-bit hash of an n-gram (the key of a stored vocabulary)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class Tfidf:
    """A fitted TF-IDF vectoriser: ``analyzer`` is ``word``, ``char_wb`` or ``split``
    (the words between spaces, not lowered: for feature words such as :func:`syntax_text`'s).

    ``vocabulary`` maps n-grams, or their :func:`term_hash` when ``hashed``, to columns.
    """

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: Mapping[str, int] | Mapping[int, int]
    idf: np.ndarray
    hashed: bool = False

    def ngrams(self, doc: str) -> list[str]:
        """The n-grams scikit-learn's analyzer makes of ``doc``."""
        low, high = self.ngram_range
        if self.analyzer == "split":  # feature words, as they are
            return doc.split()
        doc = doc.lower()
        if self.analyzer == "word":
            tokens = _WORD.findall(doc)
            grams: list[str] = []
            for n in range(low, high + 1):
                grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
            return grams
        if self.analyzer == "char_wb":
            return _char_wb(_WHITESPACE.sub(" ", doc), low, high)
        raise ValueError(f"unknown analyzer {self.analyzer!r}; use 'word', 'char_wb' or 'split'")

    def transform_one(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and l2-normalised sublinear TF-IDF values of one document."""
        grams = self.ngrams(doc)
        keys: list[str] | list[int] = [term_hash(g) for g in grams] if self.hashed else grams
        vocabulary: Mapping[str | int, int] = self.vocabulary  # type: ignore[assignment]
        counts = Counter(vocabulary[k] for k in keys if k in vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=float)
        values = tf * self.idf[index]
        norm = float(np.sqrt((values**2).sum()))
        return index, values / norm if norm else values

    def transform(self, docs: Iterable[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        return [self.transform_one(d) for d in docs]

    @property
    def size(self) -> int:
        return len(self.idf)

    def to_dict(self) -> dict[str, object]:
        """The vectoriser as JSON data, its n-grams as hashes (hex)."""
        vocabulary: Mapping[str | int, int] = self.vocabulary  # type: ignore[assignment]
        keys = sorted(vocabulary, key=vocabulary.__getitem__)
        hashes = [k if self.hashed else term_hash(str(k)) for k in keys]
        return {
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            "hashes": [f"{int(h):016x}" for h in hashes],
            "idf": [float(np.float32(v)) for v in self.idf],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Tfidf:
        hashes: Sequence[str] = data["hashes"]  # type: ignore[assignment]
        ngram_range: Sequence[int] = data["ngram_range"]  # type: ignore[assignment]
        return cls(
            analyzer=str(data["analyzer"]),
            ngram_range=(int(ngram_range[0]), int(ngram_range[1])),
            vocabulary={int(h, 16): i for i, h in enumerate(hashes)},
            idf=np.asarray(data["idf"], dtype=float),
            hashed=True,
        )


def _char_wb(doc: str, low: int, high: int) -> list[str]:
    grams: list[str] = []
    for word in doc.split():
        word = f" {word} "
        length = len(word)
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(word[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def syntax_text(doc: Doc, source: Range | None, target: Range | None) -> str:
    """Words for the parse around the actors, one feature a word.

    The verb where the actors' paths to the root meet (``lca_…``), the heads of
    the two actors (``sh_…``, ``th_…``) and the sentence root (``root_…``), each
    with its auxiliaries, negation, clausal complement and object (``lcaaux_will``,
    ``lcaneg``, ``lca_agree_meet``…) and tag; the words on the paths up to the
    meeting verb; the actors' dependency labels.
    """
    s = _head(doc, source)
    t = _head(doc, target)
    features: list[str] = []
    if s is not None and t is not None:
        up_s, up_t = _path_up(s), _path_up(t)
        on_s = {tok.i for tok in up_s}
        meet = next((tok for tok in up_t if tok.i in on_s), None)
        if meet is not None:
            features += _verb_features(meet, "lca")
            features += [f"tp_{tok.lemma_.lower()}" for tok in up_t[1:] if tok.i != meet.i]
            features += [f"sp_{tok.lemma_.lower()}" for tok in up_s[1:] if tok.i != meet.i]
        features += [f"sdep_{s.dep_}", f"tdep_{t.dep_}"]
    for token, tag in ((s, "sh"), (t, "th")):
        if token is not None:
            features += _verb_features(token.head, tag)
    roots = [tok for tok in doc if tok.dep_ == "ROOT"]
    if roots:
        features += _verb_features(roots[0], "root")
    return " ".join(features)


def _head(doc: Doc, span: Range | None) -> Token | None:
    if span is None:
        return None
    covered = doc.char_span(span[0], span[1], alignment_mode="expand")
    return covered.root if covered is not None and len(covered) else None


def _path_up(token: Token) -> list[Token]:
    """The token and its heads up to the root of its sentence."""
    path = [token]
    while token.head.i != token.i and len(path) <= len(token.doc):
        token = token.head
        path.append(token)
    return path


def _verb_features(verb: Token, tag: str) -> list[str]:
    lemma = verb.lemma_.lower()
    features = [f"{tag}_{lemma}"]
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            features.append(f"{tag}aux_{child.lemma_.lower()}")
        elif child.dep_ == "neg":
            features.append(f"{tag}neg")
        elif child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            other = child.lemma_.lower()
            features += [f"{tag}comp_{other}", f"{tag}_{lemma}_{other}"]
        elif child.dep_ == "dobj":
            features.append(f"{tag}obj_{child.lemma_.lower()}")
    features.append(f"{tag}tag_{verb.tag_}")
    return features
