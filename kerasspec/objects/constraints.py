"""Constraints (``keras.constraints``): the objects a layer's ``*_constraint`` fields take."""

from typing import ClassVar, Literal

from . import (
    Axis,
    KerasObject,
    Number,
    doc,
)


class _Constraint(KerasObject):
    MODULE: ClassVar[str] = "constraints"

    def run_error(self, shape: tuple[int | None, ...]) -> str | None:
        axis = getattr(self, "axis", None)
        axes = axis if isinstance(axis, list) else [axis] if axis is not None else []
        bad = [a for a in axes if not -len(shape) <= a < len(shape)]
        # Keras applies the constraint after each optimizer step: it fails in the first one.
        if bad:
            return f"has axis {bad[0]}, outside a weight of rank {len(shape)}"
        if len({a % len(shape) for a in axes}) < len(axes):
            return f"names an axis twice in {axes}"
        return None


class BaseConstraint(_Constraint):
    """Keras's base class `Constraint`: leaves the weights as they are."""

    type: Literal["Constraint"]


class MaxNorm(_Constraint):
    """Rescale weights whose norm along `axis` exceeds `max_value`."""

    type: Literal["MaxNorm"]
    max_value: Number = doc(2, "The largest norm allowed.")
    axis: Axis = doc(0, "The axis (or axes) the norm is taken along: 0 for a Dense kernel's inputs.")


class MinMaxNorm(_Constraint):
    """Keep the norm along `axis` between `min_value` and `max_value`, moving at `rate`."""

    type: Literal["MinMaxNorm"]
    min_value: Number = doc(0.0, "The smallest norm allowed.")
    max_value: Number = doc(1.0, "The largest norm allowed.")
    rate: Number = doc(1.0, "How far each step moves the norm into the range (1.0: all the way).")
    axis: Axis = doc(0, "The axis (or axes) the norm is taken along.")


class NonNeg(_Constraint):
    """Set negative weights to zero."""

    type: Literal["NonNeg"]


class UnitNorm(_Constraint):
    """Rescale the weights to norm 1 along `axis`."""

    type: Literal["UnitNorm"]
    axis: Axis = doc(0, "The axis (or axes) the norm is taken along.")
