"""Global max and average pooling, 1D to 3D: the spatial axes pooled away."""

from typing import ClassVar, Literal

from ...fields import StrictBool
from ...shapes import Shape, global_pool_output_shape
from ..base import DataFormat, Layer, require_rank


class _GlobalPool(Layer):
    """Pools every spatial axis away: one value per channel."""

    RANK: ClassVar[int] = 0  # the input rank, batch included
    data_format: DataFormat | None = None
    keepdims: StrictBool = False

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, self.RANK)
        return global_pool_output_shape(shape, self.data_format, self.keepdims)


class GlobalAveragePooling1D(_GlobalPool):
    """Average over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling1D", "GlobalAvgPool1D")
    RANK: ClassVar = 3
    OTHER_RANK: ClassVar = {4: "GlobalAveragePooling2D", 5: "GlobalAveragePooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["GlobalAveragePooling1D", "GlobalAvgPool1D"]


class GlobalMaxPooling1D(_GlobalPool):
    """Max over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling1D", "GlobalMaxPool1D")
    RANK: ClassVar = 3
    OTHER_RANK: ClassVar = {4: "GlobalMaxPooling2D", 5: "GlobalMaxPooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["GlobalMaxPooling1D", "GlobalMaxPool1D"]


class GlobalAveragePooling2D(_GlobalPool):
    """Average over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling2D", "GlobalAvgPool2D")
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "GlobalAveragePooling1D", 5: "GlobalAveragePooling3D"}
    type: Literal["GlobalAveragePooling2D", "GlobalAvgPool2D"]


class GlobalMaxPooling2D(_GlobalPool):
    """Max over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling2D", "GlobalMaxPool2D")
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "GlobalMaxPooling1D", 5: "GlobalMaxPooling3D"}
    type: Literal["GlobalMaxPooling2D", "GlobalMaxPool2D"]


class GlobalAveragePooling3D(_GlobalPool):
    """Average over depth, rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling3D", "GlobalAvgPool3D")
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "GlobalAveragePooling1D", 4: "GlobalAveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["GlobalAveragePooling3D", "GlobalAvgPool3D"]


class GlobalMaxPooling3D(_GlobalPool):
    """Max over depth, rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling3D", "GlobalMaxPool3D")
    RANK: ClassVar = 5
    OTHER_RANK: ClassVar = {3: "GlobalMaxPooling1D", 4: "GlobalMaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["GlobalMaxPooling3D", "GlobalMaxPool3D"]
