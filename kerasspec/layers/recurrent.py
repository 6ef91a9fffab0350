"""Recurrent layers: SimpleRNN, LSTM, GRU and the convolutional LSTMs.

What Keras 3 does, read in ``keras/src/layers/rnn/*.py`` and checked by building
each layer in a ``Sequential``:

- the input is ``(batch, steps, features)`` (``InputSpec(ndim=3)``); ConvLSTM1D/2D/3D
  take ``(batch, steps, *spatial, channels)`` (``ndim = rank + 3``), channels first
  with ``data_format: channels_first``; the number of steps may be unknown;
- ``build`` makes the cell's weights from the features (an unknown size fails):
  ``kernel (features, g * units)``, ``recurrent_kernel (units, g * units)``, ``bias
  (g * units,)``, with ``g`` = 1 (SimpleRNN), 4 (LSTM), 3 (GRU; its bias is
  ``(2, 3 * units)`` under ``reset_after``, the default); ConvLSTM: ``kernel
  (*kernel_size, channels, 4 * filters)``, ``recurrent_kernel (*kernel_size, filters,
  4 * filters)``, ``bias (4 * filters,)``;
- LSTM and the ConvLSTMs with ``unit_forget_bias`` (the default) build their bias
  by calling ``bias_initializer`` on each gate's part: a null one fails in
  ``build`` (any other layer takes null as ``add_weight``'s default, glorot_uniform);
- ``stateful: true`` needs a known batch size: ``RNN.build`` raises "the batch size
  must be static" otherwise. A spec fixes it with ``{type: Input, shape: [...],
  batch_size: N}``; the state variables are not weights (no parameters);
- ``unroll: true`` with an unknown number of steps builds, and TensorFlow runs it
  on the actual steps: nothing to refuse;
- the output is ``(batch, units)``, or ``(batch, steps, units)`` with
  ``return_sequences``; ConvLSTM's follows the convolution rules per spatial axis
  (``compute_conv_output_shape``), whose sizes must all be known;
- `dropout` and `recurrent_dropout` are clipped into [0, 1] by the cells; `units`
  must be positive; `use_cudnn` is ``"auto"``, ``True`` or ``False``.

Stricter than Keras, on purpose (see ``STRICTER_THAN_KERAS``):

- ``return_state: true`` makes the layer return a list ``[output, *states]``. In a
  Sequential model the next layer refuses the list (``Layer "dense" expects 1
  input(s), but it received 3 input tensors``); as the last layer it gives the
  model several outputs, which a spec's one output shape, loss and predictions
  cannot describe. The spec refuses it on the layer itself, wherever it is.
- `dropout`/`recurrent_dropout` outside [0, 1] are refused instead of clipped.
- LSTM and GRU take Keras 2's ``implementation`` (1 or 2), which Keras 3 still uses
  without a warning; Keras runs any other value as 2, the spec refuses it. SimpleRNN
  never takes it (Keras 3: "Unrecognized keyword arguments passed to SimpleRNN").
"""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..fields import IntTuple, PositiveInt, Rate, StrictBool, StrictInt, describe
from ..objects import Activation, Constraint, Initializer, Regularizer
from ..shapes import Shape, ShapeError, conv_output_shape, fmt_list, fmt_shape
from .base import DataFormat, Layer, Padding, Weight, bias, last_axis, require_rank

__all__ = ["GRU", "LSTM", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "SimpleRNN"]


def _use_cudnn(value: Any) -> str | bool:
    # Keras tests `use_cudnn not in ("auto", True, False)`: exactly these three values.
    if isinstance(value, bool) or (isinstance(value, str) and value == "auto"):
        return value
    raise PydanticCustomError(
        "KS206",
        "must be 'auto', true or false, got {got}",
        {"got": describe(value), "hint": "use `auto` (cuDNN when the GPU and the arguments allow it)"},
    )


UseCudnn = Annotated[
    str | bool,
    PlainValidator(_use_cudnn),
    WithJsonSchema(
        {
            "anyOf": [{"const": "auto"}, {"type": "boolean"}],
            "description": "`auto` (cuDNN where possible), true (cuDNN or fail at run time) or false.",
        }
    ),
]
def _implementation(value: Any) -> int:
    # Not a Literal[1, 2]: it takes true and 2.0 as 1 and 2.
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2):
        return value
    raise PydanticCustomError(
        "KS206",
        "must be 1 or 2, got {got}",
        {"got": describe(value), "hint": "leave it out (2); Keras uses 1 itself where `recurrent_dropout` needs it"},
    )


Implementation = Annotated[int, PlainValidator(_implementation), WithJsonSchema({"enum": [1, 2]})]
Seed = Annotated[StrictInt | None, Field(description="Seed of the dropout masks; null for a fresh one.")]

