"""Wrappers: layers holding one layer, `{type: Bidirectional, layer: {type: LSTM, units: 64}}`.

What Keras 3 does, read in ``keras/src/layers/rnn/bidirectional.py``,
``time_distributed.py``, ``normalization/spectral_normalization.py`` and checked by
building each wrapper in a ``Sequential``:

- the inner layer is made first, so it takes its kind's next auto-name before the
  wrapper (``TimeDistributed(Dense)`` then ``Dense``: the second Dense is ``dense_1``);
- **Bidirectional** copies its layer twice through its config, the copy for the
  backward pass with ``go_backwards=True``: only a recurrent layer takes that
  argument (any other fails to deserialize). A given ``backward_layer`` must read the
  other way and agree on ``stateful``, ``return_sequences`` and ``return_state``. The
  input must fit the inner layer (its InputSpec is the wrapper's). The output is the
  forward layer's, its last axis doubled by ``merge_mode: concat``; the weights are
  both layers'. ``merge_mode`` is checked as written (``CONCAT`` is refused);
- **TimeDistributed** takes an input of rank 3 or more, gives the inner layer
  ``(batch, *input[2:])`` and outputs ``(batch, steps, *inner_output[1:])``;
- **SpectralNormalization** builds its layer on the input and needs it to have a
  ``kernel`` (Dense, EinsumDense, the convolutions) or ``embeddings``; it adds a
  non-trainable ``vector_u (1, kernel.shape[-1])``.

Stricter than Keras, on purpose:

- ``merge_mode: null`` returns the two directions as a list, which the next layer
  of a Sequential refuses and a spec's one output cannot describe (as
  ``return_state``, see ``kerasspec.layers.recurrent``);
- a ``backward_layer`` whose output differs from the forward layer's: Keras builds it,
  reports the forward shape (doubled for concat) and fails when the model runs;
- TimeDistributed and SpectralNormalization build their layer without checking its
  InputSpec (``Wrapper.build`` calls ``layer.build`` directly), so Keras may build a
  wrapped layer on a rank it refuses on its own (an LSTM inside TimeDistributed on
  ``(batch, steps, a, b, features)``), which then fails when called. The spec applies
  the inner layer's own rules, rank included.
"""

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import Choice, PositiveInt
from ..shapes import Shape, ShapeError, fmt_shape
from .base import Layer, LayerItem, Weight

__all__ = ["Bidirectional", "SpectralNormalization", "TimeDistributed"]

#: The layers Bidirectional can run backwards: those that take `go_backwards`.
RECURRENT = ("SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")


def _inner_errors(holder: Layer, field: str, inner: Layer) -> list[ShapeError]:
    """What the inner layer's constructor refuses, and a layer no wrapper can hold."""
    from .core import Input

    if isinstance(inner, Input):
        return [
            ShapeError(
                "KS309",
                f"{holder.kind} wraps a layer; an Input layer is the model's input, not a layer to wrap",
                None,
                "wrap the layer that should run, e.g. `{type: Dense, units: 10}`",
            ).inside(field)
        ]
    if inner.SPEC_CONSTRUCT:
        return [
            ShapeError(
                "KS309",
                f"{holder.kind} wraps one layer; a {inner.kind} block stands for several",
                None,
                "wrap a `{type: Sequential, layers: [...]}` block instead",
            ).inside(field)
        ]
    return [err.inside(field) for err in inner.argument_errors()]


def _run_inner(inner: Layer, field: str, shape: Shape) -> Shape:
    """The inner layer's output on ``shape``, its errors (initializers included) pointing inside it."""
    from ..analysis import check_initializers  # the analysis imports the catalogue lazily

    try:
        out = inner.output_shape(shape)
        check_initializers(inner, shape)
    except ShapeError as err:
        raise err.inside(field) from None
    return out


def _inner_weights(inner: Layer, shape: Shape) -> tuple[Weight, ...]:
    # A frozen inner layer freezes its weights; the initializer field names belong to the
    # inner layer (checked by _run_inner), not to the wrapper.
    return tuple(w._replace(trainable=w.trainable and inner.trainable, initializer=None) for w in inner.weights(shape))


def _build_inner(inner: Layer, keras: Any) -> Any:
    # Unnamed, Keras auto-names it, as when a user writes `TimeDistributed(Dense(10))`.
    return inner.to_keras(keras, inner.name)


