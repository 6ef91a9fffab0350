"""Conv1DTranspose, Conv2DTranspose, Conv3DTranspose."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple, PositiveInt
from ...objects import Constraint, Initializer, Regularizer
from ...shapes import (
    Shape,
    ShapeError,
    conv_transpose_output_shape,
    fmt_list,
)
from ..base import Padding, Weight, bias, channels
from . import _ConvBase

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
