"""Rows and strategies for kerasspec.layers.convolutional (the worked example of a family)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import any_case, args, int_or_tuple, maybe

FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last"])
INITS = st.sampled_from(["glorot_uniform", "he_normal", "zeros", "orthogonal", "identity"])

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    ({"type": "Conv2D", "filters": 4, "kernel_size": 3, "padding": "SAME"}, (None, 8, 8, 2), ((None, 8, 8, 4), 76, 0)),
    ({"type": "Conv1D", "filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (None, 9, 1), ((None, 9, 2), 8, 0)),
    ({"type": "Conv2D", "filters": 4, "kernel_size": 9}, (None, 8, 8, 2), "KS303"),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {}


def conv(n: int):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        return args(
            filters=st.integers(1, 6),
            kernel_size=int_or_tuple(n, 1, 4),
            strides=maybe(int_or_tuple(n, 1, 3)),
            padding=maybe(st.one_of(any_case("valid"), any_case("same"), *( [any_case("causal")] if n == 1 else []))),
            dilation_rate=maybe(int_or_tuple(n, 1, 2)),
            data_format=maybe(FORMATS),
            groups=maybe(st.sampled_from([1, 2])),
            use_bias=maybe(st.booleans()),
            kernel_initializer=maybe(INITS),
            activation=maybe(st.sampled_from(["relu", "softmax", None])),
        )

    return draw_args


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "Conv1D": ((3,), conv(1)),
    "Conv2D": ((4,), conv(2)),
    "Convolution2D": ((4,), conv(2)),
}