class Bidirectional(Layer):
    """Runs a recurrent layer forwards and backwards and merges the two outputs."""

    TYPES: ClassVar = ("Bidirectional",)
    EXAMPLE_INPUT: ClassVar = "[28, 28]"
    UNSUPPORTED_ARGS: ClassVar = {"weights": "initial weight arrays: numbers a spec does not carry"}
    STRICTER_THAN_KERAS: ClassVar = {
        "merge_mode": "not null: the two outputs as a list cannot go on through a Sequential model",
        "backward_layer": "its output must equal the forward layer's (Keras builds a model that fails when run)",
    }
    type: Literal["Bidirectional"]
    layer: LayerItem = Field(description="The recurrent layer to run both ways: SimpleRNN, LSTM, GRU or a ConvLSTM.")
    merge_mode: Choice("sum", "mul", "ave", "concat") | None = Field(  # type: ignore[valid-type]
        "concat", description="How to merge the two directions: concat (doubles the last axis), sum, mul or ave."
    )
    backward_layer: LayerItem | None = Field(
        None, description="A layer for the backward pass (with `go_backwards: true`); by default a copy of `layer`."
    )

    def _backward(self) -> Layer:
        return self.backward_layer if self.backward_layer is not None else self.layer

    def argument_errors(self) -> list[ShapeError]:
        errors: list[ShapeError] = []
        pairs = [("layer", self.layer)] + ([("backward_layer", self.backward_layer)] if self.backward_layer else [])
        for field, inner in pairs:
            if inner.kind not in RECURRENT:
                errors.append(
                    ShapeError(
                        "KS309",
                        f"Bidirectional runs a recurrent layer both ways ({', '.join(RECURRENT)}); "
                        f"{inner.kind} has no `go_backwards` (Keras fails to copy it for the backward pass)",
                        "type",
                        "wrap an LSTM or a GRU; for other layers over a sequence use TimeDistributed",
                    ).inside(field)
                )
            else:
                errors += _inner_errors(self, field, inner)
        if errors:
            return errors
        if self.merge_mode is None:
            errors.append(
                ShapeError(
                    "KS309",
                    "Bidirectional with `merge_mode: null` returns the two directions as a list of two tensors: "
                    "in a Sequential model the next layer refuses a list (Keras: 'expects 1 input(s), but it "
                    "received 2 input tensors'), and a last layer would give the model two outputs, which the "
                    "spec's one output cannot describe",
                    "merge_mode",
                    "use concat (the default), sum, mul or ave",
                )
            )
        forward, backward = self.layer, self._backward()
        backwards = (getattr(forward, "go_backwards", False), True if self.backward_layer is None else getattr(backward, "go_backwards", False))
        if backwards[0] == backwards[1]:
            where = "backward_layer" if self.backward_layer is not None else "layer"
            errors.append(
                ShapeError(
                    "KS309",
                    "Bidirectional's forward and backward layers must read in opposite directions, but both have "
                    f"`go_backwards: {str(backwards[0]).lower()}`",
                    "go_backwards",
                    "give the backward layer `go_backwards: true`"
                    if where == "backward_layer"
                    else "remove `go_backwards` from the layer: Bidirectional makes the backward copy itself",
                ).inside(where)
            )
        if self.backward_layer is not None:
            for attr in ("stateful", "return_sequences", "return_state"):
                f, b = getattr(forward, attr, False), getattr(backward, attr, False)
                if f != b:
                    errors.append(
                        ShapeError(
                            "KS309",
                            f"Bidirectional's forward and backward layers must agree on `{attr}`, but the layer "
                            f"has {str(f).lower()} and the backward layer {str(b).lower()}",
                            attr,
                            f"give the backward layer `{attr}: {str(f).lower()}`",
                        ).inside("backward_layer")
                    )
        return errors

    def output_shape(self, shape: Shape) -> Shape:
        out = _run_inner(self.layer, "layer", shape)
        if self.backward_layer is not None:
            back = _run_inner(self.backward_layer, "backward_layer", shape)
            if back != out:
                raise ShapeError(
                    "KS309",
                    f"Bidirectional's backward layer outputs {fmt_shape(back)} but the forward layer {fmt_shape(out)}: "
                    "Keras builds it with the forward layer's shape and fails when the model runs",
                    None,
                    "give both layers the same units (or filters)",
                ).inside("backward_layer")
        if self.merge_mode == "concat":
            # Keras doubles the last axis, whatever the data format (a channels_first ConvLSTM too).
            last = out[-1]
            return (*out[:-1], None if last is None else 2 * last)
        return out

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return _inner_weights(self.layer, shape) + _inner_weights(self._backward(), shape)

    def output_activation(self) -> str | None:
        act = self.layer.output_activation() or "linear"
        if self.merge_mode in ("concat", "ave") or act == "linear":
            return act  # each unit is one direction's output, or the mean of both
        if self.merge_mode == "mul" and act == "sigmoid":
            return act  # a product of values in (0, 1) stays there
        return f"{act} ({self.merge_mode} of both directions)"

    def sublayers(self) -> tuple[Layer, ...]:
        return (self.layer,) if self.backward_layer is None else (self.layer, self.backward_layer)

    def inner_inputs(self, shape: Shape) -> list[tuple[Layer, tuple[str | int, ...], Shape]]:
        # Without a backward layer Keras copies the forward one: what fails, fails once, there.
        inner: list[tuple[Layer, tuple[str | int, ...], Shape]] = [(self.layer, ("layer",), shape)]
        if self.backward_layer is not None:
            backward = self.backward_layer
            if "use_cudnn" in type(backward).__pydantic_fields__:
                # Keras gives the backward layer the forward layer's use_cudnn (measured: its
                # own `use_cudnn: true` is dropped); the forward layer's is reported there.
                backward = backward.model_copy(update={"use_cudnn": "auto"})
            inner.append((backward, ("backward_layer",), shape))
        return inner

    def to_keras(self, keras: Any, name: str | None) -> Any:
        inner = _build_inner(self.layer, keras)
        backward = None if self.backward_layer is None else _build_inner(self.backward_layer, keras)
        layer = keras.layers.Bidirectional(inner, merge_mode=self.merge_mode, backward_layer=backward, name=name)
        layer.trainable = self.trainable
        return layer


