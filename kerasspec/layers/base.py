"""What a layer definition is: one class holding a Keras layer's fields, shape rule, weights and class.

Every layer kind of the spec language is a subclass of :class:`Layer`, as Keras
keeps a layer's argument checks, ``build`` and ``compute_output_shape`` in one
class. A definition gives:

- its **fields**: the Keras constructor arguments, with Keras's names and defaults
  (pydantic fields; strict, closed);
- ``TYPES``: the ``type`` spellings it answers to, Keras's class name first, then
  the aliases Keras exports for the same class (``MaxPool2D``);
- :meth:`Layer.output_shape`: its pure shape rule, raising
  :class:`~kerasspec.shapes.ShapeError` where Keras raises;
- :meth:`Layer.weights`: the weights ``build`` creates, from which the
  parameter counts follow;
- :meth:`Layer.argument_errors`: what the Keras constructor refuses whatever the input;
- the facts rules read (``CONV_KERNEL``, :meth:`Layer.output_activation`...).

``build`` makes the Keras layer with :meth:`Layer.to_keras`. Adding a layer is
one definition in its family module plus rows in the table tests.
"""

import functools
import math
from types import ModuleType
from typing import Annotated, Any, ClassVar, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    SerializeAsAny,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..fields import Choice, InputShape, PositiveInt, StrictBool, describe
from ..objects import to_keras
from ..shapes import Shape, ShapeError, channel_axis, fmt_shape

__all__ = [
    "CausalPadding",
    "DataFormat",
    "Layer",
    "LayerItem",
    "LayerName",
    "Padding",
    "PoolPadding",
    "Weight",
    "bias",
    "channels",
    "require_rank",
]

# Keras 3's convolutions lower-case `padding` (any case works); its pooling layers do not,
# and refuse 'SAME' when called.
Padding = Choice("valid", "same", case_insensitive=True, description="`valid` (no padding) or `same`; any case.")
CausalPadding = Choice("valid", "same", "causal", case_insensitive=True, description="`valid`, `same` or `causal`; any case.")
PoolPadding = Choice("valid", "same", description="`valid` (no padding) or `same`, in lower case: Keras's pooling layers refuse other cases.")
DataFormat = Choice(
    "channels_last",
    "channels_first",
    case_insensitive=True,
    description="`channels_last` (batch, ..., channels) or `channels_first` (batch, channels, ...). Default: channels_last.",
)
#: The characters TensorFlow allows in the name scopes Keras opens per layer (and the
#: `.keras` format keeps): a space, a colon or a non-ASCII letter fails at the first call.
NAME_PATTERN = r"^[A-Za-z0-9_.\\>-]+$"
LayerName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=NAME_PATTERN,
        description="A unique layer name: ASCII letters, digits and `_ . - > \\` (what TensorFlow accepts).",
    ),
]


class Weight(NamedTuple):
    """One weight a layer creates in ``build``."""

    name: str
    shape: tuple[int, ...]
    trainable: bool = True
    initializer: str | None = None  # the field naming its initializer, for rank checks

    @property
    def size(self) -> int:
        return math.prod(self.shape)


