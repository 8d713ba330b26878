"""Put cues and quotations together into attributions, and sort out non-speech marks.

Each quotation is claimed by at most one cue: the cue whose clause contains it
(a mixed quote), else the nearest cue beside it in its sentence ("“…,” he
said" / "he said: “…”").  A quotation no cue claims continues the previous
speaker when it reads like speech, is a title after "titled" or in title case,
and is a scare quote when it is a short fragment with no speaker near.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from accordingto.model import MarkKind, QuoteKind
from accordingto.quotes.lexicon import Lexicon
from accordingto.quotes.marks import Quoted

from .cues import Cue, find_cues

__all__ = ["Found", "QuoteIndex", "assemble"]

_GAP = re.compile(r"^[\s,;:—–-]*$")
#: A transcript line: a speaker's name in capitals and a colon open the paragraph ("PENCE: Well, …"),
#: after the quotation mark that opens each paragraph of a quoted transcript.
_LABEL = re.compile(r"[\"“]?([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):[ \t]+(?=\S)")
_MAX_SIDE_GAP = 40  # characters between a cue's source/cue and a quote beside it


@dataclass
class Found:
    """An attribution under construction (character offsets into the text)."""

    content: list[tuple[int, int]]
    kind: QuoteKind
    cue: Cue | None = None
    method: str = "cue"
    continues: Found | None = None  # the attribution whose speaker this one continues
    confidence: float = 0.8
    quotes: list[Quoted] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    def region(self) -> tuple[int, int]:
        """Characters taken by the cue and its source."""
        spans = [self.cue.cue] + ([self.cue.source] if self.cue.source else [])
        return min(s for s, _ in spans), max(e for _, e in spans)


class QuoteIndex:
    """Which quotation, if any, covers a character offset."""

    def __init__(self, quoted: list[Quoted]) -> None:
        self.quoted = sorted(quoted, key=lambda q: q.start)
        self._starts = [q.start for q in self.quoted]

    def at(self, char: int) -> Quoted | None:
        i = bisect.bisect_right(self._starts, char) - 1
        if i >= 0 and char < self.quoted[i].end:
            return self.quoted[i]
        return None

    def between(self, start: int, end: int) -> list[Quoted]:
        return [q for q in self.quoted if start <= q.start and q.end <= end]


def _inside(q: Quoted, span: tuple[int, int]) -> bool:
    return span[0] <= q.start and q.end <= span[1]


def _side_gap(text: str, q: Quoted, cue: Cue) -> int | None:
    """Characters between ``q`` and the cue's words beside it, if only punctuation is there."""
    spans = [cue.cue] + ([cue.source] if cue.source else [])
    left, right = min(s for s, _ in spans), max(e for _, e in spans)
    if q.end <= left:
        gap = text[q.end : left]
    elif right <= q.start:
        gap = text[right : q.start]
    else:
        return None
    after_colon = right <= q.start and text[cue.cue[1] - 1] == ":" and not gap.strip()
    if len(gap) > _MAX_SIDE_GAP or ("\n\n" in gap and not after_colon):
        return None  # a paragraph break only right after "X said:" (the colon is in the cue)
    words = [w for w in re.split(r"[\s,;:—–]+", gap) if w]
    if len(words) > 4 or any(w.startswith(("“", '"')) for w in words):
        return None
    return len(gap) + 10 * len(words)


