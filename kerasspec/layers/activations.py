"""Activation layers: LeakyReLU, PReLU, ReLU, ELU, Softmax.

Each applies its function element-wise (Softmax along `axis`) and keeps the
input's shape; only PReLU has a weight. Keras checks the slopes and thresholds
in the constructor; it does not check Softmax's `axis` when it builds the model
(an axis the input lacks fails at the first call, in ``predict`` or ``fit``),
so neither does the shape rule here.

:meth:`~kerasspec.layers.base.Layer.output_activation` names the function, so
that the training rules (KS403/KS404) see a ``{type: Softmax}`` at the end of a
model as a softmax output and a LeakyReLU as values that are not probabilities.
"""

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import NonNegativeFloat, StrictFloat, StrictInt
from ..objects import Constraint, Initializer, Regularizer
from ..shapes import Shape, ShapeError, fmt_shape
from .base import Layer, Weight


class _Activation(Layer):
    """An element-wise function: the output has the input's shape."""

    #: The activation's name, as the training rules compare it ("softmax" is a probability).
    ACTIVATION: ClassVar[str] = "linear"
    EXAMPLE_INPUT: ClassVar = "[784]"

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return self.ACTIVATION


class LeakyReLU(_Activation):
    """`x` for x >= 0, `negative_slope * x` below 0.

    Keras 3 still takes Keras 2's `alpha` (deprecated, with a warning): when it is
    given it replaces `negative_slope`, which Keras then does not check.
    """

    TYPES: ClassVar = ("LeakyReLU",)
    ACTIVATION: ClassVar = "leaky_relu"
    SPEC_ONLY: ClassVar = frozenset({"alpha"})
    type: Literal["LeakyReLU"]
    negative_slope: StrictFloat | None = Field(0.3, description="Slope below 0; a number >= 0.")
    alpha: StrictFloat | None = Field(
        None,
        description="Keras 2's name for `negative_slope`, still accepted by Keras 3 (deprecated): "
        "when given it replaces `negative_slope`.",
    )

    @property
    def slope_field(self) -> str:
        """The argument Keras takes the slope from: `alpha` when it is given."""
        return "alpha" if "alpha" in self.model_fields_set else "negative_slope"

    def argument_errors(self) -> list[ShapeError]:
        field = self.slope_field
        value = getattr(self, field)
        if value is not None and value >= 0:
            return []
        shown = "null" if value is None else repr(value)
        hint = "use a slope >= 0, e.g. 0.2 (0.3 is the default)"
        if field == "alpha":
            hint = "write `negative_slope: 0.2` (`alpha` is Keras 2's deprecated name for it), with a value >= 0"
        return [ShapeError("KS309", f"LeakyReLU `{field}` must be a number >= 0, got {shown}", field, hint)]

    def keras_kwargs(self) -> dict[str, Any]:
        # Keras reads `alpha` into `negative_slope`; passing it so avoids the deprecation warning.
        return {"negative_slope": getattr(self, self.slope_field)}


