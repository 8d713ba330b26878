"""Attributions from role spans: a tagger's SOURCE / CUE / CONTENT spans grouped by cue.

The trained tagger (``accordingto.nlp.tagger``) marks spans with
PolNeAR's boundaries but says nothing of which span belongs with which.  The
grouping is done here, over the parse: each cue takes the source that holds
its grammatical subject (else the nearest source in its sentence) and every
content span that is nearer to it than to any other cue, within its
paragraph.  The rule-based attributions then lend what the tagger cannot
give: citation chains and speakers of uncued quotations.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from accordingto.model import QuoteKind, contains, overlaps
from accordingto.nlp.tagger import RoleSpan
from accordingto.quotes.lexicon import read_list

from .assemble import Found, QuoteIndex, cue_region
from .cues import Cue, subtree_tokens, trim, verb_content, verb_subject
from .positions import Buckets, Ranges

__all__ = ["RoleSpan", "found_from_roles"]


def _token_at(doc: Doc, char: int) -> int:
    """Index of the token at (or, in whitespace, before) a character offset."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is not None and len(span):
        return span.start
    starts = [t.idx for t in doc]  # rare: char is inside whitespace
    return max(bisect.bisect_right(starts, char) - 1, 0)


def _cue_verb(doc: Doc, cue: RoleSpan):
    """The head word of a cue span ("endorsed" in "implicitly endorsed", "advocating" in
    "is advocating")."""
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else doc[_token_at(doc, cue.start)]


def _distance(a: RoleSpan, b: RoleSpan) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _kind(index: QuoteIndex, content: Sequence[tuple[int, int]], text: str) -> QuoteKind:
    quoted = [index.between(s, e) for s, e in content]
    if all(
        len(qs) == 1 and qs[0].start <= s + 1 and qs[0].end >= e - 1
        for qs, (s, e) in zip(quoted, content, strict=True)
    ):
        return QuoteKind.DIRECT
    if any(qs for qs in quoted) or any(ch in text[s:e] for s, e in content for ch in '“”"'):
        return QuoteKind.MIXED
    return QuoteKind.INDIRECT


def _source_for(doc: Doc, cue: RoleSpan, sources: list[RoleSpan]) -> RoleSpan | None:
    """Of the sources given to this cue, the one holding its subject, else the nearest."""
    if not sources:
        return None
    subject = verb_subject(_cue_verb(doc, cue))
    if subject is not None:
        holding = [s for s in sources if s.start <= subject.idx < s.end]
        if holding:
            return holding[0]
        if subject.head.dep_ == "agent":  # "the goals articulated *by the US* …, as Milley
            return None  # spelled out": the agent (``_subject_source``), not a neighbour's
    return min(sources, key=lambda s: _distance(s, cue))


_MAX_CUE_TOKENS = 6
_CHAIN_WORDS = frozenset({"cite", "quote"})


#: Verbs of saying after which PolNeAR leaves a bare preposition out of the cue ("said | of
#: the deal", "wrote | on Twitter"): on PolNeAR train, "said of" is a cue 16 times and "said"
#: before "of" 40; before "on", "at", "in", "to" the preposition is left out 295 times in 298.
_SAYING = frozenset("say tell write recall report add note explain respond reply comment".split())
_LEFT_OUT = frozenset("of on at in to".split())


def _trim_cue(doc: Doc, cue: RoleSpan) -> RoleSpan:
    """A verb of saying without the bare preposition the tagger may take with it."""
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if (
        span is None
        or len(span) != 2
        or span[0].lemma_ not in _SAYING
        or span[1].lower_ not in _LEFT_OUT
    ):
        return cue
    return RoleSpan(cue.label, span[0].idx, span[0].idx + len(span[0]), span[0].text)


def _cites_someone(word: Token) -> bool:
    """Is ``word`` the link of a citation chain (``via``), not a cue: any "quote" ("it wrote,
    quoting a city engineer"), and a "cite" whose object is a name, a pronoun or a people noun
    ("the Times, citing Sam Bendett, wrote")?  What is cited otherwise is content ("Clinton
    cited derogatory comments …", "blocked the rule, citing a threat to public health": 60 of
    PolNeAR train's cues are forms of "cite")."""
    if word.lemma_ not in _CHAIN_WORDS:
        return False
    if word.lemma_ == "quote":
        return True
    objects = [c for c in word.children if c.dep_ in ("dobj", "pobj", "attr")]
    return not objects or any(
        o.pos_ in ("PROPN", "PRON") or o.ent_type_ in _NAMED or o.lemma_.lower() in _people()
        for o in objects
    )


