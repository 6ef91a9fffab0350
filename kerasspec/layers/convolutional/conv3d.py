"""Conv3D: the plain 3D convolution."""

from typing import ClassVar, Literal

from ...fields import IntTuple
from ..base import Padding
from . import _Conv


class Conv3D(_Conv):
    """3D convolution: `(batch, depth, rows, cols, channels)` in, `filters` channels out."""

    TYPES: ClassVar = ("Conv3D", "Convolution3D")
    OTHER_RANK: ClassVar = {3: "Conv1D", 4: "Conv2D"}
    EXAMPLE_INPUT: ClassVar = "[16, 16, 16, 1]"
    type: Literal["Conv3D", "Convolution3D"]
    kernel_size: IntTuple(3)
    strides: IntTuple(3) = (1, 1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(3) = (1, 1, 1)
