"""Pooling layers: windowed max and average, and global pooling, in 1D, 2D and 3D."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..fields import IntTuple, StrictBool
from ..shapes import Shape, global_pool_output_shape, pool_output_shape
from .base import DataFormat, Layer, PoolPadding, require_rank


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
    OTHER_RANK: ClassVar = {4: "MaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["MaxPooling1D", "MaxPool1D"]
    pool_size: IntTuple(1) = (2,)
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling1D(_Pool):
    """Average over `pool_size` steps."""

    TYPES: ClassVar = ("AveragePooling1D", "AvgPool1D")
    OTHER_RANK: ClassVar = {4: "AveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["AveragePooling1D", "AvgPool1D"]
    pool_size: IntTuple(1) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(1) | None = Field(None, description="Defaults to `pool_size`.")


class MaxPooling2D(_Pool):
    """Max over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("MaxPooling2D", "MaxPool2D")
    OTHER_RANK: ClassVar = {3: "MaxPooling1D"}
    type: Literal["MaxPooling2D", "MaxPool2D"]
    pool_size: IntTuple(2) = (2, 2)
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")


class AveragePooling2D(_Pool):
    """Average over `pool_size` windows of each channel."""

    TYPES: ClassVar = ("AveragePooling2D", "AvgPool2D")
    OTHER_RANK: ClassVar = {3: "AveragePooling1D"}
    type: Literal["AveragePooling2D", "AvgPool2D"]
    pool_size: IntTuple(2) = Field(description="Size of the pooling window (Keras 3 requires it).")
    strides: IntTuple(2) | None = Field(None, description="Defaults to `pool_size`.")


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
    OTHER_RANK: ClassVar = {4: "GlobalAveragePooling2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["GlobalAveragePooling1D", "GlobalAvgPool1D"]


class GlobalMaxPooling1D(_GlobalPool):
    """Max over steps: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling1D", "GlobalMaxPool1D")
    RANK: ClassVar = 3
    OTHER_RANK: ClassVar = {4: "GlobalMaxPooling2D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["GlobalMaxPooling1D", "GlobalMaxPool1D"]


class GlobalAveragePooling2D(_GlobalPool):
    """Average over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalAveragePooling2D", "GlobalAvgPool2D")
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "GlobalAveragePooling1D"}
    type: Literal["GlobalAveragePooling2D", "GlobalAvgPool2D"]


class GlobalMaxPooling2D(_GlobalPool):
    """Max over rows and columns: one value per channel."""

    TYPES: ClassVar = ("GlobalMaxPooling2D", "GlobalMaxPool2D")
    RANK: ClassVar = 4
    OTHER_RANK: ClassVar = {3: "GlobalMaxPooling1D"}
    type: Literal["GlobalMaxPooling2D", "GlobalMaxPool2D"]
