"""Embedding and ReversibleEmbedding: integer ids to vectors."""

from typing import ClassVar, Literal

from pydantic import Field

from ...fields import PositiveInt, StrictBool
from ...objects import Constraint, Initializer, Regularizer
from ...shapes import Shape
from ..base import Layer, Weight
from . import _LORA, _QUANTIZATION

_WEIGHTS = "initial weight arrays: numbers a spec does not carry"
_REVERSE = "used only by call(reverse=True), which a Sequential model never makes"


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
