"""Input: the model's input shape (Keras's ``InputLayer``)."""

from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from ...fields import InputShape, PositiveInt
from ...shapes import Shape, fmt_list
from ..base import Layer

#: The older spellings ``keras.layers.InputLayer`` takes through ``**kwargs`` (``input_shape`` with a
#: deprecation warning, ``batch_input_shape`` silently); the function ``keras.Input`` refuses both.
_INPUT_LAYER_ONLY = ("input_shape", "batch_input_shape")


class Input(Layer):
    """The model's input: `{type: Input, shape: [28, 28, 1]}`. Only as the first layer.

    As in Keras, `batch_shape` (`[null, 784]`) gives the shape with its batch axis instead of
    `shape` and `batch_size`; `type: InputLayer` also takes Keras 2's `input_shape` and
    `batch_input_shape`.
    """

    TYPES: ClassVar = ("Input", "InputLayer")
    KERAS_CLASS: ClassVar = "InputLayer"
    type: Literal["Input", "InputLayer"]
    shape: InputShape | None = Field(None, description="Shape of one sample, without the batch dimension.")
    batch_size: PositiveInt | None = Field(None, description="A fixed batch size (stateful RNNs need one); null for any.")
    batch_shape: InputShape | None = Field(
        None, description="The shape with the batch axis first (`[null, 784]`), instead of `shape` and `batch_size`."
    )
    batch_input_shape: InputShape | None = Field(None, description="Keras 2's name of `batch_shape` (InputLayer only).")

    @model_validator(mode="after")
    def _one_shape(self) -> "Input":
        given = [f for f in ("shape", "input_shape", "batch_shape", "batch_input_shape") if getattr(self, f) is not None]
        if given == ["shape", "input_shape"]:
            return self  # the analysis reports it (KS211) and goes on with `shape`
        if self.type == "Input":
            # `keras.Input(...)` is a function with no **kwargs: TypeError on the older names.
            old = next((f for f in given if f in _INPUT_LAYER_ONLY), None)
            if old is not None:
                new = "shape" if old == "input_shape" else "batch_shape"
                raise _at(old, "KS201", f"Input takes `{new}`, not `{old}` (Keras 3's keras.Input refuses it)",
                          f"write `{new}: {fmt_list(getattr(self, old))}`, or `type: InputLayer`")  # fmt: skip
        if not given:
            raise _at(None, "KS204", f"{self.type} is missing required field 'shape'",
                      "add `shape: [...]`, the shape of one sample without the batch axis (or `batch_shape`)")  # fmt: skip
        if len(given) > 1:
            # Keras refuses shape with batch_shape; `input_shape` silently overrides `shape`.
            raise _at(given[1], "KS211", f"{self.type} takes the input shape once, as `shape` or `batch_shape`; got `{given[0]}` and `{given[1]}`",
                      f"keep `{'shape' if given[0] in ('shape', 'input_shape') else 'batch_shape'}` only")  # fmt: skip
        batched = self.batch_shape or self.batch_input_shape
        if batched is not None:
            field = given[0]
            if self.batch_size is not None:
                raise _at("batch_size", "KS211", f"{self.type} takes `batch_size` or `{field}`, not both (Keras refuses them together)",
                          f"keep `{field}`: its first entry is the batch size")  # fmt: skip
            if len(batched) < 2:
                raise _at(field, "KS205", f"{self.type} `{field}` must hold the batch axis and at least one more, got {fmt_list(batched)}",
                          f"write `shape: {fmt_list(batched)}` for the shape of one sample, or `{field}: [null, ...]`")  # fmt: skip
        return self

    @property
    def sample_shape(self) -> Shape:
        """The shape of one sample (no batch axis), whichever spelling gave it."""
        batched = self.batch_shape or self.batch_input_shape
        if batched is not None:
            return tuple(batched[1:])
        return tuple(self.shape or self.input_shape or ())

    @property
    def batch(self) -> int | None:
        """The fixed batch size (`batch_size`, or the first entry of `batch_shape`), or None."""
        batched = self.batch_shape or self.batch_input_shape
        return batched[0] if batched is not None else self.batch_size

    @property
    def shape_field(self) -> str:
        """The field the spec gives the shape in (for locating diagnostics)."""
        return next((f for f in ("shape", "input_shape", "batch_shape", "batch_input_shape") if getattr(self, f) is not None), "shape")

    @property
    def keras_class(self) -> str:
        return "InputLayer"  # `keras.Input` makes an InputLayer, whichever spelling the spec used

    def output_shape(self, shape: Shape) -> Shape:
        return (self.batch, *self.sample_shape)


def _at(field: str | None, code: str, message: str, hint: str) -> Any:
    return ValidationError.from_exception_data(
        "Input",
        [InitErrorDetails(type=PydanticCustomError(code, message, {"hint": hint, "whole": True}), loc=(field,) if field else (), input=None)],
    )
