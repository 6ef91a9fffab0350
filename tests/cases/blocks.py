"""Rows and strategies for kerasspec.layers.blocks: nested Sequential blocks and Repeat."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import args, maybe

DENSE = {"type": "Dense", "units": 3}

RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # A block is its layers folded over the input; its weights are theirs.
    ({"type": "Sequential", "layers": [DENSE, {"type": "Dense", "units": 2}]}, (None, 4), ((None, 2), 23, 0)),
    ({"type": "Sequential", "layers": [{"type": "Flatten"}, DENSE]}, (None, 2, 2), ((None, 3), 15, 0)),
    (
        {"type": "Sequential", "layers": [{"type": "BatchNormalization"}, DENSE]},
        (None, 4),
        ((None, 3), 23, 8),
    ),
    # A frozen layer inside a trainable block keeps its weights frozen.
    ({"type": "Sequential", "layers": [{**DENSE, "trainable": False}]}, (None, 4), ((None, 3), 0, 15)),
    ({"type": "Sequential", "trainable": False, "layers": [DENSE]}, (None, 4), ((None, 3), 0, 15)),
    # An error inside the block is the block's error, at the inner layer.
    ({"type": "Sequential", "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3}]}, (None, 4), "KS302"),
    ({"type": "Sequential", "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 5}]}, (None, 4, 4, 1), "KS303"),
    # A Repeat inside is written out in the block's list.
    ({"type": "Sequential", "layers": [{"type": "Repeat", "times": 3, "layers": [DENSE]}]}, (None, 4), ((None, 3), 39, 0)),
    (
        {"type": "Sequential", "layers": [{"type": "Repeat", "times": 2, "layers": [DENSE, {"type": "BatchNormalization"}]}]},
        (None, 4),
        ((None, 3), 39, 12),
    ),
    # keras.Sequential refuses a name it already holds, a Repeat's copies included.
    ({"type": "Sequential", "layers": [{**DENSE, "name": "d"}, {**DENSE, "name": "d"}]}, (None, 4), "KS212"),
    ({"type": "Sequential", "layers": [{"type": "Repeat", "times": 2, "layers": [{**DENSE, "name": "d"}]}]}, (None, 4), "KS212"),
    ({"type": "Sequential", "layers": [{**DENSE, "name": "d"}, {**DENSE, "name": "e"}]}, (None, 4), ((None, 3), 27, 0)),
    # A stateful layer keeps its state in a nested block (a Pipeline refuses it).
    ({"type": "Sequential", "layers": [{"type": "LSTM", "units": 2, "stateful": True}]}, (2, 5, 3), ((2, 2), 48, 0)),
]

BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "Sequential": ({"layers": [DENSE, {"type": "Dropout", "rate": 0.5}]}, (4,)),
}


def _inner(rank: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    dense = st.builds(lambda u, a: {"type": "Dense", "units": u, **({"activation": a} if a else {})},
                      st.integers(1, 4), st.sampled_from([None, "relu", "selu"]))
    other = st.sampled_from([{"type": "Dropout", "rate": 0.25}, {"type": "Flatten"}, {"type": "BatchNormalization"}])
    named = st.just({"type": "Dense", "units": 2, "name": "d"})  # twice in one list: keras.Sequential refuses it
    plain = st.one_of(dense, dense, other, named)
    repeat = st.builds(lambda times, layers: {"type": "Repeat", "times": times, "layers": layers},
                       st.integers(1, 3), st.lists(plain, min_size=1, max_size=2))
    return st.lists(st.one_of(plain, plain, repeat), min_size=1, max_size=3)


STRATEGIES = {
    "Sequential": ((2, 3), lambda rank: args(layers=_inner(rank), trainable=maybe(st.booleans()))),
    "Repeat": ((2,), lambda rank: args(times=st.integers(1, 4), layers=_inner(rank))),
}
