"""Reshaping layers: flatten, reshape, pad, crop, upsample."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..fields import Choice, IntTuple, Padding2D, TargetShape
from ..shapes import (
    Shape,
    ShapeError,
    cropping2d_output_shape,
    flatten_output_shape,
    reshape_output_shape,
    upsampling2d_output_shape,
    validate_target_shape,
    zero_padding2d_output_shape,
)
from .base import DataFormat, Layer, require_rank


class Flatten(Layer):
    """Flattens each sample to one axis."""

    TYPES: ClassVar = ("Flatten",)
    EXAMPLE_INPUT: ClassVar = "[28, 28]"
    type: Literal["Flatten"]
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        return flatten_output_shape(shape)


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (one entry may be -1)."""

    TYPES: ClassVar = ("Reshape",)
    type: Literal["Reshape"]
    target_shape: TargetShape

    def argument_errors(self) -> list[ShapeError]:
        try:
            validate_target_shape(self.target_shape)
        except ShapeError as e:
            return [e]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        return reshape_output_shape(shape, self.target_shape)


class ZeroPadding2D(Layer):
    """Pads rows and columns with zeros."""

    TYPES: ClassVar = ("ZeroPadding2D",)
    type: Literal["ZeroPadding2D"]
    padding: Padding2D = ((1, 1), (1, 1))
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 4)
        return zero_padding2d_output_shape(shape, self.padding, self.data_format)


class Cropping2D(Layer):
    """Crops rows and columns."""

    TYPES: ClassVar = ("Cropping2D",)
    type: Literal["Cropping2D"]
    cropping: Padding2D = ((0, 0), (0, 0))
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 4)
        return cropping2d_output_shape(shape, self.cropping, self.data_format)


class UpSampling2D(Layer):
    """Repeats rows and columns `size` times."""

    TYPES: ClassVar = ("UpSampling2D",)
    type: Literal["UpSampling2D"]
    size: IntTuple(2) = (2, 2)
    data_format: DataFormat | None = None
    interpolation: Choice("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area") = "nearest"

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 4)
        return upsampling2d_output_shape(shape, self.size, self.data_format)
