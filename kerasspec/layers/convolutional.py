"""Convolution layers: 1D, 2D and 3D, transposed, separable and depthwise.

Keras checks the input rank (``len(kernel_size) + 2``) and the channels in
``build``, `strides` with `dilation_rate` and `filters` vs `groups` in the
constructor; the output sizes follow ``compute_conv_output_shape``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..fields import IntTuple, PositiveInt, StrictBool
from ..objects import Activation, Initializer, Regularizer
from ..shapes import (
    Shape,
    ShapeError,
    conv_output_shape,
    conv_transpose_output_shape,
    fmt_list,
    fmt_shape,
)
from .base import CausalPadding, DataFormat, Layer, Padding, Weight, bias, channels, require_rank


class _ConvBase(Layer):
    """What every convolution shares: a window over the spatial axes, channels last by default."""

    CONV_KERNEL: ClassVar = True

    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    padding: str
    dilation_rate: tuple[int, ...]
    data_format: DataFormat | None = None
    activation: Activation | None = None
    use_bias: StrictBool = True

    #: The constructor refuses strides > 1 with dilation_rate > 1 (separable and depthwise do not).
    STRIDES_OR_DILATION: ClassVar[bool] = False

    @property
    def rank(self) -> int:
        return len(self.kernel_size)

    def argument_errors(self) -> list[ShapeError]:
        if self.STRIDES_OR_DILATION and max(self.strides) > 1 and max(self.dilation_rate) > 1:
            return [
                ShapeError(
                    "KS306",
                    f"{self.kind} has `strides` {fmt_list(self.strides)} > 1 together with `dilation_rate` "
                    f"{fmt_list(self.dilation_rate)} > 1, which Keras does not support",
                    "dilation_rate",
                    "use strides 1 with a dilation, or dilation_rate 1 with strides (a pooling layer can downsample)",
                )
            ]
        return []

    def input_channels(self, shape: Shape) -> int:
        require_rank(self, shape, self.rank + 2)
        return channels(self, shape)


class _Conv(_ConvBase):
    """A plain (grouped) convolution: Conv1D, Conv2D, Conv3D."""

    STRIDES_OR_DILATION: ClassVar = True

    filters: PositiveInt = Field(description="Number of output channels.")
    groups: PositiveInt = 1
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None

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
    """1D convolution over `(batch, steps, channels)`."""

    TYPES: ClassVar = ("Conv1D", "Convolution1D")
    OTHER_RANK: ClassVar = {4: "Conv2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["Conv1D", "Convolution1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: CausalPadding = "valid"
    dilation_rate: IntTuple(1) = (1,)


class Conv2D(_Conv):
    """2D convolution: `(batch, rows, cols, channels)` in, `filters` channels out."""

    TYPES: ClassVar = ("Conv2D", "Convolution2D")
    OTHER_RANK: ClassVar = {3: "Conv1D"}
    type: Literal["Conv2D", "Convolution2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)


class _ConvTranspose(_ConvBase):
    """A transposed convolution (a learned upsampling)."""

    STRIDES_OR_DILATION: ClassVar = True

    filters: PositiveInt = Field(description="Number of output channels.")
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None

    def argument_errors(self) -> list[ShapeError]:
        errors = super().argument_errors()
        output_padding: tuple[int, ...] | None = getattr(self, "output_padding", None)
        if output_padding is not None:
            for i, (op, s) in enumerate(zip(output_padding, self.strides, strict=True)):
                if op >= s:
                    errors.append(
                        ShapeError(
                            "KS309",
                            f"{self.kind} `output_padding` {fmt_list(output_padding)} must be less than "
                            f"`strides` {fmt_list(self.strides)} on every axis: at axis {i}, {op} >= {s}",
                            "output_padding",
                            f"use output_padding below {s} on axis {i}, or leave it out",
                        )
                    )
                    break
        return errors

    def output_shape(self, shape: Shape) -> Shape:
        self.input_channels(shape)
        return conv_transpose_output_shape(
            shape, self.filters, self.kernel_size, self.strides, self.padding,
            getattr(self, "output_padding", None), self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        kernel = (*self.kernel_size, self.filters, channels(self, shape))
        return (Weight("kernel", kernel, True, "kernel_initializer"), *bias(self, self.filters))


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2D convolution (a learned upsampling)."""

    TYPES: ClassVar = ("Conv2DTranspose", "Convolution2DTranspose")
    type: Literal["Conv2DTranspose", "Convolution2DTranspose"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    output_padding: IntTuple(2, minimum=0) | None = None
    dilation_rate: IntTuple(2) = (1, 1)


class _SeparableConv(_ConvBase):
    """Depthwise convolution per channel, then a 1x1 pointwise convolution."""

    filters: PositiveInt
    depth_multiplier: PositiveInt = 1
    depthwise_initializer: Initializer = "glorot_uniform"
    pointwise_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"

    def output_shape(self, shape: Shape) -> Shape:
        self.input_channels(shape)
        return conv_output_shape(
            shape, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        c = channels(self, shape)
        return (
            Weight("depthwise_kernel", (*self.kernel_size, c, self.depth_multiplier), True, "depthwise_initializer"),
            Weight("pointwise_kernel", (*(1,) * self.rank, c * self.depth_multiplier, self.filters), True, "pointwise_initializer"),
            *bias(self, self.filters),
        )


class SeparableConv2D(_SeparableConv):
    """Depthwise convolution per channel, then a 1x1 pointwise convolution."""

    TYPES: ClassVar = ("SeparableConv2D", "SeparableConvolution2D")
    type: Literal["SeparableConv2D", "SeparableConvolution2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)


class _DepthwiseConv(_ConvBase):
    """One spatial filter per input channel (times `depth_multiplier`)."""

    depth_multiplier: PositiveInt = 1
    depthwise_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"

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


class DepthwiseConv2D(_DepthwiseConv):
    """One spatial filter per input channel (times `depth_multiplier`)."""

    TYPES: ClassVar = ("DepthwiseConv2D",)
    type: Literal["DepthwiseConv2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)

