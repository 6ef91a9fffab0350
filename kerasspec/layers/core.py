"""Core layers: the model's input, fully connected layers, embeddings, activations by name.

What Keras 3 does, read in ``keras/src/layers/core/*.py`` and checked by building
each layer in a ``Sequential``:

- Dense acts on the last axis (any rank >= 2), whose size must be known;
- EinsumDense parses its equation when it builds (``_analyze_einsum_string``,
  ported as :func:`kerasspec.shapes.einsum_dense_shapes`, quirks included);
- Embedding takes any input (float inputs are cast to int32 ids when called) and
  appends ``output_dim``; its table ``(input_dim, output_dim)`` does not depend on
  the input. Keras 3 ignores Keras 2's ``input_length`` with a deprecation warning
  (``"Argument `input_length` is deprecated. Just remove it."``): the spec takes it,
  never passes it on, and warns (KS213) that the sequence length belongs in the
  input shape;
- Masking and Identity pass their input through (Masking marks the steps whose
  features all equal ``mask_value``).
"""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..fields import InputShape, PositiveInt, StrictBool, StrictFloat, describe
from ..objects import Activation, Constraint, Initializer, Regularizer
from ..shapes import Shape, ShapeError, dense_output_shape, einsum_dense_shapes, fmt_shape
from .base import Layer, Weight, bias, last_axis

_LORA = "LoRA fine-tuning of a built model (enable_lora on a trained layer), not a model definition"
_QUANTIZATION = "quantization of a built model (model.quantize), not a model definition"
_WEIGHTS = "initial weight arrays: numbers a spec does not carry"
_REVERSE = "used only by call(reverse=True), which a Sequential model never makes"


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
    kernel_constraint: Constraint | None = None
    bias_constraint: Constraint | None = None

    UNSUPPORTED_ARGS: ClassVar = {"lora_rank": _LORA, "lora_alpha": _LORA, "quantization_config": _QUANTIZATION}

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


# --------------------------------------------------------------------------- EinsumDense


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


# --------------------------------------------------------------------------- embeddings


class Embedding(Layer):
    """Turns integer ids `< input_dim` into vectors of `output_dim`: `(batch, *ids) -> (batch, *ids, output_dim)`."""

    TYPES: ClassVar = ("Embedding",)
    TAKES_INDICES: ClassVar = True
    EXAMPLE_INPUT: ClassVar = "[80]"
    SPEC_ONLY: ClassVar = frozenset({"input_length"})
    SHAPE_ARGS: ClassVar = frozenset({"input_shape"})  # its `input_dim` is the vocabulary size
    UNSUPPORTED_ARGS: ClassVar = {
        "weights": _WEIGHTS,
        "lora_rank": _LORA,
        "lora_alpha": _LORA,
        "quantization_config": _QUANTIZATION,
    }
    type: Literal["Embedding"]
    input_dim: PositiveInt = Field(description="Size of the vocabulary: the ids are 0 .. input_dim - 1.")  # type: ignore[assignment]
    output_dim: PositiveInt = Field(description="Size of each embedding vector.")
    embeddings_initializer: Initializer = "uniform"
    embeddings_regularizer: Regularizer | None = None
    embeddings_constraint: Constraint | None = None
    mask_zero: StrictBool = Field(False, description="Treat id 0 as padding: later layers skip those steps.")
    input_length: PositiveInt | None = Field(
        None,
        description="Keras 2's sequence length, ignored by Keras 3 (it warns): give the length as `input_shape: [n]`.",
    )

    def output_shape(self, shape: Shape) -> Shape:
        return (*shape, self.output_dim)

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return (Weight("embeddings", (self.input_dim, self.output_dim), True, "embeddings_initializer"),)

    def output_activation(self) -> str | None:
        return "linear"


class ReversibleEmbedding(Embedding):
    """An Embedding whose table can also map vectors back to logits over the ids (`call(reverse=True)`).

    A Sequential model calls it forwards only: it is an Embedding there, with a second
    table ``(output_dim, input_dim)`` when ``tie_weights`` is false.
    """

    TYPES: ClassVar = ("ReversibleEmbedding",)
    UNSUPPORTED_ARGS: ClassVar = {"reverse_dtype": _REVERSE, "logit_soft_cap": _REVERSE}
    type: Literal["ReversibleEmbedding"]  # type: ignore[assignment]
    tie_weights: StrictBool = Field(True, description="Reverse with the transposed table (false: a second table).")

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        out = super().weights(shape)
        if not self.tie_weights:
            out += (Weight("reverse_embeddings", (self.output_dim, self.input_dim), True, "embeddings_initializer"),)
        return out


# --------------------------------------------------------------------------- pass-through


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


class Identity(Layer):
    """Passes its input through unchanged."""

    TYPES: ClassVar = ("Identity",)
    type: Literal["Identity"]

    def output_shape(self, shape: Shape) -> Shape:
        return shape

    def output_activation(self) -> str | None:
        return None
