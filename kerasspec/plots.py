"""Pictures of a run (matplotlib, no display needed): training curves, and the test-set picture of
its task: the confusion matrix (classes), inputs above their reconstructions (an autoencoder),
predicted against true values (regression)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .files import atomic_path

#: Confusion matrices with more classes are drawn without a count in each cell, at a capped size.
MAX_ANNOTATED_CLASSES = 30
#: A predicted-vs-true scatter draws at most this many points (evenly spread over the test set).
MAX_SCATTER_POINTS = 5_000


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only: works on machines without a display
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, target: str | os.PathLike[str], *, fmt: str = "png", dpi: int = 110) -> Path:
    """Write the figure atomically, and free it whether or not that worked."""
    try:
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight")
    finally:
        pyplot().close(fig)
    return Path(target)


def training_curves(history: dict[str, list[float]], target: str | os.PathLike[str], *, title: str = "") -> Path:
    """One panel per quantity (loss, then each metric), training and validation curves together."""
    plt = pyplot()
    from matplotlib.ticker import FixedLocator, MaxNLocator

    names = [k for k in history if not k.startswith("val_")]
    epochs_run = max((len(v) for v in history.values()), default=0)
    names.sort(key=lambda k: (k != "loss", k))
    cols = max(1, len(names))
    fig, axes = plt.subplots(1, cols, figsize=(4.2 * cols, 3.4), squeeze=False)
    for ax, name in zip(axes[0], names, strict=False):
        epochs = range(1, len(history[name]) + 1)
        vector = any(isinstance(v, list) for v in history[name])
        if vector:  # F1Score(average=None) and the like: one curve per element, validation dashed
            import numpy as np

            for key, style in ((name, "-"), (f"val_{name}", "--")):
                if key in history:
                    rows = np.asarray(history[key], dtype=float).reshape(len(history[key]), -1)
                    for j in range(rows.shape[1]):
                        ax.plot(range(1, len(rows) + 1), rows[:, j], style, marker="o", color=f"C{j % 10}",
                                label=f"[{j}]" if style == "-" else None)
            ax.legend(fontsize="x-small", ncol=2 if rows.shape[1] > 5 else 1)
            ax.set_title(f"{name} per element" + (" (dashed: validation)" if f"val_{name}" in history else ""))
        else:
            ax.plot(epochs, history[name], marker="o", label="training")
            if f"val_{name}" in history:
                ax.plot(range(1, len(history[f"val_{name}"]) + 1), history[f"val_{name}"], marker="o", label="validation")
            ax.set_title(name)
        ax.set_xlabel("epoch")
        # Epochs are whole: MaxNLocator(integer=True) falls back to fractions on a range holding
        # fewer than two integers (one epoch gives 0.945, 0.960... run together), so few epochs
        # get a tick each, and the axis a half-epoch margin either side.
        if epochs_run <= 12:
            ax.xaxis.set_major_locator(FixedLocator(list(range(1, epochs_run + 1))))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0.5, max(epochs_run, 1) + 0.5)
        ax.grid(alpha=0.3)
        if not vector:
            ax.legend()
    if not names:
        axes[0][0].text(0.5, 0.5, "no epochs recorded", ha="center", va="center")
    if title:
        fig.suptitle(title, y=1.03)  # above the panels' own titles, not over them
    return save(fig, target)


def confusion_counts(y_true: Any, y_pred: Any, classes: int) -> Any:
    import numpy as np

    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)), 1)
    return counts


def confusion_matrix(
    y_true: Any, y_pred: Any, classes: int, target: str | os.PathLike[str], *, class_names: list[str] | None = None
) -> Path:
    """Rows are true classes, columns predictions; each cell shows its count.

    ``class_names`` labels the ticks (``["not 7", "7"]`` for one digit against the rest).
    """
    plt = pyplot()
    counts = confusion_counts(y_true, y_pred, max(classes, 2))
    n = counts.shape[0]
    side = 0.55 * min(n, MAX_ANNOTATED_CLASSES)
    fig, ax = plt.subplots(figsize=(side + 2.5, side + 2.0))
    ax.imshow(counts, cmap="Blues")
    peak = counts.max() or 1
    if n <= MAX_ANNOTATED_CLASSES:  # beyond, the numbers would not fit their cells
        for i in range(n):
            for j in range(n):
                ax.text(j, i, f"{counts[i, j]:,}", ha="center", va="center", fontsize=8,
                        color="white" if counts[i, j] > peak / 2 else "black")
    ticks = range(0, n, max(1, n // MAX_ANNOTATED_CLASSES))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    if class_names is not None and len(class_names) == n:
        ax.set_xticklabels([class_names[i] for i in ticks])
        ax.set_yticklabels([class_names[i] for i in ticks])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = counts.trace() / max(counts.sum(), 1)
    ax.set_title(f"confusion matrix (accuracy {accuracy:.2%})")
    return save(fig, target)


def _picture(sample: Any) -> Any:
    """One sample as an image array (H, W) or (H, W, 3|4), or None when it is not an image."""
    import math

    import numpy as np

    a = np.squeeze(np.asarray(sample, dtype=np.float32))  # drops a channel axis of 1
    if a.ndim == 1:
        side = math.isqrt(a.size)
        if side > 1 and side * side == a.size:  # flat pixels, as a Dense autoencoder takes MNIST
            a = a.reshape(side, side)
    if a.ndim == 3 and a.shape[0] in (3, 4) and a.shape[-1] not in (3, 4):  # channels first
        a = a.transpose(1, 2, 0)
    if a.ndim == 2 or (a.ndim == 3 and a.shape[-1] in (3, 4)):
        return a
    return None


def reconstructions(inputs: Any, outputs: Any, target: str | os.PathLike[str]) -> Path:
    """Test inputs (top row) above the model's reconstructions of them (bottom row).

    Images (grayscale or colour, channels last or first, or flat square pixels) are
    drawn as pictures, each pair on a common scale (``[0, 1]`` when the values lie in
    it); other samples (feature vectors) as their values in a line.
    """
    import numpy as np

    plt = pyplot()
    inputs, outputs = np.asarray(inputs), np.asarray(outputs)
    n = len(inputs)
    fig, axes = plt.subplots(2, max(n, 1), figsize=(1.3 * max(n, 2) + 0.6, 3.0), squeeze=False)
    for j in range(n):
        a, b = inputs[j], outputs[j]
        top, bottom = axes[0][j], axes[1][j]
        error = float(np.mean((np.asarray(a, dtype=np.float64).reshape(-1) - np.asarray(b, dtype=np.float64).reshape(-1)) ** 2))
        pa, pb = _picture(a), _picture(b)
        if pa is not None and pb is not None and pa.shape == pb.shape:
            lo, hi = float(min(pa.min(), pb.min())), float(max(pa.max(), pb.max()))
            if lo >= 0.0 and hi <= 1.0:
                lo, hi = 0.0, 1.0
            span = (hi - lo) or 1.0
            for ax, pic in ((top, pa), (bottom, pb)):
                if pic.ndim == 2:
                    ax.imshow(pic, cmap="gray", vmin=lo, vmax=hi)
                else:  # colour: one scale for the pair, clipped as imshow needs [0, 1]
                    ax.imshow(np.clip((pic - lo) / span, 0.0, 1.0))
                ax.set_xticks([])
                ax.set_yticks([])
        else:
            va, vb = np.asarray(a, dtype=np.float32).reshape(-1), np.asarray(b, dtype=np.float32).reshape(-1)
            lo, hi = float(min(va.min(), vb.min())), float(max(va.max(), vb.max()))
            for ax, values in ((top, va), (bottom, vb)):
                ax.plot(values, lw=0.8)
                ax.set_ylim(lo - 0.05 * ((hi - lo) or 1.0), hi + 0.05 * ((hi - lo) or 1.0))
                ax.set_xticks([])
                ax.tick_params(labelsize=6)
        bottom.set_title(f"mse {error:.3g}", fontsize=7)
    if n == 0:
        axes[0][0].text(0.5, 0.5, "no test inputs", ha="center", va="center")
    axes[0][0].set_ylabel("input", fontsize=8)
    axes[1][0].set_ylabel("reconstruction", fontsize=8)
    fig.suptitle("test inputs (top) and their reconstructions (bottom)", fontsize=9)
    return save(fig, target)


def predictions(y_true: Any, y_pred: Any, target: str | os.PathLike[str]) -> Path:
    """Predicted against true test targets, every output value a point, with the line predicted = true."""
    import numpy as np

    plt = pyplot()
    t = np.asarray(y_true, dtype=np.float64).reshape(-1)
    p = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    if t.size != p.size:
        raise ValueError(f"{t.size} true values but {p.size} predictions")
    fig, ax = plt.subplots(figsize=(4.8, 4.4))
    if t.size:
        residual = float(np.sum((t - p) ** 2))
        total = float(np.sum((t - t.mean()) ** 2))
        r2 = f"R\u00b2 {1.0 - residual / total:.3f}, " if total > 0 else ""
        shown = np.unique(np.linspace(0, t.size - 1, min(t.size, MAX_SCATTER_POINTS)).astype(np.int64))
        ax.scatter(t[shown], p[shown], s=8, alpha=0.5, edgecolors="none")
        lo, hi = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
        ax.plot([lo, hi], [lo, hi], color="black", lw=0.8, ls="--", label="predicted = true")
        ax.legend(loc="upper left", fontsize=8)
        ax.set_title(f"test set: {r2}MAE {float(np.mean(np.abs(t - p))):.4g}", fontsize=9)
    else:
        ax.text(0.5, 0.5, "no test targets", ha="center", va="center")
    ax.set_xlabel("true value")
    ax.set_ylabel("predicted value")
    ax.grid(alpha=0.3)
    return save(fig, target)
