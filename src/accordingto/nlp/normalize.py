"""The text the parser sees: the article text with markup blanked out, same length.

Offsets must index the input exactly, so nothing here inserts or deletes a
character: Markdown emphasis, heading and link syntax become spaces, and a
paragraph break that splits one sentence (scraping damage: "asked Democratic /
Representative Jerrold Nadler") becomes spaces too, and so does every 16th character of a
long run of punctuation ("“”“”“”…"), which spaCy's tokenizer would otherwise take apart in
time quadratic in the run's length.  The parser then reads clean prose while every token's
``idx`` is still an offset into the input.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["paragraph_spans", "parse_text"]

_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])", re.DOTALL)
_LINK = re.compile(r"!?\[([^\]\n]+)\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})[ \t]", re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*")
#: A run of punctuation (quotation marks, brackets …) long enough to slow spaCy's tokenizer down.
_PUNCT_RUN = re.compile(r"[^\w\s]{17,}")
#: Within such a run, every this many characters one becomes a space.
_RUN_STEP = 16
_TERMINAL = tuple('.!?:;"”’)…]—–-|')


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n":
            chars[i] = " "


def _blank_markdown(text: str, chars: list[str]) -> None:
    for m in _LINK.finditer(text):
        chars[m.start()] = " "  # "[" (or "!")
        if text[m.start()] == "!":
            chars[m.start() + 1] = " "
        _blank(chars, m.end(1), m.end())  # "](url)"
    for m in _EMPHASIS.finditer(text):
        _blank(chars, m.start(1), m.end(1))
        _blank(chars, m.end(2), m.end())
    for m in _HEADING.finditer(text):
        _blank(chars, m.start(1), m.end(1))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: runs of text between blank lines, stripped."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[pos : m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def _is_titlecase(par: str) -> bool:
    words = [w for w in par.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _broken_sentence(prev: str, nxt: str) -> bool:
    """Does a paragraph break fall inside one sentence?"""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not prev or not nxt or prev.endswith(_TERMINAL) or prev.lstrip().startswith("#"):
        return False
    if len(prev.split()) < 6 or _is_titlecase(prev):
        return False
    return nxt[0].islower() or (nxt[0].isupper() and len(nxt.split()) >= 6)


def _join_broken_paragraphs(text: str, chars: list[str]) -> None:
    pars = paragraph_spans(text)
    for (s1, e1), (s2, e2) in itertools.pairwise(pars[1:]):  # never join the title paragraph
        if _broken_sentence(text[s1:e1], text[s2:e2]):
            _blank(chars, e1, s2)
            for i in range(e1, s2):
                chars[i] = " "


def _break_punctuation_runs(text: str, chars: list[str]) -> None:
    """A space after every 16 characters of a long run of punctuation: spaCy splits such a run
    into one token per mark by re-reading the rest of it for each (quadratic: 8,000 quotation
    marks take seconds); runs of 16 cost nothing."""
    for m in _PUNCT_RUN.finditer(text):
        for i in range(m.start() + _RUN_STEP, m.end() - 1, _RUN_STEP):
            chars[i] = " "


def parse_text(text: str, *, markdown: bool = False) -> str:
    """The same-length text handed to spaCy (see module docstring)."""
    chars = list(text)
    if markdown:
        _blank_markdown(text, chars)
    _join_broken_paragraphs(text, chars)
    _break_punctuation_runs(text, chars)
    out = "".join(chars)
    assert len(out) == len(text)
    return out
