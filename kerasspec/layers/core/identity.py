"""Identity: passes its input through."""

from typing import ClassVar, Literal

from ...shapes import Shape
from ..base import Layer


class Identity(Layer):
    """Passes its input through unchanged."""

    TYPES: ClassVar = ("Identity",)
    type: Literal["Identity"]

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return None
