"""Rows and strategies for kerasspec.layers.reshaping.

Every accepted row's output shape and every refused row's refusal were read from
Keras 3.15 building the layer. The spec's deliberately stricter rules (a negative
int ZeroPadding2D/3D `padding`, an UpSampling2D `interpolation` that Keras's resize
does not know: Keras builds both, the layer then fails when called) are not drawn.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import any_case, args, int_or_tuple, maybe

FORMATS = st.sampled_from(["channels_last", "channels_first", "Channels_Last", "CHANNELS_FIRST"])

N = None

RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    ({'type': 'ZeroPadding1D'}, (N, 5, 2), ((N, 7, 2), 0, 0)),
    ({'type': 'ZeroPadding1D', 'padding': [0, 3], 'data_format': 'channels_first'}, (N, 2, 5), ((N, 2, 8), 0, 0)),
    ({'type': 'ZeroPadding1D', 'padding': 2}, (N, N, 2), ((N, N, 2), 0, 0)),
    ({'type': 'ZeroPadding1D'}, (N, 5, 5, 2), 'KS302'),
    ({'type': 'ZeroPadding2D'}, (N, 28, 28, 1), ((N, 30, 30, 1), 0, 0)),
    ({'type': 'ZeroPadding2D', 'padding': [[0, 1], [2, 3]], 'data_format': 'channels_first'}, (N, 1, 4, 4), ((N, 1, 5, 9), 0, 0)),
    ({'type': 'ZeroPadding2D', 'padding': [[1, 2], 3]}, (N, 4, 4, 2), ((N, 7, 10, 2), 0, 0)),
    ({'type': 'ZeroPadding2D', 'padding': [2, 0]}, (N, 4, N, 2), ((N, 8, N, 2), 0, 0)),
    ({'type': 'ZeroPadding2D'}, (N, 4, 2), 'KS302'),
    ({'type': 'ZeroPadding3D'}, (N, 4, 4, 4, 2), ((N, 6, 6, 6, 2), 0, 0)),
    ({'type': 'ZeroPadding3D', 'padding': [1, [0, 2], 3], 'data_format': 'Channels_First'}, (N, 2, 4, 4, 4), ((N, 2, 6, 6, 10), 0, 0)),
    ({'type': 'ZeroPadding3D', 'padding': 0}, (N, 4, N, 4, 2), ((N, 4, N, 4, 2), 0, 0)),
    ({'type': 'ZeroPadding3D'}, (N, 4, 4, 2), 'KS302'),
    ({'type': 'Cropping1D'}, (N, 5, 2), ((N, 3, 2), 0, 0)),
    ({'type': 'Cropping1D', 'cropping': [0, 3]}, (N, 5, 2), ((N, 2, 2), 0, 0)),
    ({'type': 'Cropping1D', 'cropping': 4}, (N, N, 2), ((N, N, 2), 0, 0)),
    ({'type': 'Cropping1D', 'cropping': [2, 3]}, (N, 5, 2), 'KS303'),
    ({'type': 'Cropping1D'}, (N, 5, 5, 2), 'KS302'),
    ({'type': 'Cropping2D', 'cropping': 2}, (N, 28, 28, 1), ((N, 24, 24, 1), 0, 0)),
    ({'type': 'Cropping2D', 'cropping': [[0, 1], 2], 'data_format': 'channels_first'}, (N, 1, 4, 6), ((N, 1, 3, 2), 0, 0)),
    ({'type': 'Cropping2D', 'cropping': [14, 0]}, (N, 28, 28, 1), 'KS303'),
    ({'type': 'Cropping2D', 'cropping': [[0, 0], [2, 2]], 'data_format': 'channels_first'}, (N, 1, 6, 4), 'KS303'),
    ({'type': 'Cropping2D'}, (N, 28, 1), 'KS302'),
    ({'type': 'Cropping3D'}, (N, 4, 5, 6, 2), ((N, 2, 3, 4, 2), 0, 0)),
    ({'type': 'Cropping3D', 'cropping': [0, [1, 0], [2, 1]], 'data_format': 'channels_first'}, (N, 2, 4, 5, 6), ((N, 2, 4, 4, 3), 0, 0)),
    ({'type': 'Cropping3D', 'cropping': 3}, (N, N, 7, 7, 2), ((N, N, 1, 1, 2), 0, 0)),
    ({'type': 'Cropping3D'}, (N, 4, 2, 6, 2), 'KS303'),
    ({'type': 'Cropping3D'}, (N, 4, 6, 2), 'KS302'),
    ({'type': 'UpSampling1D'}, (N, 5, 2), ((N, 10, 2), 0, 0)),
    ({'type': 'UpSampling1D', 'size': 3}, (N, N, 2), ((N, N, 2), 0, 0)),
    ({'type': 'UpSampling1D'}, (N, 5, 5, 2), 'KS302'),
    ({'type': 'UpSampling2D'}, (N, 7, 7, 3), ((N, 14, 14, 3), 0, 0)),
    ({'type': 'UpSampling2D', 'size': [1, 3], 'data_format': 'channels_first', 'interpolation': 'Bilinear'}, (N, 3, 7, 7), ((N, 3, 7, 21), 0, 0)),
    ({'type': 'UpSampling2D', 'interpolation': 'AREA'}, (N, 7, N, 3), ((N, 14, N, 3), 0, 0)),
    ({'type': 'UpSampling2D'}, (N, 7, 3), 'KS302'),
    ({'type': 'UpSampling3D'}, (N, 2, 3, 4, 1), ((N, 4, 6, 8, 1), 0, 0)),
    ({'type': 'UpSampling3D', 'size': [1, 2, 3], 'data_format': 'channels_first'}, (N, 1, 2, 3, 4), ((N, 1, 2, 6, 12), 0, 0)),
    ({'type': 'UpSampling3D'}, (N, 2, 3, 4), 'KS302'),
    ({'type': 'RepeatVector', 'n': 3}, (N, 5), ((N, 3, 5), 0, 0)),
    ({'type': 'RepeatVector', 'n': 1}, (N, N), ((N, 1, N), 0, 0)),
    ({'type': 'RepeatVector', 'n': 3}, (N, 5, 2), 'KS302'),
    ({'type': 'Permute', 'dims': [2, 1]}, (N, 3, 4), ((N, 4, 3), 0, 0)),
    ({'type': 'Permute', 'dims': [3, 1, 2]}, (N, 2, N, 4), ((N, 4, 2, N), 0, 0)),
    ({'type': 'Permute', 'dims': [1]}, (N, 5), ((N, 5), 0, 0)),
    ({'type': 'Permute', 'dims': [2, 1]}, (N, 3, 4, 5), 'KS302'),
    ({'type': 'Permute', 'dims': [1, 1]}, (N, 3, 4), 'KS309'),
    ({'type': 'Permute', 'dims': [0, 1]}, (N, 3, 4), 'KS309'),
    ({'type': 'Permute', 'dims': [1, 3]}, (N, 3, 4), 'KS309'),
    ({'type': 'Flatten'}, (N, 3, 4), ((N, 12), 0, 0)),
    ({'type': 'Reshape', 'target_shape': [-1, 2]}, (N, 3, 4), ((N, 6, 2), 0, 0)),
]

BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "ZeroPadding1D": ({}, (8, 3)),
    "ZeroPadding3D": ({}, (4, 4, 4, 1)),
    "Cropping1D": ({}, (8, 3)),
    "Cropping3D": ({}, (4, 4, 4, 1)),
    "UpSampling1D": ({}, (8, 3)),
    "UpSampling3D": ({}, (4, 4, 4, 1)),
    "RepeatVector": ({"n": 3}, (5,)),
    "Permute": ({"dims": [2, 1]}, (4, 3)),
}


def pair(lo: int, hi: int) -> st.SearchStrategy[Any]:
    """An int, or a [before, after] list."""
    one = st.integers(lo, hi)
    return st.one_of(one, st.lists(one, min_size=2, max_size=2))


def per_axis(n: int, lo: int, hi: int) -> st.SearchStrategy[Any]:
    """An int, or one entry per axis, each an int or a [before, after] list (mixed, as Keras takes)."""
    return st.one_of(st.integers(lo, hi), st.lists(pair(lo, hi), min_size=n, max_size=n))


def padding(n: int):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        return args(padding=maybe(pair(0, 3) if n == 1 else per_axis(n, 0, 3)), data_format=maybe(FORMATS))

    return draw_args


def cropping(n: int):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        if n == 1:  # Cropping1D has no data_format
            return args(cropping=maybe(pair(0, 5)))
        return args(cropping=maybe(per_axis(n, 0, 5)), data_format=maybe(FORMATS))

    return draw_args


def upsampling(n: int):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        if n == 1:
            # A list is a TypeError in Keras's UpSampling1D: drawn so that both sides refuse it.
            return args(size=maybe(st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=1, max_size=1))))
        fields: dict[str, st.SearchStrategy[Any]] = {"size": maybe(int_or_tuple(n, 1, 3)), "data_format": maybe(FORMATS)}
        if n == 2:
            methods = ["nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area"]
            fields["interpolation"] = maybe(st.one_of(*(any_case(m) for m in methods)))
        return args(**fields)

    return draw_args


def flatten(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(data_format=maybe(FORMATS))


def reshape(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    size = st.one_of(st.integers(1, 12), st.just(-1), st.integers(1, 12), st.integers(-2, 0))
    return args(target_shape=st.lists(size, min_size=1, max_size=3))


def repeat_vector(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(n=st.integers(1, 5))


def permute(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    axes = list(range(1, rank))
    good = st.permutations(axes) if axes else st.just([])
    # Sometimes not a permutation of 1..k, or one of another length (the input rank is then wrong).
    bad = st.lists(st.integers(0, 4), min_size=1, max_size=4)
    return args(dims=st.one_of(good, good, good, bad))


STRATEGIES = {
    "Flatten": ((2, 3, 4, 5), flatten),
    "Reshape": ((2, 3, 4), reshape),
    "ZeroPadding1D": ((3,), padding(1)),
    "ZeroPadding2D": ((4,), padding(2)),
    "ZeroPadding3D": ((5,), padding(3)),
    "Cropping1D": ((3,), cropping(1)),
    "Cropping2D": ((4,), cropping(2)),
    "Cropping3D": ((5,), cropping(3)),
    "UpSampling1D": ((3,), upsampling(1)),
    "UpSampling2D": ((4,), upsampling(2)),
    "UpSampling3D": ((5,), upsampling(3)),
    "RepeatVector": ((2,), repeat_vector),
    "Permute": ((3, 4, 5), permute),
}
