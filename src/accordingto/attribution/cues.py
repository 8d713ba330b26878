"""Find cues in a parsed article: reporting verbs with their source and content.

A :class:`Cue` is what the grammar says around one cue word: who is its
subject (the source), which clause or object it governs (the content), and,
for "X, citing Y, wrote", whom the source cites.  Quotation marks are not
looked at here beyond skipping cue words that stand inside a quotation (those
are the quoted speaker's own words, not the article's attributions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from accordingto.quotes.lexicon import Lexicon, load_lexicon

__all__ = [
    "Cue",
    "find_cues",
    "subtree_tokens",
    "that_clause",
    "token_range",
    "trim",
    "verb_content",
    "verb_subject",
]

# Verbs whose direct object is the addressee, not the content ("told him").
_ADDRESSEE_VERBS = frozenset(
    "tell ask inform notify assure thank brief urge advise warn remind email text call".split()
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Verbs of intent whose infinitive complement is the content ("wants to raise taxes").
_INTENT_VERBS = frozenset(
    "want plan refuse hope expect decide promise pledge vow vote threaten seek".split()
)
_CLIMB_DEPS = ("conj", "advcl", "xcomp", "acl", "pcomp", "ccomp")
_CITING = frozenset({"cite", "quote"})
#: Dashes that sign a quotation with its speaker's name ("“…” ― Jacklyn Ashley").
_SIGNATURE_DASHES = frozenset("―—")
_TRIM_LEFT = frozenset(",;:-—–.)")
_TRIM_RIGHT = frozenset(",;:-—–.([")


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue word and what the parse attaches to it (character offsets)."""

    cue: tuple[int, int]
    token: int
    source: tuple[int, int] | None
    source_token: int | None
    content: tuple[tuple[int, int], ...]
    according_to: bool = False
    label: bool = False  # a transcript's speaker label, "PENCE: …"
    cited: tuple[int, int] | None = None
    cited_token: int | None = None
    noun: bool = False  # a noun cue whose maker the grammar names ("Trump's claim that …")


def token_range(tokens: list[Token]) -> tuple[int, int]:
    """Character offsets from the first to the last of ``tokens``."""
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range ``[start, end)`` without edge punctuation, as character offsets."""
    while start < end and (doc[start].text in _TRIM_LEFT or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in _TRIM_RIGHT or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return token_range([doc[start], doc[end - 1]])


def subtree_tokens(tok: Token, *, exclude: Token | None = None) -> tuple[int, int]:
    """Token range of ``tok``'s subtree, cut before ``exclude`` if it is inside."""
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    if exclude is not None and start <= exclude.i < end:
        if exclude.i > tok.i:
            end = min(end, exclude.left_edge.i)
        else:
            start = max(start, exclude.right_edge.i + 1)
    return start, end


def verb_subject(verb: Token, depth: int = 0, *, skip: Token | None = None) -> Token | None:
    """The cue's grammatical subject (the nearest, when a bad parse gives two), or its agent.

    ``skip``: a token that is not the subject even if the parse says so (the cited source
    of "The Times, citing Bendett, wrote", which the parser may take for a second subject).
    """
    subjects = [
        c for c in verb.children if c.dep_ in _SUBJECT_DEPS and (skip is None or c.i != skip.i)
    ]
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None and all(c.dep_ == "nsubjpass" for c in subjects):
        # "The plan was criticized *by the mayor*": the agent speaks, not the passive subject
        found = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if found is not None:
            return found
    if subjects:
        before = [c for c in subjects if c.i < verb.i]
        if len(before) > 1 and _ends_relative(before[-2], before[-1]):
            return before[-2]
        return before[-1] if before else subjects[0]
    if verb.dep_ == "relcl":
        return verb.head
    if depth < 2 and verb.dep_ in _CLIMB_DEPS and verb.head is not verb:
        return verb_subject(verb.head, depth + 1)
    return None


def _ends_relative(first: Token, second: Token) -> bool:
    """Is ``second`` the end of ``first``'s relative clause that a bad parse cut off ("A
    spokesperson who did not wish to be named because of agency *policy* said")?  It follows
    the clause's last word with no comma between."""
    doc = first.doc
    for child in first.children:
        if child.dep_ == "relcl" and child.i > first.i:
            between = doc[child.right_edge.i + 1 : second.left_edge.i]
            return not any(t.text in ",;:—–" for t in between) and second.left_edge.i > child.i
    return False


def _cue_span(doc: Doc, verb: Token) -> tuple[int, int]:
    end = verb.i + 1
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    last = doc[end - 1]
    stop = last.idx + len(last)
    if end < len(doc) and doc[end].text == ":" and doc[end].idx == stop:
        stop += 1
    return verb.idx, stop