_STRICTER = {
    "return_state": "the layer would return a list of tensors, which the next layer of a Sequential model "
    "refuses and which a spec's one model output cannot describe",
    "dropout": "in [0, 1]: Keras clips other values silently",
    "recurrent_dropout": "in [0, 1]: Keras clips other values silently",
    "implementation": "1 or 2: Keras runs any other value as 2 silently",
}


class _RNN(Layer):
    """What every recurrent layer shares: the RNN arguments and the cell's weight arguments."""

    STRICTER_THAN_KERAS: ClassVar = _STRICTER
    EXAMPLE_INPUT: ClassVar = "[28, 28]"
    #: How many blocks of `units` the kernels hold (one per gate).
    GATES: ClassVar[int] = 1
    #: The gate that mixes the activation's output into the layer's output (LSTM, GRU).
    MIXING_GATE: ClassVar[str | None] = None

    activation: Activation | None = Field("tanh", description="Activation of the state; null for none.")
    use_bias: StrictBool = True
    kernel_initializer: Initializer = "glorot_uniform"
    recurrent_initializer: Initializer = "orthogonal"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    recurrent_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None
    activity_regularizer: Regularizer | None = None
    kernel_constraint: Constraint | None = None
    recurrent_constraint: Constraint | None = None
    bias_constraint: Constraint | None = None
    dropout: Rate = Field(0.0, description="Fraction of the inputs dropped while training.")
    recurrent_dropout: Rate = Field(0.0, description="Fraction of the recurrent state dropped while training.")
    seed: Seed = None
    return_sequences: StrictBool = Field(False, description="Output every step `(batch, steps, units)`, not only the last.")
    return_state: StrictBool = Field(False, description="Also return the last states (refused: see the layer's notes).")
    go_backwards: StrictBool = Field(False, description="Read the sequence from its end (and output it reversed).")
    stateful: StrictBool = Field(False, description="Carry the states from batch to batch; needs `Input` with a `batch_size`.")

    def argument_errors(self) -> list[ShapeError]:
        if not self.return_state:
            return []
        states = "[output, state_h, state_c]" if self.GATES == 4 else "[output, state]"
        return [
            ShapeError(
                "KS309",
                f"{self.kind} with `return_state: true` returns a list of tensors {states}: in a Sequential "
                "model the next layer refuses a list (Keras: 'expects 1 input(s), but it received "
                f"{3 if self.GATES == 4 else 2} input tensors'), and a last layer would give the model "
                "several outputs, which the spec's one output cannot describe",
                "return_state",
                "remove `return_state` (use `return_sequences: true` to pass every step on); reading the "
                "states needs the functional API",
            )
        ]

    def check_stateful(self, shape: Shape) -> None:
        """``RNN.build``: a stateful layer keeps one state per sample of a fixed batch."""
        if self.stateful and shape[0] is None:
            sample = fmt_list(shape[1:])
            raise ShapeError(
                "KS309",
                f"{self.kind} with `stateful: true` needs a fixed batch size (it keeps one state per sample), "
                f"but the model's batch size is unknown: input {fmt_shape(shape)}",
                "stateful",
                f"start the layers with `{{type: Input, shape: {sample}, batch_size: 32}}` (and train with "
                "that batch size, unshuffled), or remove `stateful`",
            )

    def check_forget_bias(self) -> None:
        """The LSTM cells' ``build``: ``unit_forget_bias`` calls `bias_initializer` on each gate's part."""
        if self.use_bias and getattr(self, "unit_forget_bias", False) and self.bias_initializer is None:
            raise ShapeError(
                "KS309",
                f"{self.kind} with `unit_forget_bias: true` (the default) builds its bias by calling "
                "`bias_initializer` on each gate, and it is null: Keras fails in build ('NoneType' object "
                "is not callable)",
                "bias_initializer",
                "leave `bias_initializer` out (zeros), or set `unit_forget_bias: false` (a null initializer "
                "is then glorot_uniform)",
            )

    def output_activation(self) -> str | None:
        # SimpleRNN's output is activation(...) itself. LSTM multiplies it by the output
        # gate (h = o * tanh(c)) and GRU mixes it with the previous state: a softmax there
        # does not sum to 1, while a sigmoid's values stay in (0, 1).
        act = self.activation or "linear"
        if self.MIXING_GATE and act == "softmax":
            return f"softmax mixed by the {self.kind} {self.MIXING_GATE}"
        return act


