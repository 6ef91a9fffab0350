"""Permute: the axes after the batch, reordered."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import IntList
from ...shapes import (
    Shape,
    ShapeError,
    permute_output_shape,
    validate_permutation,
)
from ..base import Layer, require_rank


class Permute(Layer):
    """Reorders the axes after the batch: `dims: [2, 1]` swaps the first two."""

    TYPES: ClassVar = ("Permute",)
    EXAMPLE_INPUT: ClassVar = "[10, 64]"
    type: Literal["Permute"]
    dims: IntList = Field(description="A permutation of 1..n (the batch axis 0 is not counted); the input must have rank n + 1.")

    def argument_errors(self) -> list[ShapeError]:
        try:
            validate_permutation(self.dims)
        except ShapeError as e:
            return [e]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, len(self.dims) + 1)
        return permute_output_shape(shape, self.dims)
