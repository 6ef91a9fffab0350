"""Reshaping layers: flatten, reshape, pad, crop, upsample, repeat, permute.

What Keras 3 does (``keras/src/layers/reshaping/``), checked by building each layer:
every layer here checks the exact input rank; `data_format` is lower-cased;
ZeroPadding1D and Cropping1D take an int or a (before, after) pair, the 2D and
3D ones an int or one entry per axis, each an int or a pair (entries may mix);
Cropping1D has no `data_format` (it crops axis 1); UpSampling1D and RepeatVector
take a plain int (a list is a TypeError); UpSampling2D lower-cases `interpolation`.
"""

from typing import ClassVar, Literal

from pydantic import Field

from ..fields import AxisPairs, Choice, IntList, IntTuple, PositiveInt, TargetShape
from ..shapes import (
    Shape,
    ShapeError,
    cropping_output_shape,
    flatten_output_shape,
    permute_output_shape,
    repeat_vector_output_shape,
    reshape_output_shape,
    upsampling_output_shape,
    validate_permutation,
    validate_target_shape,
    zero_padding_output_shape,
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


class _Spatial(Layer):
    """A layer over the spatial axes of a `(batch, ..., channels)` input of a fixed rank."""

    RANK: ClassVar[int] = 0  # the input rank, batch included
    data_format: DataFormat | None = None

    def check_rank(self, shape: Shape) -> None:
        require_rank(self, shape, self.RANK)


_NEGATIVE_PADDING = (
    "Keras builds a negative int `padding` (it shrinks the output shape) but the layer fails "
    "when called (a negative pad): the spec requires sizes >= 0, as Keras does for the list forms"
)


class ZeroPadding1D(_Spatial):
    """Pads steps with zeros: `padding` an int (both ends) or [before, after]."""

    TYPES: ClassVar = ("ZeroPadding1D",)
    RANK: ClassVar = 3
    OTHER_RANK: ClassVar = {4: "ZeroPadding2D", 5: "ZeroPadding3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["ZeroPadding1D"]
    padding: IntTuple(2, minimum=0, description="An int (both ends) or [before, after].") = (1, 1)

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return zero_padding_output_shape(shape, (self.padding,), self.data_format)


class ZeroPadding2D(_Spatial):
    """Pads rows and columns with zeros."""

    TYPES: ClassVar = ("ZeroPadding2D",)
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "ZeroPadding1D", 5: "ZeroPadding3D"}
    STRICTER_THAN_KERAS: ClassVar = {"padding": _NEGATIVE_PADDING}
    type: Literal["ZeroPadding2D"]
    padding: AxisPairs(2, description="An int, [rows, cols] (symmetric), or [[top, bottom], [left, right]]; entries may mix.") = ((1, 1), (1, 1))

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return zero_padding_output_shape(shape, self.padding, self.data_format)


class ZeroPadding3D(_Spatial):
    """Pads depth, rows and columns with zeros."""

    TYPES: ClassVar = ("ZeroPadding3D",)
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "ZeroPadding1D", 4: "ZeroPadding2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    STRICTER_THAN_KERAS: ClassVar = {"padding": _NEGATIVE_PADDING}
    type: Literal["ZeroPadding3D"]
    padding: AxisPairs(3, description="An int, one int per axis (symmetric), or [before, after] per axis; entries may mix.") = (
        (1, 1), (1, 1), (1, 1),
    )  # fmt: skip

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return zero_padding_output_shape(shape, self.padding, self.data_format)


class Cropping1D(Layer):
    """Crops steps: `cropping` an int (both ends) or [start, end]; axis 1 always (no `data_format`)."""

    TYPES: ClassVar = ("Cropping1D",)
    OTHER_RANK: ClassVar = {4: "Cropping2D", 5: "Cropping3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["Cropping1D"]
    cropping: IntTuple(2, minimum=0, description="An int (both ends) or [start, end].") = (1, 1)

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 3)
        return cropping_output_shape(shape, (self.cropping,), None, layer=self.kind)


class Cropping2D(_Spatial):
    """Crops rows and columns."""

    TYPES: ClassVar = ("Cropping2D",)
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "Cropping1D", 5: "Cropping3D"}
    type: Literal["Cropping2D"]
    cropping: AxisPairs(2, description="An int, [rows, cols] (symmetric), or [[top, bottom], [left, right]]; entries may mix.") = ((0, 0), (0, 0))

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return cropping_output_shape(shape, self.cropping, self.data_format, layer=self.kind)


