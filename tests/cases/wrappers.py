"""Rows and strategies for kerasspec.layers.wrappers (numbers read from Keras 3.15 builds)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.recurrent import conv_lstm, rnn
from cases.spellings import args, maybe

LSTM4 = {"type": "LSTM", "units": 4}

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # Bidirectional: two copies of the layer's weights; concat doubles the last axis.
    ({"type": "Bidirectional", "layer": LSTM4}, (None, 5, 3), ((None, 8), 256, 0)),
    ({"type": "Bidirectional", "layer": {**LSTM4, "return_sequences": True}}, (None, None, 3), ((None, None, 8), 256, 0)),
    ({"type": "Bidirectional", "layer": {"type": "GRU", "units": 4}, "merge_mode": "sum"}, (None, 5, 3), ((None, 4), 216, 0)),
    ({"type": "Bidirectional", "layer": {"type": "SimpleRNN", "units": 4}, "merge_mode": "ave"}, (None, 5, 3), ((None, 4), 64, 0)),
    ({"type": "Bidirectional", "layer": {"type": "SimpleRNN", "units": 4}, "merge_mode": "mul"}, (None, 5, 3), ((None, 4), 64, 0)),
    ({"type": "Bidirectional", "layer": {**LSTM4, "trainable": False}}, (None, 5, 3), ((None, 8), 0, 256)),
    ({"type": "Bidirectional", "layer": LSTM4, "trainable": False}, (None, 5, 3), ((None, 8), 0, 256)),
    (
        {"type": "Bidirectional", "layer": LSTM4, "backward_layer": {"type": "GRU", "units": 4, "go_backwards": True}},
        (None, 5, 3),
        ((None, 8), 236, 0),
    ),
    ({"type": "Bidirectional", "layer": {**LSTM4, "stateful": True}}, (2, 5, 3), ((2, 8), 256, 0)),
    ({"type": "Bidirectional", "layer": {**LSTM4, "stateful": True}}, (None, 5, 3), "KS309"),
    ({"type": "Bidirectional", "layer": {"type": "ConvLSTM1D", "filters": 4, "kernel_size": 3}}, (None, 5, 6, 3), ((None, 4, 8), 704, 0)),
    ({"type": "Bidirectional", "layer": {**LSTM4, "bias_initializer": "identity"}}, (None, 5, 3), "KS309"),
    ({"type": "Bidirectional", "layer": LSTM4}, (None, 5), "KS302"),
    ({"type": "Bidirectional", "layer": LSTM4}, (None, 5, 3, 2), "KS302"),
    ({"type": "Bidirectional", "layer": {"type": "Dense", "units": 4}}, (None, 5, 3), "KS309"),
    ({"type": "Bidirectional", "layer": {**LSTM4, "go_backwards": True}}, (None, 5, 3), "KS309"),
    ({"type": "Bidirectional", "layer": LSTM4, "backward_layer": LSTM4}, (None, 5, 3), "KS309"),
    (
        {"type": "Bidirectional", "layer": LSTM4, "backward_layer": {**LSTM4, "go_backwards": True, "return_sequences": True}},
        (None, 5, 3),
        "KS309",
    ),
    # TimeDistributed: the layer sees (batch, *input[2:]); its weights are the layer's.
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}, (None, 5, 3), ((None, 5, 4), 16, 0)),
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}, (None, 5, 3, 2), ((None, 5, 3, 4), 12, 0)),
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}, (2, None, 3), ((2, None, 4), 16, 0)),
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4, "trainable": False}}, (None, 5, 3), ((None, 5, 4), 0, 16)),
    ({"type": "TimeDistributed", "layer": {"type": "Conv2D", "filters": 4, "kernel_size": 3}}, (None, 5, 8, 8, 3), ((None, 5, 6, 6, 4), 112, 0)),
    ({"type": "TimeDistributed", "layer": {"type": "LSTM", "units": 4}}, (None, 5, 8, 3), ((None, 5, 4), 128, 0)),
    ({"type": "TimeDistributed", "layer": {"type": "Flatten"}}, (None, 5, 8, 3), ((None, 5, 24), 0, 0)),
    (
        {"type": "TimeDistributed", "layer": {"type": "TimeDistributed", "layer": {"type": "Dense", "units": 2}}},
        (None, 5, 4, 3),
        ((None, 5, 4, 2), 8, 0),
    ),
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}, (None, 5), "KS302"),
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4}}, (None, 5, None), "KS308"),
    ({"type": "TimeDistributed", "layer": {"type": "Conv2D", "filters": 4, "kernel_size": 3}}, (None, 5, 2, 2, 3), "KS303"),
    ({"type": "TimeDistributed", "layer": {"type": "Conv2D", "filters": 4, "kernel_size": 3}}, (None, 5, 8, 3), "KS302"),
    ({"type": "TimeDistributed", "layer": {"type": "Dense", "units": 4, "bias_initializer": "orthogonal"}}, (None, 5, 3), "KS309"),
    # SpectralNormalization: the layer's weights and a non-trainable vector_u (1, kernel[-1]).
    ({"type": "SpectralNormalization", "layer": {"type": "Dense", "units": 4}}, (None, 5), ((None, 4), 24, 4)),
    ({"type": "SpectralNormalization", "layer": {"type": "Dense", "units": 4}, "power_iterations": 3}, (None, 5, 3), ((None, 5, 4), 16, 4)),
    ({"type": "SpectralNormalization", "layer": {"type": "Dense", "units": 4}, "trainable": False}, (None, 5), ((None, 4), 0, 28)),
    ({"type": "SpectralNormalization", "layer": {"type": "Conv2D", "filters": 4, "kernel_size": 3}}, (None, 8, 8, 3), ((None, 6, 6, 4), 112, 4)),
    ({"type": "SpectralNormalization", "layer": {"type": "Embedding", "input_dim": 10, "output_dim": 4}}, (None, 5), ((None, 5, 4), 40, 4)),
    ({"type": "SpectralNormalization", "layer": {"type": "LSTM", "units": 4}}, (None, 5, 3), "KS309"),
    ({"type": "SpectralNormalization", "layer": {"type": "Flatten"}}, (None, 5, 3), "KS309"),
    ({"type": "SpectralNormalization", "layer": {"type": "Dense", "units": 4}}, (None, None), "KS308"),
    ({"type": "SpectralNormalization", "layer": {"type": "Conv2D", "filters": 4, "kernel_size": 3}}, (None, 8, 3), "KS302"),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "Bidirectional": ({"layer": {"type": "LSTM", "units": 4}}, (5, 3)),
    "TimeDistributed": ({"layer": {"type": "Dense", "units": 4}}, (5, 3)),
    "SpectralNormalization": ({"layer": {"type": "Dense", "units": 4}}, (6,)),
}

RNN_KINDS = ("SimpleRNN", "LSTM", "GRU")
MERGE_MODES = st.sampled_from(["concat", "sum", "mul", "ave", "concat", "CONCAT", "Sum"])


@st.composite
def _bidirectional(draw: st.DrawFn, rank: int) -> dict[str, Any]:
    if rank == 4:
        inner = {"type": "ConvLSTM1D", **draw(conv_lstm(1)(4))}
    elif draw(st.integers(0, 9)) == 9:
        inner = {"type": "Dense", "units": draw(st.integers(1, 4))}  # not recurrent: both refuse
    else:
        kind = draw(st.sampled_from(RNN_KINDS))
        inner = {"type": kind, **draw(rnn(kind)(3))}
    if "go_backwards" in inner and draw(st.integers(0, 3)) < 3:
        del inner["go_backwards"]  # both copies would read backwards: refused by both, keep it rare
    out: dict[str, Any] = {"layer": inner, **draw(args(merge_mode=maybe(MERGE_MODES)))}
    if inner["type"] in RNN_KINDS and draw(st.integers(0, 3)) == 3:
        # A backward layer of the same size (another size builds a model that fails when run:
        # refused on purpose); it must read backwards and agree on return_sequences/stateful.
        kind = draw(st.sampled_from(RNN_KINDS))
        back = {"type": kind, "units": inner["units"], "go_backwards": draw(st.sampled_from([True, True, True, False]))}
        for attr in ("return_sequences", "stateful"):
            if attr in inner and draw(st.integers(0, 4)) < 4:
                back[attr] = inner[attr]
        out["backward_layer"] = back
    return out


def bidirectional(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return _bidirectional(rank)


def _dense() -> st.SearchStrategy[dict[str, Any]]:
    return args(
        units=st.integers(1, 5),
        activation=maybe(st.sampled_from(["relu", "softmax", None])),
        use_bias=maybe(st.booleans()),
        bias_initializer=maybe(st.sampled_from(["zeros", "orthogonal"])),
    ).map(lambda d: {"type": "Dense", **d})


def _conv(n: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        filters=st.integers(1, 4),
        kernel_size=st.integers(1, 3),
        padding=maybe(st.sampled_from(["valid", "same"])),
    ).map(lambda d: {"type": f"Conv{n}D", **d})


def _inner_for(child_rank: int) -> st.SearchStrategy[dict[str, Any]]:
    """Layers whose Keras build refuses exactly what their own rule refuses on ``child_rank``.

    TimeDistributed builds its layer without the layer's InputSpec check (see
    wrappers.py): only layers whose build and output shape fail on the ranks their
    InputSpec refuses are drawn on those ranks.
    """
    options = [_dense(), st.just({"type": "Flatten"}), st.just({"type": "Dropout", "rate": 0.5})]
    if child_rank == 3:
        kind = st.sampled_from(RNN_KINDS)
        options += [
            kind.flatmap(lambda k: rnn(k)(3).map(lambda d: {"type": k, **d})),
            _conv(1),
            st.just({"type": "MaxPooling1D"}),
        ]
    if child_rank == 4:
        options += [_conv(2)]
    return st.one_of(*options)


def time_distributed(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"layer": _inner_for(rank - 1)})


def _sn_inner(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    options = [_dense(), st.just({"type": "Flatten"})]
    if rank == 2:
        options.append(args(input_dim=st.integers(1, 9), output_dim=st.integers(1, 4)).map(lambda d: {"type": "Embedding", **d}))
    if rank == 3:
        options.append(st.just({"type": "LSTM", "units": 2}))
    if rank == 4:
        options += [_conv(2), st.just({"type": "DepthwiseConv2D", "kernel_size": 2}), st.just({"type": "SeparableConv2D", "filters": 2, "kernel_size": 2})]
    return st.one_of(*options)


def spectral_normalization(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"layer": _sn_inner(rank)},
        optional={"power_iterations": st.sampled_from([1, 2, 0])},
    )


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "Bidirectional": ((3, 4), bidirectional),
    "TimeDistributed": ((3, 4, 5), time_distributed),
    "SpectralNormalization": ((2, 3, 4), spectral_normalization),
}
