"""Cropping1D/2D/3D: rows and columns cut off the spatial axes."""

from typing import ClassVar, Literal

from ...fields import AxisPairs, IntTuple
from ...shapes import (
    Shape,
    cropping_output_shape,
)
from ..base import Layer, require_rank
from . import _Spatial


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
