"""Put cues and quotations together into attributions, and sort out non-speech marks.

Each quotation is claimed by at most one cue: the cue whose clause contains it
(a mixed quote), else the nearest cue beside it in its sentence ("“…,” he
said" / "he said: “…”").  A quotation no cue claims continues the previous
speaker when it reads like speech (a fragment of the writer's own sentence is then a
mixed quotation), is a title after "titled" or in title case, and is a scare quote when it
is a short fragment with no speaker near (never a whole sentence in another language, nor
words inside an attribution's content: :func:`unclaimed_marks`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from accordingto.deadline import Deadline
from accordingto.model import MarkKind, QuoteKind, contains, overlaps
from accordingto.quotes.lexicon import Lexicon, read_list
from accordingto.quotes.marks import Quoted

from .cues import Cue, find_cues
from .positions import Ranges

__all__ = ["Found", "QuoteIndex", "assemble", "by_no_one", "unclaimed_marks", "with_source_comma"]

_GAP = re.compile(r"^[\s,;:—–-]*$")
#: A transcript line: a speaker's name in capitals and a colon open the paragraph ("PENCE: Well, …"),
#: after the quotation mark that opens each paragraph of a quoted transcript.
_LABEL = re.compile(r"[\"“]?([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):[ \t]+(?=\S)")
_MAX_SIDE_GAP = 40  # characters between a cue's source/cue and a quote beside it


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution (character offsets into the text); finders make new ones, never edit.

    ``key`` names it among the attributions of one article; ``continues`` is the key of the
    attribution whose speaker this one continues (an uncued quotation after a cued one).
    """

    content: tuple[tuple[int, int], ...]
    kind: QuoteKind
    cue: Cue | None = None
    method: str = "cue"
    continues: str | None = None
    confidence: float = 0.8
    quotes: tuple[Quoted, ...] = ()
    key: str = ""
    #: Who found it: ``rules``, the trained ``tagger``, or ``both`` (``roles.merge_with_rules``).
    found_by: str = "rules"

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    def region(self) -> tuple[int, int]:
        """Characters taken by the cue and its source."""
        assert self.cue is not None
        return cue_region(self.cue)


def cue_region(cue: Cue) -> tuple[int, int]:
    """Characters taken by a cue and its source."""
    if cue.source is None:
        return cue.cue
    return min(cue.cue[0], cue.source[0]), max(cue.cue[1], cue.source[1])


class QuoteIndex:
    """Which quotation, if any, covers a character offset."""

    def __init__(self, quoted: Sequence[Quoted]) -> None:
        self.quoted = sorted(quoted, key=lambda q: q.start)
        self._starts = [q.start for q in self.quoted]

    def at(self, char: int) -> Quoted | None:
        i = bisect.bisect_right(self._starts, char) - 1
        if i >= 0 and char < self.quoted[i].end:
            return self.quoted[i]
        return None

    def between(self, start: int, end: int) -> list[Quoted]:
        """The quotations inside ``[start, end)``, in text order."""
        out = []
        for q in self.quoted[bisect.bisect_left(self._starts, start) :]:
            if q.start >= end:
                break
            if q.end <= end:
                out.append(q)
        return out


def _inside(q: Quoted, span: tuple[int, int]) -> bool:
    return contains(span, (q.start, q.end))


def _side_gap(text: str, q: Quoted, cue: Cue) -> int | None:
    """Characters between ``q`` and the cue's words beside it, if only punctuation is there."""
    left, right = cue_region(cue)
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
    """Cue index → the quotations it claims: the last cue whose content holds the quotation,
    else the cue nearest beside it."""
    claims: dict[int, list[Quoted]] = {i: [] for i in range(len(cues))}
    contents = Ranges((span, i) for i, c in enumerate(cues) for span in c.content)
    regions = Ranges((cue_region(c), i) for i, c in enumerate(cues))
    for q in quotes:
        inner = contents.containing(q.start, q.end)
        if inner:
            claims[max(inner)].append(q)
            continue
        near = regions.overlapping(q.start - _MAX_SIDE_GAP - 1, q.end + _MAX_SIDE_GAP + 1)
        gaps = [(g, i) for i in near if (g := _side_gap(text, q, cues[i])) is not None]
        if gaps:
            claims[min(gaps)[1]].append(q)
    return claims