class Layer(BaseModel):
    """Arguments every Keras layer takes, and the interface every definition fills in."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

    TYPES: ClassVar[tuple[str, ...]] = ()  # the `type` spellings, Keras's class name first
    #: The class in ``keras.layers``, when it is not ``TYPES[0]``.
    KERAS_CLASS: ClassVar[str | None] = None
    #: Runs a convolution or pooling kernel.
    CONV_KERNEL: ClassVar[bool] = False
    #: The layer for the other spatial rank, suggested when the input rank does not fit (KS302).
    OTHER_RANK: ClassVar[dict[int, str]] = {}
    #: Reads integer ids (an Embedding): as the first layer, its data is fed unscaled.
    TAKES_INDICES: ClassVar[bool] = False
    #: An input shape to suggest when the model has none (KS301).
    EXAMPLE_INPUT: ClassVar[str] = "[28, 28, 1]"
    #: Spec fields that are not arguments of the Keras constructor.
    SPEC_ONLY: ClassVar[frozenset[str]] = frozenset()
    #: Keras constructor arguments the spec language leaves out, each with the reason
    #: (tests/test_catalogue.py fails on any other argument a definition lacks).
    UNSUPPORTED_ARGS: ClassVar[dict[str, str]] = {}
    #: Fields the spec requires or restricts beyond Keras on purpose, each with the reason.
    STRICTER_THAN_KERAS: ClassVar[dict[str, str]] = {}
    #: A spec construct with no Keras class of its own (Repeat), expanded before analysis.
    SPEC_CONSTRUCT: ClassVar[bool] = False
    #: The fields that give the model's input shape on a first layer, as Keras's base Layer
    #: reads them. Embedding's own `input_dim` is its vocabulary size, not a shape.
    SHAPE_ARGS: ClassVar[frozenset[str]] = frozenset({"input_shape", "input_dim"})

    name: LayerName | None = None
    trainable: StrictBool = Field(True, description="Whether the layer's weights train; frozen weights count as non-trainable parameters.")
    input_shape: InputShape | None = Field(None, description="Shape of one sample; Keras uses it on the first layer only.")
    input_dim: PositiveInt | None = Field(None, description="Shorthand for `input_shape: [input_dim]`, as in Keras.")

    @property
    def shape_dim(self) -> int | None:
        """`input_dim` as Keras's shorthand for `input_shape: [input_dim]`, where it is one."""
        return self.input_dim if "input_dim" in self.SHAPE_ARGS else None

    @property
    def kind(self) -> str:
        """The canonical spelling, as ``model.summary()`` names the class."""
        return self.TYPES[0]

    @property
    def keras_class(self) -> str:
        return self.KERAS_CLASS or self.TYPES[0]

    def get(self, field: str, default: Any = None) -> Any:
        """The value of ``field``, or ``default`` for a kind without it (``layer.get("data_format")``).

        The rules ask every layer for fields only some kinds have; a failed attribute lookup on a
        pydantic model costs a trip through its ``__getattr__``, for each layer of each check.
        """
        return getattr(self, field) if field in type(self).__pydantic_fields__ else default

    # ------------------------------------------------------------------ the rules

    def output_shape(self, shape: Shape) -> Shape:
        """The output for an input ``shape`` (batch axis first); raises ShapeError where Keras does."""
        raise NotImplementedError(f"{type(self).__name__} has no shape rule")

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        """The weights ``build`` creates for an input ``shape`` (already accepted by output_shape)."""
        return ()

    def argument_errors(self) -> list[ShapeError]:
        """What the Keras constructor refuses whatever the input."""
        return []

    def run_problems(self, shape: Shape) -> list[tuple[str, str]]:
        """(why, fix) for each way TensorFlow fails to run this layer on ``shape`` although Keras builds it (KS504)."""
        return []

    def intermediate_size(self, shape: Shape) -> int:
        """Values per sample the layer keeps besides its output while training (memory estimate)."""
        return 0

    def output_activation(self) -> str | None:
        """The activation the layer's output passes through; None: the layer passes its input on."""
        act = self.get("activation", "__absent__")
        if act == "__absent__":
            return "linear"
        return act or "linear"

    def sublayers(self) -> tuple["Layer", ...]:
        """Layers held inside this one (wrappers, nested blocks), for rules that look inside."""
        return ()

    def inner_inputs(self, shape: Shape) -> list[tuple["Layer", tuple[str | int, ...], Shape]]:
        """(layer, its path in this one, its input) for each layer held inside, run on ``shape``.

        For the rules about running the model (KS504), which look at every layer Keras runs.
        """
        return []

    # ------------------------------------------------------------------ Keras

    def keras_kwargs(self) -> dict[str, Any]:
        """The constructor arguments, as Keras takes them."""
        skip = {"type", "name", "trainable", *self.SHAPE_ARGS, *self.SPEC_ONLY}
        return {k: getattr(self, k) for k in type(self).model_fields if k not in skip}

    def to_keras(self, keras: Any, name: str) -> Any:
        """The Keras layer, named as the static summary names it.

        ``trainable`` is set on the built layer, not passed to the constructor: some
        Keras layers (SpatialDropout2D) take no ``**kwargs`` and would refuse it.
        """
        cls = getattr(keras.layers, self.keras_class)
        layer = cls(name=name, **{k: to_keras(v, keras) for k, v in self.keras_kwargs().items()})
        layer.trainable = self.trainable
        return layer


