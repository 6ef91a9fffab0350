"""Adapt: fit the layers that learn their state from the data, before training starts.

A ``Normalization`` without ``mean`` and ``variance`` (a ``Discretization`` with
``num_bins`` instead of ``bin_boundaries``, an ``IntegerLookup`` without a
``vocabulary``) is built with placeholder state: Keras expects ``layer.adapt(data)``
to be called on the training data before ``fit`` (an IntegerLookup that was not
adapted fails when it runs: its lookup table is not initialized).
``kerasspec train`` does that here, on the training examples exactly as ``fit``
receives them (after kerasspec's pixel scaling), without the ``validation_split``
part that ``fit`` holds out, so that the validation data stays unseen.

Only layers at the top level of the model are adapted. A layer that needs adapting
and comes after other layers is adapted on what those layers output at inference
(augmentations are then the identity), provided none of them has weights: the
output of an untrained ``Dense`` or ``Conv2D`` would not describe what the layer
receives once they train, so that case is refused with a :class:`TrainError`, as
is such a layer inside a nested block (``Sequential``, ``Pipeline``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

__all__ = ["adapt_layers", "needs_adapt"]

#: Examples run through the layers before an adapted one, per call.
BATCH = 1024


def needs_adapt(layer: Any) -> bool:
    """Whether a built Keras layer still has to learn its state from the data."""
    kind = type(layer).__name__
    if kind == "Normalization":
        return getattr(layer, "input_mean", None) is None
    if kind == "Discretization":
        return getattr(layer, "bin_boundaries", None) is None
    if kind == "IntegerLookup":
        # No vocabulary given, none learnt yet (an empty lookup table).
        return getattr(layer, "input_vocabulary", None) is None and int(layer.lookup_table.size()) == 0
    return False


def _inner_layers(layer: Any) -> list[Any]:
    inner = list(getattr(layer, "_pipeline_layers", None) or getattr(layer, "layers", None) or [])
    out = []
    for sub in inner:
        out += [sub, *_inner_layers(sub)]
    return out


def _error(message: str) -> Exception:
    from .training import TrainError

    return TrainError(message)


def adapt_layers(
    model: Any, x: Any, *, validation_split: float = 0.0, log: Callable[[str], None] | None = None
) -> list[str]:
    """Adapt every top-level layer of ``model`` that needs it to ``x``; the names of those adapted.

    ``x`` is the training input as ``fit`` receives it; with ``validation_split`` the part
    ``fit`` holds out (the last examples) is left out, as Keras splits it.
    """
    import numpy as np

    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    for outer in layers:
        for inner in _inner_layers(outer):
            if needs_adapt(inner):
                raise _error(
                    f"{type(inner).__name__} '{inner.name}' inside '{outer.name}' learns its state from the "
                    "training data, which kerasspec adapts at the top level of the model only: move it out of "
                    f"the block, or give it its values ({_values_hint(inner)})"
                )
    if not any(needs_adapt(layer) for layer in layers):
        return []
    n = len(x)
    if validation_split:
        n = math.floor(n * (1.0 - validation_split))  # as keras splits it (train_validation_split)
    data = x[:n]
    adapted: list[str] = []
    for i, layer in enumerate(layers):
        if not needs_adapt(layer):
            continue
        before = layers[:i]
        trained = [p for p in before if p.weights and not _is_adapted_state(p)]
        if trained:
            first = trained[0]
            raise _error(
                f"{type(layer).__name__} '{layer.name}' learns its state from the data it receives, but it comes "
                f"after {type(first).__name__} '{first.name}', whose weights are not trained yet: statistics of "
                "its output now would not describe it after training. Put the layer first (or after layers "
                f"without weights only), or give it its values ({_values_hint(layer)})"
            )
        seen = data
        if before:
            parts = []
            for start in range(0, n, BATCH):
                out = data[start : start + BATCH]
                for prev in before:
                    out = prev(out, training=False)
                parts.append(np.asarray(out))
            seen = np.concatenate(parts) if parts else data
        layer.adapt(seen)
        adapted.append(layer.name)
        if log is not None:
            on = f"the output of the {i} layers before it" if before else "the training inputs"
            log(f"kerasspec: adapted {type(layer).__name__} '{layer.name}' to {on} ({n:,} examples)")
    return adapted


def _is_adapted_state(layer: Any) -> bool:
    # A Normalization, Discretization or IntegerLookup before the layer being adapted was given
    # its values or adapted earlier in this pass: its state is the data's statistics, which
    # training does not change, so what it outputs now is what it will output.
    return type(layer).__name__ in _ADAPTED


_ADAPTED = ("Normalization", "Discretization", "IntegerLookup")


def _values_hint(layer: Any) -> str:
    kind = type(layer).__name__
    return {"Discretization": "`bin_boundaries`", "IntegerLookup": "a `vocabulary`"}.get(kind, "`mean` and `variance`")
