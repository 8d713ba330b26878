"""Calibrated confidence: the probability that an attribution, and its speaker, are right.

Each attribution gets two numbers (``docs/trust.md``):

* ``confidence``: P(the attribution is right): its words are reported speech that the gold
  annotation also attributes (content overlap, matched one to one as ``eval/scoring.py``
  matches) *and* its source is the gold source (the source span, or a mention of the speaker,
  overlaps the gold source span).
* ``speaker_confidence``: P(the resolved speaker is the one the gold source refers to), for an
  attribution that is real.

Both come from a small logistic model over what is known when the attribution is made
(:class:`Evidence`: how the cue was found, whether the trained tagger and the rules agree,
the distances between cue, source and content, the kind of mention resolved and how far back
its antecedent is named).  The weights live in ``confidence.json`` beside this module,
written by ``python -m accordingto.train.confidence`` from PolNeAR train; they are read once.
Scoring one attribution is a dot product over a few dozen numbers.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Protocol

from spacy.tokens import Doc

from accordingto.errors import ModelError
from accordingto.model import EntityKind, Span

from .assemble import Found, cue_region

__all__ = [
    "WEIGHTS_FILE",
    "Estimate",
    "Evidence",
    "LogisticModel",
    "Names",
    "Resolved",
    "estimate",
    "evidence",
    "features",
    "load_models",
    "mention_kind",
    "recording",
]

WEIGHTS_FILE = "confidence.json"

#: Words a source may be a pronoun of: the rule of ``eval/gold/README.md`` (selection, 3),
#: with the object and first-person forms ("me", "us", "our", "my") added.
PRONOUNS = frozenset(
    "he she it they we i you him her them us me who which that his its their our my".split()
)
_ARTICLES = frozenset({"the", "a", "an"})
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
#: How far back (characters) the speaker's name is looked for before a mention: the cost
#: per attribution stays bounded whatever the article's length.
ANTECEDENT_WINDOW = 3000


class Resolved(Protocol):
    """What the confidence needs of a resolved speaker (``resolve.Entity`` has it)."""

    name: str
    kind: EntityKind

    @property
    def mentions(self) -> Sequence[Span]: ...


def mention_kind(mention: str) -> str:
    """``pronoun``, ``name`` or ``description``: the rule of ``eval/gold/README.md`` (a
    pronoun from the list, else a name when a word other than a first "The/A/An" is
    capitalised), so that training and evaluation sort mentions alike."""
    words = _WORD.findall(mention)
    if not words:
        return "description"
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return "pronoun"
    rest = words[1:] if words[0].lower() in _ARTICLES else words
    return "name" if any(w[0].isupper() for w in rest) else "description"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known about one attribution when it is made (plain values, JSON-ready)."""

    #: ``cue``, ``according-to``, ``label`` (a transcript line), ``continuation``, ``unattributed``.
    method: str
    kind: str
    #: Who found it: ``both`` (the trained tagger and the rules), ``tagger`` or ``rules``.
    found_by: str
    reported_as: str
    quotes: int
    content_chars: int
    pieces: int
    #: Characters between the cue (with its source) and the nearest content piece; -1: no cue.
    cue_gap: int
    #: Characters between the cue and its source; -1: no source span.
    source_gap: int
    cited: bool
    #: ``name``, ``pronoun``, ``description``; ``none`` without a source span.
    mention: str
    #: The resolved speaker's kind, ``none`` when no speaker was resolved.
    speaker_kind: str
    #: The speaker's last name word is in the mention itself ("Mr. Trump said").
    named_here: bool
    #: Characters back from the mention (or, without one, the content) to the nearest earlier
    #: place the speaker's last name word is written; -1: not within ``ANTECEDENT_WINDOW``.
    antecedent: int
    #: How many source mentions the speaker has in the article.
    speaker_mentions: int
    #: How many other people (spaCy's PERSON names) are named between that earlier place (or,
    #: without one, the window's start) and the mention: rivals for a pronoun.
    rivals: int = 0
    #: The finder's own hand-set guess (``Found.confidence``), kept to compare against; the
    #: model does not read it.
    hand_set: float = 0.5


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1], 0)


