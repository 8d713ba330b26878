"""Small charts as inline SVG, drawn on the server: no JavaScript, no chart library.

Every label goes through :func:`markupsafe.escape`; the functions return
:class:`markupsafe.Markup` that templates insert as it is.  Each chart has a
``<title>`` and ``role="img"`` with an ``aria-label`` that says what it shows,
and the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["SOURCE_CLASSES", "Series", "bar_chart", "stacked_bars", "timeline_chart"]

#: Classes of :func:`accordingto.store.queries.source_class`, in drawing order, with colours.
SOURCE_CLASSES = (
    ("official", "#1c7ed6"),
    ("expert", "#37b24d"),
    ("anonymous", "#f59f00"),
    ("other", "#adb5bd"),
    ("unattributed", "#e03131"),
)


def _svg(width: int, height: int, label: str, body: list[str], cls: str = "chart") -> Markup:
    head = (
        f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(
    points: Sequence[tuple[str, int]], *, label: str, width: int = 560, height: int = 180
) -> Markup:
    """Vertical bars, one per ``(label, value)`` (e.g. quotations per month), labels below."""
    if not points:
        return Markup("")
    top = max(v for _, v in points) or 1
    left, bottom, plot_h = 30, 34, height - 44
    slot = (width - left - 6) / len(points)
    bar = max(2.0, slot * 0.7)
    body = [
        f'<text x="2" y="16">{top}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#868e96"/>',
    ]
    every = max(1, len(points) // 8)  # at most ~8 axis labels
    for i, (name, value) in enumerate(points):
        h = plot_h * value / top
        x = left + i * slot + (slot - bar) / 2
        y = height - bottom - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#1a55a8">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
        if i % every == 0:
            body.append(f'<text x="{x:.1f}" y="{height - bottom + 14}">{escape(name)}</text>')
    return _svg(width, height, label, body)


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, int]]],
    *,
    label: str,
    classes: Sequence[tuple[str, str]] = SOURCE_CLASSES,
    width: int = 560,
) -> Markup:
    """Horizontal 100 % bars, one per ``(label, {class: count})``, with a legend."""
    if not rows:
        return Markup("")
    line, name_w, legend_h = 26, 150, 24
    height = legend_h + line * len(rows) + 4
    body = []
    for i, (cls, colour) in enumerate(classes):
        x = i * (width / len(classes))
        body.append(
            f'<rect x="{x:.0f}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.0f}" y="14">{escape(cls)}</text>'
        )
    for r, (name, counts) in enumerate(rows):
        y = legend_h + r * line
        total = sum(counts.get(c, 0) for c, _ in classes) or 1
        body.append(f'<text x="0" y="{y + 15}">{escape(name[:24])}</text>')
        x = float(name_w)
        for cls, colour in classes:
            w = (width - name_w) * counts.get(cls, 0) / total
            if w > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{line - 8}" '
                    f'fill="{colour}"><title>{escape(name)}: {counts[cls]} {escape(cls)}'
                    "</title></rect>"
                )
            x += w
    return _svg(width, height, label, body)


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a :func:`timeline_chart`: a name and a value (or ``None``) per x label."""

    name: str
    values: Sequence[float | None]


#: How each series of a timeline is drawn: a CSS class (its colour), a dash pattern and a
#: marker shape, so the series differ in more than colour.
_STYLES = (("a-b", "", "circle"), ("b-a", "6 4", "square"))


def _marker(shape: str, x: float, y: float, cls: str, title: str) -> str:
    if shape == "circle":
        return f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="4.5"><title>{title}</title></circle>'
    return (
        f'<rect class="{cls}" x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9">'
        f"<title>{title}</title></rect>"
    )


def _panel(
    title: str,
    series: Sequence[Series],
    links: Sequence[str],
    labels: Sequence[str],
    *,
    top: float,
    width: int,
    span: tuple[float, float] | None,
) -> tuple[list[str], float]:
    """One panel of a timeline (its SVG elements) starting at ``top``; returns them and its height."""
    left, plot_h, height = 44, 80, 132
    values = [v for s in series for v in s.values if v is not None]
    low, high = span or (min([0.0, *values]), max([1.0, *values]))
    scale = plot_h / ((high - low) or 1)
    n = len(labels)
    step = (width - left - 16) / max(1, n - 1)

    def x(i: int) -> float:
        return left + 8 + (i * step if n > 1 else (width - left - 16) / 2)

    def y(v: float) -> float:
        return top + 30 + plot_h - (v - low) * scale

    body = [
        f'<text x="0" y="{top + 12}" font-weight="600">{escape(title)}</text>',
        f'<text x="2" y="{y(high) + 4:.1f}">{high:g}</text>',
        f'<text x="2" y="{y(low) + 4:.1f}">{low:g}</text>',
        f'<line x1="{left}" y1="{y(max(low, min(0.0, high))):.1f}" x2="{width}" '
        f'y2="{y(max(low, min(0.0, high))):.1f}" stroke="#868e96"/>',
    ]
    for s, (cls, dash, shape) in zip(series, _STYLES, strict=False):
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline class="{cls}" fill="none" stroke-width="2"{dashes} points="{path}"/>'
            )
        for i, v in points:
            tip = escape(f"{title}, {s.name}, {labels[i]}: {v:g} (open the evidence)")
            body.append(
                f'<a href="{escape(links[i])}" aria-label="{tip}">'
                + _marker(shape, x(i), y(v), cls, tip)
                + "</a>"
            )
    return body, height


def timeline_chart(
    labels: Sequence[str],
    panels: Sequence[tuple[str, Sequence[Series], tuple[float, float] | None]],
    *,
    links: Sequence[str],
    label: str,
    width: int = 640,
) -> Markup:
    """Lines over time, one panel per ``(title, series, y range or None)``, x labels below.

    Every point is a link (``links[i]`` for the i-th x label), to the evidence behind it;
    the first series is solid with circles, the second dashed with squares.
    """
    if not labels:
        return Markup("")
    series_names = [s.name for s in panels[0][1]]
    body = []
    for j, (name, (cls, dash, shape)) in enumerate(zip(series_names, _STYLES, strict=False)):
        x0 = j * 200
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line class="{cls}" x1="{x0}" y1="10" x2="{x0 + 24}" y2="10" stroke-width="2"{dashes}/>'
            + _marker(shape, x0 + 12, 10, cls, escape(name))
            + f'<text x="{x0 + 30}" y="14">{escape(name)}</text>'
        )
    top = 24.0
    for title, series, span in panels:
        elements, height = _panel(title, series, links, labels, top=top, width=width, span=span)
        body += elements
        top += height
    n = len(labels)
    every = max(1, n // 8)
    step = (width - 60) / max(1, n - 1)
    for i, name in enumerate(labels):
        if i % every == 0 or i == n - 1:
            xi = 52 + (i * step if n > 1 else (width - 60) / 2)
            anchor = "end" if i == n - 1 and n > 1 else "middle" if n == 1 else "start"
            body.append(
                f'<text x="{xi:.1f}" y="{top + 2:.0f}" text-anchor="{anchor}">{escape(name)}</text>'
            )
    return _svg(width, int(top + 10), label, body, cls="chart timeline")
