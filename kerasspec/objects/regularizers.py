"""Regularizers (``keras.regularizers``): the objects a layer's ``*_regularizer`` fields take."""

from typing import ClassVar, Literal

from ..fields import Choice
from . import (
    KerasObject,
    NonNegativeNumber,
    doc,
)


class _Regularizer(KerasObject):
    MODULE: ClassVar[str] = "regularizers"


class L1(_Regularizer):
    """A penalty of `l1` times the sum of absolute values."""

    type: Literal["L1"]
    l1: NonNegativeNumber | None = doc(0.01, "The L1 factor; null means 0.01.")


class L2(_Regularizer):
    """A penalty of `l2` times the sum of squares."""

    type: Literal["L2"]
    l2: NonNegativeNumber | None = doc(0.01, "The L2 factor; null means 0.01.")


class L1L2(_Regularizer):
    """Both penalties."""

    type: Literal["L1L2"]
    l1: NonNegativeNumber | None = doc(0.0, "The L1 factor; null means 0.")
    l2: NonNegativeNumber | None = doc(0.0, "The L2 factor; null means 0.")


class OrthogonalRegularizer(_Regularizer):
    """A penalty on the cosine similarity between rows (or columns) of a 2D weight."""

    type: Literal["OrthogonalRegularizer"]
    factor: NonNegativeNumber = doc(0.01, "The penalty factor.")
    mode: Choice("rows", "columns") = doc("rows", "Compare `rows` or `columns`.")  # type: ignore[valid-type]

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        # Keras computes the penalty in the training step, and raises there.
        if len(shape) != 2:
            return f"takes tensors of rank 2 only, not rank {len(shape)}"
        if shape[0] is None:  # an activity regularizer: the rows are the batch, which `ops.eye` needs known
            return "needs a fixed batch size on an output (`Input` with `batch_size`)"
        return None