class PReLU(_Activation):
    """A leaky ReLU whose slopes are learned: one per input value, or shared across `shared_axes`."""

    TYPES: ClassVar = ("PReLU",)
    ACTIVATION: ClassVar = "prelu"
    type: Literal["PReLU"]
    alpha_initializer: Initializer = Field("Zeros", description="Initializer of the slopes.")
    alpha_regularizer: Regularizer | None = Field(None, description="Penalty on the slopes.")
    alpha_constraint: Constraint | None = Field(None, description="Constraint applied to the slopes after each update.")
    shared_axes: StrictInt | list[StrictInt] | None = Field(
        None,
        description="Axes (1 = the first after the batch) along which one slope is shared, "
        "e.g. [1, 2] for one slope per channel of (batch, rows, cols, channels) images.",
    )

    def _alpha_shape(self, shape: Shape) -> tuple[int, ...]:
        # Keras: param_shape = input_shape[1:], then param_shape[i - 1] = 1 for each shared
        # axis i, as a Python list index (so 0 is the last axis and -1 the one before).
        param: list[int | None] = list(shape[1:])
        n = len(param)
        axes = [] if self.shared_axes is None else [self.shared_axes] if isinstance(self.shared_axes, int) else self.shared_axes
        for i in axes:
            if not -n <= i - 1 < n:
                raise ShapeError(
                    "KS309",
                    f"PReLU `shared_axes` holds {i}, which is not an axis of its input {fmt_shape(shape)}: "
                    f"the axes after the batch are 1 to {len(shape) - 1}",
                    "shared_axes",
                    "Keras counts the batch as axis 0; e.g. shared_axes: [1, 2] shares a slope across "
                    "rows and cols of (batch, rows, cols, channels) images",
                )
            param[i - 1] = 1
        unknown = [k + 1 for k, size in enumerate(param) if size is None]
        if unknown:
            shared = sorted({*axes, *unknown})
            raise ShapeError(
                "KS308",
                f"PReLU makes one slope per value of every axis it does not share, but the size of "
                f"axis {unknown[0]} is unknown: input {fmt_shape(shape)}",
                "shared_axes" if self.shared_axes is not None else None,
                f"share the axes of unknown size (shared_axes: {shared}), or give them a size in the input shape",
            )
        return tuple(p for p in param if p is not None)

    def output_shape(self, shape: Shape) -> Shape:
        self._alpha_shape(shape)
        return shape

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return (Weight("alpha", self._alpha_shape(shape), True, "alpha_initializer"),)


class ReLU(_Activation):
    """`max(x, 0)`, optionally capped at `max_value`, leaky below `threshold`."""

    TYPES: ClassVar = ("ReLU",)
    ACTIVATION: ClassVar = "relu"
    type: Literal["ReLU"]
    max_value: NonNegativeFloat | None = Field(None, description="The largest output (e.g. 6 for ReLU6); null for none.")
    negative_slope: NonNegativeFloat = Field(0.0, description="Slope below `threshold`.")
    threshold: NonNegativeFloat = Field(0.0, description="Values below it are damped by `negative_slope`.")


class ELU(_Activation):
    """`x` for x > 0, `alpha * (exp(x) - 1)` below (Keras checks no value of `alpha`)."""

    TYPES: ClassVar = ("ELU",)
    ACTIVATION: ClassVar = "elu"
    STRICTER_THAN_KERAS: ClassVar = {
        "alpha": "a number: Keras builds with any value (null, a string) but every call then fails",
    }
    type: Literal["ELU"]
    alpha: StrictFloat = Field(1.0, description="Scale of the negative part.")


class Softmax(_Activation):
    """Turns the values along `axis` into probabilities that sum to 1.

    Keras builds a Softmax whatever its `axis`; one the input lacks fails only
    when the model is first called, so the spec accepts it as Keras does.
    """

    TYPES: ClassVar = ("Softmax",)
    STRICTER_THAN_KERAS: ClassVar = {
        "axis": "an integer, a list of integers or null: Keras builds with any value (1.0, a string) "
        "but a call with an axis that is not an integer fails",
    }
    type: Literal["Softmax"]
    axis: StrictInt | list[StrictInt] | None = Field(
        -1, description="The axis (or axes) normalized; -1, the last, holds the classes. null: every axis."
    )

    def output_activation(self) -> str | None:
        # The rules that read this (KS403/KS404) apply to a (batch, classes) output, where
        # Softmax keeps the rank: axis -1 or 1 is the class axis, so the output is one
        # probability distribution per sample. Any other axis (0 and -2 are the batch) is not.
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if len(axes) == 1 and axes[0] in (-1, 1):
            return "softmax"
        if self.axis is None:
            return "softmax over every axis (the batch included)"
        shown = f"axes {self.axis}" if isinstance(self.axis, list) else f"axis {self.axis}"
        return f"softmax over {shown}"