class _RNNLayer(_RNN):
    """SimpleRNN, LSTM and GRU: `units` over `(batch, steps, features)`."""

    units: PositiveInt = Field(description="Size of the state and of the output.")
    unroll: StrictBool = Field(False, description="Unroll the loop over the steps (faster for short sequences, more memory).")

    def output_shape(self, shape: Shape) -> Shape:
        require_rank(self, shape, 3)
        last_axis(self, shape, "kernel")
        self.check_forget_bias()  # the cell is built before the layer checks `stateful`
        self.check_stateful(shape)
        if self.return_sequences:
            return (shape[0], shape[1], self.units)
        return (shape[0], self.units)

    def bias_shape(self) -> tuple[int, ...]:
        return (self.GATES * self.units,)

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        n = self.GATES * self.units
        out = [
            Weight("kernel", (last_axis(self, shape, "kernel"), n), True, "kernel_initializer"),
            Weight("recurrent_kernel", (self.units, n), True, "recurrent_initializer"),
        ]
        if self.use_bias:
            out.append(Weight("bias", self.bias_shape(), True, "bias_initializer"))
        return tuple(out)


class _CudnnRNN(_RNNLayer):
    """LSTM and GRU: gated, and with `use_cudnn: true` Keras builds them anywhere and runs them only on a GPU."""

    # `implementation` reaches Keras through `**kwargs` (its cell pops it; get_config leaves it
    # out), so the signature test counts it as spec-only: keras_kwargs passes it on anyway.
    SPEC_ONLY: ClassVar = frozenset({"implementation"})
    recurrent_activation: Activation | None = Field("sigmoid", description="Activation of the gates.")
    use_cudnn: UseCudnn = "auto"
    # Keras 3 still uses it (the cell tests `implementation == 1`; any other value runs as 2), it
    # does not warn, and `recurrent_dropout` forces 1: the spec takes Keras's two modes only.
    implementation: Implementation = Field(
        2,
        description="How the cell computes its gates: 2 in few large matrix products, 1 in many small ones "
        "(same results, other speed and memory); Keras uses 1 whenever `recurrent_dropout` is set.",
    )

    def keras_kwargs(self) -> dict[str, Any]:
        return {**super().keras_kwargs(), "implementation": self.implementation}

    def run_problems(self, shape: Shape) -> list[tuple[str, str]]:
        if self.use_cudnn is True:
            return [
                (
                    f"{self.kind} with use_cudnn: true builds, but fit and predict fail without a GPU "
                    "(\"cuDNN is not supported\"): it never falls back to the CPU implementation",
                    "leave use_cudnn at auto: Keras uses cuDNN where a GPU has it",
                )
            ]
        return []


class SimpleRNN(_RNNLayer):
    """A fully connected RNN: each step's output is fed back as the next step's state."""

    TYPES: ClassVar = ("SimpleRNN",)
    type: Literal["SimpleRNN"]


class LSTM(_CudnnRNN):
    """Long short-term memory: four gates over `(batch, steps, features)`."""

    TYPES: ClassVar = ("LSTM",)
    GATES: ClassVar = 4
    MIXING_GATE: ClassVar = "output gate"
    type: Literal["LSTM"]
    unit_forget_bias: StrictBool = Field(True, description="Start the forget gate's bias at 1.")


class GRU(_CudnnRNN):
    """Gated recurrent unit: three gates over `(batch, steps, features)`."""

    TYPES: ClassVar = ("GRU",)
    GATES: ClassVar = 3
    MIXING_GATE: ClassVar = "update gate"
    type: Literal["GRU"]
    reset_after: StrictBool = Field(True, description="Apply the reset gate after the matrix product (cuDNN's GRU; two biases).")

    def bias_shape(self) -> tuple[int, ...]:
        # reset_after keeps separate input and recurrent biases: (2, 3 * units).
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)


# --------------------------------------------------------------------------- convolutional LSTMs

_CONV_LSTM_LAYOUT = {
    (1, False): "(batch, steps, length, channels)",
    (1, True): "(batch, steps, channels, length)",
    (2, False): "(batch, steps, rows, cols, channels)",
    (2, True): "(batch, steps, channels, rows, cols)",
    (3, False): "(batch, steps, depth, rows, cols, channels)",
    (3, True): "(batch, steps, channels, depth, rows, cols)",
}


