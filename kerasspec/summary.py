"""The static model summary: Keras's ``model.summary()`` table, computed without Keras."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .analysis import ShapeAnalysis

Shape = tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class SummaryLayer:
    name: str
    type: str
    output_shape: Shape
    params: int
    trainable_params: int
    non_trainable_params: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "output_shape": list(self.output_shape),
            "params": self.params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    name: str
    input_shape: Shape
    layers: tuple[SummaryLayer, ...]

    @property
    def output_shape(self) -> Shape:
        return self.layers[-1].output_shape if self.layers else self.input_shape

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def trainable_params(self) -> int:
        return sum(layer.trainable_params for layer in self.layers)

    @property
    def non_trainable_params(self) -> int:
        return sum(layer.non_trainable_params for layer in self.layers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "layers": [layer.to_dict() for layer in self.layers],
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
        }

    @classmethod
    def from_analysis(cls, analysis: ShapeAnalysis, name: str | None) -> Summary:
        assert analysis.complete and analysis.input_shape is not None
        layers = tuple(
            SummaryLayer(i.name, i.type, i.output_shape, i.params, i.trainable_params, i.non_trainable_params)
            for i in analysis.layers
        )
        return cls(name or "sequential", analysis.input_shape, layers)


def format_shape(shape: Shape) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _bytes(n_params: int) -> str:
    size = n_params * 4.0  # float32, as Keras counts it
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    raise AssertionError


def render_text(summary: Summary) -> str:
    """A table in the style of Keras 3's ``model.summary()``."""
    rows = [(f"{l.name} ({l.type})", format_shape(l.output_shape), f"{l.params:,}") for l in summary.layers]  # noqa: E741
    head = ("Layer (type)", "Output Shape", "Param #")
    w = [max(len(head[c]), *(len(r[c]) for r in rows)) + 2 for c in range(3)] if rows else [len(h) + 2 for h in head]
    w[0], w[1], w[2] = max(w[0], 33), max(w[1], 24), max(w[2], 15)

    def line(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * n for n in w) + right

    def row(cells: tuple[str, str, str], bar: str) -> str:
        a, b, c = cells
        return f"{bar} {a:<{w[0] - 2}} {bar} {b:<{w[1] - 2}} {bar} {c:>{w[2] - 2}} {bar}"

    out = [f'Model: "{summary.name}"', line("┏", "┳", "┓", "━"), row(head, "┃"), line("┡", "╇", "┩", "━")]
    for k, r in enumerate(rows):
        out.append(row(r, "│"))
        out.append(line("├", "┼", "┤", "─") if k < len(rows) - 1 else line("└", "┴", "┘", "─"))
    out += [
        f" Total params: {summary.total_params:,} ({_bytes(summary.total_params)})",
        f" Trainable params: {summary.trainable_params:,} ({_bytes(summary.trainable_params)})",
        f" Non-trainable params: {summary.non_trainable_params:,} ({_bytes(summary.non_trainable_params)})",
    ]
    return "\n".join(out)
