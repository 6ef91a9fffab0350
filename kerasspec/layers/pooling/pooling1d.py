"""MaxPooling1D and AveragePooling1D."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntTuple
from . import _Pool


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
