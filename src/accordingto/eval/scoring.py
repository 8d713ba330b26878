"""Span scoring of attributions (source, cue, content): the one scorer for eval, benchmarks and CI.

An :class:`Attribution` is three roles, each a tuple of half-open ``(start, end)``
character ranges into the document text (several for a discontinuous span,
empty when the role is absent), and a ``kind``: ``direct``, ``indirect`` or ``mixed``.

How a document is scored (:func:`score_document`):

1. **Tokens.**  The text is cut into tokens: runs of word characters (``\\w+``)
   and single non-space, non-word characters.  A set of spans covers every
   token it overlaps by at least one character.
2. **Matching, one to one.**  A predicted and a gold attribution may pair when
   their contents share tokens (weight = number of shared content tokens), or,
   failing that, when their cues are the same (exact, see 3).  Pairs are taken
   greedily, best first: most shared content tokens, then closest content
   starts, then gold order, then predicted order; each attribution pairs at most
   once.  (The Hungarian algorithm would maximise the total; scipy is not a
   dependency and on news text the two rarely differ.)
3. **Roles.**  For each matched pair and each role both sides have:
   *exact* when the two span sets cover the same non-space characters (so
   whitespace at the ends of a span, or between two pieces, does not matter);
   *overlap* when they share at least one token.
4. **Precision and recall.**  For a role, the hits are the exact (or overlap)
   pairs; precision divides them by the predicted attributions that have the
   role, recall by the gold attributions that have it.  At the attribution
   level, hits are matched pairs over all predicted / all gold attributions.
5. **By kind.**  Recall counts gold attributions by their own kind.  Precision
   counts a matched prediction under the kind of the gold it matched, and an
   unmatched prediction under its own (predicted) kind, so that a correct span
   with a wrong kind label is not punished twice.

Documents are scored separately and their counts summed (micro average).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table

    from accordingto.model import Analysis

__all__ = [
    "ALL",
    "ATTRIBUTION",
    "KINDS",
    "MODES",
    "ROLES",
    "Attribution",
    "Counts",
    "DocumentScore",
    "Key",
    "Offsets",
    "Pair",
    "Report",
    "nonspace_ranges",
    "attributions_from_analysis",
    "content_kind",
    "score",
    "score_document",
    "strip_range",
]

#: Kinds of attribution, as in :class:`accordingto.model.QuoteKind`.
KINDS = ("direct", "indirect", "mixed")
#: Roles scored, in report order.
ROLES = ("source", "cue", "content")
#: How a role's spans are compared.
MODES = ("exact", "overlap")
#: ``kind`` key of the counts over every kind.
ALL = "all"
#: ``role`` key of the attribution-level counts (mode ``matched``).
ATTRIBUTION = "attribution"

#: Half-open ``(start, end)`` character ranges.
Offsets = tuple[tuple[int, int], ...]

_TOKEN = re.compile(r"\w+|[^\w\s]")
_MARK = re.compile(r"''|``|[\"“”„«»‹›‘’']")
_DOUBLE_MARKS = frozenset(['"', "“", "”", "„", "«", "»", "''", "``"])
_OPENING_MARKS = frozenset(["“", "„", "«", "‘", "‹", "``"])
_AMBIGUOUS_MARKS = frozenset(['"', "''", "'"])
_TRAILING_PUNCT = ",.;:?!…"


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution relation as character ranges; an absent role is ``()``."""

    source: Offsets = ()
    cue: Offsets = ()
    content: Offsets = ()
    kind: str = "indirect"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        for role in ROLES:
            for start, end in getattr(self, role):
                if not 0 <= start <= end:
                    raise ValueError(f"bad {role} range ({start}, {end})")

    def role(self, role: str) -> Offsets:
        """The ranges of ``role`` (``source``, ``cue`` or ``content``)."""
        return getattr(self, role)

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """JSON form; with ``text``, each role also gets its text (pieces joined by `` … ``)."""
        data: dict[str, Any] = {"kind": self.kind}
        for role in ROLES:
            data[role] = [list(r) for r in self.role(role)]
            if text is not None:
                data[f"{role}_text"] = " … ".join(text[s:e] for s, e in self.role(role))
        return data


# --- kind of a content ------------------------------------------------------


def _is_apostrophe(text: str, match: re.Match[str]) -> bool:
    """Whether a single mark is an apostrophe: inside a word (``don't``) or possessive (``Jones’ plan``)."""
    if match.group() not in ("'", "’"):
        return False
    i = match.start()
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isalnum() and after.isalnum():
        return True
    return before in ("s", "S") and after.isspace() and i >= 2 and text[i - 2].isalpha()