def _claim(text: str, quotes: list[Quoted], cues: list[Cue]) -> dict[int, list[Quoted]]:
    """Cue index → the quotations it claims."""
    claims: dict[int, list[Quoted]] = {i: [] for i in range(len(cues))}
    for q in quotes:
        inner = [i for i, c in enumerate(cues) if any(_inside(q, span) for span in c.content)]
        if inner:
            claims[inner[-1]].append(q)
            continue
        gaps = [(g, i) for i, c in enumerate(cues) if (g := _side_gap(text, q, c)) is not None]
        if gaps:
            claims[min(gaps)[1]].append(q)
    return claims


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _from_cue(text: str, cue: Cue, quotes: list[Quoted]) -> Found | None:
    spans = [(q.start, q.end) for q in quotes]
    clauses = [c for c in cue.content if not any(_inside(q, c) for q in quotes)]
    in_clause = [q for q in quotes if any(_inside(q, c) for c in cue.content)]
    if in_clause and not any(
        len(text[c[0] : c[1]].split()) - sum(len(q.words(text).split()) for q in in_clause) > 2
        for c in cue.content
    ):
        clauses = []  # the clause is the quotation itself
        in_clause = []
    if in_clause:
        content = list(cue.content)
        content += [s for s in spans if not any(_overlaps(s, c) for c in content)]
        kind = QuoteKind.MIXED
    elif spans:
        content = spans
        kind = QuoteKind.DIRECT
    elif clauses:
        content = [c for c in clauses if not any(_overlaps(c, s) for s in spans)]
        kind = QuoteKind.INDIRECT
    else:
        return None
    if not content:
        return None
    method = "according-to" if cue.according_to else "cue"
    return Found(
        sorted(content),
        kind,
        cue=cue,
        method=method,
        quotes=list(quotes),
        confidence=0.9 if kind is QuoteKind.DIRECT else 0.7,
    )


def _after_title_cue(text: str, q: Quoted, lex: Lexicon) -> bool:
    """ "a piece titled “…”", "the book “…”"."""
    before = re.findall(r"[\w-]+", text[max(0, q.start - 40) : q.start])
    return bool(before) and before[-1].lower() in lex.title_cues


def _title_case(text: str, q: Quoted) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", q.words(text))
    caps = sum(w[0].isupper() for w in words)
    return (
        len(words) >= 3 and caps / len(words) > 0.7 and not q.words(text).rstrip(",").endswith(".")
    )


def _snap_to_quotes(index: QuoteIndex, cues: list[Cue]) -> list[Cue]:
    """Widen clause content that cuts a quotation in two so that it holds it whole."""
    out = []
    for c in cues:
        content = []
        for start, end in c.content:
            first, last = index.at(start), index.at(end - 1)
            content.append((first.start if first else start, last.end if last else end))
        out.append(replace(c, content=tuple(content)))
    return out


def _cut_nested(doc: Doc, text: str, cues: list[Cue]) -> list[Cue]:
    """End each cue's content where a relative clause with a cue of its own starts."""
    out = []
    for c in cues:
        content = []
        for start, end in c.content:
            for d in cues:
                tok = doc[d.token]
                if d is c or tok.dep_ != "relcl" or not start < tok.left_edge.idx < end:
                    continue
                end = min(end, tok.left_edge.idx)  # "…, to which he replied, “…”"
            while end > start and text[end - 1] in " ,;:—–-\n":
                end -= 1
            if end > start:
                content.append((start, end))
        out.append(replace(c, content=tuple(content)))
    return out


def _paragraph_of(pars: list[tuple[int, int]], char: int) -> int:
    return max(bisect.bisect_right([s for s, _ in pars], char) - 1, 0)


def _continuation(
    text: str, q: Quoted, found: list[Found], pars: list[tuple[int, int]]
) -> Found | None:
    """Index of the attribution whose speaker an uncued quotation continues."""
    before = [f for f in found if f.start < q.start and f.kind is not QuoteKind.INDIRECT]
    if not before:
        return None
    prev = before[-1]
    gap_pars = _paragraph_of(pars, q.start) - _paragraph_of(pars, prev.end)
    long_enough = len(q.words(text).split()) >= 4
    if gap_pars == 0 or (gap_pars == 1 and long_enough):
        return prev
    return None