class Unknown(Exception):
    """A layer's output cannot be inferred because its spec is invalid (already reported)."""


class Unanalysable(Layer):
    """Stands in for a layer that failed validation: the analysis stops there, quietly.

    Its problems are reported by validation; the layers after it still get their
    own checks, and their auto-names still count this one's kind.
    """

    stands_for: str = "Layer"

    @classmethod
    def of(cls, kind: str | None) -> "Unanalysable":
        from . import layer_class

        known = layer_class(kind) if kind else None
        return cls.model_construct(stands_for=known.TYPES[0] if known else "Layer")

    @property
    def kind(self) -> str:
        return self.stands_for

    @property
    def keras_class(self) -> str:
        from . import layer_class

        known = layer_class(self.stands_for)
        return (known.KERAS_CLASS or known.TYPES[0]) if known else "Layer"

    def output_shape(self, shape: Shape) -> Shape:
        raise Unknown(self.stands_for)


#: Field names that never change a layer's output shape or weights: a layer whose only
#: invalid fields are among these is still analysed exactly (with the field left out).
_NO_SHAPE_EFFECT = frozenset({"name", "activation", "recurrent_activation", "seed", "rate", "dropout", "recurrent_dropout", "stddev", "momentum", "epsilon"})


def affects_shape(field: str) -> bool:
    """Whether an invalid ``field`` could change the layer's output shape or parameter count."""
    if field in _NO_SHAPE_EFFECT:
        return False
    return not field.endswith(("_initializer", "_regularizer", "_constraint"))


# --------------------------------------------------------------------------- shared checks

_LAYOUT = {
    (3, False): "(batch, steps, channels)",
    (3, True): "(batch, channels, steps)",
    (4, False): "(batch, rows, cols, channels)",
    (4, True): "(batch, channels, rows, cols)",
    (5, False): "(batch, depth, rows, cols, channels)",
    (5, True): "(batch, channels, depth, rows, cols)",
}


def suggest_sample_shape(shape: Shape, rank: int, channels_first: bool) -> Shape | None:
    """A sample shape of ``rank - 1`` axes holding the same values, when one is obvious."""
    sample = shape[1:]
    if rank == 4 and len(sample) == 2:
        return (1, *sample) if channels_first else (*sample, 1)
    if rank == 4 and len(sample) == 1 and sample[0] is not None:
        side = math.isqrt(sample[0])
        if side * side == sample[0]:
            return (1, side, side) if channels_first else (side, side, 1)
    if rank == 3 and len(sample) == 1:
        return (1, sample[0]) if channels_first else (sample[0], 1)
    if rank == 5 and len(sample) == 3:
        return (1, *sample) if channels_first else (*sample, 1)
    return None


def require_rank(layer: Layer, shape: Shape, rank: int, *, exact: bool = True) -> None:
    """Keras's InputSpec ``ndim`` (``exact``) or ``min_ndim`` check, as KS302."""
    got = len(shape)
    if got == rank or (not exact and got > rank):
        return
    channels_first = layer.get("data_format") == "channels_first"
    layout = _LAYOUT.get((rank, channels_first), f"rank {rank}")
    suggestion = suggest_sample_shape(shape, rank, channels_first) if got < rank else None
    other = layer.OTHER_RANK.get(got)
    alt: str | None = None
    if other:
        alt = f"use {other} for an input of rank {got}"
    elif suggestion is None and exact:
        alt = f"add a Reshape to {layout.replace('batch, ', '')} before it"
    want = f"rank {rank} {layout}" if exact else f"rank {rank} or more"
    raise ShapeError(
        "KS302",
        f"{layer.kind} expects an input of {want}, got rank {got}: {fmt_shape(shape)}",
        None,
        alt,
        reshape_to=suggestion,
    )