def _from_cue(text: str, cue: Cue, quotes: list[Quoted], key: str) -> Found | None:
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
        content += [s for s in spans if not any(overlaps(s, c) for c in content)]
        kind = QuoteKind.MIXED
    elif spans:
        content = spans
        kind = QuoteKind.DIRECT
    elif clauses:
        content = [c for c in clauses if not any(overlaps(c, s) for s in spans)]
        kind = QuoteKind.INDIRECT
    else:
        return None
    if not content:
        return None
    method = "according-to" if cue.according_to else "cue"
    return Found(
        tuple(sorted(content)),
        kind,
        cue=cue,
        method=method,
        quotes=tuple(quotes),
        confidence=0.9 if kind is QuoteKind.DIRECT else 0.7,
        key=key,
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
    relative = sorted(
        (doc[d.token].left_edge.idx, i) for i, d in enumerate(cues) if doc[d.token].dep_ == "relcl"
    )
    edges = [edge for edge, _ in relative]
    out = []
    for n, c in enumerate(cues):
        content = []
        for start, end in c.content:
            k = bisect.bisect_right(edges, start)  # the first relative clause after ``start``
            while k < len(relative) and relative[k][1] == n:
                k += 1  # not the cue's own
            if k < len(relative) and relative[k][0] < end:
                end = relative[k][0]  # "…, to which he replied, “…”"
            while end > start and text[end - 1] in " ,;:—–-\n":
                end -= 1
            if end > start:
                content.append((start, end))
        out.append(replace(c, content=tuple(content)))
    return out


class _Paragraphs:
    """Which paragraph a character is in."""

    def __init__(self, pars: Sequence[tuple[int, int]]) -> None:
        self._starts = [s for s, _ in pars]

    def of(self, char: int) -> int:
        return max(bisect.bisect_right(self._starts, char) - 1, 0)


_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    """English function words and those of six other languages: the lists the language guess
    of ``ingest/language.py`` reads (``ingest/data/*-function-words.txt``)."""
    return (
        frozenset(read_list("accordingto.ingest", "english-function-words.txt")),
        frozenset(read_list("accordingto.ingest", "other-function-words.txt")),
    )


def _foreign_sentence(text: str, q: Quoted) -> bool:
    """A whole sentence in another language ("“Wir schaffen das.”"): quoted speech or writing,
    never a scare quote, however short.  Its words are mostly outside the Latin script, or
    it opens with a capital, ends a sentence and has more function words of German, French,
    Spanish, Italian, Portuguese or Dutch than of English."""
    words = _WORD.findall(q.words(text))
    if len(words) < 2:
        return False
    if sum(all(ord(ch) >= 0x250 for ch in w) for w in words) * 2 > len(words):
        return True
    inner = q.words(text).strip()
    if not (inner[:1].isupper() and inner.rstrip(",")[-1:] in ".!?"):
        return False
    english, other = _function_words()
    lower = [w.lower() for w in words]
    return sum(w in other for w in lower) > sum(w in english for w in lower)


def _author_sentence(doc: Doc, text: str, q: Quoted) -> tuple[int, int] | None:
    """The sentence in the writer's own words that a quoted fragment ends or sits in ("But
    this insanity must be “explained materialistically.”"): from its start (the writer's words
    before the mark, two or more) to the quotation's end; None when the quotation opens its
    sentence, does not open in lower case, or is a sentence of its own after "… the question, “How …?”"."""
    if not q.words(text).lstrip()[:1].islower():
        return None
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    start = span[0].sent.start_char
    if len(text[start : q.start].split()) < 2 or "\n\n" in text[start : q.start]:
        return None
    return start, q.end


def _continuation(text: str, q: Quoted, prev: Found | None, pars: _Paragraphs) -> bool:
    """Does an uncued quotation continue the speaker of ``prev``, the last attribution before
    it that is not reported speech?"""
    if prev is None:
        return False
    gap_pars = pars.of(q.start) - pars.of(prev.end)
    long_enough = len(q.words(text).split()) >= 4
    return gap_pars == 0 or (gap_pars == 1 and long_enough)


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
        key = f"line{start}"
        found.append(Found((content,), QuoteKind.DIRECT, cue=cue, confidence=0.8, key=key))
    return found if len(found) > 1 else []


def _continued(doc: Doc, text: str, q: Quoted, prev: Found) -> Found:
    """An uncued quotation that continues ``prev``'s speaker: direct when it is a sentence of
    its own, mixed (with the writer's words around it) when it is a fragment of the writer's
    sentence ("It means that the actions … “are a response to contradictions …”")."""
    sentence = _author_sentence(doc, text, q)
    return Found(
        (sentence or (q.start, q.end),),
        QuoteKind.MIXED if sentence else QuoteKind.DIRECT,
        method="continuation",
        continues=prev.key,
        confidence=0.6,
        quotes=(q,),
        key=f"quote{q.start}",
    )


def unclaimed_marks(
    found: Sequence[Found], marks: Sequence[tuple[MarkKind, Quoted]]
) -> list[tuple[MarkKind, Quoted]]:
    """The non-speech marks without the scare quotes that some attribution's content holds:
    words inside what a speaker is reported to say are that speaker's (a mixed quotation),
    never a scare quote as well ("a judge ruled that he should stay in jail because of his
    “history of absconding”").  Call it once every attribution is final."""
    held = Ranges((span, n) for n, f in enumerate(found) for span in f.content)
    return [
        (kind, q)
        for kind, q in marks
        if kind is not MarkKind.SCARE or not held.containing(q.start, q.end)
    ]


class _Sorted:
    """Attributions in text order (by first character; a newcomer after its equals), by key."""

    def __init__(self, found: list[Found]) -> None:
        ordered = sorted(found, key=lambda f: f.start)
        self._keys = [f.key for f in ordered]
        self._starts = [f.start for f in ordered]
        self._found = {f.key: f for f in ordered}

    @property
    def items(self) -> list[Found]:
        return [self._found[k] for k in self._keys]

    def add(self, f: Found) -> None:
        i = bisect.bisect_right(self._starts, f.start)
        self._keys.insert(i, f.key)
        self._starts.insert(i, f.start)
        self._found[f.key] = f

    def put(self, f: Found) -> None:
        """Replace the attribution with ``f``'s key (its first character unchanged) by ``f``."""
        self._found[f.key] = f

    def get(self, key: str) -> Found:
        return self._found[key]

    def last_before(self, char: int, ok: Callable[[Found], bool]) -> Found | None:
        """The last attribution (in text order) starting before ``char`` for which ``ok``."""
        for i in range(bisect.bisect_left(self._starts, char) - 1, -1, -1):
            if ok(f := self._found[self._keys[i]]):
                return f
        return None

    def last_ending_by(self, char: int) -> Found | None:
        """The last attribution (in text order) whose words all end by ``char``."""
        for i in range(bisect.bisect_right(self._starts, char) - 1, -1, -1):
            if (f := self._found[self._keys[i]]).end <= char:
                return f
        return None


def assemble(
    doc: Doc,
    text: str,
    quoted: list[Quoted],
    lex: Lexicon,
    pars: list[tuple[int, int]],
    *,
    deadline: Deadline | None = None,
) -> tuple[list[Found], list[tuple[MarkKind, Quoted]]]:
    """All attributions and non-speech marks of one parsed article (within ``deadline``)."""
    deadline = deadline or Deadline(None)
    index = QuoteIndex(quoted)
    lines = _speaker_labels(doc, text, pars)
    cues = list(find_cues(doc, lex, quoted=lambda c: index.at(c) is not None))
    cues = [
        c for c in cues if not (c.source and index.at(c.source[0]) and index.at(c.source[1] - 1))
    ]
    cues = _snap_to_quotes(index, _cut_nested(doc, text, cues))
    deadline.check("cues")
    titles = {q for q in index.quoted if _after_title_cue(text, q, lex)}
    marks: list[tuple[MarkKind, Quoted]] = [
        (MarkKind.TITLE, q) for q in index.quoted if q in titles
    ]
    claims = _claim(text, [q for q in index.quoted if q not in titles], cues)
    cued = [f for i, c in enumerate(cues) if (f := _from_cue(text, c, claims[i], f"cue{i}"))]
    claimed = {q for qs in claims.values() for q in qs} | titles
    line_spans = Ranges((f.content[0], f) for f in lines)
    claimed |= {q for q in index.quoted if line_spans.overlapping(q.start, q.end)}
    found = _Sorted(sorted(cued, key=lambda f: f.start) + lines)
    # the attributions there before any uncued quotation is placed (no later one holds one)
    hosts = Ranges(((span, (n, f.key)) for n, f in enumerate(found.items) for span in f.content))
    paragraphs = _Paragraphs(pars)
    for n, q in enumerate(index.quoted):
        if n % 256 == 0:
            deadline.check("quotations")
        if q in claimed:
            continue
        host = hosts.containing(q.start, q.end)
        if host:
            first = found.get(min(host)[1])
            if first.kind is QuoteKind.INDIRECT:
                found.put(replace(first, kind=QuoteKind.MIXED))
            continue
        follow = found.last_ending_by(q.start)
        if follow is not None and _follow_on(text, follow, q):
            found.put(
                replace(
                    follow,
                    content=(*follow.content, (q.start, q.end)),
                    quotes=(*follow.quotes, q),
                )
            )
            continue
        if _title_case(text, q):
            marks.append((MarkKind.TITLE, q))
            continue
        prev = found.last_before(q.start, lambda f: f.kind is not QuoteKind.INDIRECT)
        if _continuation(text, q, prev, paragraphs):
            assert prev is not None
            found.add(_continued(doc, text, q, prev))
        elif len(q.words(text).split()) <= 5 and not _foreign_sentence(text, q):
            marks.append((MarkKind.SCARE, q))
        else:
            found.add(
                Found(
                    ((q.start, q.end),),
                    QuoteKind.DIRECT,
                    method="unattributed",
                    confidence=0.3,
                    quotes=(q,),
                    key=f"quote{q.start}",
                )
            )
    return found.items, marks


@functools.cache
def _non_agents() -> frozenset[str]:
    return frozenset(read_list(__package__, "non_agents.txt"))


def by_no_one(doc: Doc, f: Found) -> bool:
    """Is ``f``'s source a description of something that can say, think or intend nothing,
    with no name in it ("red flags for investors | included | that …")?  Its head nouns are
    listed in ``attribution/data/non_agents.txt``."""
    cue = f.cue
    if cue is None or cue.source is None or cue.source_token is None:
        return False
    head = doc[cue.source_token]
    if head.pos_ != "NOUN" or head.lemma_.lower() not in _non_agents():
        return False
    words = doc.char_span(*cue.source, alignment_mode="expand")
    return words is not None and not any(t.pos_ == "PROPN" or t.ent_type_ for t in words)


_CLOSING = {"“": "”", '"': '"', "‘": "’"}


def with_content_edges(text: str, f: Found) -> Found:
    """``f`` with each content piece at PolNeAR's edges: no bare comma at its end ("…, and
    your compensation," said X: the comma closes the writer's clause; on PolNeAR train 119 of
    22,900 pieces end on one, 3,282 stop right before one), nor on a parenthesis it did not
    open (none of train's do), and a quotation it opens closed ("“Trump must stop … unlike
    him.|”" takes its closing mark)."""
    pieces = tuple(_piece_edges(text, s, e) for s, e in f.content)
    return f if pieces == f.content else replace(f, content=pieces)


def _piece_edges(text: str, start: int, end: int) -> tuple[int, int]:
    if end - start > 1 and (
        text[end - 1] == "," or (text[end - 1] == ")" and "(" not in text[start : end - 1])
    ):
        return start, end - 1
    closing = _CLOSING.get(text[start : start + 1])
    if closing and closing not in text[start + 1 : end] and text[end : end + 1] == closing:
        return start, end + 1
    return start, end


def with_source_comma(text: str, f: Found) -> Found:
    """``f`` with its source's edge at PolNeAR's comma: a source set off by a comma inside it
    (an apposition or relative clause: "Tom Clarke, a nursing home owner, said") takes the
    comma that closes it, one with no comma inside it ends before any ("Mr. Kamin, who").
    On PolNeAR train 922 of 1,028 sources with a comma inside end on the closing comma, and
    798 of 803 without one stop before it."""
    cue = f.cue
    if cue is None or cue.source is None:
        return f
    start, end = cue.source
    body = text[start:end]
    if body.endswith(",") and "," not in body[:-1]:
        end -= 1
    elif not body.endswith(",") and "," in body and text[end : end + 1] == ",":
        end += 1
    else:
        return f
    return replace(f, cue=replace(cue, source=(start, end)))
