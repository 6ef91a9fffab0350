"""Convolution layers: 1D, 2D and 3D, transposed, separable and depthwise.

What Keras 3 does, read in ``keras/src/layers/convolutional/base_*.py`` and checked
by building each layer:

- ``padding`` and ``data_format`` are lower-cased (``SAME``, ``Channels_First``
  work); ``causal`` is taken by Conv1D alone (``standardize_padding(...,
  allow_causal=rank == 1)`` in ``BaseConv``; the transposed, separable and
  depthwise 1D layers refuse it);
- the constructor refuses `strides` > 1 with `dilation_rate` > 1 for the plain and
  the transposed convolutions only: the separable and depthwise ones take both (the
  TensorFlow backend dilates at stride 1 and subsamples), with the usual output sizes;
- `filters` must be divisible by `groups` (constructor), the input channels too (``build``);
- the input rank must be ``len(kernel_size) + 2`` exactly: the InputSpec asks for at
  least that, and the output-shape rule fails on more;
- ``output_padding`` must be below `strides` on every axis (transposed convolutions).
"""

import math
from typing import ClassVar, Literal

from pydantic import Field

from ..fields import IntTuple, PositiveInt, StrictBool
from ..objects import Activation, Constraint, Initializer, Regularizer
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
    bias_initializer: Initializer = "zeros"
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None
    bias_constraint: Constraint | None = Field(None, description="Constraint applied to the bias after each update.")

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


# --------------------------------------------------------------------------- transposed


class _ConvTranspose(_ConvBase):
    """A transposed convolution (a learned upsampling); no `groups`, no `causal`."""

    STRIDES_OR_DILATION: ClassVar = True

    filters: PositiveInt = Field(description="Number of output channels.")
    output_padding: tuple[int, ...] | None = None
    kernel_initializer: Initializer = "glorot_uniform"
    kernel_regularizer: Regularizer | None = None
    kernel_constraint: Constraint | None = Field(None, description="Constraint applied to the kernel after each update.")

    def argument_errors(self) -> list[ShapeError]:
        errors = super().argument_errors()
        if self.output_padding is not None:
            for i, (op, s) in enumerate(zip(self.output_padding, self.strides, strict=True)):
                if op >= s:
                    errors.append(
                        ShapeError(
                            "KS309",
                            f"{self.kind} `output_padding` {fmt_list(self.output_padding)} must be less than "
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
            self.output_padding, self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        kernel = (*self.kernel_size, self.filters, channels(self, shape))
        return (Weight("kernel", kernel, True, "kernel_initializer"), *bias(self, self.filters))


_OUTPUT_PADDING = "Extra size on one side of each output axis; each must be below `strides`. Default: none."


class Conv1DTranspose(_ConvTranspose):
    """Transposed 1D convolution (a learned upsampling of steps)."""

    TYPES: ClassVar = ("Conv1DTranspose", "Convolution1DTranspose")
    OTHER_RANK: ClassVar = {4: "Conv2DTranspose", 5: "Conv3DTranspose"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["Conv1DTranspose", "Convolution1DTranspose"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: Padding = "valid"
    output_padding: IntTuple(1, minimum=0, description=_OUTPUT_PADDING) | None = None
    dilation_rate: IntTuple(1) = (1,)


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2D convolution (a learned upsampling)."""

    TYPES: ClassVar = ("Conv2DTranspose", "Convolution2DTranspose")
    OTHER_RANK: ClassVar = {3: "Conv1DTranspose", 5: "Conv3DTranspose"}
    type: Literal["Conv2DTranspose", "Convolution2DTranspose"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    output_padding: IntTuple(2, minimum=0, description=_OUTPUT_PADDING) | None = None
    dilation_rate: IntTuple(2) = (1, 1)


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3D convolution (a learned upsampling of volumes)."""

    TYPES: ClassVar = ("Conv3DTranspose", "Convolution3DTranspose")
    OTHER_RANK: ClassVar = {3: "Conv1DTranspose", 4: "Conv2DTranspose"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["Conv3DTranspose", "Convolution3DTranspose"]
    kernel_size: IntTuple(3)
    strides: IntTuple(3) = (1, 1, 1)
    padding: Padding = "valid"
    output_padding: IntTuple(3, minimum=0, description=_OUTPUT_PADDING) | None = None
    dilation_rate: IntTuple(3) = (1, 1, 1)


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
