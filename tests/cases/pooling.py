"""Rows and strategies for kerasspec.layers.pooling."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import any_case, args, int_or_tuple, maybe

FORMATS = st.sampled_from(["channels_last", "channels_first"])

RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    ({"type": "MaxPooling2D", "pool_size": 3, "strides": 1, "padding": "same"}, (None, 5, 5, 2), ((None, 5, 5, 2), 0, 0)),
]
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {}


def pool(n: int, required: bool):
    def draw_args(rank: int) -> st.SearchStrategy[dict[str, Any]]:
        size = int_or_tuple(n, 1, 4)
        return args(
            pool_size=size if required else maybe(size),
            strides=maybe(st.one_of(st.none(), int_or_tuple(n, 1, 3))),
            padding=maybe(st.one_of(any_case("valid"), any_case("same"))),
            data_format=maybe(FORMATS),
        )

    return draw_args


STRATEGIES = {
    "MaxPooling1D": ((3,), pool(1, False)),
    "MaxPool2D": ((4,), pool(2, False)),
    "AveragePooling2D": ((4,), pool(2, True)),
}