def channels(layer: Layer, shape: Shape, what: str = "input channels") -> int:
    """The size of the channel axis, which weights are made from (KS308 when unknown)."""
    fmt = layer.get("data_format")
    c = shape[channel_axis(fmt)]
    if c is None:
        axis = "axis 1 (channels_first)" if fmt == "channels_first" else "the last axis"
        raise ShapeError(
            "KS308",
            f"{layer.kind} needs the number of {what} ({axis}) to create its weights, "
            f"but its size is unknown: input {fmt_shape(shape)}",
            None,
            "give that axis a size in the input shape (null sizes stay unknown through "
            "Flatten and Reshape)",
        )
    return c


def last_axis(layer: Layer, shape: Shape, what: str = "kernel") -> int:
    """The size of the last axis, which a Dense-like kernel is made from (KS308 when unknown)."""
    last = shape[-1]
    if last is None:
        raise ShapeError(
            "KS308",
            f"{layer.kind} needs the size of the last axis of its input to create its {what}, "
            f"but it is unknown: input {fmt_shape(shape)}",
            None,
            "give every axis a size in the input shape, or pool the unknown axes away "
            "(e.g. GlobalAveragePooling2D instead of Flatten)",
        )
    return last


def bias(layer: Layer, n: int, name: str = "bias") -> tuple[Weight, ...]:
    """The bias weight when the layer has ``use_bias``."""
    if layer.get("use_bias", False):
        return (Weight(name, (n,), True, "bias_initializer"),)
    return ()


# --------------------------------------------------------------------------- dispatch on `type`


LAYER_REF = "x-kerasspec-layer"


def _error(code: str, message: str, loc: tuple[str | int, ...], value: Any, **ctx: Any) -> ValidationError:
    return ValidationError.from_exception_data(
        "layer",
        [InitErrorDetails(type=PydanticCustomError(code, message, ctx), loc=loc, input=value)],
    )


@functools.cache
def _catalogue() -> ModuleType:
    """``kerasspec.layers``, which imports this module before it can be imported here.

    Looked up once: an import statement in :func:`_validate_layer` costs a trip through the
    import machinery for every layer of every spec.
    """
    from .. import layers

    return layers


def _validate_layer(value: Any) -> Layer:
    # Each layer is validated by its own class alone, so that only the kinds a spec uses
    # are ever built (a discriminated union over the catalogue would build all of them).
    # The nested ValidationError keeps its locations, relative to this item.
    if isinstance(value, Layer):
        return value
    layer_class = _catalogue().layer_class
    if not isinstance(value, dict):
        hint = f"write `{{type: {value}}}`" if isinstance(value, str) and layer_class(value) else None
        raise PydanticCustomError(
            "KS203", "expected a layer (a mapping with `type`), got {got}", {"got": describe(value), "hint": hint}
        )
    if "type" not in value:
        raise PydanticCustomError(
            "KS204",
            "layer has no 'type'",
            {"hint": "add `type: ...`, the Keras class, e.g. Dense, Conv2D, MaxPooling2D, Flatten"},
        )
    kind = value["type"]
    if not isinstance(kind, str):
        raise _error("KS202", "the layer `type` must be a string, got {got}", ("type",), kind, got=describe(kind),
                     hint="write the Keras class name, e.g. Dense, Conv2D, MaxPooling2D, Flatten")  # fmt: skip
    cls = layer_class(kind)
    if cls is None:
        from ..names import did_you_mean

        raise _error("KS202", "unknown layer type '{tag}'", ("type",), kind, tag=kind, hint=did_you_mean(kind, _catalogue().TYPE_SPELLINGS))
    return cls.model_validate(value)


#: A layer in a list (``layers``) or a wrapper (``layer``): dispatched on ``type``.
LayerItem = Annotated[
    # Dumped as its own kind (Dense, with its fields), not as the base class.
    SerializeAsAny[Layer],
    PlainValidator(_validate_layer),
    # pydantic cannot reference a definition it did not make; the schema module swaps
    # this marker for `{"$ref": "#/$defs/Layer"}`, the union of every layer definition.
    WithJsonSchema({LAYER_REF: True}),
]
