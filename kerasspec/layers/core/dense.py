"""Dense: the fully connected layer."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import PositiveInt, StrictBool
from ...objects import Activation, Constraint, Initializer, Regularizer
from ...shapes import Shape, dense_output_shape
from ..base import Layer, Weight, bias, last_axis
from . import _LORA, _QUANTIZATION


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
    kernel_constraint: Constraint | None = None
    bias_constraint: Constraint | None = None

    UNSUPPORTED_ARGS: ClassVar = {"lora_rank": _LORA, "lora_alpha": _LORA, "quantization_config": _QUANTIZATION}

    def output_shape(self, shape: Shape) -> Shape:
        last_axis(self, shape)
        return dense_output_shape(shape, self.units)

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return (Weight("kernel", (last_axis(self, shape), self.units), True, "kernel_initializer"), *bias(self, self.units))
