"""Core layers: the model's input, fully connected layers, activations by name."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..fields import InputShape, PositiveInt, StrictBool
from ..objects import Activation, Initializer, Regularizer
from ..shapes import Shape, dense_output_shape
from .base import Layer, Weight, bias, last_axis


class Input(Layer):
    """The model's input: `{type: Input, shape: [28, 28, 1]}`. Only as the first layer."""

    TYPES: ClassVar = ("Input", "InputLayer")
    KERAS_CLASS: ClassVar = "InputLayer"
    type: Literal["Input", "InputLayer"]
    shape: InputShape = Field(description="Shape of one sample, without the batch dimension.")
    batch_size: PositiveInt | None = Field(None, description="A fixed batch size (stateful RNNs need one); null for any.")

    @property
    def keras_class(self) -> str:
        return "InputLayer"  # `keras.Input` makes an InputLayer, whichever spelling the spec used

    def output_shape(self, shape: Shape) -> Shape:
        return (self.batch_size, *self.shape)


class Dense(Layer):
    """A fully connected layer, applied to the last axis of its input."""

    TYPES: ClassVar = ("Dense",)
    EXAMPLE_INPUT: ClassVar = "[784]"
    type: Literal["Dense"]
    units: PositiveInt = Field(description="Number of output units.")
    activation: Activation | None = Field(None, description="Activation function name; null or `linear` for none.")
    use_bias: StrictBool = True
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None

    def output_shape(self, shape: Shape) -> Shape:
        last_axis(self, shape)
        return dense_output_shape(shape, self.units)

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return (Weight("kernel", (last_axis(self, shape), self.units), True, "kernel_initializer"), *bias(self, self.units))


class ActivationLayer(Layer):
    """Applies an activation function."""

    TYPES: ClassVar = ("Activation",)
    type: Literal["Activation"]
    activation: Activation

    def output_shape(self, shape: Shape) -> Shape:
        return shape
