"""Reshape: the same values in another shape."""

from typing import ClassVar, Literal

from ...fields import TargetShape
from ...shapes import (
    Shape,
    ShapeError,
    reshape_output_shape,
    validate_target_shape,
)
from ..base import Layer


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (one entry may be -1)."""

    TYPES: ClassVar = ("Reshape",)
    type: Literal["Reshape"]
    target_shape: TargetShape

    def argument_errors(self) -> list[ShapeError]:
        try:
            validate_target_shape(self.target_shape)
        except ShapeError as e:
            return [e]
        return []

    def output_shape(self, shape: Shape) -> Shape:
        return reshape_output_shape(shape, self.target_shape)
