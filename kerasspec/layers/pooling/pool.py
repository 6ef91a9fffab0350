"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: a window over the spatial axes."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple
from ...shapes import Shape, pool_output_shape
from ..base import DataFormat, Layer, PoolPadding, require_rank


class _Pool(Layer):
    """Max or average over `pool_size` windows of each channel; `strides` default to `pool_size`."""

    CONV_KERNEL: ClassVar = True

    pool_size: tuple[int, ...]
    strides: tuple[int, ...] | None
    padding: PoolPadding = "valid"
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, len(self.pool_size) + 2)
        return pool_output_shape(shape, self.pool_size, self.strides, self.padding, self.data_format, layer=self.kind)


class MaxPooling1D(_Pool):
    """Max over `pool_size` steps."""

    TYPES: ClassVar = ("MaxPooling1D", "MaxPool1D")
    OTHER_RANK: ClassVar = {4: "MaxPooling2D", 5: "MaxPooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["MaxPooling1D", "MaxPool1D"]
    pool_size: IntTuple(1) = (2,)
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling1D(_Pool):
    """Average over `pool_size` steps."""

    TYPES: ClassVar = ("AveragePooling1D", "AvgPool1D")
    OTHER_RANK: ClassVar = {4: "AveragePooling2D", 5: "AveragePooling3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["AveragePooling1D", "AvgPool1D"]
    pool_size: IntTuple(1) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")


class MaxPooling2D(_Pool):
    """Max over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("MaxPooling2D", "MaxPool2D")
    OTHER_RANK: ClassVar = {3: "MaxPooling1D", 5: "MaxPooling3D"}
    type: Literal["MaxPooling2D", "MaxPool2D"]
    pool_size: IntTuple(2) = (2, 2)
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling2D(_Pool):
    """Average over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("AveragePooling2D", "AvgPool2D")
    OTHER_RANK: ClassVar = {3: "AveragePooling1D", 5: "AveragePooling3D"}
    type: Literal["AveragePooling2D", "AvgPool2D"]
    pool_size: IntTuple(2) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")


class MaxPooling3D(_Pool):
    """Max over `pool_size` windows of each channel of a volume."""

    TYPES: ClassVar = ("MaxPooling3D", "MaxPool3D")
    OTHER_RANK: ClassVar = {3: "MaxPooling1D", 4: "MaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["MaxPooling3D", "MaxPool3D"]
    pool_size: IntTuple(3) = (2, 2, 2)
    strides: IntTuple(3) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling3D(_Pool):
    """Average over `pool_size` windows of each channel of a volume."""

    TYPES: ClassVar = ("AveragePooling3D", "AvgPool3D")
    OTHER_RANK: ClassVar = {3: "AveragePooling1D", 4: "AveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["AveragePooling3D", "AvgPool3D"]
    pool_size: IntTuple(3) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(3) | None = Field(None, description="Defaults to `pool_size`.")