def _marks(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The quotation marks that start in ``[start, end)``, apostrophes left out."""
    return [m for m in _MARK.finditer(text, start, end) if not _is_apostrophe(text, m)]


def _opens_quote(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` starts with a quotation mark or right after an opening one."""
    first = _marks(text, start, min(end, start + 2))
    if first and first[0].start() == start:
        return True
    before = start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    previous = [m for m in _marks(text, max(0, before - 2), before) if m.end() == before]
    if not previous:
        return False
    mark = previous[-1]
    if mark.group() in _OPENING_MARKS:
        return True
    # A straight mark opens where a word could start: `said "yes` opens, `yes" said` closes.
    return mark.group() in _AMBIGUOUS_MARKS and (
        mark.start() == 0 or text[mark.start() - 1].isspace() or text[mark.start() - 1] in "([{—–"
    )


def _wholly_quoted(text: str, start: int, end: int) -> bool:
    """Whether a stripped range opens a quotation and has no double mark but at its ends."""
    if not _opens_quote(text, start, end):
        return False
    marks = _marks(text, start, end)
    if marks and marks[0].start() == start:
        marks = marks[1:]
    while marks and not text[marks[-1].end() : end].strip(_TRAILING_PUNCT):
        end = marks.pop().start()  # closing marks, nested ones too: 'a special case,'''
    return not any(m.group() in _DOUBLE_MARKS for m in marks)


def content_kind(text: str, content: Offsets) -> str:
    """``direct``, ``mixed`` or ``indirect``, read off the quotation marks of ``content``.

    * **direct**: every content range, stripped of whitespace, opens a quotation
      (it starts with a quotation mark, or the nearest non-space character before
      it is an opening one) and holds no double quotation mark except a closing
      ones at its end (with ``,.;:?!…`` among or after them).  The paragraph of a
      long quote that closes only in a later paragraph counts; ``“A” and “B”`` does not.
    * **mixed**: not direct, but a quotation mark lies within the content.
    * **indirect**: no quotation mark within the content.

    Double marks are ``" “ ” „ « »`` and the pairs ``''`` and ````` `` ````` (as in NYT
    text); single marks are ``‘ ’ ' ‹ ›`` except apostrophes: between two letters
    or digits (``Clinton’s``, ``don't``) or after an ``s`` ending a word and
    before a space (``Sanders’ plan``; a closing ``yes’ he said`` is misread as
    one).  ``―`` and other dashes are not quotation marks.
    """
    ranges = [r for r in (strip_range(text, s, e) for s, e in content) if r[0] < r[1]]
    if not ranges:
        return "indirect"
    if all(_wholly_quoted(text, s, e) for s, e in ranges):
        return "direct"
    if any(_marks(text, s, e) for s, e in ranges):
        return "mixed"
    return "indirect"


def attributions_from_analysis(analysis: Analysis) -> list[Attribution]:
    """The quotes of an :class:`~accordingto.model.Analysis` as attributions to score."""
    return [
        Attribution(
            source=((q.source.start, q.source.end),) if q.source is not None else (),
            cue=((q.cue.start, q.cue.end),) if q.cue is not None else (),
            content=tuple((s.start, s.end) for s in q.content),
            kind=q.kind.value,
        )
        for q in analysis.quotes
    ]


# --- counts and reports -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Hits, predicted and gold totals, with precision, recall and F1 (0.0 when undefined)."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold
        )

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
        }


#: ``(kind, role, mode)``: kind is a member of :data:`KINDS` or ``all``; role is a member
#: of :data:`ROLES` with a mode of :data:`MODES`, or ``attribution`` with mode ``matched``.
Key = tuple[str, str, str]


def _keys() -> list[Key]:
    return [
        (kind, role, mode)
        for kind in (ALL, *KINDS)
        for role, modes in ((ATTRIBUTION, ("matched",)), *((r, MODES) for r in ROLES))
        for mode in modes
    ]


def _sum(tallies: Iterable[Mapping[Key, Counts]]) -> dict[Key, Counts]:
    total = {key: Counts() for key in _keys()}
    for tally in tallies:
        for key, counts in tally.items():
            total[key] = total.get(key, Counts()) + counts
    return total


