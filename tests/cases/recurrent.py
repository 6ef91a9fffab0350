"""Rows and strategies for kerasspec.layers.recurrent (numbers read from Keras 3.15 builds)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import any_case, args, int_or_tuple, maybe

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # SimpleRNN: kernel (3, 4), recurrent (4, 4), bias (4,).
    ({"type": "SimpleRNN", "units": 4}, (None, 5, 3), ((None, 4), 32, 0)),
    ({"type": "SimpleRNN", "units": 4, "return_sequences": True, "go_backwards": True}, (None, 5, 3), ((None, 5, 4), 32, 0)),
    ({"type": "SimpleRNN", "units": 4, "use_bias": False, "trainable": False}, (None, 5, 3), ((None, 4), 0, 28)),
    ({"type": "SimpleRNN", "units": 4, "kernel_initializer": "identity", "recurrent_initializer": "Identity"}, (None, 5, 3), ((None, 4), 32, 0)),
    ({"type": "SimpleRNN", "units": 4, "bias_initializer": "orthogonal"}, (None, 5, 3), "KS309"),
    ({"type": "SimpleRNN", "units": 4}, (None, 5), "KS302"),
    ({"type": "SimpleRNN", "units": 4}, (None, 5, 3, 2), "KS302"),
    ({"type": "SimpleRNN", "units": 4}, (None, 5, None), "KS308"),
    # Unknown steps are fine, unrolled too; zero features make an empty kernel.
    ({"type": "SimpleRNN", "units": 2, "unroll": True, "dropout": 0.5, "recurrent_dropout": 1, "seed": 3}, (None, None, 3), ((None, 2), 12, 0)),
    ({"type": "SimpleRNN", "units": 2, "return_sequences": True}, (None, 0, 3), ((None, 0, 2), 12, 0)),
    # stateful: a fixed batch is needed, and carried to the output.
    ({"type": "SimpleRNN", "units": 4, "stateful": True}, (None, 5, 3), "KS309"),
    ({"type": "SimpleRNN", "units": 4, "stateful": True, "return_sequences": True}, (2, 5, 3), ((2, 5, 4), 32, 0)),
    # LSTM: 4 gates.
    ({"type": "LSTM", "units": 4}, (None, 5, 3), ((None, 4), 128, 0)),
    ({"type": "LSTM", "units": 4, "return_sequences": True, "use_cudnn": False}, (None, None, 3), ((None, None, 4), 128, 0)),
    ({"type": "LSTM", "units": 4, "use_bias": False, "unit_forget_bias": False}, (None, 5, 3), ((None, 4), 112, 0)),
    ({"type": "LSTM", "units": 4, "activation": None, "recurrent_activation": "hard_sigmoid", "use_cudnn": True}, (None, 5, 3), ((None, 4), 128, 0)),
    ({"type": "LSTM", "units": 4, "stateful": True}, (3, 5, 3), ((3, 4), 128, 0)),
    ({"type": "LSTM", "units": 4, "stateful": True}, (None, 5, 3), "KS309"),
    ({"type": "LSTM", "units": 4, "bias_initializer": "identity"}, (None, 5, 3), "KS309"),
    ({"type": "LSTM", "units": 4}, (None, 3), "KS302"),
    # A null bias_initializer: add_weight's default (glorot_uniform), except where unit_forget_bias
    # (the default) calls it on each gate's part of the bias: LSTM and ConvLSTM fail in build.
    ({"type": "LSTM", "units": 4, "bias_initializer": None}, (None, 5, 3), "KS309"),
    ({"type": "LSTM", "units": 4, "bias_initializer": None, "unit_forget_bias": True, "stateful": True}, (2, 5, 3), "KS309"),
    ({"type": "LSTM", "units": 4, "bias_initializer": None, "unit_forget_bias": False}, (None, 5, 3), ((None, 4), 128, 0)),
    ({"type": "LSTM", "units": 4, "bias_initializer": None, "use_bias": False}, (None, 5, 3), ((None, 4), 112, 0)),
    ({"type": "LSTM", "units": 4, "kernel_initializer": None, "recurrent_initializer": None}, (None, 5, 3), ((None, 4), 128, 0)),
    ({"type": "SimpleRNN", "units": 4, "bias_initializer": None}, (None, 5, 3), ((None, 4), 32, 0)),
    # GRU: 3 gates; reset_after (the default) keeps two biases, (2, 3 * units).
    ({"type": "GRU", "units": 4}, (None, 5, 3), ((None, 4), 108, 0)),
    ({"type": "GRU", "units": 4, "reset_after": False}, (None, 5, 3), ((None, 4), 96, 0)),
    ({"type": "GRU", "units": 4, "use_bias": False, "return_sequences": True}, (None, 5, 3), ((None, 5, 4), 84, 0)),
    ({"type": "GRU", "units": 4, "bias_initializer": "orthogonal"}, (None, 5, 3), ((None, 4), 108, 0)),
    ({"type": "GRU", "units": 4, "bias_initializer": "orthogonal", "reset_after": False}, (None, 5, 3), "KS309"),
    ({"type": "GRU", "units": 1, "stateful": True, "trainable": False}, (1, 5, 3), ((1, 1), 0, 18)),
    ({"type": "GRU", "units": 4}, (None, 5, None), "KS308"),
    ({"type": "GRU", "units": 4, "bias_initializer": None, "reset_after": False}, (None, 5, 3), ((None, 4), 96, 0)),
    ({"type": "GRU", "units": 4, "bias_initializer": None}, (None, 5, 3), ((None, 4), 108, 0)),
    # ConvLSTM: kernel (*k, c, 4f), recurrent (*k, f, 4f), bias (4f,); conv rules per axis.
    ({"type": "ConvLSTM1D", "filters": 4, "kernel_size": 3}, (None, 5, 6, 3), ((None, 4, 4), 352, 0)),
    ({"type": "ConvLSTM1D", "filters": 4, "kernel_size": [3], "return_sequences": True, "padding": "Same"}, (None, None, 6, 3), ((None, None, 6, 4), 352, 0)),
    ({"type": "ConvLSTM1D", "filters": 4, "kernel_size": 3}, (None, 5, 2, 3), "KS303"),
    ({"type": "ConvLSTM1D", "filters": 4, "kernel_size": 3}, (None, 5, 3), "KS302"),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3}, (None, 5, 6, 6, 3), ((None, 4, 4, 4), 1024, 0)),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3, "padding": "SAME", "return_sequences": True}, (None, 5, 6, 6, 3), ((None, 5, 6, 6, 4), 1024, 0)),
    (
        {"type": "ConvLSTM2D", "filters": 4, "kernel_size": [3, 2], "strides": 2, "data_format": "channels_first", "use_bias": False},
        (None, 5, 3, 6, 6),
        ((None, 4, 2, 3), 672, 0),
    ),
    ({"type": "ConvLSTM2D", "filters": 2, "kernel_size": 3, "dilation_rate": 2, "unit_forget_bias": False}, (None, 5, 7, 7, 1), ((None, 3, 3, 2), 224, 0)),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 5, 9, 9, 3), "KS306"),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3}, (None, 5, None, 6, 3), "KS308"),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3}, (None, 5, 6, 6, None), "KS308"),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3, "stateful": True}, (None, 5, 6, 6, 3), "KS309"),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3, "stateful": True}, (2, 5, 6, 6, 3), ((2, 4, 4, 4), 1024, 0)),
    ({"type": "ConvLSTM2D", "filters": 4, "kernel_size": 3}, (None, 5, 6, 6), "KS302"),
    ({"type": "ConvLSTM3D", "filters": 2, "kernel_size": 3}, (None, 5, 4, 6, 6, 2), ((None, 2, 4, 4, 2), 872, 0)),
    ({"type": "ConvLSTM3D", "filters": 2, "kernel_size": [1, 3, 3], "return_sequences": True}, (None, 2, 4, 6, 6, 2), ((None, 2, 4, 4, 4, 2), 296, 0)),
    ({"type": "ConvLSTM1D", "filters": 4, "kernel_size": 3, "bias_initializer": None}, (None, 5, 6, 3), "KS309"),
    ({"type": "ConvLSTM2D", "filters": 2, "kernel_size": 3, "bias_initializer": None, "unit_forget_bias": False}, (None, 5, 7, 7, 1), ((None, 5, 5, 2), 224, 0)),
    ({"type": "ConvLSTM2D", "filters": 2, "kernel_size": 3, "bias_initializer": None, "use_bias": False}, (None, 5, 7, 7, 1), ((None, 5, 5, 2), 216, 0)),
    ({"type": "ConvLSTM3D", "filters": 2, "kernel_size": 3, "bias_initializer": None}, (None, 5, 4, 6, 6, 2), "KS309"),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "SimpleRNN": ({"units": 4}, (5, 3)),
    "LSTM": ({"units": 4}, (5, 3)),
    "GRU": ({"units": 4}, (5, 3)),
    "ConvLSTM1D": ({"filters": 2, "kernel_size": 3}, (4, 6, 2)),
    "ConvLSTM2D": ({"filters": 2, "kernel_size": 3}, (4, 6, 6, 2)),
    "ConvLSTM3D": ({"filters": 2, "kernel_size": 3}, (3, 4, 4, 4, 1)),
}

ACTIVATIONS = st.sampled_from(["tanh", "relu", "sigmoid", "softmax", "linear", None])
GATE_ACTIVATIONS = st.sampled_from(["sigmoid", "hard_sigmoid", "tanh", None])
# Identity and Orthogonal fail on rank-1 weights (a bias), Identity on ranks above 2.
# Null is add_weight's default (glorot_uniform), but LSTMs with unit_forget_bias fail on a null bias one.
INITS = st.sampled_from(["glorot_uniform", "orthogonal", "identity", "Identity", "zeros", "he_normal", "Orthogonal", None])
BIAS_INITS = st.sampled_from(["zeros", "ones", "he_normal", "orthogonal", "identity", None, None])
# Keras clips the rates into [0, 1]; the spec takes that range (ints included).
RATES = st.sampled_from([0, 1, 0.0, 0.2, 0.5, 1.0])
SEEDS = st.one_of(st.none(), st.integers(-5, 2**31))
FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last", "CHANNELS_FIRST"])
REGULARIZERS = st.sampled_from(["l2", "L1", {"type": "L2", "l2": 0.01}, None])
CONSTRAINTS = st.sampled_from(["max_norm", "non_neg", "UnitNorm", None])


def _rnn_args(**extra: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        activation=maybe(ACTIVATIONS),
        use_bias=maybe(st.booleans()),
        kernel_initializer=maybe(INITS),
        recurrent_initializer=maybe(INITS),
        bias_initializer=maybe(BIAS_INITS),
        kernel_regularizer=maybe(REGULARIZERS),
        recurrent_constraint=maybe(CONSTRAINTS),
        dropout=maybe(RATES),
        recurrent_dropout=maybe(RATES),
        seed=maybe(SEEDS),
        return_sequences=maybe(st.booleans()),
        go_backwards=maybe(st.booleans()),
        # Stateful needs a fixed batch, which the documents of FIXED_BATCH kinds often give.
        stateful=maybe(st.booleans()),
        **extra,
    )


def rnn(kind: str):
    """The arguments of SimpleRNN, LSTM or GRU (never `return_state`: see recurrent.py)."""
    extra: dict[str, st.SearchStrategy[Any]] = {"units": st.integers(1, 6), "unroll": maybe(st.booleans())}
    if kind in ("LSTM", "GRU"):
        extra["recurrent_activation"] = maybe(GATE_ACTIVATIONS)
        extra["use_cudnn"] = maybe(st.sampled_from(["auto", True, False]))
    if kind == "LSTM":
        extra["unit_forget_bias"] = maybe(st.booleans())
    if kind == "GRU":
        extra["reset_after"] = maybe(st.booleans())

    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        return _rnn_args(**extra)

    return draw_args


def conv_lstm(n: int):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        return _rnn_args(
            filters=st.integers(1, 4),
            kernel_size=int_or_tuple(n, 1, 3),
            strides=maybe(int_or_tuple(n, 1, 2)),
            padding=maybe(st.one_of(any_case("valid"), any_case("same"), st.just("causal"))),
            data_format=maybe(FORMATS),
            dilation_rate=maybe(int_or_tuple(n, 1, 2)),
            recurrent_activation=maybe(GATE_ACTIVATIONS),
            unit_forget_bias=maybe(st.booleans()),
        )

    return draw_args


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "SimpleRNN": ((3,), rnn("SimpleRNN")),
    "LSTM": ((3,), rnn("LSTM")),
    "GRU": ((3,), rnn("GRU")),
    "ConvLSTM1D": ((4,), conv_lstm(1)),
    "ConvLSTM2D": ((5,), conv_lstm(2)),
    "ConvLSTM3D": ((6,), conv_lstm(3)),
}

#: Kinds whose raw documents sometimes start with `{type: Input, shape, batch_size}` (stateful layers).
FIXED_BATCH = frozenset(STRATEGIES)
