"""Rows and strategies for kerasspec.layers.activations."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from cases.spellings import args, maybe, omitted

#: (layer fields, input shape with batch, (output, trainable, non-trainable) or error code).
RULE_CASES: list[tuple[dict[str, Any], tuple[Any, ...], Any]] = [
    # LeakyReLU: negative_slope >= 0 (an int too); Keras 2's `alpha` replaces it when given.
    ({"type": "LeakyReLU"}, (None, 4), ((None, 4), 0, 0)),
    ({"type": "LeakyReLU", "negative_slope": 0}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "LeakyReLU", "alpha": 0.1}, (None, 4), ((None, 4), 0, 0)),
    ({"type": "LeakyReLU", "alpha": 0.1, "negative_slope": -1.0}, (None, 4), ((None, 4), 0, 0)),
    ({"type": "LeakyReLU", "negative_slope": -0.1}, (None, 4), "KS309"),
    ({"type": "LeakyReLU", "negative_slope": None}, (None, 4), "KS309"),
    ({"type": "LeakyReLU", "alpha": None, "negative_slope": 0.2}, (None, 4), "KS309"),
    ({"type": "LeakyReLU", "alpha": -1}, (None, 4), "KS309"),
    # PReLU: alpha has the input's shape without the batch, 1 on each shared axis; Keras
    # indexes it with `axis - 1`, so 0 shares the last axis and -1 the one before.
    ({"type": "PReLU"}, (None, 3, 4), ((None, 3, 4), 12, 0)),
    ({"type": "PReLU", "shared_axes": 1}, (None, 3, 4), ((None, 3, 4), 4, 0)),
    ({"type": "PReLU", "shared_axes": [1, 2]}, (None, 8, 8, 3), ((None, 8, 8, 3), 3, 0)),
    ({"type": "PReLU", "shared_axes": [2]}, (None, 3, 4), ((None, 3, 4), 3, 0)),
    ({"type": "PReLU", "shared_axes": [-1]}, (None, 3, 4), ((None, 3, 4), 4, 0)),
    ({"type": "PReLU", "shared_axes": [0]}, (None, 3, 4), ((None, 3, 4), 3, 0)),
    ({"type": "PReLU", "shared_axes": [1, 1]}, (None, 3, 4), ((None, 3, 4), 4, 0)),
    ({"type": "PReLU", "shared_axes": []}, (None, 3, 4), ((None, 3, 4), 12, 0)),
    ({"type": "PReLU", "shared_axes": [3]}, (None, 3, 4), "KS309"),
    ({"type": "PReLU", "shared_axes": [-2]}, (None, 3, 4), "KS309"),
    ({"type": "PReLU"}, (None, None, 4), "KS308"),
    ({"type": "PReLU", "shared_axes": 1}, (None, None, 4), ((None, None, 4), 4, 0)),
    ({"type": "PReLU", "shared_axes": 1}, (5, 3, 4), ((5, 3, 4), 4, 0)),
    ({"type": "PReLU", "trainable": False}, (None, 3, 4), ((None, 3, 4), 0, 12)),
    ({"type": "PReLU", "alpha_initializer": "identity"}, (None, 4), "KS309"),
    ({"type": "PReLU", "alpha_initializer": "identity"}, (None, 4, 4), ((None, 4, 4), 16, 0)),
    ({"type": "PReLU", "alpha_initializer": "orthogonal"}, (None, 4), "KS309"),
    (
        {"type": "PReLU", "alpha_initializer": "he_normal", "alpha_regularizer": "l2", "alpha_constraint": "non_neg"},
        (None, 4),
        ((None, 4), 4, 0),
    ),
    # ReLU: max_value, negative_slope and threshold >= 0 (a threshold above max_value is accepted).
    ({"type": "ReLU"}, (None, 4), ((None, 4), 0, 0)),
    ({"type": "ReLU", "max_value": 6, "negative_slope": 0.1, "threshold": 0.5}, (None, 2, 4), ((None, 2, 4), 0, 0)),
    ({"type": "ReLU", "max_value": 1.0, "threshold": 2}, (None, 4), ((None, 4), 0, 0)),
    # ELU: Keras checks no value of alpha.
    ({"type": "ELU"}, (None, 4), ((None, 4), 0, 0)),
    ({"type": "ELU", "alpha": -1}, (None, 4), ((None, 4), 0, 0)),
    # Softmax: Keras does not check the axis when it builds.
    ({"type": "Softmax"}, (None, 4), ((None, 4), 0, 0)),
    ({"type": "Softmax", "axis": 1}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Softmax", "axis": [1, 2]}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Softmax", "axis": None}, (None, 3, 4), ((None, 3, 4), 0, 0)),
    ({"type": "Softmax", "axis": 5}, (None, 4), ((None, 4), 0, 0)),
]

#: Class name -> (required fields, sample shape): one minimal valid use, built in Keras.
BUILD_CASES: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {
    "LeakyReLU": ({}, (6,)),
    "PReLU": ({}, (4, 3)),
    "ReLU": ({}, (6,)),
    "ELU": ({}, (6,)),
    "Softmax": ({}, (6,)),
}

# Numbers as users write them: ints where Keras takes a float, negatives it refuses, null.
SLOPES = st.one_of(st.sampled_from([0, 1, 2, 0.0, 0.2, 0.3, 1.5, -0.1, -1, None]), st.floats(0, 2, width=32))
NON_NEG = st.sampled_from([0, 1, 6, 0.0, 0.5, 6.0, -1, -0.5])


def leaky_relu(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    # `alpha` (Keras 2's name) now and then, alone or with negative_slope.
    return args(negative_slope=maybe(SLOPES), alpha=st.one_of(omitted(), omitted(), SLOPES))


def _axis(rank: int) -> st.SearchStrategy[int]:
    # Every axis of the input, the batch included, and one beyond each end.
    return st.integers(-rank - 1, rank)


def prelu(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        shared_axes=maybe(st.one_of(st.none(), _axis(rank), st.lists(st.integers(-1, rank), max_size=3))),
        alpha_initializer=maybe(st.sampled_from(["zeros", "Zeros", "he_normal", "ones", "identity", "orthogonal"])),
        alpha_regularizer=maybe(st.sampled_from(["l1", "l2", None, {"type": "L2", "l2": 0.01}])),
        alpha_constraint=maybe(st.sampled_from(["non_neg", "max_norm", None])),
        trainable=maybe(st.booleans()),
    )


def relu(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(
        max_value=maybe(st.one_of(st.none(), NON_NEG)),
        negative_slope=maybe(NON_NEG),
        threshold=maybe(NON_NEG),
    )


def elu(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(alpha=maybe(st.one_of(st.sampled_from([0, 1, 2, -1, 0.5, -0.5, 1.0]), st.floats(-3, 3, width=32))))


def softmax(rank: int) -> st.SearchStrategy[dict[str, Any]]:
    return args(axis=maybe(st.one_of(st.none(), _axis(rank), st.lists(_axis(rank), max_size=2))))


#: type -> (input ranks it takes, batch included; rank -> strategy of its other fields).
STRATEGIES = {
    "LeakyReLU": ((2, 3, 4), leaky_relu),
    "PReLU": ((2, 3, 4), prelu),
    "ReLU": ((2, 3), relu),
    "ELU": ((2, 3), elu),
    "Softmax": ((2, 3, 4), softmax),
}
