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


def _widths(rows: list[tuple[str, str, float]]) -> list[float]:
    logs = [math.log10(max(size, 1.0)) for _, _, size in rows]
    top = max(logs) or 1.0
    return [0.72 + 0.27 * (v / top) for v in logs]  # wide enough for the text, still showing the trend


def render_svg(summary: Summary) -> str:
    rows = _rows(summary)
    width, box_h, gap = 760, 34, 14
    height = len(rows) * (box_h + gap) + 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
        f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16">{escape(summary.name)}: '
        f"{summary.total_params:,} parameters</text>",
    ]
    for i, ((text, kind, _), frac) in enumerate(zip(rows, _widths(rows), strict=True)):
        w = width * frac
        x, y = (width - w) / 2, 40 + i * (box_h + gap)
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{box_h}" rx="6" fill="{_color(kind)}" stroke="#555"/>')
        out.append(f'<text x="{width / 2}" y="{y + 22}" text-anchor="middle">{escape(text)}</text>')
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
    fig, ax = plt.subplots(figsize=(8.5, fig_h))
    ax.set_xlim(0, 1)
    ax.set_ylim(-len(rows) - 0.2, 0.8)
    ax.axis("off")
    ax.set_title(f"{summary.name}: {summary.total_params:,} parameters")
    for i, ((text, kind, _), frac) in enumerate(zip(rows, _widths(rows), strict=True)):
        y = -i
        ax.add_patch(FancyBboxPatch(((1 - frac) / 2, y - 0.35), frac, 0.7, boxstyle="round,pad=0.01,rounding_size=0.05",
                                    facecolor=_color(kind), edgecolor="#555"))
        ax.text(0.5, y, text, ha="center", va="center", fontsize=9, family="monospace")
        if i:
            ax.plot([0.5, 0.5], [y + 0.65, y + 0.35], color="#555", linewidth=1)
    return plots.save(fig, target, fmt=suffix[1:], dpi=120)