class _ConvLSTM(_RNN):
    """An LSTM whose gates are convolutions: every step is an image (or a sequence, or a volume)."""

    CONV_KERNEL: ClassVar = True
    GATES: ClassVar = 4
    MIXING_GATE: ClassVar = "output gate"

    filters: PositiveInt = Field(description="Number of output channels (the state's channels).")
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    padding: Padding = "valid"
    data_format: DataFormat | None = None
    dilation_rate: tuple[int, ...]
    recurrent_activation: Activation | None = Field("sigmoid", description="Activation of the gates.")
    unit_forget_bias: StrictBool = Field(True, description="Start the forget gate's bias at 1.")

    @property
    def rank(self) -> int:
        return len(self.kernel_size)

    def argument_errors(self) -> list[ShapeError]:
        errors = super().argument_errors()
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            errors.append(
                ShapeError(
                    "KS306",
                    f"{self.kind} has `strides` {fmt_list(self.strides)} > 1 together with `dilation_rate` "
                    f"{fmt_list(self.dilation_rate)} > 1, which Keras does not support",
                    "dilation_rate",
                    "use strides 1 with a dilation, or dilation_rate 1 with strides",
                )
            )
        return errors

    def _step(self, shape: Shape) -> Shape:
        """The shape of one step, as the cell sees it; checks what the cell's ``build`` checks."""
        first = self.data_format == "channels_first"
        want = self.rank + 3
        if len(shape) != want:
            other = {4: "ConvLSTM1D", 5: "ConvLSTM2D", 6: "ConvLSTM3D"}.get(len(shape))
            # One axis short: most likely the channel axis of one-channel frames.
            sample = shape[1:]
            missing_channel = (sample[0], 1, *sample[1:]) if first else (*sample, 1)
            raise ShapeError(
                "KS302",
                f"{self.kind} expects an input of rank {want} {_CONV_LSTM_LAYOUT[(self.rank, first)]}, "
                f"got rank {len(shape)}: {fmt_shape(shape)}",
                None,
                f"use {other} for an input of rank {len(shape)}" if other else "add a Reshape before it",
                reshape_to=missing_channel if len(shape) == want - 1 and len(sample) >= 1 else None,
            )
        step = (shape[0], *shape[2:])
        spatial = step[2:] if first else step[1:-1]
        if None in spatial:
            raise ShapeError(
                "KS308",
                f"{self.kind} needs every spatial size of its input to be known, but the input is {fmt_shape(shape)}",
                None,
                "give the spatial axes a size in the input shape (only the steps may be null)",
            )
        if step[1 if first else -1] is None:
            raise ShapeError(
                "KS308",
                f"{self.kind} needs the number of input channels to create its weights, but it is unknown: "
                f"input {fmt_shape(shape)}",
                None,
                "give the channel axis a size in the input shape",
            )
        return step

    def output_shape(self, shape: Shape) -> Shape:
        step = self._step(shape)
        self.check_forget_bias()  # the cell is built before the layer checks `stateful`
        self.check_stateful(shape)
        out = conv_output_shape(
            step, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate, layer=self.kind,
        )  # fmt: skip
        if self.return_sequences:
            return (shape[0], shape[1], *out[1:])
        return out

    def weights(self, shape: Shape) -> tuple[Weight, ...]:
        step = self._step(shape)
        c = step[1 if self.data_format == "channels_first" else -1]
        assert c is not None
        n = 4 * self.filters
        return (
            Weight("kernel", (*self.kernel_size, c, n), True, "kernel_initializer"),
            Weight("recurrent_kernel", (*self.kernel_size, self.filters, n), True, "recurrent_initializer"),
            *bias(self, n),
        )


class ConvLSTM1D(_ConvLSTM):
    """A convolutional LSTM over steps of 1D sequences `(batch, steps, length, channels)`."""

    TYPES: ClassVar = ("ConvLSTM1D",)
    EXAMPLE_INPUT: ClassVar = "[10, 28, 1]"
    type: Literal["ConvLSTM1D"]
    kernel_size: IntTuple(1)
    strides: IntTuple(1) = (1,)
    dilation_rate: IntTuple(1) = (1,)


class ConvLSTM2D(_ConvLSTM):
    """A convolutional LSTM over steps of images `(batch, steps, rows, cols, channels)`."""

    TYPES: ClassVar = ("ConvLSTM2D",)
    EXAMPLE_INPUT: ClassVar = "[10, 28, 28, 1]"
    type: Literal["ConvLSTM2D"]
    kernel_size: IntTuple(2)
    strides: IntTuple(2) = (1, 1)
    dilation_rate: IntTuple(2) = (1, 1)


class ConvLSTM3D(_ConvLSTM):
    """A convolutional LSTM over steps of volumes `(batch, steps, depth, rows, cols, channels)`."""

    TYPES: ClassVar = ("ConvLSTM3D",)
    EXAMPLE_INPUT: ClassVar = "[10, 8, 28, 28, 1]"
    type: Literal["ConvLSTM3D"]
    kernel_size: IntTuple(3)
    strides: IntTuple(3) = (1, 1, 1)
    dilation_rate: IntTuple(3) = (1, 1, 1)
