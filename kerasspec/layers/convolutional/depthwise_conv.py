"""DepthwiseConv1D, DepthwiseConv2D: each input channel convolved on its own."""

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

# --------------------------------------------------------------------------- depthwise


class _DepthwiseConv(_ConvBase):
    """One spatial filter per input channel (times `depth_multiplier`); strides with dilation allowed."""

    depth_multiplier: PositiveInt = 1
    depthwise_initializer: Initializer = "glorot_uniform"
    depthwise_regularizer: Regularizer | None = Field(None, description="Penalty on the depthwise kernel.")
    depthwise_constraint: Constraint | None = Field(None, description="Constraint applied to the depthwise kernel after each update.")

    def output_shape(self, shape: Shape) -> Shape:
        c = self.input_channels(shape)
        return conv_output_shape(
            shape, c * self.depth_multiplier, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        c = channels(self, shape)
        kernel = (*self.kernel_size, c, self.depth_multiplier)
        return (Weight("kernel", kernel, True, "depthwise_initializer"), *bias(self, c * self.depth_multiplier))


class DepthwiseConv1D(_DepthwiseConv):
    """One filter over steps per input channel (times `depth_multiplier`)."""

    TYPES: ClassVar = ("DepthwiseConv1D",)
    OTHER_RANK: ClassVar = {4: "DepthwiseConv2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["DepthwiseConv1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: Padding = "valid"
    dilation_rate: IntTuple(1) = (1,)


class DepthwiseConv2D(_DepthwiseConv):
    """One spatial filter per input channel (times `depth_multiplier`)."""

    TYPES: ClassVar = ("DepthwiseConv2D",)
    OTHER_RANK: ClassVar = {3: "DepthwiseConv1D"}
    type: Literal["DepthwiseConv2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)