def _last_word(name: str) -> str | None:
    words = [w for w in _WORD.findall(name) if w.lower() not in _ARTICLES]
    return words[-1].rstrip(".") if words else None


def _antecedent(text: str, word: str | None, anchor: int) -> int:
    """Characters from ``anchor`` back to the end of the nearest earlier ``word``, or -1."""
    if not word:
        return -1
    start = max(0, anchor - ANTECEDENT_WINDOW)
    i = text.rfind(word, start, anchor)
    while i >= 0 and not _whole_word(text, i, len(word)):
        i = text.rfind(word, start, i)
    return -1 if i < 0 else anchor - (i + len(word))


def _whole_word(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return not before.isalnum() and not after.isalnum()


@dataclass(frozen=True, slots=True)
class Names:
    """Where people are named in one article (spaCy's PERSON entities), read once per article."""

    starts: tuple[int, ...] = ()
    #: Each name's last word, lower-cased, without a possessive.
    words: tuple[str, ...] = ()

    @classmethod
    def of(cls, doc: Doc) -> Names:
        people = [
            (e.start_char, _possessive.sub("", e.text.split()[-1]).lower())
            for e in doc.ents  # built anew on each access: once here
            if e.label_ == "PERSON" and e.text.split()
        ]
        return cls(tuple(s for s, _ in people), tuple(w for _, w in people))

    def rivals(self, start: int, end: int, word: str | None) -> int:
        """Distinct people other than ``word`` named in ``[start, end)``."""
        i, j = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        own = (word or "").lower()
        return len({w for w in self.words[i:j] if w != own})


_possessive = re.compile(r"['’]s?$")


def evidence(
    found: Found,
    text: str,
    speaker: Resolved | None,
    *,
    reported_as: str = "speech",
    names: Names | None = None,
) -> Evidence:
    """The :class:`Evidence` of one attribution and the speaker it was resolved to."""
    cue = found.cue
    method = found.method
    mention_span: tuple[int, int] | None = None
    cue_gap = source_gap = -1
    if cue is not None:
        method = "label" if cue.label else method
        region = cue_region(cue)
        cue_gap = min(_gap(region, piece) for piece in found.content)
        mention_span = cue.cited or cue.source
        if cue.source is not None:
            source_gap = _gap(cue.cue, cue.source)
    mention = text[mention_span[0] : mention_span[1]] if mention_span else ""
    surname = _last_word(speaker.name) if speaker is not None else None
    anchor = mention_span[0] if mention_span else found.start
    antecedent = _antecedent(text, surname, anchor)
    since = anchor - antecedent if antecedent >= 0 else anchor - ANTECEDENT_WINDOW
    return Evidence(
        method=method,
        kind=found.kind.value,
        found_by=found.found_by,
        reported_as=str(reported_as),
        quotes=len(found.quotes),
        content_chars=sum(e - s for s, e in found.content),
        pieces=len(found.content),
        cue_gap=cue_gap,
        source_gap=source_gap,
        cited=cue is not None and cue.cited is not None,
        mention=mention_kind(mention) if mention_span else "none",
        speaker_kind=speaker.kind.value if speaker is not None else "none",
        named_here=surname is not None and surname.lower() in mention.lower(),
        antecedent=antecedent,
        speaker_mentions=len(speaker.mentions) if speaker is not None else 0,
        rivals=names.rivals(since, anchor, surname) if names is not None else 0,
        hand_set=found.confidence,
    )


def _log(n: int) -> float:
    return math.log1p(max(n, 0))


def features(ev: Evidence) -> dict[str, float]:
    """The model's inputs: indicators of the categories and logs of the counts."""
    far = ev.antecedent < 0
    x: dict[str, float] = {
        f"method={ev.method}": 1.0,
        f"kind={ev.kind}": 1.0,
        f"found_by={ev.found_by}": 1.0,
        f"reported_as={ev.reported_as}": 1.0,
        f"mention={ev.mention}": 1.0,
        f"speaker={ev.speaker_kind}": 1.0,
        "quotes": min(ev.quotes, 3),
        "log_content_chars": _log(ev.content_chars),
        "pieces>1": float(ev.pieces > 1),
        "no_cue": float(ev.cue_gap < 0),
        "log_cue_gap": _log(ev.cue_gap),
        "no_source": float(ev.source_gap < 0),
        "log_source_gap": _log(ev.source_gap),
        "cited": float(ev.cited),
        "named_here": float(ev.named_here),
        "no_antecedent": float(far),
        "log_speaker_mentions": _log(ev.speaker_mentions),
    }
    if not far and not ev.named_here:  # how far back a pronoun's, a description's name is
        x[f"log_antecedent|{ev.mention}"] = _log(ev.antecedent)
    if not ev.named_here:  # other people named since: who else "he" could be
        x[f"rivals|{ev.mention}"] = min(ev.rivals, 3)
    return x


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """P(right) = sigmoid(intercept + Σ weight · feature); a feature not listed weighs 0."""

    intercept: float
    weights: Mapping[str, float]

    def probability(self, x: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in x.items())
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LogisticModel:
        weights = data["weights"]
        intercept = data["intercept"]
        if not isinstance(weights, dict) or not isinstance(intercept, int | float):
            raise TypeError("a model needs an intercept and a weights object")
        return cls(float(intercept), {str(k): float(v) for k, v in weights.items()})

    def to_dict(self) -> dict[str, object]:
        return {"intercept": self.intercept, "weights": dict(sorted(self.weights.items()))}


@dataclass(frozen=True, slots=True)
class Models:
    attribution: LogisticModel
    speaker: LogisticModel


@functools.cache
def load_models() -> Models:
    """The shipped weights (``confidence.json``), read once."""
    try:
        raw = resources.files(__package__).joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
        data = json.loads(raw)
        return Models(
            LogisticModel.from_dict(data["attribution"]), LogisticModel.from_dict(data["speaker"])
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(
            f"cannot read the confidence weights attribution/{WEIGHTS_FILE} ({e}): reinstall "
            "accordingto or run `python -m accordingto.train.confidence PATH-TO-POLNEAR`"
        ) from e


@dataclass(frozen=True, slots=True)
class Estimate:
    """The two probabilities of one attribution (``speaker`` is None without a speaker)."""

    attribution: float
    speaker: float | None


_recorder: ContextVar[list[tuple[tuple[tuple[int, int], ...], Evidence]] | None] = ContextVar(
    "confidence_recorder", default=None
)


@contextmanager
def recording() -> Iterator[list[tuple[tuple[tuple[int, int], ...], Evidence]]]:
    """Collect ``(content, evidence)`` of every attribution estimated inside the block
    (training reads the evidence the analyzer itself saw)."""
    rows: list[tuple[tuple[tuple[int, int], ...], Evidence]] = []
    token = _recorder.set(rows)
    try:
        yield rows
    finally:
        _recorder.reset(token)


def estimate(
    found: Found,
    text: str,
    speaker: Resolved | None,
    *,
    reported_as: str = "speech",
    names: Names | None = None,
) -> Estimate:
    """P(attribution right) and P(speaker right) of one attribution (``names``: the
    article's :class:`Names`, for the rivals of a pronoun)."""
    ev = evidence(found, text, speaker, reported_as=reported_as, names=names)
    rows = _recorder.get()
    if rows is not None:
        rows.append((found.content, ev))
    models = load_models()
    x = features(ev)
    return Estimate(
        round(models.attribution.probability(x), 4),
        round(models.speaker.probability(x), 4) if speaker is not None else None,
    )


def evidence_dict(ev: Evidence) -> dict[str, object]:
    """JSON form of one :class:`Evidence` (for training caches)."""
    return asdict(ev)