#: A that-clause's own subject: "that *it* had raised", "that *there* have been".
_CLAUSE_SUBJECTS = (*_SUBJECT_DEPS, "expl", "csubj")
#: How far after a statement's noun its that-clause may start ("in a statement emailed to
#: NBC News on Friday that …"): bounds the search, so that each cue costs a few tokens.
_THAT_WITHIN = 24


def _opens_with_that(clause: Token) -> bool:
    """A clause that opens with "that" and has a subject of its own ("*that it had raised $2
    million*"; not the relative "that was issued")."""
    return (
        clause.pos_ in ("VERB", "AUX")
        and clause.left_edge.lower_ == "that"
        and clause.left_edge.i < clause.i
        and any(c.dep_ in _CLAUSE_SUBJECTS and c.lower_ != "that" for c in clause.children)
    )


def that_clause(head: Token) -> Token | None:
    """The first clause after ``head``, in its subtree and within a few words of it, that
    opens with "that" and has a subject of its own ("a release *that it had raised $2
    million*"; not the relative "a release that was issued")."""
    doc = head.doc
    stop = min(head.right_edge.i + 1, head.i + _THAT_WITHIN)
    for tok in doc[head.i + 1 : stop]:
        if tok.lower_ == "that" and _opens_with_that(tok.head) and head.is_ancestor(tok.head):
            return tok.head
    return None


def _said_in(verb: Token) -> Token | None:
    """The that-clause of "said in a statement (after the meeting) that …": the parser hangs
    it on the noun of the statement, not on the verb."""
    nouns = load_lexicon().nouns
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "in" or prep.i < verb.i:
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.lemma_.lower() in nouns:
            return that_clause(obj)
    return None


def _clause(verb: Token) -> Token | None:
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    before = [c for c in clauses if c.i < verb.i]
    # "A, economists warn, and B, they say": of two clauses before the cue, the nearer
    clause = before[-1] if before else next(iter(clauses), None)
    if clause is None and verb.lemma_ not in _INTENT_VERBS:
        clause = _said_in(verb)
    if clause is None and verb.lemma_ in _INTENT_VERBS:  # "wants to raise taxes"
        clause = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    if clause is None and verb.lemma_ not in _ADDRESSEE_VERBS:
        clause = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
    return clause


def _relative_end(doc: Doc, verb: Token, start: int, end: int) -> int:
    """Where the content of a cue in a relative clause set off by commas ends: at the comma
    that closes the clause ("Amnesty, which said in a report that both sides had shelled
    homes, | called for an inquiry"), which the parser may read as a clause joined by a bare
    comma."""
    first = verb.left_edge.i
    if verb.dep_ != "relcl" or first == 0 or doc[first - 1].text != ",":
        return end
    for tok in doc[start:end]:
        if (
            tok.dep_ == "conj"
            and tok.i > start
            and doc[tok.left_edge.i - 1].text == ","
            and not any(c.dep_ == "cc" for c in tok.head.children)
        ):
            return tok.left_edge.i - 1
    return end


def verb_content(doc: Doc, verb: Token, subject: Token | None) -> tuple[tuple[int, int], ...]:
    clause = _clause(verb)
    if clause is not None and (subject is None or clause.i != subject.i):
        start, end = subtree_tokens(clause, exclude=subject)
        # "said that A and that B": further clauses hang on the verb as conjuncts
        for c in verb.children:
            if (
                c.i > clause.i
                and c.dep_ in ("conj", "ccomp")
                and any(g.dep_ == "mark" for g in c.children)
            ):
                end = max(end, c.right_edge.i + 1)
        span = trim(doc, start, _relative_end(doc, verb, start, end))
        return (span,) if span else ()
    head = verb.head
    first = verb.left_edge.i
    if (
        verb.dep_ in ("advcl", "parataxis", "ccomp", "conj")
        and head.i != verb.i
        and first > 0
        and (doc[first - 1].text == "," or doc[first].text == ",")
    ):  # "S, the Times reported" / "S, they say, T" / "A, critics say, B": the parser hangs
        # the cue on the clause it reports
        spans = [trim(doc, head.left_edge.i, first)]
        core = verb.i + 1  # what follows the cue's own words and a comma
        while core < len(doc) and doc[core].dep_ == "prt" and doc[core].head.i == verb.i:
            core += 1
        end = max(head.right_edge.i, verb.right_edge.i) + 1
        if core + 1 < end and doc[core].text == "," and doc[core + 1].dep_ != "cc":
            spans.append(trim(doc, core + 1, end))
        elif head.i > verb.i:
            return ()  # the cue opens its clause's subject without a closing comma
        return tuple(s for s in spans if s)
    return ()


