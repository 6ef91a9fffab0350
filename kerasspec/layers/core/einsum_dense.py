"""EinsumDense: a dense layer written as an einsum."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ...fields import describe
from ...objects import Activation, Constraint, Initializer, Regularizer
from ...shapes import Shape, ShapeError, einsum_dense_shapes, fmt_shape
from ..base import Layer, Weight
from . import _LORA, _QUANTIZATION


def _einsum_output_shape(value: Any) -> int | tuple[int | None, ...]:
    # Keras: `(output_shape,)` for an int, else `tuple(output_shape)`; the sizes become weight
    # and output sizes (null: taken from nowhere, Keras leaves it unknown).
    def size(v: Any) -> int | None:
        if v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
            return v
        raise PydanticCustomError(
            "KS205" if isinstance(v, int) and not isinstance(v, bool) else "KS203",
            "output sizes must be positive integers or null, got {got}",
            {"got": describe(v)},
        )

    if isinstance(value, int) and not isinstance(value, bool):
        size(value)
        return value
    if isinstance(value, list | tuple) and value:
        return tuple(size(v) for v in value)
    raise PydanticCustomError(
        "KS203",
        "expected an integer or a non-empty list of sizes (null for unknown), got {got}",
        {"got": describe(value)},
    )


EinsumOutputShape = Annotated[
    int | tuple[int | None, ...],
    PlainValidator(_einsum_output_shape),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "array", "minItems": 1, "items": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]}},
            ],
            "description": "The output shape without the batch axis (an int for one axis); null for a size to leave unknown.",
        }
    ),
]


class EinsumDense(Layer):
    """A dense layer written as an einsum of the input and a kernel: `{equation: 'abc,cd->abd', output_shape: [null, 64]}`."""

    TYPES: ClassVar = ("EinsumDense",)
    EXAMPLE_INPUT: ClassVar = "[16, 32]"
    UNSUPPORTED_ARGS: ClassVar = {
        "lora_rank": _LORA,
        "lora_alpha": _LORA,
        "gptq_unpacked_column_size": _QUANTIZATION,
        "quantization_config": _QUANTIZATION,
    }
    STRICTER_THAN_KERAS: ClassVar = {
        "output_shape": "sizes >= 1 or null: Keras makes empty weights for a size 0",
        "bias_axes": "a string: Keras also iterates a list of letters",
    }
    type: Literal["EinsumDense"]
    equation: str = Field(description="An einsum '[input],[kernel]->[output]', `...` for axes passed through.")
    # `output_shape` is also the name of every definition's shape rule: the field has another name.
    partial_output_shape: EinsumOutputShape = Field(alias="output_shape")
    activation: Activation | None = None
    bias_axes: str | None = Field(None, description="Letters of the output axes the bias spans; null for no bias.")
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    kernel_constraint: Constraint | None = None
    bias_constraint: Constraint | None = None

    def _shapes(self, shape: Shape) -> tuple[tuple[int, ...], tuple[int, ...] | None, Shape]:
        kernel, bias_shape, out = einsum_dense_shapes(self.equation, self.bias_axes, shape, self.partial_output_shape)
        for what, weight in (("kernel", kernel), ("bias", bias_shape)):
            if weight is not None and None in weight:
                raise ShapeError(
                    "KS308",
                    f"EinsumDense's {what} would have the shape {fmt_shape(weight)}, with a size that is unknown "
                    f"(from the input {fmt_shape(shape)} or a null in `output_shape`)",
                    "output_shape" if None in (self.partial_output_shape if isinstance(self.partial_output_shape, tuple) else ()) else None,
                    "give the sizes the weights take from the input or from `output_shape`",
                )
        return kernel, bias_shape, out  # type: ignore[return-value]

    def output_shape(self, shape: Shape) -> Shape:
        return self._shapes(shape)[2]

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        kernel, bias_shape, _ = self._shapes(shape)
        out = [Weight("kernel", kernel, True, "kernel_initializer")]
        if bias_shape is not None:
            out.append(Weight("bias", bias_shape, True, "bias_initializer"))
        return tuple(out)

    def keras_kwargs(self) -> dict[str, Any]:
        kwargs = super().keras_kwargs()
        kwargs["output_shape"] = kwargs.pop("partial_output_shape")
        return kwargs
