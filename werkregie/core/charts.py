"""Charts as SVG: drawn here, so the same picture shows on screen, in the PDF (WeasyPrint
draws SVG) and needs no plotting library. Every text is escaped; numbers use the Dutch
decimal comma."""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from werkregie.core.formatting import format_decimal

PALETTE = ("#01689b", "#e17000", "#39870c", "#a90061", "#6f6f6f", "#8fcae7")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 36, 70


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * magnitude >= value:
            return float(step * magnitude)
    return value


def _label(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{format_decimal(Decimal(str(round(value / 1_000_000, 1))), places=1)} mln"
    if abs(value) >= 10_000:
        return f"{format_decimal(Decimal(round(value / 1000)), places=0)}k"
    return format_decimal(Decimal(str(round(value, 1))), places=0 if value == int(value) else 1)


def _frame(title: str, top: float, parts: list[str]) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    axis = []
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        axis.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_label(value))}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif">'
        f"<title>{escape(title)}</title>"
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>'
        + "".join(axis)
        + "".join(parts)
        + "</svg>"
    )


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    for index, item in enumerate(series):
        x = LEFT + index * 150
        y = HEIGHT - 14
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{y}" font-size="11">{escape(item.name)}</text>'
        )
    return parts


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series]) -> str:
    """Grouped bars: per category one bar per series."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(1, len(categories))
    bar = group * 0.8 / max(1, len(series))
    parts = []
    for c_index, category in enumerate(categories):
        x0 = LEFT + c_index * group + group * 0.1
        for s_index, item in enumerate(series):
            value = item.values[c_index]
            if value is None:
                continue
            height = plot_h * max(0.0, value) / top
            parts.append(
                f'<rect x="{x0 + s_index * bar:.1f}" y="{TOP + plot_h - height:.1f}" '
                f'width="{bar * 0.9:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}">'
                f"<title>{escape(item.name)}: {escape(_label(value))}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{TOP + plot_h + 14}" font-size="10" '
            f'text-anchor="middle">{escape(category[:22])}</text>'
        )
    return _frame(title, top, parts + _legend(series))


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    band: tuple[Sequence[float], Sequence[float]] | None = None,
) -> str:
    """Lines over the labels (years), with an optional shaded band (low, high)."""
    values = [v for s in series for v in s.values if v is not None]
    if band is not None:
        values.extend(band[1])
    top = _nice_max(max(values, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1)

    def point(index: int, value: float) -> str:
        return f"{LEFT + index * step:.1f},{TOP + plot_h - plot_h * max(0.0, value) / top:.1f}"

    parts = []
    if band is not None:
        low, high = band
        outline = [point(i, v) for i, v in enumerate(high)] + [
            point(i, v) for i, v in reversed(list(enumerate(low)))
        ]
        parts.append(f'<polygon points="{" ".join(outline)}" fill="#8fcae7" opacity="0.5"/>')
    for s_index, item in enumerate(series):
        points = [point(i, v) for i, v in enumerate(item.values) if v is not None]
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke-width="2" '
            f'stroke="{PALETTE[s_index % len(PALETTE)]}"/>'
        )
    every = max(1, len(labels) // 8)
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            parts.append(
                f'<text x="{LEFT + index * step:.1f}" y="{TOP + plot_h + 14}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return _frame(title, top, parts + _legend(series))


def data_uri(svg: str) -> str:
    """The SVG as an <img> source, for the PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
