"""Activation: an activation function by name, as a layer."""

from typing import ClassVar, Literal

from ...objects import Activation
from ...shapes import Shape
from ..base import Layer


class ActivationLayer(Layer):
    """Applies an activation function."""

    TYPES: ClassVar = ("Activation",)
    type: Literal["Activation"]
    activation: Activation

    def output_shape(self, shape: Shape) -> Shape:
        return shape