@dataclass(frozen=True, slots=True)
class Pair:
    """A matched gold and predicted attribution (indices) and how each role compares."""

    gold: int
    predicted: int
    exact: frozenset[str]
    overlap: frozenset[str]


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """One document's attributions, its matching and its counts."""

    name: str
    text: str = field(repr=False)
    gold: tuple[Attribution, ...]
    predicted: tuple[Attribution, ...]
    pairs: tuple[Pair, ...]
    counts: Mapping[Key, Counts] = field(repr=False)

    @property
    def false_negatives(self) -> tuple[Attribution, ...]:
        """Gold attributions that no prediction matched."""
        matched = {p.gold for p in self.pairs}
        return tuple(a for i, a in enumerate(self.gold) if i not in matched)

    @property
    def false_positives(self) -> tuple[Attribution, ...]:
        """Predictions that matched no gold attribution."""
        matched = {p.predicted for p in self.pairs}
        return tuple(a for i, a in enumerate(self.predicted) if i not in matched)

    def errors(self) -> dict[str, Any]:
        """A JSON record for error analysis: misses, spurious ones, and pairs off on a role."""
        partial = [
            {
                "gold": self.gold[p.gold].to_dict(self.text),
                "predicted": self.predicted[p.predicted].to_dict(self.text),
                "not_exact": [r for r in ROLES if r not in p.exact and self._has(p, r)],
            }
            for p in self.pairs
            if any(r not in p.exact and self._has(p, r) for r in ROLES)
        ]
        return {
            "document": self.name,
            "false_negatives": [a.to_dict(self.text) for a in self.false_negatives],
            "false_positives": [a.to_dict(self.text) for a in self.false_positives],
            "partial": partial,
        }

    def _has(self, pair: Pair, role: str) -> bool:
        return bool(self.gold[pair.gold].role(role) or self.predicted[pair.predicted].role(role))


@dataclass(frozen=True, slots=True)
class Report:
    """Summed counts over documents, with the documents for error analysis."""

    counts: Mapping[Key, Counts]
    documents: tuple[DocumentScore, ...] = field(default=(), repr=False)
    #: Speaker resolution against the resolved-speaker gold (``eval.speakers``), when scored.
    resolution: Any = None

    def get(self, role: str, mode: str = "exact", kind: str = ALL) -> Counts:
        """Counts of ``role`` compared by ``mode`` (``attribution``: mode is ignored)."""
        if role == ATTRIBUTION:
            mode = "matched"
        return self.counts.get((kind, role, mode), Counts())

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"documents": n, "all": {...}, "direct": {...}, ...}``."""
        data: dict[str, Any] = {"documents": len(self.documents)}
        for kind in (ALL, *KINDS):
            data[kind] = {ATTRIBUTION: self.get(ATTRIBUTION, kind=kind).to_dict()} | {
                role: {mode: self.get(role, mode, kind).to_dict() for mode in MODES}
                for role in ROLES
            }
        if self.resolution is not None:
            data["speaker_resolution"] = self.resolution.to_dict()
        return data

    def to_table(self, *, title: str | None = None) -> Table:
        """A rich table: rows kind × role × mode with P, R, F1 and the totals."""
        from rich.table import Table

        table = Table(title=title)
        for name in ("kind", "role", "match"):
            table.add_column(name)
        for name in ("P", "R", "F1", "hits", "pred", "gold"):
            table.add_column(name, justify="right")
        for kind in (ALL, *KINDS):
            rows = [(ATTRIBUTION, "matched")] + [(r, m) for r in ROLES for m in MODES]
            for i, (role, mode) in enumerate(rows):
                c = self.get(role, mode, kind)
                table.add_row(
                    kind if i == 0 else "", role if mode != "overlap" else "", mode,
                    f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
                    str(c.matched), str(c.predicted), str(c.gold),
                    end_section=i == len(rows) - 1,
                )  # fmt: skip
        return table


# --- scoring ----------------------------------------------------------------


def strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without leading and trailing whitespace (empty ranges stay empty)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def nonspace_ranges(text: str, ranges: Offsets) -> tuple[tuple[int, int], ...]:
    """The non-space characters of ``ranges``, as sorted ranges merged over whitespace gaps."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(strip_range(text, s, e) for s, e in ranges):
        if start >= end:
            continue
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class _Tokens:
    """Token boundaries of a text, to map character ranges to token indices."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        found = [m.span() for m in _TOKEN.finditer(text)]
        return cls([s for s, _ in found], [e for _, e in found])

    def covered(self, ranges: Offsets) -> frozenset[int]:
        """Indices of the tokens that overlap any of ``ranges``."""
        indices: set[int] = set()
        for start, end in ranges:
            indices.update(
                range(bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end))
            )
        return frozenset(indices)


@dataclass(frozen=True, slots=True)
class _View:
    """An attribution's roles as token sets and stripped characters, for comparison."""

    tokens: Mapping[str, frozenset[int]]
    chars: Mapping[str, tuple[tuple[int, int], ...]]
    start: int

    @classmethod
    def of(cls, attribution: Attribution, text: str, tokens: _Tokens) -> _View:
        chars = {r: nonspace_ranges(text, attribution.role(r)) for r in ROLES}
        toks = {r: tokens.covered(chars[r]) for r in ROLES}
        return cls(toks, chars, chars["content"][0][0] if chars["content"] else -1)

    def has(self, role: str) -> bool:
        return bool(self.chars[role])


