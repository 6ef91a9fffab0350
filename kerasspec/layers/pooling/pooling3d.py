"""MaxPooling3D and AveragePooling3D."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple
from . import _Pool


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
