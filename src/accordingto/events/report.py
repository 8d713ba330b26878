"""Events in the terminal report: one line per event, after the quotations.

Strings from the input go through :func:`~accordingto.export.terminal.printable`.
"""

from __future__ import annotations

from rich.text import Text

from accordingto.model import Analysis, Event, Modality

__all__ = ["event_lines"]

_QUADS = {1: "verbal coop.", 2: "material coop.", 3: "verbal conflict", 4: "material conflict"}
_STYLE = {
    Modality.HAPPENED: "green",
    Modality.ONGOING: "green",
    Modality.NEGATED: "red",
}


def _party(code: str | None, sector: str | None) -> str:
    if code is None:
        return f"?/{sector}" if sector else "?"
    return f"{code}/{sector}" if sector else code


def _line(analysis: Analysis, e: Event) -> Text:
    from accordingto.export.terminal import printable

    line = Text("  • ")
    line.append(f"{e.root} ", style="bold")
    line.append(
        f"{_party(e.actor_code, e.actor_sector)} → {_party(e.target_code, e.target_sector)} "
    )
    line.append(f"[{e.modality.value}]", style=_STYLE.get(e.modality, "yellow"))
    if e.date:
        line.append(f" {e.date}")
    line.append(printable(f" “{e.trigger.text}”"))
    details = [f"{_QUADS.get(e.quad, e.quad)}"]
    if e.intensity is not None:
        details.append(f"Goldstein {e.intensity:+.1f}")
    if e.actor:
        details.append(f"actor “{e.actor.text}”")
    if e.target:
        details.append(f"target “{e.target.text}”")
    if e.place:
        details.append(f"in “{e.place.text}”")
    claimant = analysis.speaker(e.claimed_by)
    details.append(f"claimed by {claimant.name}" if claimant else "asserted by the author")
    if len(e.mentions) > 1:
        details.append(f"{len(e.mentions)} mentions")
    details.append(f"@{e.trigger.start}")
    line.append("\n      " + printable("; ".join(details)), style="dim")
    return line


def event_lines(analysis: Analysis) -> list[Text]:
    """A heading and one entry per event; nothing when the article reports none."""
    if not analysis.events:
        return []
    head = Text(f"Events — {len(analysis.events)}", style="bold")
    return [head, *(_line(analysis, e) for e in analysis.events), Text("")]
