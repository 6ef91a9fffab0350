"""Masking: marks padding steps for the recurrent layers after it."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import StrictFloat
from ...shapes import Shape
from ..base import Layer


class Masking(Layer):
    """Masks the steps whose features all equal `mask_value`, for the recurrent layers after it."""

    TYPES: ClassVar = ("Masking",)
    EXAMPLE_INPUT: ClassVar = "[28, 28]"
    STRICTER_THAN_KERAS: ClassVar = {"mask_value": "a number: Keras compares the inputs with anything, failing at run time"}
    type: Literal["Masking"]
    mask_value: StrictFloat = Field(0.0, description="The value that marks a padding step.")

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return None
