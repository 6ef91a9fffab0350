"""SeparableConv1D, SeparableConv2D: a depthwise step, then a pointwise one."""

import math
from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple, PositiveInt
from ...objects import Constraint, Initializer, Regularizer
from ...shapes import (
    Shape,
    conv_output_shape,
)
from ..base import Padding, Weight, bias, channels
from . import _ConvBase

# --------------------------------------------------------------------------- separable


class _SeparableConv(_ConvBase):
    """Depthwise convolution per channel, then a 1x1 pointwise convolution (strides with dilation allowed)."""

    filters: PositiveInt = Field(description="Number of output channels.")
    depth_multiplier: PositiveInt = 1
    depthwise_initializer: Initializer = "glorot_uniform"
    pointwise_initializer: Initializer = "glorot_uniform"
    depthwise_regularizer: Regularizer | None = Field(None, description="Penalty on the depthwise kernel.")
    pointwise_regularizer: Regularizer | None = Field(None, description="Penalty on the pointwise kernel.")
    depthwise_constraint: Constraint | None = Field(None, description="Constraint applied to the depthwise kernel after each update.")
    pointwise_constraint: Constraint | None = Field(None, description="Constraint applied to the pointwise kernel after each update.")

    def output_shape(self, shape: Shape) -> Shape:
        self.input_channels(shape)
        return conv_output_shape(
            shape, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip

    def intermediate_size(self, shape: Shape) -> int:
        # The depthwise step's output, c * depth_multiplier channels at the output's spatial
        # size, is kept for the backward pass: with a large multiplier it dwarfs the output.
        out = self.output_shape(shape)
        spatial = out[2:] if self.data_format == "channels_first" else out[1:-1]
        return math.prod(d or 1 for d in spatial) * channels(self, shape) * self.depth_multiplier

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        c = channels(self, shape)
        return (
            Weight("depthwise_kernel", (*self.kernel_size, c, self.depth_multiplier), True, "depthwise_initializer"),
            Weight("pointwise_kernel", (*(1,) * self.rank, c * self.depth_multiplier, self.filters), True, "pointwise_initializer"),
            *bias(self, self.filters),
        )


class SeparableConv1D(_SeparableConv):
    """Depthwise convolution per channel over steps, then a pointwise (size 1) convolution."""

    TYPES: ClassVar = ("SeparableConv1D", "SeparableConvolution1D")
    OTHER_RANK: ClassVar = {4: "SeparableConv2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["SeparableConv1D", "SeparableConvolution1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: Padding = "valid"
    dilation_rate: IntTuple(1) = (1,)


class SeparableConv2D(_SeparableConv):
    """Depthwise convolution per channel, then a 1x1 pointwise convolution."""

    TYPES: ClassVar = ("SeparableConv2D", "SeparableConvolution2D")
    OTHER_RANK: ClassVar = {3: "SeparableConv1D"}
    type: Literal["SeparableConv2D", "SeparableConvolution2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)
