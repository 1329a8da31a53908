"""Charts drawn on the server as inline SVG, for the dashboard and a case's journey: no
script, nothing fetched.

Each chart is a picture of a table printed beside it with the same numbers, so it is one
image to assistive technology (role="img", named by its <title>, described by its
<desc>). A missing value is not drawn: a line has a gap (on the dashboard, where a
value is suppressed, the key says once that a gap is a hidden number, "c"); a bar has an
empty, dashed slot marked "c". Charts are read in print and in black and white too, so
nothing is told by colour alone: each line has its own dashes and markers, each part of
a bar its own pattern. Only presentation attributes are used (no style attribute), which
the page's Content Security Policy allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from feedback.i18n import s_

# GOV.UK palette colours with at least 3:1 contrast against white.
COLOURS = (
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#4c2c92",
    "#b14f0e",
    "#0f7a72",
    "#a8235f",
    "#505a5f",
    "#594d00",
)
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")

WIDTH = 640
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"'
INK = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Line:
    name: str
    points: Sequence[float | None]


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, description: str, height: float) -> list[str]:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="app-chart" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" {FONT} font-size="13">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        corners = ((x, y - 5), (x + 5, y + 4), (x - 5, y + 4))
    else:
        corners = ((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
    points = " ".join(f"{_n(cx)},{_n(cy)}" for cx, cy in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    lines: Sequence[Line],
    y_max: float = 100,
    y_ticks: Sequence[float] = (0, 25, 50, 75, 100),
    gap_label: str | None = None,
) -> Markup:
    """Lines over evenly spaced periods; None is a gap. Where `gap_label` is given (the
    dashboard's "c" for a suppressed value) and a line has a gap, the key says once what a
    gap is. The key has a row a line, so no name is cut short."""
    left, right, top, plot_h, bottom, legend_row = 44, 44, 16, 240, 40, 22
    n = len(x_labels)
    gaps = bool(gap_label) and any(v is None for s in lines for v in s.points[:n])
    legend_rows = len(lines) + (1 if gaps else 0)
    height = top + plot_h + bottom + legend_rows * legend_row + 8
    plot_w = WIDTH - left - right

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if n <= 1 else i * plot_w / (n - 1))

    def y_at(v: float) -> float:
        return top + plot_h - (v / y_max) * plot_h

    parts = _open(chart_id, title, description, height)
    for tick in y_ticks:
        y = y_at(tick)
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{WIDTH - right}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" fill="{INK}">'
            f"{_n(tick)}</text>"
        )
    step = max(1, -(-n * 70 // plot_w))
    for i, label in enumerate(x_labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{_n(x_at(i))}" y="{top + plot_h + 20}" text-anchor="middle" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    for index, s in enumerate(lines):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        shape = MARKERS[index % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for i, v in enumerate(s.points):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{_n(x_at(i))},{_n(y_at(v))}")
        parts.append(f'<g class="app-chart__series" data-series="{escape(s.name)}">')
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
        for i, v in enumerate(s.points):
            if v is not None:
                parts.append(_marker(shape, x_at(i), y_at(v), colour))
        parts.append("</g>")
        lx = left
        ly = top + plot_h + bottom + index * legend_row
        parts.append(
            f'<line x1="{_n(lx)}" y1="{ly}" x2="{_n(lx + 28)}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
            + _marker(shape, lx + 14, ly, colour)
            + f'<text x="{_n(lx + 36)}" y="{ly + 4}" fill="{INK}">{escape(s.name)}</text>'
        )
    if gaps:
        ly = top + plot_h + bottom + len(lines) * legend_row
        key = s_(
            "A gap in a line is a number hidden to protect privacy (“%(symbol)s” in the table).",
            symbol=gap_label,
        )
        parts.append(
            f'<text class="app-chart__gap-key" x="{left}" y="{ly + 4}" fill="{INK}">'
            f"{escape(key)}</text>"
        )
    parts.append("</svg>")
    svg = "".join(parts)
    return Markup(svg)  # noqa: S704  # nosec B704  # every value above is escaped or a number


# Fills told apart without colour: solid, diagonal lines, dots, crossed lines.
PATTERNS = ("", "diagonal", "dots", "cross")


def _pattern(pattern_id: str, kind: str, colour: str) -> str:
    if kind == "diagonal":
        marks = '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="2"/>'
    elif kind == "dots":
        marks = '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>'
    else:
        marks = '<path d="M0,4 h8 M4,0 v8" stroke="#ffffff" stroke-width="1.5"/>'
    return (
        f'<pattern id="{escape(pattern_id)}" width="8" height="8" '
        f'patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>'
        f"{marks}</pattern>"
    )


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    segments: Sequence[str],
    colours: Sequence[str] = COLOURS,
) -> Markup:
    """A horizontal bar a row, split into segments; a suppressed segment is an empty
    dashed slot marked "c"."""
    label_w, right, top, bar_h, gap, slot = 240, 16, 8, 20, 10, 18
    legend_y = top + len(rows) * (bar_h + gap) + 10
    height = legend_y + 32
    plot_w = WIDTH - label_w - right
    widest = max(
        (sum(v for v in values if v is not None) + 0.0 for _label, values in rows),
        default=0.0,
    )
    most_slots = max((sum(v is None for v in values) for _l, values in rows), default=0)
    scale = (plot_w - most_slots * slot) / widest if widest else 0

    parts = _open(chart_id, title, description, height)
    fills = []
    defs = []
    for s in range(len(segments)):
        colour = colours[s % len(colours)]
        kind = PATTERNS[s % len(PATTERNS)]
        if kind:
            pattern_id = f"{chart_id}-pattern-{s}"
            defs.append(_pattern(pattern_id, kind, colour))
            fills.append(f"url(#{escape(pattern_id)})")
        else:
            fills.append(colour)
    if defs:
        parts.append("<defs>" + "".join(defs) + "</defs>")
    for r, (label, values) in enumerate(rows):
        y = top + r * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 8}" y="{_n(y + bar_h / 2 + 4)}" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        x = float(label_w)
        for s, value in enumerate(values):
            fill = fills[s % len(fills)]
            if value is None:
                parts.append(
                    f'<rect x="{_n(x + 1)}" y="{y}" width="{slot - 2}" height="{bar_h}" '
                    f'fill="none" stroke="{INK}" stroke-dasharray="2 2"/>'
                    f'<text class="app-chart__suppressed" x="{_n(x + slot / 2)}" '
                    f'y="{_n(y + bar_h / 2 + 4)}" text-anchor="middle" fill="{INK}">c</text>'
                )
                x += slot
                continue
            w = value * scale
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{_n(x)}" y="{y}" width="{_n(w)}" height="{bar_h}" fill="{fill}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            if w >= 28:
                # On a patch of the bar's own colour, so the pattern does not cross it.
                parts.append(
                    f'<rect x="{_n(x + w / 2 - 12)}" y="{_n(y + 3)}" width="24" '
                    f'height="{bar_h - 6}" fill="{colours[s % len(colours)]}"/>'
                    f'<text x="{_n(x + w / 2)}" y="{_n(y + bar_h / 2 + 4)}" '
                    f'text-anchor="middle" fill="#ffffff">{_n(value)}</text>'
                )
            x += w
    x = float(label_w)
    for s, name in enumerate(segments):
        parts.append(
            f'<rect x="{_n(x)}" y="{legend_y}" width="16" height="16" fill="{fills[s]}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="{_n(x + 20)}" y="{legend_y + 13}" fill="{INK}">{escape(name)}</text>'
        )
        x += 28 + 7.5 * len(name)
    parts.append("</svg>")
    svg = "".join(parts)
    return Markup(svg)  # noqa: S704  # nosec B704  # every value above is escaped or a number