def _follow_on(text: str, f: Found, q: Quoted) -> bool:
    """ "“Q1,” he said. “Q2”": a quotation right after the cue that closed the previous one."""
    if f.kind is not QuoteKind.DIRECT or f.cue is None or not f.quotes:
        return False
    start, end = f.region()
    if f.quotes[-1].end > start or q.start < end:
        return False
    return (
        bool(re.fullmatch(r"[\s,.;:]*", text[end : q.start])) and "\n\n" not in text[end : q.start]
    )


def _speaker_labels(doc: Doc, text: str, pars: list[tuple[int, int]]) -> list[Found]:
    """The lines of a transcript, each said by the speaker its label names ("PENCE: Well, …").

    A transcript has several such lines; a lone "BREAKING: …" is not one.
    """
    found = []
    for start, end in pars:
        m = _LABEL.match(text, start, end)
        if m is None:
            continue
        body = text[m.end() : end].rstrip().rstrip('"”').rstrip()
        name = doc.char_span(*m.span(1), alignment_mode="expand")
        if not body or name is None:
            continue
        colon = m.end(1)
        content = (m.end(), m.end() + len(body))
        cue = Cue(
            cue=(colon, colon + 1),
            token=name.end,
            source=m.span(1),
            source_token=name.root.i,
            content=(content,),
            label=True,
        )
        found.append(Found([content], QuoteKind.DIRECT, cue=cue, confidence=0.8))
    return found if len(found) > 1 else []


def assemble(
    doc: Doc, text: str, quoted: list[Quoted], lex: Lexicon, pars: list[tuple[int, int]]
) -> tuple[list[Found], list[tuple[MarkKind, Quoted]]]:
    """All attributions and non-speech marks of one parsed article."""
    index = QuoteIndex(quoted)
    lines = _speaker_labels(doc, text, pars)
    cues = list(find_cues(doc, lex, quoted=lambda c: index.at(c) is not None))
    cues = [
        c for c in cues if not (c.source and index.at(c.source[0]) and index.at(c.source[1] - 1))
    ]
    cues = _snap_to_quotes(index, _cut_nested(doc, text, cues))
    titles = [q for q in index.quoted if _after_title_cue(text, q, lex)]
    marks: list[tuple[MarkKind, Quoted]] = [(MarkKind.TITLE, q) for q in titles]
    claims = _claim(text, [q for q in index.quoted if q not in titles], cues)
    found = [f for i, c in enumerate(cues) if (f := _from_cue(text, c, claims[i]))]
    found.sort(key=lambda f: f.start)
    claimed = {id(q) for qs in claims.values() for q in qs} | {id(q) for q in titles}
    claimed |= {
        id(q) for q in index.quoted if any(_overlaps((q.start, q.end), f.content[0]) for f in lines)
    }
    found = sorted(found + lines, key=lambda f: f.start)
    for q in index.quoted:
        if id(q) in claimed:
            continue
        host = next((f for f in found if any(_inside(q, c) for c in f.content)), None)
        if host is not None:
            if host.kind is QuoteKind.INDIRECT:
                host.kind = QuoteKind.MIXED
            continue
        follow = next((f for f in reversed(found) if f.end <= q.start), None)
        if follow is not None and _follow_on(text, follow, q):
            follow.content.append((q.start, q.end))
            follow.quotes.append(q)
            continue
        if _title_case(text, q):
            marks.append((MarkKind.TITLE, q))
            continue
        prev = _continuation(text, q, found, pars)
        if prev is not None:
            found.append(
                Found(
                    [(q.start, q.end)],
                    QuoteKind.DIRECT,
                    method="continuation",
                    continues=prev,
                    confidence=0.6,
                    quotes=[q],
                )
            )
            found.sort(key=lambda f: f.start)
        elif len(q.words(text).split()) <= 5:
            marks.append((MarkKind.SCARE, q))
        else:
            found.append(
                Found(
                    [(q.start, q.end)],
                    QuoteKind.DIRECT,
                    method="unattributed",
                    confidence=0.3,
                    quotes=[q],
                )
            )
            found.sort(key=lambda f: f.start)
    return found, marks
