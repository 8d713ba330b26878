"""Find quoted stretches of text from the quotation marks alone.

A quotation runs from its opening mark to its closing mark, both included (the
PolNeAR convention).  It may run over several paragraphs: news style opens
every paragraph of a long quotation again and closes only the last one; a paragraph may be
one line (text with single line breaks between paragraphs).
Marks that cannot be paired become :class:`~accordingto.model.Diagnostic`s and
the rest of the article is still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from accordingto.model import Diagnostic, Span

from ..nlp.normalize import paragraph_spans

__all__ = ["Quoted", "find_quoted"]

_OPEN_CURLY, _CLOSE_CURLY, _STRAIGHT = "“", "”", '"'
_GUILLEMETS = {"«": "»", "„": "“"}
_OPENING_CONTEXT = set(" \t\n([{—–-/:;,") | {"\u00a0"}


@dataclass(frozen=True, slots=True)
class Quoted:
    """One quotation: ``[start, end)`` includes its marks; ``paragraphs`` it spans."""

    start: int
    end: int
    paragraphs: int = 1
    closed: bool = True

    def inner(self, text: str) -> tuple[int, int]:
        """Offsets of the words between the marks."""
        end = self.end - 1 if self.closed else self.end
        return self.start + 1, end

    def words(self, text: str) -> str:
        s, e = self.inner(text)
        return text[s:e]


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before in _OPENING_CONTEXT or before in "“‘":
        return not after.isspace()
    return False


def _marks(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """``(offset, 'open'|'close')`` for each double quotation mark in a paragraph."""
    for i in range(start, end):
        ch = text[i]
        if ch == _OPEN_CURLY or ch in _GUILLEMETS:
            yield i, "open"
        elif (
            ch == _CLOSE_CURLY
            and (i == start or text[i - 1] == "\n")
            and text[i + 1 : i + 2].isalnum()
        ):
            yield i, "open"  # a closing mark typed for an opening one at a line's start
        elif ch == _CLOSE_CURLY or ch == "»":
            yield i, "close"
        elif ch == _STRAIGHT:
            yield i, "open" if _is_opening_straight(text, i) else "close"


@dataclass
class _State:
    start: int | None = None
    depth: int = 0
    paragraphs: int = 1


def find_quoted(text: str) -> tuple[list[Quoted], list[Diagnostic]]:
    """All quotations in ``text`` and a diagnostic for each mark that has no partner."""
    quoted: list[Quoted] = []
    diagnostics: list[Diagnostic] = []
    state = _State()
    pars = paragraph_spans(text)
    for n, (pstart, pend) in enumerate(pars):
        for i, role in _marks(text, pstart, pend):
            if role == "open":
                if state.start is None:
                    state.start, state.depth = i, 1
                elif (i == pstart or text[i - 1] == "\n") and state.depth == 1:
                    # a continuation mark opening the next paragraph of the quote, also where
                    # paragraphs are single lines (plain text, corpora): never a nested quote
                    state.paragraphs += i != pstart
                else:
                    state.depth += 1
            elif state.start is None:
                diagnostics.append(
                    Diagnostic(
                        "stray-closing-mark",
                        "closing quotation mark with no opening mark",
                        Span.of(text, i, i + 1),
                    )
                )
            elif state.depth > 1:
                state.depth -= 1
            else:
                quoted.append(Quoted(state.start, i + 1, state.paragraphs))
                state = _State()
        if state.start is None:
            continue
        following = pars[n + 1][0] if n + 1 < len(pars) else None
        if following is not None and text[following] in '“"«':
            state.paragraphs += 1
            state.depth = 1
            continue
        diagnostics.append(
            Diagnostic(
                "unclosed-quotation",
                "quotation mark opened but never closed in its paragraph",
                Span.of(text, state.start, pend),
            )
        )
        quoted.append(Quoted(state.start, pend, state.paragraphs, closed=False))
        state = _State()
    return quoted, diagnostics