def _cited(verb: Token) -> Token | None:
    """Y in "X, citing Y, wrote" (the participle hangs on the verb or on X)."""
    doc = verb.doc
    heads = [verb] + [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    for head in heads:
        for child in head.children:
            if child.lemma_ in _CITING and child.dep_ in ("advcl", "acl", "xcomp", "conj", "csubj"):
                obj = next((c for c in child.children if c.dep_ == "dobj"), None)
                if (
                    obj is None
                    and child.i + 1 < len(doc)
                    and doc[child.i + 1].pos_ in ("PROPN", "NOUN")
                ):
                    obj = doc[child.i + 1]
                    while obj.dep_ in ("compound", "amod") and obj.head.i > obj.i:
                        obj = obj.head
                if obj is not None:
                    return obj
    return None


def _verb_cue(doc: Doc, verb: Token) -> Cue:
    cited = _cited(verb)
    subject = verb_subject(verb, skip=cited)
    source = trim(doc, *subtree_tokens(subject, exclude=verb)) if subject is not None else None
    if cited is not None and subject is not None and source is not None:
        source = trim(doc, subject.left_edge.i, min(subject.right_edge.i + 1, cited.left_edge.i))
    elif subject is not None and source is not None:  # the relative clause's cut-off end
        rest = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and subject.i < c.i < verb.i]
        if rest:
            source = trim(doc, subject.left_edge.i, rest[-1].right_edge.i + 1)
    return Cue(
        cue=_cue_span(doc, verb),
        token=verb.i,
        source=source,
        source_token=subject.i if subject is not None else None,
        content=verb_content(doc, verb, subject),
        cited=trim(doc, *subtree_tokens(cited)) if cited is not None else None,
        cited_token=cited.i if cited is not None else None,
    )


