"""MaxPooling2D and AveragePooling2D."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple
from . import _Pool


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
