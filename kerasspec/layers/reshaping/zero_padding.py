"""ZeroPadding1D/2D/3D: zeros around the spatial axes."""

from typing import ClassVar, Literal

from ...fields import AxisPairs, IntTuple
from ...shapes import (
    Shape,
    zero_padding_output_shape,
)
from . import _NEGATIVE_PADDING, _Spatial


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
