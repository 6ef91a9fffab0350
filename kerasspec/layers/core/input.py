"""Input: the model's input shape (Keras's ``InputLayer``)."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import InputShape, PositiveInt
from ...shapes import Shape
from ..base import Layer


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
