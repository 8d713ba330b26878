"""Small charts as inline SVG, drawn on the server: no JavaScript, no chart library.

Every label goes through :func:`markupsafe.escape`; the functions return
:class:`markupsafe.Markup` that templates insert as it is.  Each chart has a
``<title>`` and ``role="img"`` with an ``aria-label`` that says what it shows,
and the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["SOURCE_CLASSES", "bar_chart", "stacked_bars"]

#: Classes of :func:`accordingto.store.queries.source_class`, in drawing order, with colours.
SOURCE_CLASSES = (
    ("official", "#1c7ed6"),
    ("expert", "#37b24d"),
    ("anonymous", "#f59f00"),
    ("other", "#adb5bd"),
    ("unattributed", "#e03131"),
)


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
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