def _match(gold: Sequence[_View], predicted: Sequence[_View]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best first (see the module docstring)."""
    by_token: dict[int, list[int]] = defaultdict(list)
    by_cue: dict[tuple[tuple[int, int], ...], list[int]] = defaultdict(list)
    for g, gv in enumerate(gold):
        for token in gv.tokens["content"]:
            by_token[token].append(g)
        if gv.has("cue"):
            by_cue[gv.chars["cue"]].append(g)
    candidates = []
    for p, pv in enumerate(predicted):
        shared = Counter(g for token in pv.tokens["content"] for g in by_token.get(token, ()))
        for g in by_cue.get(pv.chars["cue"], ()) if pv.has("cue") else ():
            shared.setdefault(g, 0)
        for g, count in shared.items():
            candidates.append((-count, abs(gold[g].start - pv.start), g, p))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, _, g, p in candidates:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def _compare(gv: _View, pv: _View, g: int, p: int) -> Pair:
    both = [r for r in ROLES if gv.has(r) and pv.has(r)]
    return Pair(
        gold=g,
        predicted=p,
        exact=frozenset(r for r in both if gv.chars[r] == pv.chars[r]),
        overlap=frozenset(r for r in both if gv.tokens[r] & pv.tokens[r]),
    )


def _tally(
    gold: Sequence[_View],
    predicted: Sequence[_View],
    gold_kinds: Sequence[str],
    pred_kinds: Sequence[str],
    pairs: Sequence[Pair],
) -> dict[Key, Counts]:
    """Counts per (kind, role, mode); kinds of predictions are already the ones to count under."""
    totals: dict[str, Counter[Key]] = {"gold": Counter(), "predicted": Counter()}
    for side, views, kinds in (("gold", gold, gold_kinds), ("predicted", predicted, pred_kinds)):
        for view, kind in zip(views, kinds, strict=True):
            roles = [(ATTRIBUTION, "matched")]
            roles += [(r, m) for r in ROLES if view.has(r) for m in MODES]
            totals[side].update((k, r, m) for k in (ALL, kind) for r, m in roles)
    matched: Counter[Key] = Counter()
    for pair in pairs:
        hits = [(ATTRIBUTION, "matched")]
        hits += [(r, "exact") for r in pair.exact] + [(r, "overlap") for r in pair.overlap]
        matched.update((k, r, m) for k in (ALL, gold_kinds[pair.gold]) for r, m in hits)
    keys = set(matched) | set(totals["gold"]) | set(totals["predicted"])
    return {
        key: Counts(matched[key], totals["predicted"][key], totals["gold"][key]) for key in keys
    }


def score_document(
    gold: Sequence[Attribution], predicted: Sequence[Attribution], text: str, *, name: str = ""
) -> DocumentScore:
    """Match and count one document's predicted attributions against its gold ones."""
    tokens = _Tokens.of(text)
    gold_views = [_View.of(a, text, tokens) for a in gold]
    pred_views = [_View.of(a, text, tokens) for a in predicted]
    pairs = [
        _compare(gold_views[g], pred_views[p], g, p) for g, p in _match(gold_views, pred_views)
    ]
    # A matched prediction counts under its gold's kind, an unmatched one under its own.
    pred_kinds = [a.kind for a in predicted]
    for pair in pairs:
        pred_kinds[pair.predicted] = gold[pair.gold].kind
    counts = _tally(gold_views, pred_views, [a.kind for a in gold], pred_kinds, pairs)
    return DocumentScore(name, text, tuple(gold), tuple(predicted), tuple(pairs), counts)


def score(
    gold_docs_attributions: Sequence[Sequence[Attribution]],
    predicted_docs_attributions: Sequence[Sequence[Attribution]],
    texts: Sequence[str],
    *,
    names: Sequence[str] | None = None,
) -> Report:
    """Score documents (the three sequences aligned, one item per document) into a :class:`Report`."""
    names = list(names) if names is not None else [str(i) for i in range(len(texts))]
    lengths = {
        len(gold_docs_attributions),
        len(predicted_docs_attributions),
        len(texts),
        len(names),
    }
    if len(lengths) != 1:
        raise ValueError("gold, predicted, texts (and names) must have one item per document")
    documents = tuple(
        score_document(g, p, t, name=n)
        for g, p, t, n in zip(
            gold_docs_attributions, predicted_docs_attributions, texts, names, strict=True
        )
    )
    return Report(_sum(d.counts for d in documents), documents)
