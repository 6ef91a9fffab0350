"""SpatialDropout1D/2D/3D: dropout of whole channels."""

from typing import ClassVar, Literal

from ...fields import Rate
from ...shapes import Shape
from ..base import DataFormat, require_rank
from . import Seed, _Regularization


class SpatialDropout1D(_Regularization):
    """Drops whole channels of `(batch, steps, channels)` inputs while training."""

    TYPES: ClassVar = ("SpatialDropout1D",)
    OTHER_RANK: ClassVar = {4: "SpatialDropout2D", 5: "SpatialDropout3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 8]"
    type: Literal["SpatialDropout1D"]
    rate: Rate
    seed: Seed = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 3)
        return shape


class SpatialDropout2D(_Regularization):
    """Drops whole feature maps of 4D inputs while training."""

    TYPES: ClassVar = ("SpatialDropout2D",)
    OTHER_RANK: ClassVar = {3: "SpatialDropout1D", 5: "SpatialDropout3D"}
    type: Literal["SpatialDropout2D"]
    rate: Rate
    data_format: DataFormat | None = None
    seed: Seed = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 4)
        return shape


class SpatialDropout3D(_Regularization):
    """Drops whole 3D feature maps of 5D inputs while training."""

    TYPES: ClassVar = ("SpatialDropout3D",)
    OTHER_RANK: ClassVar = {3: "SpatialDropout1D", 4: "SpatialDropout2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["SpatialDropout3D"]
    rate: Rate
    data_format: DataFormat | None = None
    seed: Seed = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 5)
        return shape