class Cropping3D(_Spatial):
    """Crops depth, rows and columns."""

    TYPES: ClassVar = ("Cropping3D",)
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "Cropping1D", 4: "Cropping2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["Cropping3D"]
    cropping: AxisPairs(3, description="An int, one int per axis (symmetric), or [start, end] per axis; entries may mix.") = (
        (1, 1), (1, 1), (1, 1),
    )  # fmt: skip

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return cropping_output_shape(shape, self.cropping, self.data_format, layer=self.kind)


class UpSampling1D(Layer):
    """Repeats each step `size` times."""

    TYPES: ClassVar = ("UpSampling1D",)
    OTHER_RANK: ClassVar = {4: "UpSampling2D", 5: "UpSampling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["UpSampling1D"]
    size: PositiveInt = Field(2, description="The repeat factor: an int (Keras refuses a list).")

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 3)
        return upsampling_output_shape(shape, (self.size,), None)


#: The methods Keras's image resize runs (``RESIZE_INTERPOLATIONS``); `nearest` repeats.
INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")


class UpSampling2D(_Spatial):
    """Repeats (or interpolates) rows and columns `size` times."""

    TYPES: ClassVar = ("UpSampling2D",)
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "UpSampling1D", 5: "UpSampling3D"}
    STRICTER_THAN_KERAS: ClassVar = {
        "interpolation": "Keras lower-cases `interpolation` and builds any string, but the layer fails "
        "when called with one its image resize does not know: the spec takes only those, in any case",
    }
    type: Literal["UpSampling2D"]
    size: IntTuple(2) = (2, 2)
    interpolation: Choice(*INTERPOLATIONS, case_insensitive=True) = "nearest"

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return upsampling_output_shape(shape, self.size, self.data_format)


class UpSampling3D(_Spatial):
    """Repeats depth, rows and columns `size` times."""

    TYPES: ClassVar = ("UpSampling3D",)
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "UpSampling1D", 4: "UpSampling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["UpSampling3D"]
    size: IntTuple(3, description="Upsampling factor: an int for every axis, or [depth, rows, cols].") = (2, 2, 2)

    def output_shape(self, shape: Shape) -> Shape:
        self.check_rank(shape)
        return upsampling_output_shape(shape, self.size, self.data_format)


class RepeatVector(Layer):
    """Repeats a `(batch, features)` input `n` times: `(batch, n, features)`."""

    TYPES: ClassVar = ("RepeatVector",)
    EXAMPLE_INPUT: ClassVar = "[16]"
    type: Literal["RepeatVector"]
    n: PositiveInt = Field(description="How many times to repeat the input (an int).")

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 2)
        return repeat_vector_output_shape(shape, self.n)


class Permute(Layer):
    """Reorders the axes after the batch: `dims: [2, 1]` swaps the first two."""

    TYPES: ClassVar = ("Permute",)
    EXAMPLE_INPUT: ClassVar = "[10, 64]"
    type: Literal["Permute"]
    dims: IntList = Field(description="A permutation of 1..n (the batch axis 0 is not counted); the input must have rank n + 1.")

    def argument_errors(self) -> list[ShapeError]:
        try:
            validate_permutation(self.dims)
        except ShapeError as e:
            return [e]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, len(self.dims) + 1)
        return permute_output_shape(shape, self.dims)
