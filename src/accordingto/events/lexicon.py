"""The trigger lexicon: verbs and event nouns to CAMEO codes, and CAMEO codes to PLOVER.

Built from the PETRARCH2 CAMEO verb dictionary (``data/verbs.tsv``,
``data/verb_patterns.tsv``, ``data/synsets.tsv``), mapped to PLOVER and the Goldstein
scale through ``data/cameo.tsv``; see ``events/build.py`` for how they were made.
A verb's code is its block's default unless a pattern of the block matches the words
around it (its object, its prepositional phrases, its subject), as PETRARCH does.
Event nouns ("strike", "decision", "endorsement") are found through the verb they
are made from ("endorsement" → endorse).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

__all__ = ["Coding", "Lexicon", "load_lexicon", "plover_code", "read_rows"]


def read_rows(name: str) -> list[list[str]]:
    """The tab-separated rows of ``events/data/<name>``, without comments."""
    raw = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in raw.splitlines() if line and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Coding:
    """A CAMEO code and what it stands for in PLOVER."""

    cameo: str
    root: str
    quad: int
    goldstein: float | None
    #: How many pattern groups matched (0: the verb's default code); own patterns win ties.
    specificity: float = 0
    #: The CAMEO verb block (a synonym set: "send" and "deploy" share SEND).
    block: str = ""


@dataclass(frozen=True, slots=True)
class _Pattern:
    before: tuple[frozenset[str], ...]
    after: tuple[frozenset[str], ...]
    cameo: str
    #: One of ``own_patterns.tsv``: a correction, preferred when as specific as a CAMEO one.
    own: bool = False


#: Nominal suffixes and the verb endings they replace: "endorsement" → "endorse".
_NOMINAL = (
    ("ization", "ize"),
    ("isation", "ise"),
    ("ation", "ate"),
    ("ation", "e"),
    ("ation", ""),
    ("ition", "ose"),
    ("sion", "de"),
    ("ssion", "ss"),
    ("ession", "ede"),
    ("ction", "ct"),
    ("tion", "te"),
    ("ment", ""),
    ("ial", "y"),
    ("al", ""),
    ("al", "e"),
    ("ance", ""),
    ("ence", ""),
    ("ure", ""),
    ("ure", "e"),
    ("ery", "er"),
    ("onse", "ond"),
    ("ing", ""),
    ("y", ""),
)

#: Verbs that report speech or thought are attributions, not events, unless their code
#: is an act of PLOVER (accuse, threaten, demand, reject, agree, praise, protest …).
_SPEECH_ACTS = frozenset(
    {"ACCUSE", "THREATEN", "REQUEST", "REJECT", "AGREE", "SUPPORT", "CONCEDE", "PROTEST"}
)


class Lexicon:
    """Verb and noun triggers with their CAMEO patterns."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, float | None]] = {}
        for code, goldstein, root, _ in read_rows("cameo.tsv"):
            self.codes[code] = (root, float(goldstein) if goldstein else None)
        self.quads = {root: int(quad) for root, quad in read_rows("plover_roots.tsv")}
        synsets = {name: frozenset(words.split("|")) for name, words in read_rows("synsets.tsv")}
        self.verbs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.phrasal: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.own_phrasal: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for block, verb, code in read_rows("verbs.tsv"):
            first, _, rest = verb.partition(" ")
            if rest:
                self.phrasal[first].append((rest, block, code))
            else:
                self.verbs[first].append((block, code))
        for block, verb, code in read_rows("own_verbs.tsv"):  # corrections: defaults dropped
            first, _, rest = verb.partition(" ")
            if rest:  # a phrasal verb of our own: "order out"
                self.own_phrasal[first].append((rest, block, code))
                continue
            kept = [(b, "---") for b, _ in self.verbs.get(verb, ())]
            self.verbs[verb] = [*kept, (block, code)]
        self.patterns: dict[str, list[_Pattern]] = defaultdict(list)
        for own, name in ((False, "verb_patterns.tsv"), (True, "own_patterns.tsv")):
            for block, before, after, code in read_rows(name):
                self.patterns[block].append(
                    _Pattern(_groups(before, synsets), _groups(after, synsets), code, own)
                )
        #: Per block, each word of a pattern's first group → the patterns it may start.
        self.anchors: dict[str, dict[str, list[int]]] = {}
        for block, patterns in self.patterns.items():
            index: dict[str, list[int]] = defaultdict(list)
            for i, p in enumerate(patterns):
                for word in (p.after or p.before or (frozenset(),))[0]:
                    index[word].append(i)
            self.anchors[block] = index

    def coding(self, cameo: str, specificity: float = 0, block: str = "") -> Coding | None:
        """PLOVER type, quad class and Goldstein score of a CAMEO code (``None``: not PLOVER)."""
        found = self.codes.get(cameo)
        if found is None or found[0] == "-":
            return None
        root, goldstein = found
        return Coding(cameo, root, self.quads.get(root, 0), goldstein, specificity, block)

    def is_verb(self, lemma: str) -> bool:
        return lemma in self.verbs or lemma in self.phrasal or lemma in self.own_phrasal

    def knows_verb(self, lemma: str) -> bool:
        """Whether the verb has any coding here, alone or as a phrasal verb (a cheap test
        before the words around it are gathered)."""
        return lemma in self.verbs or lemma in self.phrasal or lemma in self.own_phrasal

    def code_verb(
        self, lemma: str, before: Iterable[str], after: Iterable[str], *, speech: bool = False
    ) -> Coding | None:
        """The most specific PLOVER coding of a verb given the words before and after it.

        ``after`` holds the lemmas and lower-case forms of its object, particles and
        prepositional phrases, joined phrases too ("air strike"); ``before`` those of its
        subject.  ``speech``: the verb is a cue of reported speech.
        """
        before_set, after_set = frozenset(before), frozenset(after)
        blocks = [(b, c, 0) for b, c in self.verbs.get(lemma, ())]
        blocks += [(b, c, 0) for rest, b, c in self.phrasal.get(lemma, ()) if rest in after_set]
        # a phrasal verb of our own corrects the verb alone: "order out" beats "order"
        blocks += [(b, c, 1) for rest, b, c in self.own_phrasal.get(lemma, ()) if rest in after_set]
        best: Coding | None = None
        for block, default, particle in blocks:
            for cameo, spec in self._matches(block, before_set, after_set):
                best = _better(best, self.coding(cameo, spec, block))
            best = _better(best, self.coding(default, particle, block))
        if best is not None and speech and best.root not in _SPEECH_ACTS:
            return None
        return best

    def _matches(self, block: str, before: frozenset[str], after: frozenset[str]):
        """The block's patterns whose every group meets the words around the verb (only those
        whose first group does are tried: a look-up per word, not a scan of the block)."""
        patterns, index = self.patterns.get(block, []), self.anchors.get(block, {})
        tried = sorted({i for w in before | after for i in index.get(w, ())})
        for p in (patterns[i] for i in tried):
            if all(g & before for g in p.before) and all(g & after for g in p.after):
                yield p.cameo, len(p.before) + len(p.after) + 0.5 * p.own

    def noun_verbs(self, lemma: str) -> list[str]:
        """The verbs an event noun may be made from ("decision" → decide), most likely first."""
        out = [lemma] if self.is_verb(lemma) else []
        for suffix, ending in _NOMINAL:
            if lemma.endswith(suffix) and len(lemma) > len(suffix) + 2:
                verb = lemma[: -len(suffix)] + ending
                if self.is_verb(verb) and verb not in out:
                    out.append(verb)
        return out


