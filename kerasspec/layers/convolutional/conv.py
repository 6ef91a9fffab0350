"""Conv1D, Conv2D, Conv3D: the plain convolutions."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple, PositiveInt
from ...objects import Constraint, Initializer, Regularizer
from ...shapes import (
    Shape,
    ShapeError,
    conv_output_shape,
    fmt_shape,
)
from ..base import CausalPadding, Padding, Weight, bias, channels
from . import _ConvBase

# --------------------------------------------------------------------------- plain convolutions


class _Conv(_ConvBase):
    """A plain (grouped) convolution: Conv1D, Conv2D, Conv3D."""

    STRIDES_OR_DILATION: ClassVar = True

    filters: PositiveInt = Field(description="Number of output channels.")
    groups: PositiveInt = 1
    kernel_initializer: Initializer = "glorot_uniform"
    kernel_regularizer: Regularizer | None = None
    kernel_constraint: Constraint | None = Field(None, description="Constraint applied to the kernel after each update.")

    def argument_errors(self) -> list[ShapeError]:
        errors = super().argument_errors()
        if self.filters % self.groups:
            errors.append(
                ShapeError(
                    "KS307",
                    f"{self.kind} `filters` ({self.filters}) must be divisible by `groups` ({self.groups})",
                    "groups",
                    f"use filters that are a multiple of {self.groups}, or groups that divide {self.filters}",
                )
            )
        return errors

    def output_shape(self, shape: Shape) -> Shape:
        c = self.input_channels(shape)
        if c % self.groups:
            divisors = [g for g in range(1, c + 1) if c % g == 0] if c <= 4096 else []
            raise ShapeError(
                "KS307",
                f"{self.kind} with groups {self.groups} needs input channels divisible by "
                f"{self.groups}, but the input has {c} channels: {fmt_shape(shape)}",
                "groups",
                f"use groups that divide {c} (e.g. {', '.join(map(str, divisors[:6]))})" if divisors else None,
            )
        return conv_output_shape(
            shape, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        c = channels(self, shape)
        kernel = (*self.kernel_size, c // self.groups, self.filters)
        return (Weight("kernel", kernel, True, "kernel_initializer"), *bias(self, self.filters))


class Conv1D(_Conv):
    """1D convolution over `(batch, steps, channels)`; the only convolution that takes `padding: causal`."""

    TYPES: ClassVar = ("Conv1D", "Convolution1D")
    OTHER_RANK: ClassVar = {4: "Conv2D", 5: "Conv3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["Conv1D", "Convolution1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: CausalPadding = "valid"
    dilation_rate: IntTuple(1) = (1,)


class Conv2D(_Conv):
    """2D convolution: `(batch, rows, cols, channels)` in, `filters` channels out."""

    TYPES: ClassVar = ("Conv2D", "Convolution2D")
    OTHER_RANK: ClassVar = {3: "Conv1D", 5: "Conv3D"}
    type: Literal["Conv2D", "Convolution2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)


class Conv3D(_Conv):
    """3D convolution: `(batch, depth, rows, cols, channels)` in, `filters` channels out."""

    TYPES: ClassVar = ("Conv3D", "Convolution3D")
    OTHER_RANK: ClassVar = {3: "Conv1D", 4: "Conv2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["Conv3D", "Convolution3D"]
    kernel_size: IntTuple(3)
    strides: IntTuple(3) = (1, 1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(3) = (1, 1, 1)
