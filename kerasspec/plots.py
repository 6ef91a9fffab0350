"""Pictures of a run: training curves and the confusion matrix (matplotlib, no display needed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .files import atomic_path

#: Confusion matrices with more classes are drawn without a count in each cell, at a capped size.
MAX_ANNOTATED_CLASSES = 30


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
    from matplotlib.ticker import MaxNLocator

    names = [k for k in history if not k.startswith("val_")]
    names.sort(key=lambda k: (k != "loss", k))
    cols = max(1, len(names))
    fig, axes = plt.subplots(1, cols, figsize=(4.2 * cols, 3.4), squeeze=False)
    for ax, name in zip(axes[0], names, strict=False):
        epochs = range(1, len(history[name]) + 1)
        ax.plot(epochs, history[name], marker="o", label="training")
        if f"val_{name}" in history:
            ax.plot(range(1, len(history[f"val_{name}"]) + 1), history[f"val_{name}"], marker="o", label="validation")
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()
    if not names:
        axes[0][0].text(0.5, 0.5, "no epochs recorded", ha="center", va="center")
    if title:
        fig.suptitle(title)
    return save(fig, target)


def confusion_counts(y_true: Any, y_pred: Any, classes: int) -> Any:
    import numpy as np

    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)), 1)
    return counts


def confusion_matrix(y_true: Any, y_pred: Any, classes: int, target: str | os.PathLike[str]) -> Path:
    """Rows are true classes, columns predictions; each cell shows its count."""
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
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if counts[i, j] > peak / 2 else "black")
    ticks = range(0, n, max(1, n // MAX_ANNOTATED_CLASSES))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = counts.trace() / max(counts.sum(), 1)
    ax.set_title(f"confusion matrix (accuracy {accuracy:.2%})")
    return save(fig, target)
