"""ActivityRegularization: a penalty on the layer's input."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import NonNegativeFloat
from . import _Regularization


class ActivityRegularization(_Regularization):
    """Adds `l1 * sum(|x|) + l2 * sum(x^2)` of its input to the loss; passes the input on."""

    TYPES: ClassVar = ("ActivityRegularization",)
    STRICTER_THAN_KERAS: ClassVar = {}
    type: Literal["ActivityRegularization"]
    l1: NonNegativeFloat | None = Field(0.0, description="L1 factor, >= 0; null is 0.")
    l2: NonNegativeFloat | None = Field(0.0, description="L2 factor, >= 0; null is 0.")