def _better(a: Coding | None, b: Coding | None) -> Coding | None:
    if b is None:
        return a
    if a is None or b.specificity > a.specificity:
        return b
    return a


def _groups(raw: str, synsets: dict[str, frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Pattern groups as sets of accepted words: a word, a phrase or a synonym set."""
    out = []
    for word in raw.split():
        if word.startswith("&"):
            out.append(frozenset(w.replace("_", " ") for w in synsets.get(word, ())))
        else:
            out.append(frozenset([word.replace("_", " ")]))
    return tuple(g for g in out if g)


@functools.cache
def load_lexicon() -> Lexicon:
    """The lexicon, read once per process."""
    return Lexicon()


@functools.cache
def _modality_codes() -> dict[str, tuple[str, str]]:
    return {
        root: (intended, negated) for root, intended, negated in read_rows("plover_modality.tsv")
    }


def plover_code(root: str, modality: str) -> str:
    """The single PLOVER code of an event of type ``root`` reported with ``modality``, as PLOVER
    codes sentences: a planned, threatened or hypothetical ASSAULT is a THREATEN, a planned AID
    an AGREE, a negated SUPPORT a REJECT; what happened (or goes on, or is demanded) keeps its
    type.

    >>> plover_code("ASSAULT", "threatened"), plover_code("AID", "planned"), plover_code("AID", "happened")
    ('THREATEN', 'AGREE', 'AID')
    """
    intended, negated = _modality_codes().get(root, (root, root))
    if modality in ("planned", "threatened", "hypothetical"):
        return intended
    if modality == "negated":
        return negated
    return root
