"""Content boundaries as a decision over the parse (issue 14, item 1).

Most PolNeAR contents are a constituent: the complement clause of the cue, the
quotation, the object of "according to".  Whether "that" is in, whether a trailing
adverbial or a nested cue's clause is out, follows conventions a linear model can learn.
For an attribution whose content is one piece, :func:`candidates` lists the spans the
content could be (the current span; subtrees that overlap it; runs of the cue head's
children; each trimmed of a leading "that" or punctuation, of trailing punctuation, or
cut at a comma), :func:`features` describes each against the cue and the current span,
and :class:`BoundaryScorer` (weights learnt on PolNeAR train by
``accordingto.train.boundaries``, in ``data/boundaries.json``) picks the best.

:func:`refine` applies it to the analyzer's attributions; ``ACCORDINGTO_BOUNDARIES=0``
switches it off, ``=1`` on; by default it runs in the modes the weights file's ``enabled``
lists: ``accurate`` (since session 8, trained on that mode's output), not ``fast``, whose
speed floor its cost (about 11 µs a word) would break (docs/model.md, "Content boundaries").
Where the content already equals the rules' clause for the cue, it stands unscored.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files

import numpy as np
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from accordingto.quotes.lexicon import load_lexicon

from .assemble import Found
from .cues import verb_content

__all__ = [
    "BoundaryScorer",
    "Candidate",
    "candidates",
    "children_runs",
    "features",
    "load_scorer",
    "refine",
    "rule_content",
    "span_tokens",
    "trims",
]

ENV = "ACCORDINGTO_BOUNDARIES"
#: The accurate tagger's component (``nlp.accurate.ACCURATE_COMPONENT``; not imported, so
#: that the fast mode never loads the transformer's modules).
ACCURATE_COMPONENT = "attribution_roles_accurate"
WEIGHTS = "boundaries.json"
#: At most this many candidates per attribution at run time (the nearest to the current span
#: first; training sees up to 200: the same dev choices as 200 at run time, at half the cost).
MAX_CANDIDATES = 16
#: Only contents of at most this many tokens are reconsidered (a long one is a quotation).
MAX_TOKENS = 200

_QUOTES = frozenset("\"“”‘’'«»")
_LEAD_WORDS = frozenset(
    {"that", "whether", "if", "to", "and", "but", "because", "as", "why", "how", "what", "when"}
)
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "parataxis", "conj", "dobj", "pobj"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible content: tokens ``[start, end)`` of the doc, and how it was found."""

    start: int
    end: int
    origin: str


