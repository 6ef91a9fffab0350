"""Conv1D: the plain 1D convolution."""

from typing import ClassVar, Literal

from ...fields import IntTuple
from ..base import CausalPadding
from . import _Conv


class Conv1D(_Conv):
    """1D convolution over `(batch, steps, channels)`; the only convolution that takes `padding: causal`."""

    TYPES: ClassVar = ("Conv1D", "Convolution1D")
    OTHER_RANK: ClassVar = {4: "Conv2D", 5: "Conv3D"}
    EXAMPLE_INPUT: ClassVar = "[100, 1]"
    type: Literal["Conv1D", "Convolution1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    padding: CausalPadding = "valid"
    dilation_rate: IntTuple(1) = (1,)