_NAMED = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@functools.cache
def _people() -> frozenset[str]:
    return frozenset(read_list(__package__, "cited_people.txt"))


def _plausible_cue(doc: Doc, cue: RoleSpan, titles: Sequence[tuple[int, int]]) -> bool:
    """Not a runaway span, not the "citing" of a chain (that is ``via``), not "titled" + title."""
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None or len(span) > _MAX_CUE_TOKENS or _cites_someone(span[0]):
        return False
    return not any(0 <= start - cue.end <= 3 for start, _ in titles)


def _subject_source(
    doc: Doc, text: str, cue: RoleSpan, content: list[tuple[int, int]]
) -> RoleSpan | None:
    """The cue's grammatical subject as its source, when the tagger marked none."""
    verb = _cue_verb(doc, cue)
    subject = verb_subject(verb)
    if subject is None or subject.i == verb.i:
        return None
    span = trim(doc, *subtree_tokens(subject, exclude=verb))
    if (
        span is None
        or any(overlaps(span, c) for c in content)
        or overlaps(span, (cue.start, cue.end))
    ):
        return None
    return RoleSpan("SOURCE", *span, text[span[0] : span[1]])


def _without_outer_mark(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A piece that opens with the "that" of a clause it does not hold ("it is clear | that the
    goals | articulated by the US … are not possible"): without that "that"."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2 or span[0].dep_ != "mark" or span[0].lower_ != "that":
        return start, end
    if span.start <= span[0].head.i < span.end:
        return start, end
    return span[1].idx, end


def _clause_content(doc: Doc, text: str, cue: RoleSpan) -> list[tuple[int, int]]:
    """The clause or object the cue verb governs, when the tagger marked no content for it,
    without the words of the cue itself ("who | have no interest in | being accommodated":
    the object of "have" starts inside the cue)."""
    verb = _cue_verb(doc, cue)
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    out = []
    for start, end in verb_content(doc, verb, verb_subject(verb)):
        if cue.start <= start < cue.end:
            start = cue.end
        piece = text[start:end]
        start += len(piece) - len(piece.lstrip())
        if start < end and not (start < cue.end and cue.start < end):
            out.append((start, end))
    return out


#: A relative pronoun left dangling at a content piece's end, opening the next speaker's clause.
_RELATIVE_TAIL = re.compile(r",?\s+(?:(?:to|in|at|of|for|by|with)\s+)?(?:which|whom)$")


def _clean_content(
    text: str, spans: list[tuple[int, int]], index: QuoteIndex, excluded: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Content pieces that hold whole quotations, break at paragraphs, and skip titles."""
    out = []
    for start, end in spans:
        first, last = index.at(start), index.at(end - 1)
        start, end = (first.start if first else start), (last.end if last else end)
        pos = start
        for cut in [m for m in range(start, end) if text.startswith("\n\n", m)] + [end]:
            if cut < end and index.at(cut) is not None:
                continue  # a paragraph break inside a quotation that runs on
            piece = (pos, cut)
            body = text[pos:cut].strip()
            body = _RELATIVE_TAIL.sub("", body)  # "whether he opposed it, to which" → "… it"
            if body and not any(a <= piece[0] and piece[1] <= b for a, b in excluded):
                s = pos + len(text[pos:cut]) - len(text[pos:cut].lstrip())
                out.append((s, s + len(body)))
            pos = cut
    return sorted(set(out))


def found_from_roles(
    doc: Doc,
    text: str,
    roles: Sequence[RoleSpan],
    index: QuoteIndex,
    paragraphs: Sequence[tuple[int, int]],
    excluded: Sequence[tuple[int, int]] = (),
    sent_starts: Sequence[int] | None = None,
    parsed: str | None = None,
) -> list[Found]:
    """Group role spans into attributions, one per cue that has content.

    ``excluded``: stretches that are not speech (titles), dropped from any content;
    ``parsed``: ``doc.text``, when the caller has it (spaCy builds it anew on every access).
    """
    cues = sorted((_trim_cue(doc, r) for r in roles if r.label == "CUE"), key=lambda r: r.start)
    if not cues:
        return []
    sources = [r for r in roles if r.label == "SOURCE"]
    contents = [r for r in roles if r.label == "CONTENT"]
    if sent_starts is None:
        sent_starts = [s.start_char for s in doc.sents]
    par_starts = [s for s, _ in paragraphs]

    def sent_of(char: int) -> int:
        return bisect.bisect_right(sent_starts, char)

    def par_of(char: int) -> int:
        return bisect.bisect_right(par_starts, char)

    cues_in_par: dict[int, list[int]] = {}
    cues_in_sent: dict[int, list[int]] = {}
    for i, k in enumerate(cues):
        cues_in_par.setdefault(par_of(k.start), []).append(i)
        cues_in_sent.setdefault(sent_of(k.start), []).append(i)
    # paragraphs as parsed: a sentence broken over two paragraphs by scraping is one
    parsed = doc.text if parsed is None else parsed
    pieces = [
        _without_outer_mark(doc, *p)
        for p in _clean_content(parsed, [(c.start, c.end) for c in contents], index, excluded)
    ]
    verbs = [_cue_verb(doc, k) for k in cues]
    groups: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(cues))}
    for start, end in pieces:  # each piece to the nearest cue of its paragraph
        piece = RoleSpan("CONTENT", start, end, parsed[start:end])
        words = doc.char_span(start, end, alignment_mode="expand")
        # the sentence of the piece's head word: an opening mark may end the sentence before
        # ("… complexity. ''| There's a lot …,'' said Mr. Burman": spaCy's split)
        sentence = sent_of(words.root.idx if words is not None and len(words) else start)
        near = [
            (
                sentence != sent_of(cues[i].start),
                _outside_relative(verbs[i], cues[i], piece, words),
                _distance(piece, cues[i]),
                i,
            )
            for i in cues_in_par.get(par_of(start), [])
            if _may_govern(index, cues[i], start, end)
        ]
        if near:
            groups[min(near)[-1]].append((start, end))
    owned: dict[int, list[RoleSpan]] = {i: [] for i in range(len(cues))}
    for src in sources:  # each source to the nearest cue of its sentence
        near_cues = [(_distance(src, cues[i]), i) for i in cues_in_sent.get(sent_of(src.start), [])]
        if near_cues:
            owned[min(near_cues)[1]].append(src)
    found = []
    for i, cue in enumerate(cues):
        if not _plausible_cue(doc, cue, excluded):
            continue  # its content and source go with it, not to a neighbour
        content = _one_per_side(cue, _without_addressee(doc, groups[i]))
        content = _complement_alone(doc, parsed, verbs[i], cue, content) or _clause_content(
            doc, parsed, cue
        )
        if not content:
            continue
        source = _source_for(doc, cue, owned[i])
        source = (
            _whole_names(doc, parsed, source)
            if source is not None
            else _subject_source(doc, text, cue, content)
        )
        if source is not None and _patient(doc, verbs[i], source):
            source = None
        source_span = (
            doc.char_span(source.start, source.end, alignment_mode="expand")
            if source is not None
            else None
        )
        rule_cue = Cue(
            cue=(cue.start, cue.end),
            token=verbs[i].i,
            source=(source.start, source.end) if source else None,
            source_token=source_span.root.i if source_span is not None else None,
            content=tuple(content),
        )
        found.append(
            Found(
                tuple(content),
                _kind(index, content, text),
                cue=rule_cue,
                method="cue",
                confidence=0.8,
                quotes=tuple(q for s, e in content for q in index.between(s, e)),
                key=f"tagged{i}",
                found_by="tagger",
            )
        )
    return found


def _whole_names(doc: Doc, text: str, source: RoleSpan) -> RoleSpan:
    """``source`` widened to the end of a named entity it stops inside ("the United | States"
    is "the United States"), over proper nouns only (the small NER's entities often run on
    into a word of another class: "Obama | Says")."""
    words = doc.char_span(source.start, source.end, alignment_mode="expand")
    if words is None or not len(words):
        return source
    j = words.end
    while j < len(doc) and doc[j].ent_iob_ == "I" and doc[j].pos_ == "PROPN":
        j += 1
    if j == words.end:
        return source
    end = doc[j - 1].idx + len(doc[j - 1])
    return RoleSpan(source.label, source.start, end, text[source.start : end])


def _patient(doc: Doc, verb: Token, source: RoleSpan) -> bool:
    """Is ``source`` the passive subject of a cue with no agent ("Mr. Quiros | was accused of
    …", "He | has been harshly criticized for …"): the one the words are about, not the
    one who said them?"""
    if any(c.dep_ == "agent" for c in verb.children):
        return False
    return any(c.dep_ == "nsubjpass" and source.start <= c.idx < source.end for c in verb.children)


def _one_per_side(cue: RoleSpan, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """At most one content piece on each side of the cue, the nearest: a PolNeAR content is
    one stretch before its cue, one after it, or both ("“A,” she said, “B.”"); two on one
    side are 1 % of train's contents, while a second piece the grouping gives a cue is most
    often another attribution's content ("noted that the river is low. | Crops are
    failing …": on PolNeAR dev, content exact +0.011 fast, +0.006 accurate)."""
    pieces = sorted(pieces)
    before = [p for p in pieces if p[1] <= cue.start]
    after = [p for p in pieces if p[0] >= cue.end]
    around = [p for p in pieces if p[0] < cue.end and cue.start < p[1]]
    return sorted(before[-1:] + around + after[:1])


#: The words that open a reported clause ("said *that* …", "asked *whether* …").
_CLAUSE_OPENERS = frozenset({"that", "whether", "if"})
_OPENING_MARKS = frozenset("“\"'‘")
_CLOSING_MARKS = frozenset("”\"'’")


def _complement_alone(
    doc: Doc, text: str, verb: Token, cue: RoleSpan, pieces: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Without the piece before the cue when the piece after it is the clause or object the
    cue governs ("Twelve percent | indicated | that they were unsure", "During his years in
    office | said | a majority …"): what comes before is then the subject or a framing
    phrase, never said.  A quotation before the cue stays ("“A,” she said, “B.”"), and so
    does a piece before a cue that interrupts its clause ("A, she said, B": what follows
    hangs on the clause, not on the cue).  On PolNeAR dev: content exact +0.008."""
    before = [p for p in pieces if p[1] <= cue.start]
    after = [p for p in pieces if p[0] >= cue.end]
    if not before or not after:
        return pieces
    first, last = before[-1]
    if text[first] in _OPENING_MARKS or text[last - 1] in _CLOSING_MARKS:
        return pieces
    words = doc.char_span(*after[0], alignment_mode="expand")
    if words is None:
        return pieces
    governed = words.root.head.i == verb.i and words.root.dep_ in ("ccomp", "xcomp", "dobj")
    if governed or words[0].lower_ in _CLAUSE_OPENERS:
        return [p for p in pieces if p != (first, last)]
    return pieces


def _outside_relative(verb: Token, cue: RoleSpan, piece: RoleSpan, words: SpacySpan | None) -> bool:
    """Is the cue a relative clause's verb and the piece before it, outside that clause ("asked |
    whether he opposed …, to which he replied": the piece is not what "replied" governs)?
    ``verb`` is the cue's head word, ``words`` the piece's tokens."""
    return (
        verb.dep_ == "relcl"
        and piece.end <= cue.start
        and words is not None
        and verb not in words.root.ancestors
        and words.root != verb
    )


def _without_addressee(doc: Doc, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A cue's pieces without those that are only a name, when it has others: "asked |
    Representative Jerrold Nadler | whether …" (the one addressed); a name alone is what a
    verb of stance takes ("has been critical of | Trump", "backed | Clinton")."""
    said = [p for p in pieces if not _just_a_name(doc, *p)]
    return said or pieces


def _just_a_name(doc: Doc, start: int, end: int) -> bool:
    """A content piece that is only a name ("asked | Representative Jerrold Nadler |
    whether …"): the one addressed, never what was said.  Read off the tokens' entity tags
    (``doc.ents`` builds every entity anew on each access)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span) or span[-1].ent_type_ not in ("PERSON", "ORG", "NORP", "GPE"):
        return False
    first = span[-1].i  # the entity that ends the piece starts here
    while first > span.start and doc[first].ent_iob_ == "I":
        first -= 1
    return all(
        t.pos_ in ("PROPN", "DET", "SPACE", "PUNCT") or t.is_title for t in doc[span.start : first]
    )


def _may_govern(index: QuoteIndex, cue: RoleSpan, start: int, end: int) -> bool:
    """No cue governs words around itself, and one inside a quotation (the speaker's own
    "he said") governs only words of that quotation."""
    if start <= cue.start < end:
        return False
    quote = index.at(cue.start)
    return quote is None or (quote.start <= start and end <= quote.end)


def _cut_before_cue(doc: Doc, text: str, tagged: Found, rule: Found) -> Found | None:
    """``tagged`` with its content cut before ``rule``'s cue and source when a piece of it
    holds them and runs on into ``rule``'s content, and ``tagged``'s own cue does not govern
    them ("“…” With the fall of Bakhmut, we added, “…”": the cut takes that whole sentence)
    or governs them only through a relative clause ("…, to which he replied, “…”"); else
    ``None``.  A piece left empty goes, and so does the attribution's claim to any piece
    after the cut.  Nested speech ("said that she told him “…”") is content."""
    cue, own = rule.cue, tagged.cue
    if cue is None or cue.label or own is None:
        return None
    start = cue_region(cue)[0]
    holder = next((p for p in tagged.content if p[0] < start and cue.cue[1] <= p[1]), None)
    if holder is None or not any(overlaps(holder, c) for c in rule.content):
        return None
    verb, own_verb = doc[cue.token], doc[own.token]
    if verb == own_verb or own_verb in verb.ancestors:  # governed: nested, unless relative
        if not _RELATIVE_TAIL.search(text[holder[0] : start].rstrip()):
            return None
    elif holder[0] < verb.sent.start_char < start:
        start = verb.sent.start_char  # the whole sentence of the other cue goes
    body = _RELATIVE_TAIL.sub("", text[holder[0] : start].rstrip(" \n,;:"))
    kept = [p for p in tagged.content if p[1] <= holder[0]]
    noun = verb.pos_ == "NOUN"  # "The claims by X that … | are lies": the claim is all of it
    if body.strip() and not (noun and len(body.split()) < 2):
        kept.append((holder[0], holder[0] + len(body)))
    if not kept:  # nothing of the tagger's would be left: keep the usual merge, but a noun
        return replace(tagged, content=()) if noun else None  # cue's claim replaces it
    return _with_pieces(text, tagged, kept)


def _claim_taken_back(doc: Doc, text: str, tagged: Found, rule: Found) -> Found | None:
    """``tagged`` without the pieces of a rules' noun-cue claim in another sentence ("They
    checked Trump's claim that there have been “thousands of shootings” … They found that
    …": the tagger gave the claim's clause to "found"); None when that is not the case."""
    cue, own = rule.cue, tagged.cue
    if cue is None or own is None or cue.source is None or not cue.noun:
        return None
    sentence = doc[cue.token].sent
    if doc[own.token].sent.start == sentence.start or not all(
        sentence.start_char <= s and e <= sentence.end_char for s, e in rule.content
    ):
        return None
    kept = tuple(p for p in tagged.content if not any(overlaps(p, c) for c in rule.content))
    return _with_pieces(text, tagged, kept)


def _with_pieces(text: str, tagged: Found, kept: Sequence[tuple[int, int]]) -> Found:
    """``tagged`` with only the content pieces ``kept``, its quotations and kind to match."""
    quotes = tuple(q for q in tagged.quotes if any(contains(p, (q.start, q.end)) for p in kept))
    return replace(
        tagged, content=tuple(kept), quotes=quotes, kind=_kind(QuoteIndex(quotes), kept, text)
    )


def _piece_to_its_cue(text: str, tagged: Found, rule: Found) -> Found | None:
    """``tagged`` without the pieces a rules' attribution with a cue and a source of its own
    claims, when ``tagged`` keeps another piece ("the goals articulated by the US for its proxy
    force to “go on the offensive,” as Mark Milley spelled out": the quotation is Milley's, not
    a second piece of "articulated"); else ``None``."""
    cue, own = rule.cue, tagged.cue
    if cue is None or own is None or cue.source is None or cue.label or len(tagged.content) < 2:
        return None
    if overlaps(cue.cue, own.cue) or rule.kind is not QuoteKind.DIRECT:
        return None
    if not (own.cue[1] <= rule.content[0][0] and rule.content[-1][1] <= cue.cue[0]):
        return None  # only a quotation between the two cues, the second one trailing it
    kept = [p for p in tagged.content if not any(overlaps(p, c) for c in rule.content)]
    if not kept or len(kept) == len(tagged.content):
        return None
    return _with_pieces(text, tagged, kept)


def merge_with_rules(tagged: list[Found], rules: list[Found], doc: Doc, text: str) -> list[Found]:
    """The tagger's attributions and the rules', one per cue.

    Where both found the same attribution (overlapping cue, or overlapping content), the
    tagger's spans win (they follow PolNeAR's span conventions), a mixed quotation whose
    fragments the tagger cut short keeps the rules' content, and the rules fill in
    what the tagger lacks: a source it did not tag and the citation chain ("X, citing Y,
    wrote").  Where the tagger's content holds a cue of the rules' that its own cue does not
    govern ("asked whether he opposed it, to which he replied, “Nope …”"), the two are
    different attributions: the tagger's content is cut before that cue's clause (``text``
    is ``doc.text``, for the cut's edges).
    Everything else either found is kept; uncued continuations follow their twin.
    """
    merged = dict(enumerate(tagged))  # the tagger's, as merged so far, by position
    by_cue = Ranges((t.cue.cue, n) for n, t in merged.items() if t.cue)
    by_content: Buckets[int] = Buckets()  # every piece each has had: verified on use
    for m, t in merged.items():
        for s, e in t.content:
            by_content.add(s, e, m)
    extra: list[Found] = []
    twins: dict[str, str] = {}  # a rules' key → its twin's
    dropped: set[int] = set()  # the tagger's that a rules' noun cue's claim replaces
    for r in rules:
        if r.cue is not None and r.cue.label:  # a transcript line: its label says who
            extra.append(r)
            continue
        n: int | None = (
            min((m for m in by_cue.overlapping(*r.cue.cue) if m not in dropped), default=None)
            if r.cue
            else None
        )
        if n is None:
            near = {m for s, e in r.content for m in by_content.overlapping(s, e)} - dropped
            n = min(
                (
                    m
                    for m in near
                    if any(overlaps(a, b) for a in merged[m].content for b in r.content)
                ),
                default=None,
            )
            if n is not None and (cut := _cut_before_cue(doc, text, merged[n], r)) is not None:
                if cut.content:
                    merged[n] = cut
                else:
                    dropped.add(n)
                n = None
            elif n is not None and (cut := _claim_taken_back(doc, text, merged[n], r)) is not None:
                if cut.content:
                    merged[n] = cut
                else:
                    dropped.add(n)
                n = None
            elif n is not None and (cut := _piece_to_its_cue(text, merged[n], r)) is not None:
                merged[n] = cut
                n = None
        if n is None:
            extra.append(r)
            continue
        merged[n] = _with_rules(merged[n], r)
        for s, e in merged[n].content:
            by_content.add(s, e, n)
        twins[r.key] = merged[n].key
    out = [
        replace(f, continues=twins[f.continues]) if f.continues in twins else f
        for f in [*(f for m, f in merged.items() if m not in dropped), *extra]
    ]
    out.sort(key=lambda f: f.start)
    return out


def _other_maker(rule: Cue, tagged: tuple[int, int]) -> bool:
    """Does a rules' noun cue name a maker ("Trump's claim") other than the source the tagger
    put near it ("PolitiFact checked Trump's claim")?  The grammar's maker wins; where both
    are the same words the tagger's edges (PolNeAR's: "Trump's") stay."""
    return rule.noun and rule.source is not None and not overlaps(rule.source, tagged)


def _with_rules(twin: Found, r: Found) -> Found:
    """The tagger's ``twin`` with what the rules' ``r`` knows and it does not (both found it)."""
    twin = replace(twin, found_by="both")
    covers = all(any(contains(a, b) for a in r.content) for b in twin.content)
    if r.kind is QuoteKind.MIXED and covers and len(r.quotes) > len(twin.quotes):
        # the quotation marks give the extent: "said that A “…” and that B “…”"
        twin = replace(twin, content=r.content, kind=r.kind, quotes=r.quotes)
    elif (
        r.kind is twin.kind is QuoteKind.INDIRECT and covers and len(r.content) > len(twin.content)
    ):
        # the clause on both sides of an interrupting cue: "A, they say, B" (the parse's)
        twin = replace(twin, content=r.content)
    if (
        r.cue is not None
        and twin.cue is not None
        and (r.cue.cited or not twin.cue.source or _other_maker(r.cue, twin.cue.source))
    ):
        cue = replace(
            twin.cue,
            source=r.cue.source,
            source_token=r.cue.source_token,
            cited=r.cue.cited,
            cited_token=r.cue.cited_token,
        )
        twin = replace(twin, cue=cue)
        if r.cue.cited:  # "“…,” it wrote, quoting an engineer, “…”": the rules see both parts
            twin = replace(twin, content=r.content, kind=r.kind, quotes=r.quotes)
    return twin
