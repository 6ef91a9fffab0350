"""RepeatVector: a vector repeated n times."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import PositiveInt
from ...shapes import (
    Shape,
    repeat_vector_output_shape,
)
from ..base import Layer, require_rank


class RepeatVector(Layer):
    """Repeats a `(batch, features)` input `n` times: `(batch, n, features)`."""

    TYPES: ClassVar = ("RepeatVector",)
    EXAMPLE_INPUT: ClassVar = "[16]"
    type: Literal["RepeatVector"]
    n: PositiveInt = Field(description="How many times to repeat the input (an int).")

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 2)
        return repeat_vector_output_shape(shape, self.n)