class TimeDistributed(Layer):
    """Applies its layer to every step: `(batch, steps, *rest)`, the layer seeing `(batch, *rest)`."""

    TYPES: ClassVar = ("TimeDistributed",)
    EXAMPLE_INPUT: ClassVar = "[10, 28, 28, 1]"
    STRICTER_THAN_KERAS: ClassVar = {
        "layer": "the layer's own input rules apply (Keras skips its InputSpec when it builds it)",
    }
    type: Literal["TimeDistributed"]
    layer: LayerItem = Field(description="The layer to apply to each step, e.g. `{type: Dense, units: 10}`.")

    def argument_errors(self) -> list[ShapeError]:
        return _inner_errors(self, "layer", self.layer)

    def _child(self, shape: Shape) -> Shape:
        if len(shape) < 3:
            raise ShapeError(
                "KS302",
                f"TimeDistributed expects an input of rank 3 or more (batch, steps, ...), got rank {len(shape)}: "
                f"{fmt_shape(shape)}",
                None,
                "the layer runs once per step: give the input a steps axis after the batch, or use the layer "
                "without TimeDistributed",
                reshape_to=(shape[1], 1) if len(shape) == 2 else None,
            )
        return (shape[0], *shape[2:])

    def output_shape(self, shape: Shape) -> Shape:
        out = _run_inner(self.layer, "layer", self._child(shape))
        return (out[0], shape[1], *out[1:])

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        return _inner_weights(self.layer, self._child(shape))

    def inner_inputs(self, shape: Shape) -> list[tuple[Layer, tuple[str | int, ...], Shape]]:
        return [(self.layer, ("layer",), self._child(shape))]

    def output_activation(self) -> str | None:
        return self.layer.output_activation()

    def sublayers(self) -> tuple[Layer, ...]:
        return (self.layer,)

    def to_keras(self, keras: Any, name: str | None) -> Any:
        layer = keras.layers.TimeDistributed(_build_inner(self.layer, keras), name=name)
        layer.trainable = self.trainable
        return layer


def _has_kernel(inner: Layer) -> bool:
    """Whether Keras's layer has a `kernel` or `embeddings` attribute (what SpectralNormalization normalizes)."""
    from .blocks import _Block
    from .recurrent import _RNN

    # Recurrent layers keep their kernels on the cell; wrappers and blocks (Sequential, Pipeline) on their layers.
    return not isinstance(inner, _RNN | Bidirectional | TimeDistributed | SpectralNormalization | _Block)


class SpectralNormalization(Layer):
    """Divides its layer's kernel by its largest singular value while training (a GAN stabilizer)."""

    TYPES: ClassVar = ("SpectralNormalization",)
    EXAMPLE_INPUT: ClassVar = "[784]"
    STRICTER_THAN_KERAS: ClassVar = TimeDistributed.STRICTER_THAN_KERAS
    type: Literal["SpectralNormalization"]
    layer: LayerItem = Field(description="A layer with a kernel: Dense, EinsumDense, a convolution or an Embedding.")
    power_iterations: PositiveInt = Field(1, description="Power-iteration steps per training step.")

    def argument_errors(self) -> list[ShapeError]:
        return _inner_errors(self, "layer", self.layer)

    def _kernel(self, shape: Shape) -> Weight:
        kernel = None
        if _has_kernel(self.layer):
            kernel = next((w for w in self.layer.weights(shape) if w.name in ("kernel", "embeddings")), None)
        if kernel is None:
            raise ShapeError(
                "KS309",
                f"SpectralNormalization normalizes a layer's kernel, but {self.layer.kind} has no `kernel` "
                "nor `embeddings`",
                "type",
                "wrap a Dense, EinsumDense, Embedding or convolution layer (not a separable one)",
            ).inside("layer")
        return kernel

    def output_shape(self, shape: Shape) -> Shape:
        out = _run_inner(self.layer, "layer", shape)
        self._kernel(shape)
        return out

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        vector_u = Weight("vector_u", (1, self._kernel(shape).shape[-1]), False)
        return (*_inner_weights(self.layer, shape), vector_u)

    def output_activation(self) -> str | None:
        return self.layer.output_activation()

    def sublayers(self) -> tuple[Layer, ...]:
        return (self.layer,)

    def inner_inputs(self, shape: Shape) -> list[tuple[Layer, tuple[str | int, ...], Shape]]:
        return [(self.layer, ("layer",), shape)]

    def to_keras(self, keras: Any, name: str | None) -> Any:
        layer = keras.layers.SpectralNormalization(
            _build_inner(self.layer, keras), power_iterations=self.power_iterations, name=name
        )
        layer.trainable = self.trainable
        return layer
