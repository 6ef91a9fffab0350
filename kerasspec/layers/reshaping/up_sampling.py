"""UpSampling1D/2D/3D: each spatial position repeated."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import Choice, IntTuple, PositiveInt
from ...shapes import (
    Shape,
    upsampling_output_shape,
)
from ..base import Layer, require_rank
from . import _Spatial


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
