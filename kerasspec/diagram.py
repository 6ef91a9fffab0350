"""``kerasspec summary FILE --plot model.png``: the layer stack as a picture, no Graphviz needed.

One box per layer, top to bottom, with its name, type, output shape and
parameter count; a box's width grows with the log of its output size, so the
picture shows where the model widens and narrows. PNG and PDF need matplotlib;
SVG is written directly.
"""

from __future__ import annotations

import math
import os
from html import escape
from pathlib import Path

from .files import write_text
from .summary import Summary, format_shape

_COLORS = {
    "Conv": "#cfe2f3", "Pool": "#d9ead3", "Dense": "#fce5cd", "Drop": "#eeeeee", "Norm": "#ead1dc",
    "Flatten": "#fff2cc", "Reshape": "#fff2cc", "Input": "#ffffff",
}  # fmt: skip


def _color(kind: str) -> str:
    return next((c for key, c in _COLORS.items() if key in kind), "#f3f3f3")


def _rows(summary: Summary) -> list[tuple[str, str, float]]:
    rows = [(f"input  {format_shape(summary.input_shape)}", "Input", _size(summary.input_shape))]
    for layer in summary.layers:
        text = f"{layer.name} ({layer.type})  {format_shape(layer.output_shape)}  {layer.params:,} params"
        rows.append((text, layer.type, _size(layer.output_shape)))
    return rows


def _size(shape: tuple[int | None, ...]) -> float:
    return float(math.prod(d or 1 for d in shape[1:]))


#: The trend of box widths (log of the output size), as fractions of the widest box possible.
_NARROWEST, _WIDEST = 0.70, 0.97


def _widths(rows: list[tuple[str, str, float]], text_widths: list[float] | None = None, room: float = 1.0,
            margin: float = 0.0) -> list[float]:
    """Box widths as fractions of ``room``: the trend of output sizes, never narrower than the text.

    ``text_widths`` are the measured widths of each row's text, in the units of ``room`` and
    ``margin`` (inches for the PNG, pixels for the SVG); ``margin`` is the space kept on each
    side of a text. With ``room`` from :func:`_room`, every box holds its text and stays inside.
    """
    logs = [math.log10(max(size, 1.0)) for _, _, size in rows]
    top = max(logs) or 1.0
    trend = [_NARROWEST + (_WIDEST - _NARROWEST) * (v / top) for v in logs]
    if text_widths is None:
        return trend
    return [min(_WIDEST, max(t, (w + 2 * margin) / room)) for t, w in zip(trend, text_widths, strict=True)]


def _room(text_widths: list[float], least: float, margin: float) -> float:
    """The width the widest box may take: ``least``, or more when the widest text and its margins need it."""
    return max(least, (max(text_widths, default=0.0) + 2 * margin) / _WIDEST)


#: SVG text is set in a monospace font: 13 px DejaVu Sans Mono advances 0.602 em per character.
_SVG_FONT_PX, _SVG_ADVANCE = 13, 0.602


def render_svg(summary: Summary) -> str:
    rows = _rows(summary)
    box_h, gap, side = 34, 14, 20
    texts = [_SVG_FONT_PX * _SVG_ADVANCE * len(text) for text, _, _ in rows]  # monospace: exact enough
    room = _room(texts, 720.0, 10.0)
    width = room + 2 * side
    height = len(rows) * (box_h + gap) + 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" font-family="sans-serif" '
        f'font-size="{_SVG_FONT_PX}">',
        f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16">{escape(summary.name)}: '
        f"{summary.total_params:,} parameters</text>",
    ]
    for i, ((text, kind, _), frac) in enumerate(zip(rows, _widths(rows, texts, room, 10.0), strict=True)):
        w = room * frac
        x, y = (width - w) / 2, 40 + i * (box_h + gap)
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{box_h}" rx="6" fill="{_color(kind)}" stroke="#555"/>')
        out.append(f'<text x="{width / 2}" y="{y + 22}" text-anchor="middle" font-family="monospace">{escape(text)}</text>')
        if i:
            out.append(f'<line x1="{width / 2}" y1="{y - gap}" x2="{width / 2}" y2="{y}" stroke="#555"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def plot(summary: Summary, target: str | os.PathLike[str]) -> Path:
    """Draw the layer stack into ``target`` (.svg, .png or .pdf)."""
    target = Path(target)
    suffix = target.suffix.lower()
    if suffix == ".svg":
        return write_text(target, render_svg(summary))
    if suffix not in (".png", ".pdf"):
        raise ValueError(f"cannot draw a {suffix or 'suffix-less'} file: use .png, .pdf or .svg")
    from . import plots

    try:
        plt = plots.pyplot()
    except ImportError:
        raise ValueError("drawing PNG or PDF needs matplotlib (pip install matplotlib); .svg needs nothing") from None
    from matplotlib.patches import FancyBboxPatch

    rows = _rows(summary)
    fig_h = 0.55 * len(rows) + 0.9
    # Each text is measured as it will be drawn (points do not depend on the figure's size), and
    # the figure is made wide enough for the widest: no box is narrower than its text or clipped.
    probe = plt.figure()
    renderer = probe.canvas.get_renderer()
    texts = [probe.text(0, 0, text, fontsize=9, family="monospace").get_window_extent(renderer).width / probe.dpi
             for text, _, _ in rows]  # inches
    plt.close(probe)
    room = _room(texts, 7.6, 0.15)  # inches
    fig, ax = plt.subplots(figsize=(room + 0.3, fig_h))
    fig.subplots_adjust(left=0.15 / (room + 0.3), right=1 - 0.15 / (room + 0.3))
    ax.set_xlim(0, 1)
    ax.set_ylim(-len(rows) - 0.2, 0.8)
    ax.axis("off")
    ax.set_title(f"{summary.name}: {summary.total_params:,} parameters")
    for i, ((text, kind, _), frac) in enumerate(zip(rows, _widths(rows, texts, room, 0.15), strict=True)):
        y = -i
        # pad=0 keeps the drawn box exactly `frac` wide: a pad would push the widest past the axes.
        ax.add_patch(FancyBboxPatch(((1 - frac) / 2, y - 0.35), frac, 0.7, boxstyle="round,pad=0,rounding_size=0.012",
                                    facecolor=_color(kind), edgecolor="#555", mutation_aspect=8))
        ax.text(0.5, y, text, ha="center", va="center", fontsize=9, family="monospace")
        if i:
            ax.plot([0.5, 0.5], [y + 0.65, y + 0.35], color="#555", linewidth=1)
    return plots.save(fig, target, fmt=suffix[1:], dpi=120)
