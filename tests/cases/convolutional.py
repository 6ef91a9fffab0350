"""Rows and strategies for kerasspec.layers.convolutional.

Every accepted row's output shape and parameter counts, and every refused row's
refusal, were read from Keras 3.15 building the layer (``tests/test_catalogue.py``
checks them against Keras again).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import args, int_or_tuple, maybe


def cases_of(word: str) -> list[str]:
    """``same``, ``SAME``, ``Same``: the cases Keras lower-cases (drawn evenly, unlike one_of)."""
    return [word, word.upper(), word.capitalize()]


# Keras lower-cases `data_format` (standardize_data_format) and `padding` for convolutions.
FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last", "CHANNELS_FIRST"])
# Identity makes 2D matrices only, Orthogonal rank >= 2: Keras refuses them on kernels and biases.
INITS = st.sampled_from(["glorot_uniform"] * 4 + ["he_normal", "zeros", "orthogonal", "identity", "HeUniform"])
BIAS_INITS = st.sampled_from(["zeros"] * 4 + ["ones", "orthogonal", "random_normal"])
REGULARIZERS = st.sampled_from(["l1", "l2", "l1l2", "L2", {"type": "L1", "l1": 0.01}, {"type": "L1L2", "l1": 0.1, "l2": 0.2}])
CONSTRAINTS = st.sampled_from(["max_norm", "non_neg", "unit_norm", "min_max_norm", "MaxNorm", "NonNeg"])

N = None

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    ({'type': 'Conv1D', 'filters': 4, 'kernel_size': 3}, (N, 10, 2), ((N, 8, 4), 28, 0)),
    ({'type': 'Conv1D', 'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'SAME'}, (N, 10, 2), ((N, 5, 4), 28, 0)),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 3, 'padding': 'Causal', 'dilation_rate': 2}, (N, 9, 1), ((N, 9, 2), 8, 0)),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 4, 'strides': 3, 'padding': 'causal'}, (N, 10, 3), ((N, 4, 2), 26, 0)),
    ({'type': 'Conv1D', 'filters': 6, 'kernel_size': [2], 'groups': 3, 'data_format': 'channels_first'}, (N, 3, 8), ((N, 6, 7), 18, 0)),
    ({'type': 'Convolution1D', 'filters': 3, 'kernel_size': 5, 'use_bias': False}, (N, N, 4), ((N, N, 3), 60, 0)),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 3, 'kernel_constraint': 'max_norm', 'bias_constraint': 'non_neg', 'kernel_regularizer': 'l2'}, (N, 5, 2), ((N, 3, 2), 14, 0)),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 3}, (N, 8, 8, 1), 'KS302'),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 6}, (N, 5, 1), 'KS303'),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 3, 'dilation_rate': 3}, (N, 6, 1), 'KS303'),
    ({'type': 'Conv1D', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2}, (N, 20, 1), 'KS306'),
    ({'type': 'Conv1D', 'filters': 3, 'kernel_size': 3, 'groups': 2}, (N, 8, 4), 'KS307'),
    ({'type': 'Conv1D', 'filters': 4, 'kernel_size': 3, 'groups': 2}, (N, 8, 3), 'KS307'),
    ({'type': 'Conv1D', 'filters': 4, 'kernel_size': 3}, (N, 8, N), 'KS308'),
    ({'type': 'Conv2D', 'filters': 4, 'kernel_size': 3, 'padding': 'SAME'}, (N, 8, 8, 2), ((N, 8, 8, 4), 76, 0)),
    ({'type': 'Conv2D', 'filters': 4, 'kernel_size': [3, 1], 'strides': [2, 1], 'data_format': 'Channels_First'}, (N, 2, 9, 9), ((N, 4, 4, 9), 28, 0)),
    ({'type': 'Conv2D', 'filters': 2, 'kernel_size': 2, 'dilation_rate': [1, 3], 'kernel_constraint': 'unit_norm'}, (N, 7, 7, 3), ((N, 6, 4, 2), 26, 0)),
    ({'type': 'Conv2D', 'filters': 4, 'kernel_size': 9}, (N, 8, 8, 2), 'KS303'),
    ({'type': 'Conv2D', 'filters': 4, 'kernel_size': 3, 'strides': [1, 2], 'dilation_rate': [2, 1]}, (N, 9, 9, 2), 'KS306'),
    ({'type': 'Conv2D', 'filters': 4, 'kernel_size': 3}, (N, 8, 8, 8, 2), 'KS302'),
    ({'type': 'Conv3D', 'filters': 4, 'kernel_size': [1, 2, 3]}, (N, 5, 5, 5, 3), ((N, 5, 4, 3, 4), 76, 0)),
    ({'type': 'Convolution3D', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'padding': 'Same'}, (N, 7, 8, 9, 1), ((N, 4, 4, 5, 2), 56, 0)),
    ({'type': 'Conv3D', 'filters': 4, 'kernel_size': 2, 'groups': 2, 'dilation_rate': [1, 2, 3]}, (N, 6, 6, 7, 4), ((N, 5, 4, 4, 4), 68, 0)),
    ({'type': 'Conv3D', 'filters': 4, 'kernel_size': 2, 'data_format': 'channels_first', 'use_bias': False}, (N, 3, 4, 5, 6), ((N, 4, 3, 4, 5), 96, 0)),
    ({'type': 'Conv3D', 'filters': 2, 'kernel_size': 3}, (N, N, 5, N, 2), ((N, N, 3, N, 2), 110, 0)),
    ({'type': 'Conv3D', 'filters': 2, 'kernel_size': 3}, (N, 5, 5, 2), 'KS302'),
    ({'type': 'Conv3D', 'filters': 2, 'kernel_size': [1, 1, 4]}, (N, 5, 5, 3, 2), 'KS303'),
    ({'type': 'Conv3D', 'filters': 2, 'kernel_size': 3, 'strides': [1, 1, 2], 'dilation_rate': [2, 1, 1]}, (N, 9, 9, 9, 2), 'KS306'),
    ({'type': 'Conv3D', 'filters': 2, 'kernel_size': 1, 'groups': 2}, (N, 4, 4, 4, 3), 'KS307'),
    ({'type': 'Conv3D', 'filters': 2, 'kernel_size': 1}, (N, 4, 4, 4, N), 'KS308'),
    ({'type': 'Conv1DTranspose', 'filters': 4, 'kernel_size': 3}, (N, 5, 3), ((N, 7, 4), 40, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 4, 'kernel_size': 3, 'strides': 2, 'output_padding': 1}, (N, 5, 3), ((N, 12, 4), 40, 0)),
    ({'type': 'Convolution1DTranspose', 'filters': 4, 'kernel_size': 3, 'strides': 2, 'padding': 'SAME'}, (N, 5, 3), ((N, 10, 4), 40, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 2, 'strides': 3, 'padding': 'same', 'output_padding': 1}, (N, 4, 3), ((N, 10, 2), 14, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 2, 'strides': 5}, (N, 4, 3), ((N, 20, 2), 14, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 3, 'dilation_rate': 2, 'data_format': 'channels_first'}, (N, 3, 4), ((N, 2, 8), 20, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 2, 'padding': 'same', 'output_padding': 0}, (N, 1, 3), ((N, 0, 2), 14, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 3}, (N, N, 3), ((N, N, 2), 20, 0)),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 3}, (N, 4, 4, 3), 'KS302'),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 3, 'output_padding': 1}, (N, 4, 3), 'KS309'),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2}, (N, 4, 3), 'KS306'),
    ({'type': 'Conv1DTranspose', 'filters': 2, 'kernel_size': 3}, (N, 4, N), 'KS308'),
    ({'type': 'Conv2DTranspose', 'filters': 8, 'kernel_size': 3, 'strides': 2, 'padding': 'same'}, (N, 7, 7, 16), ((N, 14, 14, 8), 1160, 0)),
    ({'type': 'Convolution2DTranspose', 'filters': 2, 'kernel_size': [2, 3], 'strides': [2, 3], 'output_padding': [1, 2], 'data_format': 'channels_first'}, (N, 3, 4, 5), ((N, 2, 9, 17), 38, 0)),
    ({'type': 'Conv2DTranspose', 'filters': 2, 'kernel_size': 3, 'dilation_rate': 2, 'kernel_constraint': 'non_neg'}, (N, 4, 4, 1), ((N, 8, 8, 2), 20, 0)),
    ({'type': 'Conv2DTranspose', 'filters': 2, 'kernel_size': 3, 'strides': [1, 2], 'output_padding': [0, 2]}, (N, 4, 4, 1), 'KS309'),
    ({'type': 'Conv2DTranspose', 'filters': 2, 'kernel_size': 3}, (N, 4, 1), 'KS302'),
    ({'type': 'Conv3DTranspose', 'filters': 4, 'kernel_size': 2, 'strides': [1, 2, 3], 'padding': 'same', 'output_padding': [0, 1, 2]}, (N, 2, 3, 4, 3), ((N, 1, 5, 11, 4), 100, 0)),
    ({'type': 'Conv3DTranspose', 'filters': 4, 'kernel_size': 2, 'strides': [1, 2, 3], 'output_padding': [0, 1, 2], 'use_bias': False}, (N, 2, 3, 4, 3), ((N, 3, 7, 13, 4), 96, 0)),
    ({'type': 'Convolution3DTranspose', 'filters': 2, 'kernel_size': 3, 'data_format': 'CHANNELS_FIRST'}, (N, 3, 2, 2, 2), ((N, 2, 4, 4, 4), 164, 0)),
    ({'type': 'Conv3DTranspose', 'filters': 2, 'kernel_size': 3, 'strides': 2}, (N, 2, 2, 2, 1), ((N, 5, 5, 5, 2), 56, 0)),
    ({'type': 'Conv3DTranspose', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'dilation_rate': [1, 1, 2]}, (N, 2, 2, 2, 1), 'KS306'),
    ({'type': 'Conv3DTranspose', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'output_padding': [0, 2, 0]}, (N, 2, 2, 2, 1), 'KS309'),
    ({'type': 'Conv3DTranspose', 'filters': 2, 'kernel_size': 3}, (N, 4, 4, 1), 'KS302'),
    ({'type': 'Conv3DTranspose', 'filters': 2, 'kernel_size': 3}, (N, 2, 2, 2, N), 'KS308'),
    ({'type': 'SeparableConv1D', 'filters': 4, 'kernel_size': 3, 'depth_multiplier': 2}, (N, 9, 3), ((N, 7, 4), 46, 0)),
    ({'type': 'SeparableConvolution1D', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2}, (N, 9, 3), ((N, 3, 2), 17, 0)),
    ({'type': 'SeparableConv1D', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2, 'padding': 'SAME'}, (N, 9, 3), ((N, 5, 2), 17, 0)),
    ({'type': 'SeparableConv1D', 'filters': 4, 'kernel_size': 3, 'data_format': 'channels_first', 'use_bias': False, 'depthwise_constraint': 'max_norm', 'pointwise_regularizer': 'l1'}, (N, 3, 9), ((N, 4, 7), 21, 0)),
    ({'type': 'SeparableConv1D', 'filters': 4, 'kernel_size': 3}, (N, 9, 9, 3), 'KS302'),
    ({'type': 'SeparableConv1D', 'filters': 4, 'kernel_size': 4}, (N, 3, 3), 'KS303'),
    ({'type': 'SeparableConv1D', 'filters': 4, 'kernel_size': 3}, (N, 9, N), 'KS308'),
    ({'type': 'SeparableConv2D', 'filters': 16, 'kernel_size': 3, 'depth_multiplier': 2}, (N, 28, 28, 3), ((N, 26, 26, 16), 166, 0)),
    ({'type': 'SeparableConvolution2D', 'filters': 2, 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2, 'padding': 'same'}, (N, 9, 9, 3), ((N, 5, 5, 2), 35, 0)),
    ({'type': 'SeparableConv2D', 'filters': 2, 'kernel_size': [1, 3], 'data_format': 'channels_first', 'pointwise_constraint': 'unit_norm'}, (N, 3, 5, 5), ((N, 2, 5, 3), 17, 0)),
    ({'type': 'SeparableConv2D', 'filters': 2, 'kernel_size': 3}, (N, 9, 3), 'KS302'),
    ({'type': 'SeparableConv2D', 'filters': 2, 'kernel_size': 3, 'dilation_rate': 3}, (N, 6, 9, 3), 'KS303'),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 3, 'depth_multiplier': 2}, (N, 9, 3), ((N, 7, 6), 24, 0)),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2}, (N, 9, 3), ((N, 3, 3), 12, 0)),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2, 'padding': 'Same'}, (N, 9, 3), ((N, 5, 3), 12, 0)),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 3, 'depth_multiplier': 2, 'data_format': 'channels_first', 'use_bias': False, 'depthwise_constraint': 'non_neg'}, (N, 3, 9), ((N, 6, 7), 18, 0)),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 3}, (N, 9, 9, 3), 'KS302'),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 10}, (N, 9, 3), 'KS303'),
    ({'type': 'DepthwiseConv1D', 'kernel_size': 3}, (N, 9, N), 'KS308'),
    ({'type': 'DepthwiseConv2D', 'kernel_size': 3, 'depth_multiplier': 2}, (N, 28, 28, 3), ((N, 26, 26, 6), 60, 0)),
    ({'type': 'DepthwiseConv2D', 'kernel_size': 3, 'strides': 2, 'dilation_rate': 2}, (N, 9, 9, 3), ((N, 3, 3, 3), 30, 0)),
    ({'type': 'DepthwiseConv2D', 'kernel_size': [3, 1], 'data_format': 'channels_first', 'depthwise_regularizer': 'l2'}, (N, 3, 8, 8), ((N, 3, 6, 8), 12, 0)),
    ({'type': 'DepthwiseConv2D', 'kernel_size': 3}, (N, 9, 3), 'KS302'),
    ({'type': 'DepthwiseConv2D', 'kernel_size': 3}, (N, 2, 9, 3), 'KS303'),
    ({'type': 'DepthwiseConv2D', 'kernel_size': 3}, (N, 9, 9, N), 'KS308'),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "Conv3D": ({"filters": 2, "kernel_size": 2}, (4, 4, 4, 1)),
    "Conv1DTranspose": ({"filters": 2, "kernel_size": 2}, (8, 3)),
    "Conv3DTranspose": ({"filters": 2, "kernel_size": 2}, (4, 4, 4, 1)),
    "SeparableConv1D": ({"filters": 2, "kernel_size": 2}, (8, 3)),
    "DepthwiseConv1D": ({"kernel_size": 2}, (8, 3)),
}


def conv(n: int, kind: str):
    """Raw arguments of an n-D convolution of ``kind``: plain, transpose, separable or depthwise."""

    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        # `causal` for every kind and rank: Conv1D takes it, every other convolution refuses it.
        paddings = st.sampled_from([*cases_of("valid"), *cases_of("same")] * 2 + cases_of("causal"))
        fields: dict[str, st.SearchStrategy[Any]] = {
            "kernel_size": int_or_tuple(n, 1, 4),
            "strides": maybe(int_or_tuple(n, 1, 3)),
            "padding": maybe(paddings),
            "dilation_rate": maybe(int_or_tuple(n, 1, 2)),
            "data_format": maybe(FORMATS),
            "use_bias": maybe(st.booleans()),
            "activation": maybe(st.sampled_from(["relu", "softmax", None])),
            "bias_initializer": maybe(BIAS_INITS),
            "bias_regularizer": maybe(REGULARIZERS),
            "activity_regularizer": maybe(REGULARIZERS),
            "bias_constraint": maybe(CONSTRAINTS),
        }
        if kind != "depthwise":
            fields["filters"] = st.integers(1, 6)
        if kind in ("plain", "transpose"):
            fields |= {
                "kernel_initializer": maybe(INITS),
                "kernel_regularizer": maybe(REGULARIZERS),
                "kernel_constraint": maybe(CONSTRAINTS),
            }
        if kind == "plain":
            fields["groups"] = maybe(st.sampled_from([1, 2, 3]))
        if kind == "transpose":
            fields["output_padding"] = maybe(st.one_of(st.none(), int_or_tuple(n, 0, 2)))
        if kind in ("separable", "depthwise"):
            fields |= {
                "depth_multiplier": maybe(st.integers(1, 3)),
                "depthwise_initializer": maybe(INITS),
                "depthwise_regularizer": maybe(REGULARIZERS),
                "depthwise_constraint": maybe(CONSTRAINTS),
            }
        if kind == "separable":
            fields |= {
                "pointwise_initializer": maybe(INITS),
                "pointwise_regularizer": maybe(REGULARIZERS),
                "pointwise_constraint": maybe(CONSTRAINTS),
            }
        return args(**fields)

    return draw_args


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "Conv1D": ((3,), conv(1, "plain")),
    "Conv2D": ((4,), conv(2, "plain")),
    "Convolution2D": ((4,), conv(2, "plain")),
    "Conv3D": ((5,), conv(3, "plain")),
    "Conv1DTranspose": ((3,), conv(1, "transpose")),
    "Conv2DTranspose": ((4,), conv(2, "transpose")),
    "Convolution3DTranspose": ((5,), conv(3, "transpose")),
    "SeparableConv1D": ((3,), conv(1, "separable")),
    "SeparableConv2D": ((4,), conv(2, "separable")),
    "DepthwiseConv1D": ((3,), conv(1, "depthwise")),
    "DepthwiseConv2D": ((4,), conv(2, "depthwise")),
}
