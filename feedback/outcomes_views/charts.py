"""Charts drawn on the server as inline SVG: no script, nothing fetched, nothing to block.

The chart is a picture of a table shown beside it, so it is one image to assistive
technology (role="img", named by its <title> and described by its <desc>); the table
carries the numbers. Colours come with dash patterns and marker shapes, so no line is
told apart by colour alone. Only presentation attributes are used (no style attribute),
which the page's Content Security Policy allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

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
PLOT_HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 16, 44
LEGEND_ROW = 22
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{_num(x - 4)}" y="{_num(y - 4)}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        corners = ((x, y - 5), (x + 5, y + 4), (x - 5, y + 4))
    else:
        corners = ((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
    points = " ".join(f"{_num(cx)},{_num(cy)}" for cx, cy in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_max: float = 100,
    y_ticks: Sequence[float] = (0, 25, 50, 75, 100),
) -> Markup:
    """Lines of scores (None is a gap) over evenly spaced occasions, with a legend."""
    n = len(x_labels)
    legend_rows = (len(series) + 1) // 2
    height = TOP + PLOT_HEIGHT + BOTTOM + legend_rows * LEGEND_ROW + 8
    plot_width = WIDTH - LEFT - RIGHT

    def x_at(i: int) -> float:
        return LEFT + (plot_width / 2 if n <= 1 else i * plot_width / (n - 1))

    def y_at(v: float) -> float:
        return TOP + PLOT_HEIGHT - (v / y_max) * PLOT_HEIGHT

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="app-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" {FONT} font-size="13">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    for tick in y_ticks:
        y = y_at(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{_num(y + 4)}" text-anchor="end" fill="#0b0c0c">'
            f"{_num(tick)}</text>"
        )
    # Label every occasion if they fit, else every k-th, always the first and the last.
    step = max(1, -(-n * 70 // plot_width))
    for i, label in enumerate(x_labels):
        if i % step and i != n - 1:
            continue
        parts.append(
            f'<text x="{_num(x_at(i))}" y="{TOP + PLOT_HEIGHT + 20}" text-anchor="middle" '
            f'fill="#0b0c0c">{escape(label)}</text>'
        )
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        shape = MARKERS[index % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{_num(x_at(i))},{_num(y_at(v))}")
        if run:
            runs.append(run)
        parts.append(f'<g class="app-chart__series" data-series="{escape(s.name)}">')
        for r in runs:
            if len(r) > 1:
                parts.append(
                    f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
        for i, v in enumerate(s.values):
            if v is not None:
                parts.append(_marker(shape, x_at(i), y_at(v), colour))
        parts.append("</g>")
        # Legend: two columns under the plot.
        lx = LEFT + (index % 2) * (plot_width / 2)
        ly = TOP + PLOT_HEIGHT + BOTTOM + (index // 2) * LEGEND_ROW
        parts.append(
            f'<line x1="{_num(lx)}" y1="{ly}" x2="{_num(lx + 28)}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        parts.append(_marker(shape, lx + 14, ly, colour))
        parts.append(
            f'<text x="{_num(lx + 36)}" y="{ly + 4}" fill="#0b0c0c">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped or a number
