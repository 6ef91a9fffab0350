"""Rows and strategies for kerasspec.layers.pooling.

Every accepted row's output shape and every refused row's refusal were read from
Keras 3.15 building the layer. Adaptive pooling's deliberately stricter rules (an
input of another rank, ``output_size: 0``: Keras builds both, the layer then fails
when called) cannot be rows here, as Keras does not refuse them; tests/test_shapes.py
holds them.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import any_case, args, int_or_tuple, maybe

# Windowed and global pooling lower-case `data_format`; adaptive pooling does not.
FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last", "CHANNELS_FIRST"])
EXACT_FORMATS = st.sampled_from(["channels_last", "channels_first"])

N = None

RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    ({'type': 'MaxPooling1D'}, (N, 9, 2), ((N, 4, 2), 0, 0)),
    ({'type': 'MaxPool1D', 'pool_size': 3, 'strides': 1, 'padding': 'same', 'data_format': 'Channels_First'}, (N, 2, 9), ((N, 2, 9), 0, 0)),
    ({'type': 'MaxPooling1D', 'pool_size': 3, 'strides': 2}, (N, N, 2), ((N, N, 2), 0, 0)),
    ({'type': 'MaxPooling1D', 'pool_size': 4}, (N, 3, 2), 'KS303'),
    ({'type': 'MaxPooling1D'}, (N, 8, 8, 2), 'KS302'),
    ({'type': 'AveragePooling1D', 'pool_size': 3, 'strides': 1}, (N, 10, 4), ((N, 8, 4), 0, 0)),
    ({'type': 'AvgPool1D', 'pool_size': [2], 'strides': None, 'padding': 'same'}, (N, 7, 4), ((N, 4, 4), 0, 0)),
    ({'type': 'AveragePooling1D', 'pool_size': 2}, (N, 1, 4), 'KS303'),
    ({'type': 'MaxPooling2D', 'pool_size': 3, 'strides': 1, 'padding': 'same'}, (N, 5, 5, 2), ((N, 5, 5, 2), 0, 0)),
    ({'type': 'MaxPool2D', 'pool_size': [2, 3], 'data_format': 'channels_first'}, (N, 2, 7, 7), ((N, 2, 3, 2), 0, 0)),
    ({'type': 'MaxPooling2D'}, (N, 4, 4, 4, 2), 'KS302'),
    ({'type': 'AveragePooling2D', 'pool_size': 2, 'strides': [1, 2]}, (N, 5, 5, 1), ((N, 4, 2, 1), 0, 0)),
    ({'type': 'AvgPool2D', 'pool_size': 3}, (N, 2, 5, 1), 'KS303'),
    ({'type': 'MaxPooling3D'}, (N, 4, 5, 6, 2), ((N, 2, 2, 3, 2), 0, 0)),
    ({'type': 'MaxPool3D', 'pool_size': [1, 2, 3], 'strides': [1, 1, 2], 'padding': 'same', 'data_format': 'Channels_First'}, (N, 2, 5, 6, 7), ((N, 2, 5, 6, 4), 0, 0)),
    ({'type': 'MaxPooling3D', 'pool_size': 2}, (N, N, 5, 1, 2), 'KS303'),
    ({'type': 'MaxPooling3D'}, (N, 4, 4, 2), 'KS302'),
    ({'type': 'AveragePooling3D', 'pool_size': 2, 'strides': [1, 2, 3], 'padding': 'same'}, (N, 4, 4, 4, 2), ((N, 4, 2, 2, 2), 0, 0)),
    ({'type': 'AvgPool3D', 'pool_size': 3, 'strides': 2}, (N, 7, 8, N, 3), ((N, 3, 3, N, 3), 0, 0)),
    ({'type': 'AveragePooling3D', 'pool_size': 5}, (N, 4, 5, 5, 2), 'KS303'),
    ({'type': 'AveragePooling3D', 'pool_size': 2}, (N, 4, 5, 5, 5, 2), 'KS302'),
    ({'type': 'GlobalAveragePooling1D'}, (N, 10, 4), ((N, 4), 0, 0)),
    ({'type': 'GlobalAvgPool1D', 'keepdims': True, 'data_format': 'channels_first'}, (N, 10, 4), ((N, 10, 1), 0, 0)),
    ({'type': 'GlobalAveragePooling1D'}, (N, 10), 'KS302'),
    ({'type': 'GlobalMaxPooling1D', 'keepdims': True}, (N, 10, 4), ((N, 1, 4), 0, 0)),
    ({'type': 'GlobalMaxPool1D'}, (N, 10, 4, 4), 'KS302'),
    ({'type': 'GlobalAveragePooling2D'}, (N, 7, 7, 16), ((N, 16), 0, 0)),
    ({'type': 'GlobalAvgPool2D', 'keepdims': True, 'data_format': 'Channels_First'}, (N, 16, 7, 7), ((N, 16, 1, 1), 0, 0)),
    ({'type': 'GlobalMaxPooling2D', 'data_format': 'channels_first'}, (N, 16, 7, 7), ((N, 16), 0, 0)),
    ({'type': 'GlobalMaxPool2D'}, (N, 7, 16), 'KS302'),
    ({'type': 'GlobalAveragePooling3D'}, (N, 4, 4, 4, 2), ((N, 2), 0, 0)),
    ({'type': 'GlobalAvgPool3D', 'keepdims': True}, (N, 4, N, 4, 2), ((N, 1, 1, 1, 2), 0, 0)),
    ({'type': 'GlobalAveragePooling3D'}, (N, 4, 4, 2), 'KS302'),
    ({'type': 'GlobalMaxPooling3D', 'keepdims': True, 'data_format': 'channels_first'}, (N, 4, 4, 4, 2), ((N, 4, 1, 1, 1), 0, 0)),
    ({'type': 'GlobalMaxPool3D'}, (N, 4, 4, 4, N), ((N, N), 0, 0)),
    ({'type': 'GlobalMaxPooling3D'}, (N, 4, 4, 4, 4, 2), 'KS302'),
    ({'type': 'AdaptiveAveragePooling1D', 'output_size': 4}, (N, 9, 3), ((N, 4, 3), 0, 0)),
    ({'type': 'AdaptiveAveragePooling1D', 'output_size': [20], 'data_format': 'channels_first'}, (N, 3, 9), ((N, 3, 20), 0, 0)),
    ({'type': 'AdaptiveAveragePooling1D', 'output_size': 3}, (N, N, N), ((N, 3, N), 0, 0)),
    ({'type': 'AdaptiveMaxPooling1D', 'output_size': [4]}, (N, 9, 3), ((N, 4, 3), 0, 0)),
    ({'type': 'AdaptiveMaxPooling1D', 'output_size': 2, 'data_format': 'channels_first'}, (N, 3, 9), ((N, 3, 2), 0, 0)),
    ({'type': 'AdaptiveAveragePooling2D', 'output_size': 4}, (N, 9, 8, 3), ((N, 4, 4, 3), 0, 0)),
    ({'type': 'AdaptiveAveragePooling2D', 'output_size': [4, 3], 'data_format': 'channels_first'}, (N, 3, 9, 8), ((N, 3, 4, 3), 0, 0)),
    ({'type': 'AdaptiveMaxPooling2D', 'output_size': [4, 3]}, (N, 9, N, 3), ((N, 4, 3, 3), 0, 0)),
    ({'type': 'AdaptiveMaxPooling2D', 'output_size': 7}, (N, 2, 2, 1), ((N, 7, 7, 1), 0, 0)),
    ({'type': 'AdaptiveAveragePooling3D', 'output_size': [4, 3, 2]}, (N, 9, 8, 7, 3), ((N, 4, 3, 2, 3), 0, 0)),
    ({'type': 'AdaptiveAveragePooling3D', 'output_size': 2, 'data_format': 'channels_first'}, (N, 3, 9, 8, 7), ((N, 3, 2, 2, 2), 0, 0)),
    ({'type': 'AdaptiveMaxPooling3D', 'output_size': 2}, (N, 9, 8, 7, 3), ((N, 2, 2, 2, 3), 0, 0)),
    ({'type': 'AdaptiveMaxPooling3D', 'output_size': [1, 2, 3], 'data_format': 'channels_first'}, (N, 3, 9, 8, 7), ((N, 3, 1, 2, 3), 0, 0)),
]

BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "MaxPooling3D": ({}, (4, 4, 4, 1)),
    "AveragePooling3D": ({"pool_size": 2}, (4, 4, 4, 1)),
    "GlobalAveragePooling3D": ({}, (4, 4, 4, 1)),
    "GlobalMaxPooling3D": ({}, (4, 4, 4, 1)),
    "AdaptiveAveragePooling1D": ({"output_size": 4}, (8, 3)),
    "AdaptiveMaxPooling1D": ({"output_size": 4}, (8, 3)),
    "AdaptiveAveragePooling2D": ({"output_size": 4}, (8, 8, 3)),
    "AdaptiveMaxPooling2D": ({"output_size": 4}, (8, 8, 3)),
    "AdaptiveAveragePooling3D": ({"output_size": 2}, (4, 4, 4, 1)),
    "AdaptiveMaxPooling3D": ({"output_size": 2}, (4, 4, 4, 1)),
}


def pool(n: int, required: bool):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        size = int_or_tuple(n, 1, 4)
        return args(
            pool_size=size if required else maybe(size),
            strides=maybe(st.one_of(st.none(), int_or_tuple(n, 1, 3))),
            # Upper and mixed case too: Keras refuses them (when called), and so must the spec.
            padding=maybe(st.one_of(any_case("valid"), any_case("same"))),
            data_format=maybe(FORMATS),
        )

    return draw_args


def global_pool(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(data_format=maybe(FORMATS), keepdims=maybe(st.booleans()))


def adaptive(n: int):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        if rank != n + 2:
            # The spec refuses another rank on purpose (KS302) where Keras builds a layer
            # that fails when called: on such ranks draw only a data_format Keras refuses
            # too (it compares it as written), so that both sides refuse.
            return args(output_size=int_or_tuple(n, 1, 6), data_format=st.sampled_from(["Channels_Last", "CHANNELS_FIRST"]))
        return args(
            # Sizes from 1: `output_size: 0` is refused by the spec on purpose (Keras builds it).
            output_size=int_or_tuple(n, 1, 14),
            data_format=maybe(st.one_of(EXACT_FORMATS, st.sampled_from(["Channels_Last", "CHANNELS_FIRST"]))),
        )

    return draw_args


STRATEGIES = {
    "MaxPooling1D": ((3,), pool(1, False)),
    "AveragePooling1D": ((3,), pool(1, True)),
    "MaxPool2D": ((4,), pool(2, False)),
    "AveragePooling2D": ((4,), pool(2, True)),
    "MaxPooling3D": ((5,), pool(3, False)),
    "AvgPool3D": ((5,), pool(3, True)),
    "GlobalAveragePooling1D": ((3,), global_pool),
    "GlobalMaxPooling1D": ((3,), global_pool),
    "GlobalAvgPool2D": ((4,), global_pool),
    "GlobalMaxPool2D": ((4,), global_pool),
    "GlobalAveragePooling3D": ((5,), global_pool),
    "GlobalMaxPooling3D": ((5,), global_pool),
    "AdaptiveAveragePooling1D": ((3,), adaptive(1)),
    "AdaptiveMaxPooling1D": ((3,), adaptive(1)),
    "AdaptiveAveragePooling2D": ((4,), adaptive(2)),
    "AdaptiveMaxPooling2D": ((4,), adaptive(2)),
    "AdaptiveAveragePooling3D": ((5,), adaptive(3)),
    "AdaptiveMaxPooling3D": ((5,), adaptive(3)),
}
