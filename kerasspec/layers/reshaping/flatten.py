"""Flatten: every axis but the batch in one."""

from typing import ClassVar, Literal

from ...shapes import (
    Shape,
    flatten_output_shape,
)
from ..base import DataFormat, Layer


class Flatten(Layer):
    """Flattens each sample to one axis."""

    TYPES: ClassVar = ("Flatten",)
    EXAMPLE_INPUT: ClassVar = "[28, 28]"
    type: Literal["Flatten"]
    data_format: DataFormat | None = None

    def output_shape(self, shape: Shape) -> Shape:
        return flatten_output_shape(shape)
