"""Write the small synthetic datasets the examples name (examples/data/*.npz).

They are placeholders with learnable structure, so that every example checks
against real arrays and trains as it stands; point `data.dataset` at your own
`.npz` (arrays x_train, y_train, x_test, y_test) to train on real data.
Deterministic: running it again writes the same arrays.

    python scripts/make_example_data.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "examples" / "data"


def binary16(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """16 features; the label is whether the first eight sum above zero."""
    x = rng.normal(size=(n, 16)).astype(np.float32)
    return x, (x[:, :8].sum(axis=1) > 0).astype(np.uint8)


def images32(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """32x32 RGB images of 10 classes: a bright square whose place and colour give the class."""
    y = np.arange(n) % 10
    rng.shuffle(y)
    x = np.zeros((n, 32, 32, 3), dtype=np.uint8)
    for i, c in enumerate(y):
        row, col = divmod(int(c), 5)
        x[i, 4 + 12 * row : 16 + 12 * row, 1 + 6 * col : 7 + 6 * col, c % 3] = 255
    return x, y.astype(np.uint8)


def token_ids(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of 80 token ids below 5,000, zero-padded; 1 when a "positive" id (< 50) occurs."""
    x = np.zeros((n, 80), dtype=np.int32)
    y = np.zeros(n, dtype=np.uint8)
    for i in range(n):
        length = int(rng.integers(10, 81))
        tokens = rng.integers(50, 5000, size=length)
        if i % 2:
            tokens[rng.integers(0, length)] = rng.integers(1, 50)
            y[i] = 1
        x[i, :length] = tokens
    return x, y


def regression8(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """8 features and a number to predict: a fixed linear function plus a little noise."""
    x = rng.normal(size=(n, 8)).astype(np.float32)
    w = np.linspace(-2, 2, 8, dtype=np.float32)
    return x, (x @ w + 0.1 * rng.normal(size=n)).astype(np.float32)


def multilabel12(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """12 features and 4 independent 0/1 labels, each whether a group of three features is positive."""
    x = rng.normal(size=(n, 12)).astype(np.float32)
    return x, (x.reshape(n, 4, 3).sum(axis=2) > 0).astype(np.uint8)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make, (train, test) in [
        ("binary16", binary16, (400, 100)),
        ("images32", images32, (200, 50)),
        ("token_ids", token_ids, (300, 100)),
        ("regression8", regression8, (400, 100)),
        ("multilabel12", multilabel12, (400, 100)),
    ]:
        rng = np.random.default_rng(sum(map(ord, name)))
        x_train, y_train = make(rng, train)
        x_test, y_test = make(rng, test)
        np.savez_compressed(OUT / f"{name}.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        print(f"{name}.npz: x_train {x_train.shape} {x_train.dtype}, y_train {y_train.shape} {y_train.dtype}")


if __name__ == "__main__":
    main()
