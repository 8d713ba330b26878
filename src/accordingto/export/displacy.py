"""One article's attributions as HTML, in the manner of spaCy's displaCy, for notebooks.

>>> from accordingto import Analysis, Article
>>> html = render_html(Analysis(article=Article(text="Nothing quoted <here>.")))
>>> "Nothing quoted &lt;here&gt;." in html
True

Quoted words are shaded in their speaker's colour and labelled with the speaker's name
after the quotation; cues are underlined, sources (the mention as written) outlined; quotation
marks that are not speech (scare quotes, titles) are dotted grey with their kind.  The HTML is
one ``<div>`` with its CSS inline (no scripts, no external files), and every piece of text in
it is escaped.  In a notebook: ``IPython.display.HTML(render_html(analysis))``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from accordingto.model import Analysis, Quote, Speaker

__all__ = ["PALETTE", "render_html"]

#: Speaker colours, in order of first quotation (they repeat after ten speakers).
PALETTE = (
    "#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe",
    "#fed7aa", "#a5f3fc", "#fbcfe8", "#d9f99d", "#e5e7eb",
)  # fmt: skip
#: Shade of quotations whose speaker was not found.
UNKNOWN = "#f3f4f6"

_CSS = (
    ".at-doc{font-family:Georgia,serif;line-height:2.2;white-space:pre-wrap;max-width:48em}"
    ".at-doc .at-q{padding:0.15em 0.1em;border-radius:0.2em}"
    ".at-doc .at-cue{text-decoration:underline 2px;text-underline-offset:0.2em}"
    ".at-doc .at-src{outline:1px solid #6b7280;outline-offset:1px;border-radius:0.2em}"
    ".at-doc .at-mark{color:#6b7280;border-bottom:2px dotted #9ca3af}"
    ".at-doc .at-label{font:bold 0.65em sans-serif;text-transform:uppercase;"
    "padding:0.1em 0.35em;margin:0 0.25em;border-radius:0.25em;vertical-align:middle}"
    ".at-doc .at-mark-label{background:#e5e7eb;color:#374151}"
    ".at-legend{font:0.8em sans-serif;margin:0.5em 0}"
    ".at-legend span{padding:0.1em 0.4em;margin-right:0.5em;border-radius:0.25em}"
)


@dataclass(frozen=True, slots=True)
class _Layer:
    """One styled range: ``css`` class, inline ``style`` and a tooltip."""

    start: int
    end: int
    css: str
    style: str = ""
    title: str = ""


def render_html(analysis: Analysis) -> str:
    """The article's text with its quotations, speakers, cues and non-speech marks, as HTML.

    Self-contained (inline ``<style>``), escaped, and the same for the same analysis.
    """
    colours = _speaker_colours(analysis)
    layers = list(_layers(analysis, colours))
    labels: dict[int, list[str]] = {}
    for offset, label in _labels(analysis, colours):
        labels.setdefault(offset, []).append(label)
    body = "".join(_segments(analysis.article.text, layers, labels))
    return (
        f'<div class="accordingto"><style>{_CSS}</style>'
        f"{_legend(analysis, colours)}"
        f'<div class="at-doc">{body}</div></div>'
    )


def _speaker_colours(analysis: Analysis) -> dict[str, str]:
    """A colour per quoted speaker, in order of their first quotation."""
    order: dict[str, str] = {}
    for q in sorted(analysis.quotes, key=lambda q: q.start):
        if q.speaker_id is not None and q.speaker_id not in order:
            order[q.speaker_id] = PALETTE[len(order) % len(PALETTE)]
    return order


def _name(speaker: Speaker | None) -> str:
    return speaker.name if speaker is not None else "unknown speaker"


def _tooltip(analysis: Analysis, q: Quote) -> str:
    speaker = analysis.speaker(q.speaker_id)
    role = f" ({speaker.role})" if speaker is not None and speaker.role else ""
    via = "".join(f", via {_name(analysis.speaker(v))}" for v in q.via)
    cue = f', cue "{q.cue.text}"' if q.cue is not None else ""
    return f"{q.kind} quotation by {_name(speaker)}{role}{via}{cue}; confidence {q.confidence:.2f}"


def _layers(analysis: Analysis, colours: dict[str, str]) -> Iterator[_Layer]:
    for q in analysis.quotes:
        colour = colours.get(q.speaker_id or "", UNKNOWN)
        title = _tooltip(analysis, q)
        for span in q.content:
            yield _Layer(span.start, span.end, "at-q", f"background:{colour}", title)
        if q.cue is not None:
            yield _Layer(q.cue.start, q.cue.end, "at-cue", "", "cue")
        if q.source is not None:
            yield _Layer(q.source.start, q.source.end, "at-src", "", f"source: {title}")
    for m in analysis.marks:
        yield _Layer(m.span.start, m.span.end, "at-mark", "", f"{m.kind} quotes: not speech")


def _labels(analysis: Analysis, colours: dict[str, str]) -> Iterator[tuple[int, str]]:
    """(offset, label HTML): a speaker's name after each quotation, a kind after each mark."""
    for q in analysis.quotes:
        colour = colours.get(q.speaker_id or "", UNKNOWN)
        text = _name(analysis.speaker(q.speaker_id))
        yield q.end, f'<span class="at-label" style="background:{colour}">{_esc(text)}</span>'
    for m in analysis.marks:
        yield m.span.end, f'<span class="at-label at-mark-label">{_esc(str(m.kind))}</span>'


def _segments(text: str, layers: list[_Layer], labels: dict[int, list[str]]) -> Iterator[str]:
    """The text cut at every layer boundary; each piece wrapped in the layers over it.

    Pieces never overlap, so the HTML is well formed however the layers nest or cross.
    """
    cuts = sorted({0, len(text), *labels} | {x for la in layers for x in (la.start, la.end)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    starting: dict[int, list[_Layer]] = {}
    for la in layers:
        starting.setdefault(la.start, []).append(la)
    active: list[_Layer] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        active = [la for la in active if la.end > start] + starting.get(start, [])
        piece = _esc(text[start:end])
        for la in active:
            style = f' style="{la.style}"' if la.style else ""
            piece = f'<span class="{la.css}"{style} title="{_esc(la.title)}">{piece}</span>'
        yield piece
        yield from labels.get(end, [])


def _legend(analysis: Analysis, colours: dict[str, str]) -> str:
    counts = {sid: sum(q.speaker_id == sid for q in analysis.quotes) for sid in colours}
    items = "".join(
        f'<span style="background:{colour}">{_esc(_name(analysis.speaker(sid)))} '
        f"({counts[sid]})</span>"
        for sid, colour in colours.items()
    )
    return f'<div class="at-legend">{items}</div>' if items else ""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