def span_tokens(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.start, span.end


def cue_head(doc: Doc, cue: tuple[int, int]) -> Token | None:
    """The cue's head word: the token of the cue span whose head lies outside it."""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _is_punct(t: Token) -> bool:
    return t.is_punct or t.text in _QUOTES


def trims(doc: Doc, start: int, end: int) -> Iterable[tuple[int, int, str]]:
    """``[start, end)`` with its edges trimmed or grown by the tokens conventions disagree on."""
    yield start, end, ""
    s = start
    while s < end - 1 and (_is_punct(doc[s]) or doc[s].lower_ in _LEAD_WORDS):
        s += 1
        yield s, end, "-lead"
    e = end
    while e > start + 1 and _is_punct(doc[e - 1]):
        e -= 1
        yield start, e, "-trail"
        if s != start:
            yield s, e, "-both"
    if start > 0 and (doc[start - 1].lower_ in _LEAD_WORDS or _is_punct(doc[start - 1])):
        yield start - 1, end, "+lead"
    if end < len(doc) and _is_punct(doc[end]) and not doc[end].is_space:
        yield start, end + 1, "+trail"
    for k in range(start + 3, end - 1):
        if doc[k].text in {",", "--", "—", ";", ":"}:
            yield start, k, "-cut"
            yield k + 1, end, "-cutlead"


def children_runs(head: Token) -> Iterable[tuple[int, int]]:
    """Spans of consecutive runs of ``head``'s children on one side of it."""
    for side in (list(head.lefts), list(head.rights)):
        kids = [c for c in side if not c.is_space]
        for i in range(len(kids)):
            for j in range(i, len(kids)):
                yield kids[i].left_edge.i, kids[j].right_edge.i + 1


def rule_content(doc: Doc, head: Token | None) -> tuple[int, int] | None:
    """The tokens of the content the rules give a verb cue (``cues.verb_content``), if one piece."""
    if head is None or head.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    spans = verb_content(doc, head, subject)
    return span_tokens(doc, *spans[0]) if len(spans) == 1 else None


def candidates(
    doc: Doc,
    head: Token | None,
    current: tuple[int, int],
    rule: tuple[int, int] | None = None,
    *,
    limit: int = MAX_CANDIDATES,
    cue: tuple[int, int] | None = None,
) -> list[Candidate]:
    """The spans the content could be, each once, the current one first; none holds the cue's
    head word or any token of ``cue`` (the cue's tokens, ``[start, end)``)."""
    start, end = current
    sent_start = doc[start].sent.start
    sent_end = doc[end - 1].sent.end
    raw: list[tuple[int, int, str]] = [(start, end, "current")]
    if rule is not None:
        raw.append((*rule, "rule"))
    for t in doc[start:end]:
        if t.head.i < start or t.head.i >= end or t.head.i == t.i or t.dep_ in _CLAUSE_DEPS:
            raw.append((t.left_edge.i, t.right_edge.i + 1, "subtree"))
    if head is not None:
        raw.extend((s, e, "children") for s, e in children_runs(head))
    seen = {current: Candidate(start, end, "current")}  # first, even where it holds the cue
    for s0, e0, origin in raw:
        for s, e, how in trims(doc, s0, e0):
            key = (s, e)
            if key in seen or e <= s or s < sent_start - 1 or e > sent_end + 1:
                continue
            if _holds_cue(s, e, head, cue):
                continue
            seen[key] = Candidate(s, e, origin + how)
    starts = {c.start for c in seen.values()}
    ends = {c.end for c in seen.values()}
    for s in starts:
        for e in ends:
            if e > s and (s, e) not in seen and not _holds_cue(s, e, head, cue):
                seen[(s, e)] = Candidate(s, e, "cross")
    found = sorted(seen.values(), key=lambda c: abs(c.start - start) + abs(c.end - end))
    return found[:limit]  # the current one, at distance 0, stays first


def _holds_cue(
    start: int, end: int, head: Token | None, cue: tuple[int, int] | None = None
) -> bool:
    """Whether tokens ``[start, end)`` hold the cue's head word or overlap its tokens."""
    if head is not None and start <= head.i < end:
        return True
    return cue is not None and start < cue[1] and cue[0] < end


def _bucket(n: int) -> str:
    if n == 0:
        return "0"
    sign = "+" if n > 0 else "-"
    m = abs(n)
    return sign + ("1" if m == 1 else "2" if m == 2 else "3-5" if m <= 5 else "6+")


@dataclass(frozen=True, slots=True)
class _Arrays:
    """Per-token facts of one doc, read once: each token's head, dependency label and edge
    word (:func:`_edge_word`), and whether it is a cue verb with a subject of its own (a
    nested cue).  Features read these, never spaCy's ``Token`` objects, which are made anew
    on every access (the scorer asks about each token dozens of times)."""

    heads: np.ndarray
    cue_verbs: np.ndarray
    verb: np.ndarray
    space: np.ndarray
    quote: np.ndarray
    #: neither space nor punctuation nor a quotation mark
    word: np.ndarray
    sent_end: np.ndarray
    deps: list[str]
    edges: list[str]


_last: tuple[Doc, _Arrays] | None = None


def _arrays(doc: Doc) -> _Arrays:
    """The :class:`_Arrays` of ``doc``, kept for the last doc asked about (one doc at a time)."""
    global _last
    last = _last
    if last is not None and last[0] is doc:
        return last[1]
    verbs = load_lexicon().verbs
    tokens = list(doc)
    heads = np.array([t.head.i for t in tokens], dtype=np.int64)
    subject = np.zeros(len(doc), dtype=bool)
    for t in tokens:
        if t.dep_ == "nsubj" and t.head.i != t.i:
            subject[t.head.i] = True
    lemma = np.array([t.lemma_.lower() in verbs for t in tokens], dtype=bool)
    space = np.array([t.is_space for t in tokens], dtype=bool)
    quote = np.array([t.text in _QUOTES for t in tokens], dtype=bool)
    punct = np.array([t.is_punct for t in tokens], dtype=bool)
    sent_end = np.zeros(len(doc), dtype=np.int64)
    for sent in doc.sents:
        sent_end[sent.start : sent.end] = sent.end
    verb = np.array([t.pos_ in ("VERB", "AUX") for t in tokens], dtype=bool)
    word = ~(space | punct | quote)
    deps = [t.dep_ for t in tokens]
    edges = [_edge_word(t) for t in tokens]
    arrays = _Arrays(heads, lemma & subject, verb, space, quote, word, sent_end, deps, edges)
    _last = (doc, arrays)
    return arrays


def _roots(arrays: _Arrays, start: int, end: int) -> list[int]:
    """The tokens of ``[start, end)`` whose head lies outside it (or who are their own)."""
    heads = arrays.heads[start:end]
    idx = np.arange(start, end)
    return idx[(heads < start) | (heads >= end) | (heads == idx)].tolist()


def _edge_word(t: Token) -> str:
    if t.text in _QUOTES:
        return "Q"
    if t.is_punct:
        return "P" + t.text
    if t.lower_ in _LEAD_WORDS:
        return t.lower_
    return t.pos_


def _nested_cue(arrays: _Arrays, start: int, end: int, head: Token | None) -> bool:
    found = arrays.cue_verbs[start:end]
    if head is not None and start <= head.i < end:
        return int(found.sum()) - int(found[head.i - start]) > 0
    return bool(found.any())


def _delta(
    arrays: _Arrays, head: int | None, lo: int, hi: int, inside: tuple[int, int], name: str
) -> list[str]:
    """Features of the tokens ``[lo, hi)`` added to or removed from one edge (``name``);
    ``head``: the cue head's index."""
    if lo >= hi:
        return []
    words = np.flatnonzero(~arrays.space[lo:hi]) + lo
    if not len(words):
        return []
    edges = arrays.edges
    out = [f"{name}|first={edges[int(words[0])]}", f"{name}|last={edges[int(words[-1])]}"]
    out.append(f"{name}|len={_bucket(min(len(words), 9))}")
    s, e = inside
    for r in _roots(arrays, lo, hi)[:3]:
        dep, to = arrays.deps[r], int(arrays.heads[r])
        out.append(f"{name}|dep={dep}")
        if to == head:
            out.append(f"{name}|on_cue")
            out.append(f"{name}|on_cue|dep={dep}")
        elif s <= to < e:
            out.append(f"{name}|on_content")
            out.append(f"{name}|on_content|dep={dep}")
        else:
            out.append(f"{name}|on_other")
    if arrays.verb[lo:hi].any():
        out.append(f"{name}|verb")
    if arrays.quote[lo:hi].any():
        out.append(f"{name}|quote")
    return out


def features(
    doc: Doc,
    head: Token | None,
    current: tuple[int, int],
    cand: Candidate,
    kind: str,
    rule: tuple[int, int] | None = None,
) -> list[str]:
    """Binary features of ``cand`` as the content of the cue ``head`` (currently ``current``)."""
    arrays = _arrays(doc)
    edges = arrays.edges
    s, e = cand.start, cand.end
    cs, ce = current
    at = head.i if head is not None else None
    f = [
        "bias",
        "origin=" + cand.origin.split("-")[0],
        "how=" + ("-".join(cand.origin.split("-")[1:]) or "none"),
        "ds=" + _bucket(s - cs),
        "de=" + _bucket(e - ce),
        "first=" + edges[s],
        "last=" + edges[e - 1],
        "before=" + (edges[s - 1] if s > 0 else "START"),
        "after=" + (edges[e] if e < len(doc) else "END"),
        "len=" + _bucket(int(math.log2(e - s + 1))),
        "kind=" + kind,
    ]
    # what the candidate adds to or removes from the current span, at each edge
    core = (max(s, cs), min(e, ce))
    f += _delta(arrays, at, min(s, cs), max(s, cs), core, "add_start" if s < cs else "cut_start")
    f += _delta(arrays, at, min(e, ce), max(e, ce), core, "add_end" if e > ce else "cut_end")
    if rule is None:
        f.append("rule=none")
    else:  # the rules' clause for the cue: an opinion formed without the tagger
        f.append("rule_start=" + ("same" if s == rule[0] else "other"))
        f.append("rule_end=" + ("same" if e == rule[1] else "other"))
        f.append(f"rule=equal|current={(s, e) == current}" if (s, e) == rule else "rule=differs")
    roots = _roots(arrays, s, e)
    on_cue = [r for r in roots if at is not None and int(arrays.heads[r]) == at]
    f.append("cue_children=" + (str(len(on_cue)) if len(on_cue) < 3 else "3+"))
    f.append(f"kind={kind}|ds={_bucket(s - cs)}")
    f.append(f"kind={kind}|de={_bucket(e - ce)}")
    sent_end = int(arrays.sent_end[s])
    f.append("mid_sentence" if arrays.word[e:sent_end].any() else "to_sent_end")
    f.append("roots=" + (str(len(roots)) if len(roots) < 3 else "3+"))
    if len(roots) == 1:
        dep = arrays.deps[roots[0]]
        f.append("root_dep=" + dep)
        if head is not None:
            f.append("root_of_cue" if int(arrays.heads[roots[0]]) == at else "root_not_of_cue")
            f.append(f"cue={head.lemma_.lower()}|root_dep={dep}")
    if head is not None:
        lemma = head.lemma_.lower()
        side = "after" if s > head.i else "before"
        f.append("side=" + side)
        f.append(f"cue={lemma}|first={edges[s]}")
        f.append(f"cue_pos={head.pos_}|first={edges[s]}")
        f.append(f"side={side}|last={edges[e - 1]}")
        f.append(f"side={side}|after={edges[e] if e < len(doc) else 'END'}")
        if side == "before" and e <= head.i < sent_end:
            f.append("before_trailing_cue")
    if _nested_cue(arrays, s, e, head):
        f.append("nested_cue_inside")
    if arrays.quote[s:e].any():
        f.append("quote_inside")
    f.append("current" if (s, e) == current else "other")
    return f


@dataclass(frozen=True)
class BoundaryScorer:
    """A linear model over :func:`features`: the candidate with the highest score wins;
    another than the current one only when it beats it by ``margin``."""

    weights: dict[str, float]
    margin: float = 0.0
    #: The modes (``fast``, ``accurate``) it runs in unless ``ACCORDINGTO_BOUNDARIES`` says.
    enabled: tuple[str, ...] = ()

    def score(self, feats: Sequence[str]) -> float:
        return sum(self.weights.get(x, 0.0) for x in feats)

    def choose(
        self,
        doc: Doc,
        head: Token | None,
        current: tuple[int, int],
        kind: str,
        cue: tuple[int, int] | None = None,
    ) -> Candidate:
        rule = rule_content(doc, head)
        if rule == current and not _holds_cue(*current, head, cue):
            return Candidate(*current, "current")  # the tagger and the parse's clause agree
        cands = candidates(doc, head, current, rule, cue=cue)
        scored = [(self.score(features(doc, head, current, c, kind, rule)), c) for c in cands]
        if _holds_cue(*current, head, cue) and len(scored) > 1:
            # a content never holds its own cue (PolNeAR's roles do not overlap)
            return max(scored[1:], key=lambda sc: sc[0])[1]
        best_score, best = max(scored, key=lambda sc: sc[0])
        if best_score < scored[0][0] + self.margin:
            return cands[0]
        return best

    def to_dict(self) -> dict[str, object]:
        return {"enabled": list(self.enabled), "margin": self.margin, "weights": self.weights}


def _modes(enabled: object) -> tuple[str, ...]:
    """The modes of a weights file's ``enabled``: a list of them (or true for both)."""
    if isinstance(enabled, bool):
        return ("fast", "accurate") if enabled else ()
    return tuple(str(m) for m in enabled) if isinstance(enabled, list) else ()


@functools.cache
def load_scorer() -> BoundaryScorer | None:
    """The shipped scorer, or None where the weights file is absent."""
    path = files(__package__).joinpath("data", WEIGHTS)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return BoundaryScorer(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        margin=float(data.get("margin", 0.0)),
        enabled=_modes(data.get("enabled", ())),
    )


def switched_on(scorer: BoundaryScorer | None, mode: str = "fast") -> bool:
    """Whether :func:`refine` runs: ``ACCORDINGTO_BOUNDARIES`` if set, else whether the
    weights are enabled for ``mode``."""
    if scorer is None:
        return False
    value = os.environ.get(ENV, "").strip().lower()
    if value in {"0", "false", "off", "no"}:
        return False
    if value in {"1", "true", "on", "yes"}:
        return True
    return mode in scorer.enabled


def mode_of(nlp) -> str:
    """``accurate`` where ``nlp`` runs the accurate tagger, else ``fast``."""
    return "accurate" if ACCURATE_COMPONENT in getattr(nlp, "pipe_names", ()) else "fast"


def refinable(
    doc: Doc, f: Found
) -> tuple[Token | None, tuple[int, int], tuple[int, int] | None] | None:
    """The cue's head word, the content's tokens and the cue's tokens of an attribution the
    scorer may change."""
    if f.cue is None or len(f.content) != 1:
        return None
    tokens = span_tokens(doc, *f.content[0])
    if tokens is None or tokens[1] - tokens[0] > MAX_TOKENS:
        return None
    cue = doc.char_span(*f.cue.cue, alignment_mode="expand")
    if cue is None or not len(cue):
        return None, tokens, None
    return cue.root, tokens, (cue.start, cue.end)


def _without_spaces(span: SpacySpan) -> SpacySpan:
    """``span`` without the whitespace tokens (paragraph breaks) at its edges."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].is_space:
        start += 1
    while end > start + 1 and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end]


def refine(
    found: list[Found], doc: Doc, text: str, scorer: BoundaryScorer | None = None, *, nlp=None
) -> list[Found]:
    """``found`` with each one-piece cued content replaced by the scorer's choice (new records;
    the same list where the scorer is off or absent)."""
    scorer = scorer or load_scorer()
    if scorer is None or not switched_on(scorer, mode_of(nlp)):
        return found
    out = []
    for f in found:
        where = refinable(doc, f)
        if where is None:
            out.append(f)
            continue
        head, current, cue = where
        best = scorer.choose(doc, head, current, f.kind.value, cue)
        if (best.start, best.end) == current:
            out.append(f)
            continue
        span = _without_spaces(doc[best.start : best.end])
        out.append(replace(f, content=((span.start_char, span.end_char),)))
    return out
