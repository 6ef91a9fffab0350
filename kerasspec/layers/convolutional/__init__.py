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

from typing import ClassVar

from pydantic import Field

from ...fields import PositiveInt, StrictBool
from ...objects import Activation, Constraint, Initializer, Regularizer
from ...shapes import (
    Shape,
    ShapeError,
    conv_output_shape,
    fmt_list,
    fmt_shape,
)
from ..base import DataFormat, Layer, Weight, bias, channels, require_rank

#: The modules of the family, one per kind of layer, in the order the docs list them.
PARTS = ("conv1d", "conv2d", "conv3d", "conv_transpose", "separable_conv", "depthwise_conv")


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