def _noun_source(noun: Token) -> Token | None:
    """Who made the claim a cue noun names: "*Biden's* warning", "the claims *by the US*"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from") and child.i > noun.i:
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _predicate_start(noun: Token) -> int | None:
    """Where the predicate of the clause a subject ``noun`` opens starts ("… *are* lies",
    "… *was not* confirmed"), when it comes after the noun."""
    head = noun.head
    if noun.dep_ not in _SUBJECT_DEPS or head.i < noun.i:
        return None
    words = [c.i for c in head.children if c.dep_ in ("aux", "auxpass", "neg") and c.i > noun.i]
    return min([head.i, *words])


def _noun_cue(doc: Doc, noun: Token) -> Cue | None:
    """ "the claims by X that …", "X's warning that …": a cue noun, its maker, its that-clause.

    The parser often ends the clause early where the noun is the sentence's subject ("The
    claims by X that it does not “encourage” strikes | are lies"): the content then runs to
    the predicate.
    """
    maker = _noun_source(noun)
    clause = next(
        (c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i), None
    )
    if maker is None or clause is None or not _opens_with_that(clause):
        return None
    start, end = subtree_tokens(clause)
    predicate = _predicate_start(noun)
    if predicate is not None and predicate > end:
        end = predicate
    content = trim(doc, start, end)
    source_end = maker.right_edge.i + 1
    while source_end > maker.left_edge.i + 1 and doc[source_end - 1].dep_ == "case":
        source_end -= 1  # "Biden's" → "Biden"
    source = trim(doc, maker.left_edge.i, source_end)
    if content is None or source is None:
        return None
    return Cue(
        cue=(noun.idx, noun.idx + len(noun)),
        token=noun.i,
        source=source,
        source_token=maker.i,
        content=(content,),
        noun=True,
    )


def _according_to(doc: Doc, tok: Token) -> Cue | None:
    """ "according to X, S" or "S, according to X"."""
    to = doc[tok.i + 1]
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    head = tok.head if tok.head is not tok else tok
    prep_start, prep_end = tok.i, _without_relative(obj)
    if _closes_sentence(doc, tok, prep_end):  # "A and B, according to X.": all of it
        while head.dep_ == "conj" and head.head.i < head.i:
            head = head.head
    clause_start, clause_end = head.left_edge.i, head.right_edge.i + 1
    parts = [trim(doc, clause_start, prep_start), trim(doc, obj.right_edge.i + 1, clause_end)]
    return Cue(
        cue=token_range([tok, to]),
        token=tok.i,
        source=trim(doc, obj.left_edge.i, prep_end),
        source_token=obj.i,
        content=tuple(p for p in parts if p),
        according_to=True,
    )


def _without_relative(obj: Token) -> int:
    """End (token index) of "officials" in "according to officials, who urged …": the
    relative clause after a comma describes the source, it is not part of its name."""
    end = obj.right_edge.i + 1
    for child in obj.children:
        if child.dep_ in ("relcl", "acl") and child.i > obj.i:
            first = child.left_edge.i
            if first > 0 and obj.doc[first - 1].text == ",":
                end = min(end, first - 1)
    return end


def _closes_sentence(doc: Doc, tok: Token, end: int) -> bool:
    """Does ", according to X" end its sentence (after a comma)?"""
    rest = [t for t in doc[end : tok.sent.end] if not (t.is_punct or t.is_space)]
    return not rest and tok.i > 0 and doc[tok.i - 1].text == ","


def _is_cue_verb(tok: Token, lex: Lexicon) -> bool:
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "amod":
        return False
    if tok.lemma_ in lex.verbs:
        return True
    clausal = ("ccomp", "xcomp") if tok.lemma_ in _INTENT_VERBS else ("ccomp",)
    return tok.lemma_ in lex.clausal_verbs and any(c.dep_ in clausal for c in tok.children)


def _introduces_quote(doc: Doc, tok: Token, quoted: Callable[[int], bool]) -> bool:
    """Any verb right before a colon and a quotation: "Caddell continued: “…”"."""
    if tok.pos_ != "VERB" or tok.i + 2 >= len(doc) or doc[tok.i + 1].text != ":":
        return False
    after = next((t for t in doc[tok.i + 2 : tok.i + 5] if not t.is_space), None)
    return after is not None and quoted(after.idx)


def _headline_colon(doc: Doc) -> int | None:
    """The colon of a headline "Pat Caddell: Voters Worried …" (first line, a name before it)."""
    if not len(doc):
        return None
    first = doc[0].sent
    colon = next((t for t in first if t.text == ":"), None)
    if (
        colon is None
        or colon.i - first.start > 5
        or any(_line_break(t) for t in doc[first.start : colon.i])
    ):
        return None
    named = [e for e in doc.ents if e.end <= colon.i and e.label_ in ("PERSON", "ORG")]
    return colon.i if named else None


def _headline_cue(doc: Doc, colon: Token) -> Cue | None:
    first = colon.sent
    end = next((t.i for t in doc[colon.i : first.end] if "\n" in t.text), first.end)
    source, content = trim(doc, first.start, colon.i), trim(doc, colon.i + 1, end)
    if source is None or content is None:
        return None
    return Cue(
        cue=(colon.idx, colon.idx + 1),
        token=colon.i,
        source=source,
        source_token=colon.i - 1,
        content=(content,),
    )


def _line_break(tok: Token) -> bool:
    return "\n" in tok.text


def _dash_signature(doc: Doc, dash: Token, quoted: Callable[[int], bool]) -> Cue | None:
    """A quotation signed at the end of its line: "“…” ― Krystal Correa".

    The tokenizer may glue the dash to the closing mark ("”―"): the cue is the dash alone.
    """
    at = dash.idx + len(dash) - 1
    last: Token | None
    if len(dash) > 1 and quoted(dash.idx) and not quoted(at):
        last = dash  # "”―": the mark ends the quotation, the dash signs it
    else:
        last = next((t for t in reversed(doc[: dash.i]) if not t.is_space or _line_break(t)), None)
        if last is None or _line_break(last) or len(dash) > 1 or not quoted(last.idx):
            return None
    end = next((t.i for t in doc[dash.i + 1 :] if _line_break(t)), len(doc))
    name = [t for t in doc[dash.i + 1 : end] if not t.is_space and t.text != "."]
    if not 1 <= len(name) <= 6 or not all(t.text[:1].isupper() for t in name):
        return None
    start = last.i
    while start > 0 and not _line_break(doc[start - 1]) and quoted(doc[start - 1].idx):
        start -= 1
    content = (doc[start].idx, at if last is dash else last.idx + len(last))
    return Cue(
        cue=(at, at + 1),
        token=dash.i,
        source=token_range(name),
        source_token=name[-1].i,
        content=(content,),
    )


def find_cues(doc: Doc, lex: Lexicon, *, quoted: Callable[[int], bool]) -> Iterator[Cue]:
    """Every cue outside quotations, in text order.  ``quoted(char)`` says if a char is quoted.

    A signing dash may be glued to the closing mark ("”―"), so dashes are looked at first.
    """
    headline = _headline_colon(doc)
    for tok in doc:
        if tok.text[-1:] in _SIGNATURE_DASHES:
            cue = _dash_signature(doc, tok, quoted)
        elif quoted(tok.idx):
            continue
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cue = _according_to(doc, tok)
        elif _is_cue_verb(tok, lex) or _introduces_quote(doc, tok, quoted):
            cue = _verb_cue(doc, tok)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.nouns:
            cue = _noun_cue(doc, tok)
        elif tok.i == headline:
            cue = _headline_cue(doc, tok)
        else:
            continue
        if cue is not None:
            yield cue
