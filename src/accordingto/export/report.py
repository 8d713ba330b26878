"""The terminal report: quotations grouped by speaker, with roles, kinds and chains.

Every string taken from the input (text, names, roles, title, diagnostics) goes
through :func:`~accordingto.export.terminal.printable`, so an article cannot
send escape sequences to the terminal.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from accordingto.events.report import event_lines
from accordingto.model import Analysis, Quote

from .terminal import printable

__all__ = ["render_report"]

_KIND_STYLE = {"direct": "green", "indirect": "cyan", "mixed": "yellow"}


def _via_names(analysis: Analysis, q: Quote) -> list[str]:
    return [s.name if (s := analysis.speaker(v)) else "unknown source" for v in q.via]


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
    details.append(f"@{q.start}")
    line.append("\n      " + printable("; ".join(details)), style="dim")
    return line


def _heading(analysis: Analysis, speaker_id: str | None, count: int) -> Text:
    speaker = analysis.speaker(speaker_id)
    if speaker is None:
        return Text(f"Unknown speaker — {count} quotation(s)", style="bold red")
    head = Text(printable(speaker.name), style="bold")
    head.append(f" ({speaker.kind.value}", style="magenta")
    head.append(f"; {printable(speaker.role)})" if speaker.role else ")", style="magenta")
    head.append(f" — {count} quotation(s)")
    return head


def render_report(analysis: Analysis) -> RenderableType:
    """A rich renderable of one analysis, for the terminal."""
    article = analysis.article
    title = printable(article.title or article.url or "article")
    parts: list[RenderableType] = []
    by_speaker: dict[str | None, list[Quote]] = defaultdict(list)
    for q in analysis.quotes:
        by_speaker[q.speaker_id].append(q)
    order = sorted(by_speaker, key=lambda s: (s is None, by_speaker[s][0].start))
    for speaker_id in order:
        parts.append(_heading(analysis, speaker_id, len(by_speaker[speaker_id])))
        parts.extend(_quote_line(analysis, q) for q in by_speaker[speaker_id])
        parts.append(Text(""))
    parts.extend(event_lines(analysis))  # events after the quotations (docs/events.md)
    if analysis.marks:
        parts.append(Text("Not speech", style="bold"))
        parts.extend(
            Text(printable(f"  • [{m.kind.value}] {m.span.text}  @{m.span.start}"))
            for m in analysis.marks
        )
    for d in analysis.diagnostics:
        at = f" @{d.span.start}" if d.span else ""
        parts.append(Text(printable(f"! {d.code}: {d.message}{at}"), style="red"))
    summary = (
        f"{len(analysis.quotes)} quotations, {len(analysis.speakers)} speakers, "
        f"{len(analysis.marks)} non-speech marks, {len(analysis.events)} events"
    )
    return Panel(Group(*parts), title=Text(title), subtitle=summary, expand=True)
