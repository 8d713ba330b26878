"""The terminal report: attributions grouped by what their cue reports, then by speaker.

Speech comes first ("said", "wrote", "according to"); attributions that report a
thought, an intention, an action or something else are listed after it, each kind
in a section of its own, never dropped.  Every item shows its confidence (and the
speaker's, once calibrated).  A :class:`~accordingto.export.select.Selection`
(``--only``, ``--min-confidence``) leaves attributions out, and the report says how
many.

Every string taken from the input (text, names, roles, title, diagnostics) goes
through :func:`~accordingto.export.terminal.printable`, so an article cannot
send escape sequences to the terminal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from accordingto.events.report import event_lines
from accordingto.model import Analysis, Quote, ReportedAs

from .select import Selection
from .terminal import printable

__all__ = ["SECTION_TITLES", "render_report"]

_KIND_STYLE = {"direct": "green", "indirect": "cyan", "mixed": "yellow"}

#: The heading of each kind's section, in the order they are shown: speech first.
SECTION_TITLES: dict[ReportedAs, str] = {
    ReportedAs.SPEECH: "Speech",
    ReportedAs.THOUGHT: "Reported as thought (not speech)",
    ReportedAs.INTENTION: "Reported as intention (not speech)",
    ReportedAs.ACTION: "Reported as action (not speech)",
    ReportedAs.OTHER: "Reported as something else (not speech)",
}


def _via_names(analysis: Analysis, q: Quote) -> list[str]:
    return [s.name if (s := analysis.speaker(v)) else "unknown source" for v in q.via]


def _confidence(q: Quote) -> str:
    shown = f"confidence {q.confidence:.2f}"
    if q.speaker_confidence is not None:
        shown += f" (speaker {q.speaker_confidence:.2f})"
    return shown


def _quote_line(analysis: Analysis, q: Quote) -> Text:
    line = Text("  • ")
    line.append(f"[{q.kind.value}] ", style=_KIND_STYLE.get(q.kind.value, ""))
    line.append(printable(" … ".join(span.text for span in q.content)))
    details = []
    if q.cue:
        details.append(f"cue “{q.cue.text}”")
    speaker = analysis.speaker(q.speaker_id)
    if q.source and (speaker is None or q.source.text != speaker.name):
        details.append(f"as “{q.source.text}”")
    if q.via:
        details.append("via " + ", ".join(_via_names(analysis, q)))
    if q.method != "cue":
        details.append(q.method)
    details.append(_confidence(q))
    details.append(f"@{q.start}")
    line.append("\n      " + printable("; ".join(details)), style="dim")
    return line


def _heading(analysis: Analysis, speaker_id: str | None, count: int, noun: str) -> Text:
    speaker = analysis.speaker(speaker_id)
    if speaker is None:
        return Text(f"Unknown speaker — {count} {noun}", style="bold red")
    head = Text(printable(speaker.name), style="bold")
    head.append(f" ({speaker.kind.value}", style="magenta")
    head.append(f"; {printable(speaker.role)})" if speaker.role else ")", style="magenta")
    head.append(f" — {count} {noun}")
    return head


def _by_speaker(analysis: Analysis, quotes: list[Quote], noun: str) -> Iterator[RenderableType]:
    """Quotations grouped by speaker, speakers in order of their first quotation (unknown last)."""
    by_speaker: dict[str | None, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_speaker[q.speaker_id].append(q)
    order = sorted(by_speaker, key=lambda s: (s is None, by_speaker[s][0].start))
    for speaker_id in order:
        yield _heading(analysis, speaker_id, len(by_speaker[speaker_id]), noun)
        yield from (_quote_line(analysis, q) for q in by_speaker[speaker_id])
        yield Text("")


def _sections(analysis: Analysis) -> Iterator[RenderableType]:
    """One section per kind that has attributions: speech first, then the others apart."""
    by_kind: dict[ReportedAs, list[Quote]] = defaultdict(list)
    for q in analysis.quotes:
        by_kind[q.reported_as].append(q)
    for kind, title in SECTION_TITLES.items():
        if kind in by_kind:
            speech = kind is ReportedAs.SPEECH
            noun = "quotation(s)" if speech else "attribution(s)"
            yield Text(f"{title} — {len(by_kind[kind])} {noun}", style="bold underline")
            yield from _by_speaker(analysis, by_kind[kind], noun)


def _left_out(total: int, shown: int, selection: Selection) -> Text:
    return Text(
        f"{total - shown} of {total} attribution(s) left out by {selection.describe()}",
        style="yellow",
    )


def render_report(analysis: Analysis, *, selection: Selection | None = None) -> RenderableType:
    """A rich renderable of one analysis, for the terminal; ``selection`` leaves attributions out."""
    article = analysis.article
    title = printable(article.title or article.url or "article")
    total = len(analysis.quotes)
    if selection is not None:
        analysis = selection.apply(analysis)
    parts: list[RenderableType] = []
    if selection is not None and not selection.everything:
        parts += [_left_out(total, len(analysis.quotes), selection), Text("")]
    parts.extend(_sections(analysis))
    parts.extend(event_lines(analysis))  # events after the quotations (docs/events.md)
    if analysis.marks:
        parts.append(Text("Not speech: scare quotes and titles", style="bold"))
        parts.extend(
            Text(printable(f"  • [{m.kind.value}] {m.span.text}  @{m.span.start}"))
            for m in analysis.marks
        )
    for d in analysis.diagnostics:
        at = f" @{d.span.start}" if d.span else ""
        parts.append(Text(printable(f"! {d.code}: {d.message}{at}"), style="red"))
    return Panel(Group(*parts), title=Text(title), subtitle=_summary(analysis), expand=True)


def _summary(analysis: Analysis) -> str:
    speech = sum(q.reported_as is ReportedAs.SPEECH for q in analysis.quotes)
    others = len(analysis.quotes) - speech
    quoted = f"{speech} quotations" + (f" (+{others} not speech)" if others else "")
    return (
        f"{quoted}, {len(analysis.speakers)} speakers, "
        f"{len(analysis.marks)} non-speech marks, {len(analysis.events)} events"
    )
