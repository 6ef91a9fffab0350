"""Conv2D: the plain 2D convolution."""

from typing import ClassVar, Literal

from ...fields import IntTuple
from ..base import Padding
from . import _Conv


class Conv2D(_Conv):
    """2D convolution: `(batch, rows, cols, channels)` in, `filters` channels out."""

    TYPES: ClassVar = ("Conv2D", "Convolution2D")
    OTHER_RANK: ClassVar = {3: "Conv1D", 5: "Conv3D"}
    type: Literal["Conv2D", "Convolution2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    padding: Padding = "valid"
    dilation_rate: IntTuple(2) = (1, 1)
